//! The fuzz seed corpus, replayed on stable as ordinary tests.
//!
//! Every file under `core/tests/fuzz-seeds/<target>/` goes through the same function the cargo-fuzz target of
//! that name runs (`fuzz/src/lib.rs`, included below), so an input that once made the engine panic, or broke
//! one of the properties those functions assert, is checked again by every `cargo test`. To add a finding:
//! copy `fuzz/artifacts/<target>/crash-*` into `core/tests/fuzz-seeds/<target>/` with a name that says what
//! it exercises.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "../../fuzz/src/lib.rs"]
mod harness;

use std::path::{Path, PathBuf};

fn seeds(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-seeds").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no seeds in {}", dir.display());
    files
}

/// Run every seed of `target`, naming the file that fails.
fn replay(target: &str, run: impl Fn(&[u8]) + std::panic::RefUnwindSafe) {
    let mut failures = Vec::new();
    for path in seeds(target) {
        let data = std::fs::read(&path).unwrap();
        if let Err(panic) = std::panic::catch_unwind(|| run(&data)) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            failures.push(format!("{}: {message}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{} seed(s) failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn policy_seeds_compile_as_every_kind_without_panicking() {
    replay("policy", |data| {
        if let Ok(text) = std::str::from_utf8(data) {
            for kind in harness::KINDS {
                harness::policy_as(kind, text);
            }
        }
        harness::policy(data);
    });
}

#[test]
fn scenario_seeds_decide_alike_as_text_value_and_prepared_api() {
    replay("scenario", harness::scenario);
}

#[test]
fn wildcard_seeds_agree_with_the_reference_matcher() {
    replay("wildcard", harness::wildcard);
}

#[test]
fn cidr_and_date_seeds_compile_and_decide_as_the_reference_says() {
    replay("cidr_date", harness::cidr_date);
}

#[test]
fn the_reference_matcher_is_itself_right() {
    use harness::{reference_arn_match, reference_match, split_wildcard_input};
    let case = |input: &str| {
        let (toks, _, _, text) = split_wildcard_input(input);
        (reference_match(&toks, &text.chars().collect::<Vec<_>>()), reference_arn_match(&toks, text))
    };
    // A pattern without a colon is no ARN pattern: only stars match (every ARN), anything else matches none.
    assert_eq!(case("a*c\0abbbc"), (true, false));
    assert_eq!(case("a?c\0abbc"), (false, false));
    assert_eq!(case("a\u{1}*\u{1}\0ab"), (false, false));
    assert_eq!(case("a\u{1}*\u{1}\0a*"), (true, false));
    assert_eq!(case("**\0arn:aws:s3:::b"), (true, true));
    // A star does not cross one of an ARN's first five colons, but does cross later ones.
    assert_eq!(case("arn:aws:*\0arn:aws:s3:::b"), (true, false));
    assert_eq!(case("arn:aws:*:*:*:*\0arn:aws:s3:::b:c"), (true, true));
    // As a Resource, a star that ends one of the first five parts takes colons too; other stars do not.
    let resource = |input: &str| {
        let (toks, _, _, text) = split_wildcard_input(input);
        harness::reference_resource_match(&toks, text)
    };
    assert!(resource("arn:aws:*\0arn:aws:s3:::b"));
    assert!(resource("arn:aws:*:b\0arn:aws:s3:::b"));
    assert!(!resource("arn:aws:*:c\0arn:aws:s3:::b"));
    assert!(!resource("arn:aws:s*3:*\0arn:aws:s:x:3:::b"));
    assert!(!resource("arn:aws:s3:::\0arn:aws:s3:::b"));
    assert!(resource("a*\0arn:aws:s3:::b"));
    assert!(!resource("a\u{1}*\u{1}\0arn:aws:s3:::b"));
    assert!(resource("*\0no colon"));
}

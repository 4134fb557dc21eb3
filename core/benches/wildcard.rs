//! Wildcard matching on adversarial patterns stays linear in the text: `*a*a*a*...*b` (the pattern that makes a
//! backtracking matcher exponential) against texts of 1 KB to 1 MB. Criterion reports the time per byte
//! (Throughput::Bytes): a linear matcher shows the same throughput at every length (or a constant time, when
//! the anchored last piece fails at once). Run: `cargo bench -p apigw-authz --bench wildcard`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::hint::black_box;
use std::time::Duration;

use apigw_authz::wildcard::{ArnGlob, Glob};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const LENGTHS: [usize; 4] = [1_000, 10_000, 100_000, 1_000_000];

fn star_a_then_b(c: &mut Criterion) {
    // 50 stars: a naive recursive matcher would need ~n^50 steps on a text of n `a`s without a `b`.
    let pattern = format!("{}b", "*a".repeat(50));
    let glob = Glob::new(&pattern);
    let mut group = c.benchmark_group("wildcard *a*a*...*b");
    group.measurement_time(Duration::from_secs(2)).warm_up_time(Duration::from_millis(500)).sample_size(20);
    for n in LENGTHS {
        let miss = "a".repeat(n);
        let hit = format!("{miss}b");
        group.throughput(Throughput::Bytes(n as u64));
        group.bench_with_input(BenchmarkId::new("no match", n), &miss, |b, text| {
            b.iter(|| assert!(!glob.matches(black_box(text))))
        });
        group.bench_with_input(BenchmarkId::new("match", n), &hit, |b, text| {
            b.iter(|| assert!(glob.matches(black_box(text))))
        });
    }
    // With a trailing star the `b` is not anchored at the end: it is searched for, once, from where the last
    // `a` matched, so the whole text is read: time grows with the text, throughput stays flat.
    let searching = Glob::new(&format!("{pattern}*"));
    for n in LENGTHS {
        let miss = "a".repeat(n);
        group.throughput(Throughput::Bytes(n as u64));
        group.bench_with_input(BenchmarkId::new("no match, b searched (…*b*)", n), &miss, |b, text| {
            b.iter(|| assert!(!searching.matches(black_box(text))))
        });
    }
    group.finish();
}

fn question_marks(c: &mut Criterion) {
    // Pieces that start with `?` are tried at every position; each try costs the piece length, not the text.
    let pattern = format!("*{}b*", "?a".repeat(8));
    let glob = Glob::new(&pattern);
    let mut group = c.benchmark_group("wildcard *?a?a...b*");
    group.measurement_time(Duration::from_secs(2)).warm_up_time(Duration::from_millis(500)).sample_size(20);
    for n in LENGTHS {
        let text = "a".repeat(n);
        group.throughput(Throughput::Bytes(n as u64));
        group.bench_with_input(BenchmarkId::new("no match", n), &text, |b, text| {
            b.iter(|| assert!(!glob.matches(black_box(text))))
        });
    }
    group.finish();
}

fn arn_resource(c: &mut Criterion) {
    // The same adversarial tail in the resource part of an ARN pattern, as a Resource element holds it.
    let pattern = format!("arn:aws:execute-api:*:111122223333:*{}b", "/*a".repeat(50));
    let glob = ArnGlob::new(&pattern);
    let mut group = c.benchmark_group("arn pattern .../*a/*a...b");
    group.measurement_time(Duration::from_secs(2)).warm_up_time(Duration::from_millis(500)).sample_size(20);
    for n in LENGTHS {
        let arn = format!("arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5{}", "/a".repeat(n / 2));
        group.throughput(Throughput::Bytes(arn.len() as u64));
        group.bench_with_input(BenchmarkId::new("no match", n), &arn, |b, arn| {
            b.iter(|| assert!(!glob.matches(black_box(arn))))
        });
    }
    group.finish();
}

criterion_group!(benches, star_a_then_b, question_marks, arn_resource);
criterion_main!(benches);

//! `identityValidationExpression` is a Java regular expression: API Gateway tests a TOKEN authorizer's token
//! with Java's `Pattern.matches`, so the whole token must match. The engine runs regex-lite, whose syntax is
//! Java's for what these expressions use (classes, ranges, `\d`, `\w`, `\s`, groups, counted repetition, lazy
//! quantifiers, `(?i)`). Where the two differ:
//! - Java forms that regex-lite can say another way are rewritten: `.` (which in Java matches no line
//!   terminator), the POSIX classes `\p{Alpha}` … `\P{Space}`
//!   (ASCII in Java, as in regex-lite's `[[:alpha:]]`) and quoting `\Q…\E`;
//! - Java forms whose meaning regex-lite would silently change are refused: a possessive quantifier (`a*+` is
//!   `(a*)+` to regex-lite, and matches where Java's does not) and a `[` inside a class (Java's union:
//!   `[[:alpha:]]` is the five characters `:alph` to Java and the letters to regex-lite);
//! - what regex-lite cannot run (look-around, atomic groups, Unicode classes, class intersection) is refused with
//!   regex-lite's own reason.
//!
//! Refused means no decision: the scenario is invalid, and the message says which construct.

use std::borrow::Cow;

/// Java's POSIX character classes (US-ASCII) and regex-lite's names for them.
const POSIX: [(&str, &str); 13] = [
    ("Lower", "lower"),
    ("Upper", "upper"),
    ("ASCII", "ascii"),
    ("Alpha", "alpha"),
    ("Digit", "digit"),
    ("Alnum", "alnum"),
    ("Punct", "punct"),
    ("Graph", "graph"),
    ("Print", "print"),
    ("Blank", "blank"),
    ("Cntrl", "cntrl"),
    ("XDigit", "xdigit"),
    ("Space", "space"),
];

/// Compile `expression` so that it matches a whole token, as Java's `matches` does.
pub fn compile(expression: &str) -> Result<regex_lite::Regex, String> {
    let rewritten = rewrite(expression)?;
    regex_lite::Regex::new(&format!("^(?:{rewritten})$")).map_err(|e| {
        // regex-lite's message ends with its one-line reason, after a caret diagram of its own text.
        let text = e.to_string();
        let reason = text.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim_start_matches("error: ");
        format!("`{expression}` cannot be run as a Java regular expression here: {reason}")
    })
}

/// The expression in regex-lite's syntax, or why it cannot be.
fn rewrite(expression: &str) -> Result<Cow<'_, str>, String> {
    if !expression.contains(['\\', '[', '+', '.']) {
        return Ok(Cow::Borrowed(expression));
    }
    // Java's `.` matches no line terminator (`\n`, `\r`, U+0085, U+2028, U+2029); regex-lite's only misses `\n`.
    // Under DOTALL both match everything, so the dot is left as it is: only for a flag group at the very start
    // (`(?s)`, `(?is)`), which covers the whole expression. A DOTALL flag anywhere else (scoped, or turned on or
    // off midway) is refused below rather than tracked.
    let leading_flags: &str = expression
        .strip_prefix("(?")
        .and_then(|rest| rest.split_once(')'))
        .map(|(flags, _)| flags)
        .filter(|flags| flags.chars().all(|c| c.is_ascii_alphabetic()))
        .unwrap_or("");
    let dot_all = leading_flags.contains('s');
    let refuse = |what: &str| format!("`{expression}` uses {what}, which this engine does not run");
    let mut out = String::with_capacity(expression.len() + 16);
    let mut chars = expression.chars().peekable();
    let mut in_class = false;
    // Inside `{n,m}` (a `}` closes a counted repetition only when a `{` opened one).
    let mut in_count = false;
    // The previous item was a quantifier (`*`, `+`, `?`, `{n,m}`): a `+` right after it is possessive.
    let mut after_quantifier = false;
    while let Some(c) = chars.next() {
        let quantifier = match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    out.push('\\'); // regex-lite reports the dangling escape
                    break;
                };
                match e {
                    'p' | 'P' => {
                        let name: String = if chars.peek() == Some(&'{') {
                            chars.next();
                            chars.by_ref().take_while(|&n| n != '}').collect()
                        } else {
                            chars.next().map(String::from).unwrap_or_default()
                        };
                        let Some((_, posix)) = POSIX.iter().find(|(java, _)| *java == name) else {
                            return Err(refuse(&format!("the Unicode class `\\{e}{{{name}}}`")));
                        };
                        let negation = if e == 'P' { "^" } else { "" };
                        if in_class {
                            out.push_str(&format!("[:{negation}{posix}:]"));
                        } else {
                            out.push_str(&format!("[[:{negation}{posix}:]]"));
                        }
                    }
                    'Q' => {
                        // Everything up to `\E` (or the end) is literal.
                        let mut quoted = String::new();
                        while let Some(q) = chars.next() {
                            if q == '\\' && chars.peek() == Some(&'E') {
                                chars.next();
                                break;
                            }
                            quoted.push(q);
                        }
                        out.push_str(&regex_lite::escape(&quoted));
                    }
                    'E' => {} // a `\E` without `\Q`: Java ignores it
                    // Java's `\v` is any vertical white space; regex-lite's is U+000B alone.
                    'v' if in_class => out.push_str("\\n\\x0B\\x0C\\r\\x{85}\\x{2028}\\x{2029}"),
                    'v' => out.push_str("[\\n\\x0B\\x0C\\r\\x{85}\\x{2028}\\x{2029}]"),
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
                false
            }
            '(' if !in_class && chars.peek() == Some(&'?') => {
                out.push('(');
                let at_start = out.len() == 1;
                let flags: String =
                    chars.clone().skip(1).take_while(|c| c.is_ascii_alphabetic() || *c == '-').collect();
                if flags.contains('s') && !(at_start && dot_all) {
                    return Err(refuse("a DOTALL flag (`s`) other than `(?s)` at the start"));
                }
                if flags.contains('d') {
                    return Err(refuse("the UNIX_LINES flag (`d`)"));
                }
                false
            }
            '[' if in_class => return Err(refuse("a class inside a class (Java's union, e.g. `[a-z[0-9]]`)")),
            '[' => {
                in_class = true;
                out.push('[');
                // A `]` or `^]` right after the opening bracket is a member, in both syntaxes.
                if chars.peek() == Some(&'^') {
                    chars.next();
                    out.push('^');
                }
                if chars.peek() == Some(&']') {
                    chars.next();
                    out.push_str("\\]");
                }
                false
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
                false
            }
            '&' if in_class && chars.peek() == Some(&'&') => {
                return Err(refuse("a class intersection (`&&`)"));
            }
            '+' if !in_class && after_quantifier => {
                return Err(refuse("a possessive quantifier (`*+`, `++`, `?+`, `{n}+`)"));
            }
            '.' if !in_class && !dot_all => {
                out.push_str("[^\\n\\r\\x{85}\\x{2028}\\x{2029}]");
                false
            }
            '{' if !in_class => {
                in_count = true;
                out.push(c);
                false
            }
            '}' if !in_class && in_count => {
                in_count = false;
                out.push(c);
                true
            }
            '*' | '+' | '?' if !in_class => {
                out.push(c);
                // `?` after a quantifier makes it lazy, the same in both; what follows that is not possessive.
                !(c == '?' && after_quantifier)
            }
            _ => {
                out.push(c);
                false
            }
        };
        after_quantifier = quantifier;
    }
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::compile;

    fn matches(expression: &str, token: &str) -> bool {
        compile(expression).is_ok_and(|r| r.is_match(token))
    }

    #[test]
    fn the_whole_token_must_match() {
        assert!(matches("^Bearer [-0-9a-zA-z\\.]*$", "Bearer abc.DEF-1"));
        assert!(matches("[a-z]+", "abc"));
        assert!(!matches("[a-z]+", "abc1"));
        assert!(!matches("b", "abc"));
        assert!(matches("a|b", "b"));
    }

    #[test]
    fn posix_classes_are_java_s_ascii_ones() {
        assert!(matches("\\p{Alpha}+", "abcXYZ"));
        assert!(!matches("\\p{Alpha}+", "abc1"));
        assert!(matches("\\P{Digit}+", "abc"));
        assert!(!matches("\\P{Digit}+", "a1"));
        assert!(matches("[\\p{Alnum}_-]{3}", "a_-"));
        assert!(matches("[^\\p{Space}]+", "x:y"));
        assert!(!matches("[^\\p{Space}]+", "x y"));
        assert!(matches("\\p{XDigit}{4}", "0aF9"));
        assert!(matches("\\p{Punct}", "~"));
    }

    #[test]
    fn quoting_is_literal() {
        assert!(matches("\\Qa.b*\\E[0-9]", "a.b*7"));
        assert!(!matches("\\Qa.b*\\E[0-9]", "axbb7"));
        assert!(matches("x\\Q[&-]", "x[&-]"));
    }

    #[test]
    fn a_dot_matches_no_line_terminator_as_in_java() {
        for terminator in ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"] {
            assert!(!matches("Bearer .*", &format!("Bearer a{terminator}b")), "{terminator:?}");
            assert!(matches("(?s)Bearer .*", &format!("Bearer a{terminator}b")), "{terminator:?}");
        }
        assert!(matches("Bearer .*", "Bearer a\tb\u{a0}c"));
        assert!(matches("a[.]b", "a.b") && !matches("a[.]b", "axb") && matches("a\\.b", "a.b"));
    }

    #[test]
    fn dotall_counts_only_at_the_start_and_elsewhere_is_refused() {
        assert!(matches("(?is)bearer .*", "BEARER a\rb"));
        for expression in ["Bearer (?s:.*)", "Bearer .*(?s)", "(?i)Bearer (?s).*", "(?d)Bearer .*"] {
            assert!(compile(expression).is_err(), "{expression}");
        }
        // An escaped parenthesis is no flag group: the dot is Java's.
        assert!(!matches("\\(?s?Bearer .*", "Bearer a\rb"));
        assert!(matches("\\(?s?Bearer .*", "(sBearer ab"));
    }

    #[test]
    fn backslash_v_is_java_s_vertical_white_space() {
        for c in ["\n", "\u{b}", "\u{c}", "\r", "\u{85}", "\u{2028}", "\u{2029}"] {
            assert!(matches("a\\vb", &format!("a{c}b")), "{c:?}");
            assert!(!matches("a[^\\v]b", &format!("a{c}b")), "{c:?}");
        }
        assert!(!matches("a\\vb", "a b") && matches("a[^\\v]b", "a b"));
    }

    #[test]
    fn lazy_quantifiers_and_literal_plus_are_kept() {
        assert!(matches("a+?b", "aab"));
        assert!(matches("a\\++", "a++"));
        assert!(matches("[+]+", "++"));
        assert!(matches("a{2}b+", "aabb"));
        assert!(matches("a}+", "a}}"));
    }

    #[test]
    fn forms_whose_meaning_would_change_or_cannot_run_are_refused() {
        for (expression, why) in [
            (".*+x", "possessive"),
            ("a++", "possessive"),
            ("a{2}+", "possessive"),
            ("a?+", "possessive"),
            ("[[:alpha:]]+", "class inside a class"),
            ("[a-z[0-9]]", "class inside a class"),
            ("[a-z&&[^q]]", "intersection"),
            ("\\p{L}+", "Unicode class"),
            ("\\pL", "Unicode class"),
            ("(?=.*[A-Z]).+", "look-around"),
            ("(a", "cannot be run"),
        ] {
            let error = compile(expression).err().unwrap_or_default();
            assert!(error.contains(why), "{expression}: {error}");
        }
    }
}

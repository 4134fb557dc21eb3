//! Text with policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`, `${*}`), as Resource
//! patterns and String / Arn condition values hold it. Under `Version: 2008-10-17` the same text is literal.

use std::borrow::Cow;

use super::{ConditionKey, Context, ContextValues};
use crate::explain::shown;
use crate::wildcard::{atoms_of, ArnGlob, Atom};

#[derive(Debug, Clone, PartialEq)]
enum Part {
    /// Policy text: `*` and `?` are wildcards where the operator takes them.
    Text(String),
    /// `${*}`, `${?}`, `${$}`: always the literal character.
    Literal(String),
    Var {
        key: ConditionKey,
        default: Option<String>,
        written: String,
    },
}

/// Policy text that may hold variables, parsed once.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    text: String,
    parts: Vec<Part>,
    has_vars: bool,
}

impl Template {
    /// With `variables` false (Version 2008-10-17), `${...}` is plain text.
    pub fn parse(text: &str, variables: bool) -> Result<Template, String> {
        if !variables || !text.contains("${") {
            return Ok(Template { text: text.to_owned(), parts: vec![Part::Text(text.to_owned())], has_vars: false });
        }
        let mut parts = Vec::new();
        let mut rest = text;
        let mut has_vars = false;
        while let Some(at) = rest.find("${") {
            if at > 0 {
                parts.push(Part::Text(rest.get(..at).unwrap_or("").to_owned()));
            }
            let after = rest.get(at + 2..).unwrap_or("");
            let Some(close) = after.find('}') else {
                return Err(format!("`{text}` has a policy variable `${{` without its closing `}}`"));
            };
            let inner = after.get(..close).unwrap_or("");
            let written = format!("${{{inner}}}");
            match inner.trim() {
                "*" | "?" | "$" => parts.push(Part::Literal(inner.trim().to_owned())),
                body => {
                    let (key, default) = match body.split_once(',') {
                        None => (body.trim(), None),
                        Some((k, d)) => {
                            let d = d.trim();
                            let quoted = d.len() >= 2 && d.starts_with('\'') && d.ends_with('\'');
                            if !quoted {
                                return Err(format!(
                                    "policy variable `{written}`: the default value must be in single quotes, e.g. `${{aws:username, 'nobody'}}`"
                                ));
                            }
                            (k.trim(), Some(d.get(1..d.len() - 1).unwrap_or("").to_owned()))
                        }
                    };
                    // A key name has no white space and no `$`, `{` or `}`: `${${aws:x}}` is a mistake, not a key.
                    let valid = key.split_once(':').is_some_and(|(svc, name)| {
                        !svc.is_empty()
                            && !name.is_empty()
                            && !key.contains(|c: char| c.is_whitespace() || matches!(c, '$' | '{' | '}'))
                    });
                    if !valid {
                        return Err(format!("`{written}` is not a policy variable: expected `${{service:key}}`"));
                    }
                    has_vars = true;
                    parts.push(Part::Var { key: ConditionKey::new(key), default, written });
                }
            }
            rest = after.get(close + 1..).unwrap_or("");
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_owned()));
        }
        Ok(Template { text: text.to_owned(), parts, has_vars })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn has_vars(&self) -> bool {
        self.has_vars
    }

    /// The keys of the variables, for warnings about unknown keys.
    pub fn variable_keys(&self) -> impl Iterator<Item = &ConditionKey> {
        self.parts.iter().filter_map(|p| if let Part::Var { key, .. } = p { Some(key) } else { None })
    }

    /// Characters of text before the first variable (to check that variables sit in an ARN's resource part).
    pub fn colons_before_first_variable(&self) -> usize {
        let mut colons = 0;
        for part in &self.parts {
            match part {
                Part::Var { .. } => return colons,
                Part::Text(t) | Part::Literal(t) => colons += t.matches(':').count(),
            }
        }
        colons
    }

    fn variable<'c, C: Context + ?Sized>(
        key: &ConditionKey,
        default: &'c Option<String>,
        ctx: &'c C,
    ) -> Option<&'c str> {
        // A variable takes a single value; a multi-valued key with several values has none to substitute.
        match as_variable(key, ctx) {
            Some(ContextValues::Single(v) | ContextValues::Address(v, _)) => Some(v),
            Some(ContextValues::Multi([one])) => Some(one.as_str()),
            // Present with a value the scenario does not know: no value, and not the default either.
            Some(ContextValues::Unknown(_)) => None,
            _ => default.as_deref(),
        }
    }

    /// The text with variables replaced by their values; `None` when a variable has no value and no default.
    pub fn resolve_string<'s, C: Context + ?Sized>(&'s self, ctx: &C) -> Option<Cow<'s, str>> {
        if !self.has_vars {
            return Some(match self.parts.as_slice() {
                [Part::Text(t)] => Cow::Borrowed(t.as_str()),
                parts => Cow::Owned(
                    parts
                        .iter()
                        .map(|p| match p {
                            Part::Text(t) | Part::Literal(t) => t.as_str(),
                            Part::Var { .. } => "",
                        })
                        .collect(),
                ),
            });
        }
        let mut out = String::with_capacity(self.text.len());
        for part in &self.parts {
            match part {
                Part::Text(t) | Part::Literal(t) => out.push_str(t),
                Part::Var { key, default, .. } => out.push_str(Self::variable(key, default, ctx)?),
            }
        }
        Some(Cow::Owned(out))
    }

    /// Wildcard atoms: `*` and `?` of the policy text are wildcards, variable values and `${*}` are literal.
    pub fn resolve_atoms<C: Context + ?Sized>(&self, ctx: &C) -> Option<Vec<Atom>> {
        let mut atoms = Vec::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => atoms.extend(atoms_of(t)),
                Part::Literal(t) => atoms.push(Atom::Literal(t.clone())),
                Part::Var { key, default, .. } => {
                    atoms.push(Atom::Literal(Self::variable(key, default, ctx)?.to_owned()))
                }
            }
        }
        Some(atoms)
    }

    /// The atoms of a template without variables.
    pub fn static_atoms(&self) -> Vec<Atom> {
        let mut atoms = Vec::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => atoms.extend(atoms_of(t)),
                Part::Literal(t) => atoms.push(Atom::Literal(t.clone())),
                Part::Var { written, .. } => atoms.push(Atom::Literal(written.clone())),
            }
        }
        atoms
    }

    /// With a variable whose key the request has but the scenario cannot know (`ContextValues::Unknown`): the
    /// atoms with that variable as `*`, what the pattern matches for some value of it. `None` when no variable is
    /// unknown, or another has no value. `wildcards`: whether the text's own `*` and `?` are wildcards (a Like or
    /// Arn pattern) or literal (an Equals value).
    pub fn atoms_for_some_value<C: Context + ?Sized>(&self, ctx: &C, wildcards: bool) -> Option<Vec<Atom>> {
        let mut unknown = false;
        let mut atoms = Vec::new();
        for part in &self.parts {
            match part {
                Part::Text(t) if wildcards => atoms.extend(atoms_of(t)),
                Part::Text(t) => atoms.push(Atom::Literal(t.clone())),
                Part::Literal(t) => atoms.push(Atom::Literal(t.clone())),
                Part::Var { key, .. } if is_unknown(key, ctx) => {
                    unknown = true;
                    atoms.push(Atom::AnyRun);
                }
                Part::Var { key, default, .. } => {
                    atoms.push(Atom::Literal(Self::variable(key, default, ctx)?.to_owned()))
                }
            }
        }
        unknown.then_some(atoms)
    }

    /// Does a variable whose key the request has but whose value the scenario cannot know sit before the fifth
    /// colon (outside an ARN's resource part)? Its value may hold colons (a role session's `aws:userid` is
    /// `AROA…:session`, an IPv6 `aws:VpcSourceIp` has several), which move the ARN's segment boundaries: no
    /// single-segment wildcard stands for every value it could take there.
    pub fn unknown_variable_before_resource<C: Context + ?Sized>(&self, ctx: &C) -> bool {
        let mut colons = 0;
        for part in &self.parts {
            match part {
                Part::Text(t) | Part::Literal(t) => colons += t.matches(':').count(),
                Part::Var { key, .. } if is_unknown(key, ctx) => return colons < 5,
                Part::Var { key, default, .. } => {
                    colons += Self::variable(key, default, ctx).map_or(0, |v| v.matches(':').count())
                }
            }
        }
        false
    }

    /// An Equals value whose one variable of unknown value (see [`Template::unknown_variables`]) appears once:
    /// that variable's key, and the text before and after it with the other variables resolved. `None` when there
    /// is no such variable, more than one occurrence, or another variable has no value.
    pub fn around_unknown<C: Context + ?Sized>(&self, ctx: &C) -> Option<(ConditionKey, String, String)> {
        let (mut before, mut after) = (String::new(), String::new());
        let mut found: Option<&ConditionKey> = None;
        for part in &self.parts {
            let text: &str = match part {
                Part::Text(t) | Part::Literal(t) => t,
                Part::Var { key, .. } if is_unknown(key, ctx) => {
                    if found.is_some() {
                        return None;
                    }
                    found = Some(key);
                    continue;
                }
                Part::Var { key, default, .. } => Self::variable(key, default, ctx)?,
            };
            if found.is_some() {
                after.push_str(text);
            } else {
                before.push_str(text);
            }
        }
        Some((found?.clone(), before, after))
    }

    /// The variables whose key the request has but whose value the scenario cannot know, as written, with why.
    pub fn unknown_variables<'s, 'c, C: Context + ?Sized>(
        &'s self,
        ctx: &'c C,
    ) -> impl Iterator<Item = (&'s str, &'static str)> + use<'s, 'c, C> {
        self.parts.iter().filter_map(move |p| match p {
            Part::Var { key, written, .. } => match as_variable(key, ctx) {
                Some(ContextValues::Unknown(why)) => Some((written.as_str(), why)),
                _ => None,
            },
            _ => None,
        })
    }

    /// The variables without a value in this context, as written (for explanations).
    pub fn missing_variables<C: Context + ?Sized>(&self, ctx: &C) -> Vec<&str> {
        self.parts
            .iter()
            .filter_map(|p| match p {
                Part::Var { key, default, written } if Self::variable(key, default, ctx).is_none() => {
                    Some(written.as_str())
                }
                _ => None,
            })
            .collect()
    }
}

/// A compiled Resource / NotResource pattern: `*` or an ARN pattern, matched part by part (a `*` that ends a part
/// may take colons too: [`ArnGlob::for_resource`]), possibly with policy variables in its resource part.
#[derive(Debug, Clone, PartialEq)]
pub enum VarPattern {
    /// No variable (the common case): compiled once, no work per request but the match, and no template kept
    /// (its text is the glob's).
    Fixed(ArnGlob),
    /// With variables: compiled for each request from the values the variables take.
    Variable(Template),
}

/// Why a pattern did or did not match, for the explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternTrace {
    pub matched: bool,
    pub detail: String,
}

impl VarPattern {
    pub fn compile(text: &str, variables: bool) -> Result<VarPattern, String> {
        VarPattern::from_text(text.to_owned(), variables)
    }

    /// [`VarPattern::compile`] of text the caller already owns (an expanded `execute-api:/` shorthand).
    pub fn from_text(text: String, variables: bool) -> Result<VarPattern, String> {
        if !variables || !text.contains("${") {
            return Ok(VarPattern::Fixed(ArnGlob::from_text(text).for_resource()));
        }
        let template = Template::parse(&text, variables)?;
        if template.has_vars() && template.colons_before_first_variable() < 5 {
            return Err(format!(
                "resource `{text}` has a policy variable outside the resource part of the ARN; variables are allowed only after the fifth colon"
            ));
        }
        Ok(if template.has_vars() {
            VarPattern::Variable(template)
        } else {
            // Only `${*}`-style literals: fixed, with those characters literal.
            VarPattern::Fixed(ArnGlob::from_atoms(text, &template.static_atoms()).for_resource())
        })
    }

    pub fn as_str(&self) -> &str {
        match self {
            VarPattern::Fixed(glob) => glob.as_str(),
            VarPattern::Variable(template) => template.as_str(),
        }
    }

    /// Could the pattern match `resource` for some value of a variable whose key the request has but the scenario
    /// cannot know? (False when no variable is unknown.)
    pub fn could_match_unknown<C: Context + ?Sized>(&self, resource: &str, ctx: &C) -> bool {
        match self {
            VarPattern::Fixed(_) => false,
            VarPattern::Variable(template) => template
                .atoms_for_some_value(ctx, true)
                .is_some_and(|atoms| ArnGlob::from_atoms(String::new(), &atoms).for_resource().matches_wide(resource)),
        }
    }

    /// The variables without a value in this context, as written (none for a pattern without variables).
    pub fn missing_variables<C: Context + ?Sized>(&self, ctx: &C) -> Vec<&str> {
        match self {
            VarPattern::Fixed(_) => Vec::new(),
            VarPattern::Variable(template) => template.missing_variables(ctx),
        }
    }

    /// Does the pattern match `resource`? `wide`: in the reading that matches more (see
    /// [`ArnGlob::matches_wide`]), for the denying direction.
    pub fn matches<C: Context + ?Sized>(&self, resource: &str, ctx: &C, wide: bool) -> bool {
        let read = |glob: &ArnGlob| if wide { glob.matches_wide(resource) } else { glob.matches(resource) };
        match self {
            VarPattern::Fixed(glob) => read(glob),
            VarPattern::Variable(template) => match template.resolve_atoms(ctx) {
                Some(atoms) => read(&ArnGlob::from_atoms(String::new(), &atoms).for_resource()),
                // A Resource holding a variable without a value matches nothing.
                None => false,
            },
        }
    }

    pub fn trace<C: Context + ?Sized>(&self, resource: &str, ctx: &C, wide: bool) -> PatternTrace {
        let matched = self.matches(resource, ctx, wide);
        let only_wide = matched && wide && !self.matches(resource, ctx, false);
        let pattern = self.as_str();
        let detail = if let VarPattern::Variable(template) = self {
            match template.resolve_string(ctx) {
                None => format!(
                    "`{pattern}` matches nothing: policy variable {} has no value in this request",
                    template.missing_variables(ctx).iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
                ),
                Some(resolved) if matched => {
                    format!("`{}` matches `{pattern}` (as `{}`)", shown(resource), shown(&resolved))
                }
                Some(resolved) => {
                    format!("`{}` does not match `{pattern}` (as `{}`)", shown(resource), shown(&resolved))
                }
            }
        } else if matched {
            format!("`{}` matches `{pattern}`", shown(resource))
        } else {
            format!("`{}` does not match `{pattern}`", shown(resource))
        };
        let detail = if only_wide {
            format!("{detail}, a `*` that ends an ARN part taking colons (AWS documents that it may, not how far; read so where it denies)")
        } else {
            detail
        };
        PatternTrace { matched, detail }
    }
}

/// Does the request carry `key` with a value the scenario cannot know (`ContextValues::Unknown`)?
fn is_unknown<C: Context + ?Sized>(key: &ConditionKey, ctx: &C) -> bool {
    matches!(as_variable(key, ctx), Some(ContextValues::Unknown(_)))
}

/// The warning for a variable of a multi-valued key (see [`as_variable`]), or `None` for any other key.
pub fn multi_valued_variable_warning(key: &ConditionKey) -> Option<String> {
    key.is_multi_valued().then(|| {
        format!(
            "`{}` is a multi-valued key, and IAM substitutes only single-valued keys as policy variables: this variable never takes its values (when the request carries the key, what depends on the variable counts in the denying direction; when it does not, the default applies)",
            key.name()
        )
    })
}

/// What a variable of `key` sees in the request. IAM substitutes only single-valued keys ("you can't use a
/// multivalued context key as a policy variable") and does not say what it does with a documented multi-valued
/// one (`aws:PrincipalOrgPaths`, `aws:TagKeys`, ...): when the request carries such a key, the variable's value is
/// unknown (not the key's values, not the default), so what depends on it counts in the denying direction; when
/// the request does not, it is absent as any variable is.
fn as_variable<'c, C: Context + ?Sized>(key: &ConditionKey, ctx: &'c C) -> Option<ContextValues<'c>> {
    let values = ctx.get(key)?;
    if key.is_multi_valued() {
        return Some(ContextValues::Unknown(
            "it names a multi-valued key, which IAM does not substitute as a policy variable (what it does with one is not documented)",
        ));
    }
    if matches!(values, ContextValues::Multi(several) if several.len() > 1) {
        // Any other key the request gives several values is multi-valued in this request (IAM counts the values
        // in the request context): the same unknown.
        return Some(ContextValues::Unknown(
            "the request gives the key several values, and a policy variable takes a single-valued key (what IAM does with one is not documented)",
        ));
    }
    Some(values)
}

#[cfg(test)]
mod tests {
    use super::Template;

    #[test]
    fn malformed_variables_are_refused_and_well_formed_ones_read() {
        for text in [
            "${}",
            "${aws}",
            "${aws:}",
            "${:x}",
            "${aws:user name}",
            "${${aws:SourceIp}}",
            "a${aws:x",
            "${aws:x, nobody}",
        ] {
            assert!(Template::parse(text, true).is_err(), "{text}");
        }
        for text in ["${aws:username}", "a/${aws:PrincipalTag/team}/b", "${*}${?}${$}", "${aws:x, 'no body'}"] {
            assert!(Template::parse(text, true).is_ok_and(|t| t.has_vars || text.starts_with("${*}")), "{text}");
        }
        // Under Version 2008-10-17 the same text is literal.
        assert!(Template::parse("${${aws:SourceIp}}", false).is_ok_and(|t| !t.has_vars));
    }
}

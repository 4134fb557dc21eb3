//! IAM policy documents: reading them (with the path and position of every mistake) into a compiled form that
//! the evaluator uses without re-parsing: lower-cased action globs, classified principals, resource patterns
//! with their policy variables, pre-parsed condition values.

use crate::condition::{self, multi_valued_variable_warning, Condition, VarPattern};
use crate::decode::{expect_str, string_or_list, Fields, Ptr};
use crate::error::{Error, ErrorCode, Warning};
use crate::json::{self, Json, JsonValue, Limits, LineIndex, Span};
use crate::principal::{PrincipalEntry, PrincipalSpec};
use crate::wildcard::Glob;
use crate::{Input, PolicyKind};

/// API Gateway's limit on a resource policy, in characters.
pub const RESOURCE_POLICY_MAX_CHARS: usize = 8192;
/// IAM's limit on a managed policy, in characters without white space.
pub const MANAGED_POLICY_MAX_CHARS: usize = 6144;
/// IAM's limits on inline policies, in characters without white space: a user's, a role's.
pub const INLINE_USER_POLICY_MAX_CHARS: usize = 2048;
pub const INLINE_ROLE_POLICY_MAX_CHARS: usize = 10240;
/// The actions of the execute-api service, lower-cased.
const EXECUTE_API_ACTIONS: &[&str] =
    &["execute-api:invoke", "execute-api:invalidatecache", "execute-api:manageconnections"];
/// The most statements one document may hold (a guard against hostile input; AWS's size limits stop far earlier).
pub const MAX_STATEMENTS: usize = 2048;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// `2012-10-17`: policy variables are expanded.
    V2012,
    /// `2008-10-17`, also the default when `Version` is absent: `${...}` is literal text.
    V2008,
}

/// The API a resource policy belongs to, so that `execute-api:/stage/VERB/path` can be expanded.
#[derive(Debug, Clone, Copy)]
pub struct ApiScope<'a> {
    pub partition: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub api_id: &'a str,
}

#[derive(Debug, Clone)]
pub struct ActionSpec {
    pub negated: bool,
    /// Lower-cased: actions compare case-insensitively.
    pub patterns: Vec<Glob>,
}

#[derive(Debug, Clone)]
pub struct ResourceSpec {
    pub negated: bool,
    pub patterns: Vec<VarPattern>,
}

#[derive(Debug, Clone)]
pub struct Statement {
    pub sid: Option<String>,
    pub effect: Effect,
    pub principal: Option<PrincipalSpec>,
    pub action: ActionSpec,
    pub resource: ResourceSpec,
    pub conditions: Vec<Condition>,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

/// A compiled policy document.
#[derive(Debug, Clone)]
pub struct Policy {
    pub version: Version,
    pub id: Option<String>,
    pub statements: Vec<Statement>,
    pub warnings: Vec<Warning>,
}

impl Policy {
    /// Add the policy's warnings to a decision's, each named as `whose: warning`, once each (two statements with
    /// the same unknown key give the same line).
    pub fn warn_into(&self, whose: std::fmt::Arguments<'_>, warnings: &mut Vec<String>) {
        // Lines of different policies differ by their names, so repeats can only come from this one.
        let mut seen = std::collections::HashSet::with_capacity(self.warnings.len());
        for w in &self.warnings {
            if seen.insert(w.message.as_str()) {
                warnings.push(format!("{whose}: {}", w.message));
            }
        }
    }

    /// Read a policy from text or a parsed value. Positions in errors and statements refer to that text.
    pub fn compile<'a>(
        input: impl Into<Input<'a>>,
        kind: PolicyKind,
        scope: Option<ApiScope<'_>>,
    ) -> Result<Policy, Error> {
        crate::with_input(input.into(), |json, index| compile_json(json, &Ptr::ROOT, kind, scope, index))
    }
}

/// Compile a policy found inside a larger document. `index` turns spans into statement positions; errors keep
/// their spans so the caller can locate them against the same text.
///
/// A policy given as a JSON string (the escaped form `get-rest-api` returns) is parsed here; positions then
/// refer to that string's content.
pub fn compile_json(
    json: &Json,
    ptr: &Ptr<'_>,
    kind: PolicyKind,
    scope: Option<ApiScope<'_>>,
    index: Option<&LineIndex>,
) -> Result<Policy, Error> {
    if let JsonValue::String(text) = &json.value {
        let escaped_twice = unescape_once_more(text);
        let (text, help) = match &escaped_twice {
            Some(inner) => (
                inner.as_str(),
                "line and column are counted inside the policy string, once its second level of escaping is read",
            ),
            None => (text.as_ref(), "line and column are counted inside the policy string"),
        };
        let inner_index = LineIndex::new(text);
        let inner = json::parse(text, &Limits::default()).map_err(|e| e.under(&ptr.render()).with_help(help))?;
        return compile_document(&inner, &Ptr::ROOT, kind, scope, Some(&inner_index))
            .map_err(|e| e.locate(&inner_index).under(&ptr.render()).with_help(help));
    }
    compile_document(json, ptr, kind, scope, index)
}

/// `aws apigateway get-rest-api` prints `policy` escaped once more than JSON needs: the string holds
/// `{\"Version\":\"2012-10-17\",...\/*...}`, the text of a JSON string rather than a document. No policy document
/// starts with `{\`, so such a string is read as a string literal first, and its value is the document.
fn unescape_once_more(text: &str) -> Option<String> {
    if !text.trim_start().starts_with("{\\\"") {
        return None;
    }
    let quoted = format!("\"{text}\"");
    let literal = json::parse(&quoted, &Limits::default()).ok()?;
    match literal.value {
        JsonValue::String(inner) => Some(inner.into_owned()),
        _ => None,
    }
}

fn compile_document(
    json: &Json,
    ptr: &Ptr<'_>,
    kind: PolicyKind,
    scope: Option<ApiScope<'_>>,
    index: Option<&LineIndex>,
) -> Result<Policy, Error> {
    const CODE: ErrorCode = ErrorCode::InvalidPolicy;
    let mut fields = Fields::new(json, ptr, CODE, "a policy document")?.only(ptr, &["Version", "Id", "Statement"])?;
    let version = match fields.take("Version") {
        None => Version::V2008,
        Some(v) => match v.as_str() {
            Some("2012-10-17") => Version::V2012,
            Some("2008-10-17") => Version::V2008,
            _ => {
                return Err(ptr.key("Version").error(
                    CODE,
                    format!("unknown policy version {}, expected `2012-10-17` or `2008-10-17`", show(v)),
                    v.span,
                ))
            }
        },
    };
    let id = match fields.take("Id") {
        None => None,
        Some(v) => Some(expect_str(v, &ptr.key("Id"), CODE)?.to_owned()),
    };
    let statement_ptr = ptr.key("Statement");
    let statement_json = fields
        .take("Statement")
        .ok_or_else(|| ptr.key("Statement").error(CODE, "missing required field `Statement`", json.span))?;
    fields.finish(ptr, &["Version", "Id", "Statement"])?;

    let mut warnings = Vec::new();
    let variables = version == Version::V2012;
    let statements = match &statement_json.value {
        JsonValue::Array(items) => {
            if items.len() > MAX_STATEMENTS {
                return Err(statement_ptr.error(
                    CODE,
                    format!("{} statements, more than the limit of {MAX_STATEMENTS}", items.len()),
                    statement_json.span,
                ));
            }
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let p = statement_ptr.index(i);
                out.push(compile_statement(item, &p, kind, scope, variables, index, &mut warnings)?);
            }
            out
        }
        JsonValue::Object(_) => {
            vec![compile_statement(statement_json, &statement_ptr, kind, scope, variables, index, &mut warnings)?]
        }
        _ => {
            return Err(statement_ptr.error(
                CODE,
                format!("`Statement` must be an object or an array of objects, found {}", statement_json.kind()),
                statement_json.span,
            ))
        }
    };
    if version == Version::V2008 && statements.iter().any(has_variable_text) {
        warnings.push(Warning::at(
            "this policy has `${...}` text but no `Version: 2012-10-17`, so policy variables are literal text",
            ptr,
            json.span,
        ));
    }
    // Sizes are counted (in characters without white space, as AWS counts them) only for the kinds whose size is
    // checked, and only when the document could be over the limit.
    let over = |checked: PolicyKind, limit| if kind == checked { compact_size_over(json, limit) } else { None };
    if let Some(size) = over(PolicyKind::Resource, RESOURCE_POLICY_MAX_CHARS) {
        return Err(ptr.error(
            CODE,
            format!("the resource policy is {size} characters, more than API Gateway's limit of {RESOURCE_POLICY_MAX_CHARS}"),
            json.span,
        ));
    }
    // An identity policy may be managed or inline, which the document does not say: a size over a limit is a
    // warning naming the limits, since AWS would refuse to store it where it does not fit.
    if let Some(size) = over(PolicyKind::Identity, INLINE_USER_POLICY_MAX_CHARS) {
        let message = if size > INLINE_ROLE_POLICY_MAX_CHARS {
            format!("the policy is {size} characters without white space: more than IAM accepts for any identity policy (managed {MANAGED_POLICY_MAX_CHARS}, inline {INLINE_USER_POLICY_MAX_CHARS} for a user and {INLINE_ROLE_POLICY_MAX_CHARS} for a role)")
        } else if size > MANAGED_POLICY_MAX_CHARS {
            format!("the policy is {size} characters without white space: more than IAM accepts for a managed policy ({MANAGED_POLICY_MAX_CHARS}) or a user's inline policy ({INLINE_USER_POLICY_MAX_CHARS}); only a role's inline policy ({INLINE_ROLE_POLICY_MAX_CHARS}) can hold it")
        } else {
            format!("the policy is {size} characters without white space: more than IAM accepts for a user's inline policy ({INLINE_USER_POLICY_MAX_CHARS}); a managed policy ({MANAGED_POLICY_MAX_CHARS}) or a role's inline policy can hold it")
        };
        warnings.push(Warning::at(message, ptr, json.span));
    }
    let ids: std::collections::HashSet<&str> = statements.iter().filter_map(|s| s.sid.as_deref()).collect();
    if ids.len() < statements.iter().filter(|s| s.sid.is_some()).count() {
        warnings.push(Warning::at(
            "two statements have the same `Sid`; IAM requires Sids to be unique in a policy",
            &statement_ptr,
            statement_json.span,
        ));
    }
    Ok(Policy { version, id, statements, warnings })
}

fn has_variable_text(statement: &Statement) -> bool {
    statement.resource.patterns.iter().any(|p| p.as_str().contains("${"))
}

/// Characters without white space outside strings (the size AWS counts), when they are over `limit`.
fn compact_size_over(json: &Json, limit: usize) -> Option<usize> {
    json.compact_len_over(limit, json::LengthUnit::Chars)
}

fn show(json: &Json) -> String {
    match json.as_str() {
        Some(s) => format!("`{s}`"),
        None => json.kind().to_owned(),
    }
}

fn compile_statement(
    json: &Json,
    ptr: &Ptr<'_>,
    kind: PolicyKind,
    scope: Option<ApiScope<'_>>,
    variables: bool,
    index: Option<&LineIndex>,
    warnings: &mut Vec<Warning>,
) -> Result<Statement, Error> {
    const CODE: ErrorCode = ErrorCode::InvalidPolicy;
    const KEYS: &[&str] =
        &["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];
    let mut fields = Fields::new(json, ptr, CODE, "a statement")?.only(ptr, KEYS)?;
    let sid = match fields.take("Sid") {
        None => None,
        Some(v) => Some(expect_str(v, &ptr.key("Sid"), CODE)?.to_owned()),
    };
    let effect_json = fields.take("Effect").ok_or_else(|| {
        ptr.key("Effect")
            .error(CODE, "missing required field `Effect`", json.span)
            .with_help("every statement needs `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`")
    })?;
    let effect = match effect_json.as_str() {
        Some("Allow") => Effect::Allow,
        Some("Deny") => Effect::Deny,
        _ => {
            return Err(ptr.key("Effect").error(
                CODE,
                format!("`Effect` must be `Allow` or `Deny`, found {}", show(effect_json)),
                effect_json.span,
            ))
        }
    };

    let principal = one_of(&mut fields, ptr, json.span, "Principal", "NotPrincipal")?;
    let principal = match (kind, principal) {
        (PolicyKind::Identity | PolicyKind::Authorizer, Some((name, v, _))) => {
            let what = if kind == PolicyKind::Identity { "an identity-based policy" } else { "a Lambda authorizer policy" };
            return Err(ptr.key(name).error(CODE, format!("`{name}` is not allowed in {what}"), v.span).with_help(
                "the principal of an identity-based policy is the identity it is attached to; remove the element",
            ));
        }
        (PolicyKind::Identity | PolicyKind::Authorizer, None) => None,
        (_, None) => {
            return Err(ptr
                .error(CODE, "missing `Principal` or `NotPrincipal`: a resource-based policy must say whom it applies to", json.span)
                .with_help("use `\"Principal\": \"*\"` for everyone, or `{\"AWS\": \"arn:aws:iam::111122223333:root\"}` for one account"))
        }
        (_, Some((name, v, negated))) => Some(compile_principal(v, &ptr.key(name), negated, warnings)?),
    };

    let (action_name, action_json, action_negated) = one_of(&mut fields, ptr, json.span, "Action", "NotAction")?
        .ok_or_else(|| ptr.error(CODE, "missing `Action` or `NotAction`", json.span))?;
    let action_ptr = ptr.key(action_name);
    let mut action_patterns = Vec::new();
    for (i, (text, span)) in string_or_list(action_json, &action_ptr, CODE)?.into_iter().enumerate() {
        let p = if action_json.as_array().is_some() { action_ptr.index(i) } else { action_ptr };
        check_action(text).map_err(|m| p.error(CODE, m, span))?;
        // Matched lower-cased (actions are case-insensitive), shown as written.
        let glob = Glob::case_folded(text);
        // AWS accepts an execute-api action that does not exist; it matches no request, so a Deny that misspells
        // `Invoke` protects nothing. Say so.
        let execute_api = text.get(..12).is_some_and(|s| s.eq_ignore_ascii_case("execute-api:"));
        if execute_api && !EXECUTE_API_ACTIONS.iter().any(|a| glob.matches(a)) {
            warnings.push(Warning::at(format!(
                    "action `{text}` names no execute-api action (`Invoke`, `InvalidateCache`, `ManageConnections`), so it matches no request"
                ), &p, span));
        }
        action_patterns.push(glob);
    }
    if action_patterns.is_empty() {
        return Err(action_ptr.error(CODE, format!("`{action_name}` must not be empty"), action_json.span));
    }

    let resource = match one_of(&mut fields, ptr, json.span, "Resource", "NotResource")? {
        Some((resource_name, resource_json, resource_negated)) => {
            compile_resources(resource_name, resource_json, resource_negated, ptr, kind, scope, variables, warnings)?
        }
        // A role trust policy names no resource: IAM rejects `Resource` there, and the statement is about the
        // role it is attached to.
        None if kind == PolicyKind::ResourceBased => ResourceSpec {
            negated: false,
            patterns: vec![VarPattern::compile("*", false).map_err(|m| ptr.error(CODE, m, json.span))?],
        },
        None => return Err(ptr.error(CODE, "missing `Resource` or `NotResource`", json.span)),
    };

    let conditions = match fields.take("Condition") {
        None => Vec::new(),
        Some(c) => condition::compile_block(c, &ptr.key("Condition"), variables, warnings)?,
    };
    fields.finish(ptr, KEYS)?;

    let (line, column) = match index {
        Some(index) if !json.span.is_none() => {
            let (l, c) = index.line_col(json.span.start);
            (Some(l), Some(c))
        }
        _ => (None, None),
    };
    Ok(Statement {
        sid,
        effect,
        principal,
        action: ActionSpec { negated: action_negated, patterns: action_patterns },
        resource,
        conditions,
        line,
        column,
    })
}

/// The patterns of a `Resource` or `NotResource` element.
#[allow(clippy::too_many_arguments)]
fn compile_resources(
    resource_name: &'static str,
    resource_json: &Json,
    resource_negated: bool,
    ptr: &Ptr<'_>,
    kind: PolicyKind,
    scope: Option<ApiScope<'_>>,
    variables: bool,
    warnings: &mut Vec<Warning>,
) -> Result<ResourceSpec, Error> {
    const CODE: ErrorCode = ErrorCode::InvalidPolicy;
    let resource_ptr = ptr.key(resource_name);
    let mut resource_patterns = Vec::new();
    for (i, (text, span)) in string_or_list(resource_json, &resource_ptr, CODE)?.into_iter().enumerate() {
        let p = if resource_json.as_array().is_some() { resource_ptr.index(i) } else { resource_ptr };
        let expanded = expand_resource(text, kind, scope).map_err(|m| p.error(CODE, m, span))?;
        let pattern = VarPattern::from_text(expanded, variables).map_err(|m| p.error(CODE, m, span))?;
        if let VarPattern::Variable(template) = &pattern {
            for message in template.variable_keys().filter_map(multi_valued_variable_warning) {
                warnings.push(Warning::at(message, &p, span));
            }
        }
        if let VarPattern::Fixed(glob) = &pattern {
            if let Some(last) = glob.short_resource_last_part() {
                warnings.push(Warning::at(format!(
                    "resource `{text}` has fewer than the six colon-separated parts of an ARN and its last part does not end in `*`, so as an Allow it matches nothing, and as a Deny only an ARN ending in `:{last}` (a path holding a colon); only a final `*` stands for the rest of the ARN"
                ), &p, span));
            }
        }
        resource_patterns.push(pattern);
    }
    if resource_patterns.is_empty() {
        return Err(resource_ptr.error(CODE, format!("`{resource_name}` must not be empty"), resource_json.span));
    }
    Ok(ResourceSpec { negated: resource_negated, patterns: resource_patterns })
}

/// Exactly one of an element and its `Not` form (both present is an error; neither is `None`).
fn one_of<'j>(
    fields: &mut Fields<'j>,
    ptr: &Ptr<'_>,
    span: Span,
    positive: &'static str,
    negative: &'static str,
) -> Result<Option<(&'static str, &'j Json<'j>, bool)>, Error> {
    match (fields.take(positive), fields.take(negative)) {
        (Some(_), Some(n)) => Err(ptr.key(negative).error(
            ErrorCode::InvalidPolicy,
            format!("a statement has either `{positive}` or `{negative}`, not both"),
            if n.span.is_none() { span } else { n.span },
        )),
        (Some(p), None) => Ok(Some((positive, p, false))),
        (None, Some(n)) => Ok(Some((negative, n, true))),
        (None, None) => Ok(None),
    }
}

/// `service:Name` with `*` and `?` anywhere in the name, or `*` alone.
fn check_action(text: &str) -> Result<(), String> {
    if text == "*" {
        return Ok(());
    }
    if text.contains("${") {
        return Err(format!(
            "action `{text}` holds a policy variable: variables are allowed only in `Resource` and in condition values"
        ));
    }
    let Some((service, name)) = text.split_once(':') else {
        return Err(format!("action `{text}` must be `service:Action` (e.g. `execute-api:Invoke`) or `*`"));
    };
    let service_ok = !service.is_empty()
        && service.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'*' || b == b'?');
    if !service_ok {
        return Err(format!("action `{text}` has an invalid service prefix `{service}`"));
    }
    if name.is_empty() || name.contains(':') {
        return Err(format!("action `{text}` must be `service:Action` with one colon"));
    }
    Ok(())
}

/// `*`, an ARN pattern, or (in an API's resource policy) `execute-api:/stage/VERB/path`, the shorthand for this
/// API's ARN.
fn expand_resource(text: &str, kind: PolicyKind, scope: Option<ApiScope<'_>>) -> Result<String, String> {
    if text == "*" || text.starts_with("arn:") {
        return Ok(text.to_owned());
    }
    if let Some(rest) = text.strip_prefix("execute-api:/") {
        return match (kind, scope) {
            (PolicyKind::Resource, Some(s)) => {
                Ok(format!("arn:{}:execute-api:{}:{}:{}/{rest}", s.partition, s.region, s.account, s.api_id))
            }
            // Validating a resource policy on its own: the API is not known, any API's ARN will do.
            (PolicyKind::Resource, None) => Ok(format!("arn:*:execute-api:*:*:*/{rest}")),
            _ => Err(format!(
                "resource `{text}` uses the `execute-api:/` shorthand, which only an API's resource policy understands"
            )),
        };
    }
    Err(format!("resource `{text}` must be `*` or an ARN (`arn:partition:service:region:account:resource`)"))
}

fn compile_principal(
    json: &Json,
    ptr: &Ptr<'_>,
    negated: bool,
    warnings: &mut Vec<Warning>,
) -> Result<PrincipalSpec, Error> {
    const CODE: ErrorCode = ErrorCode::InvalidPolicy;
    if let Some(text) = json.as_str() {
        if text == "*" {
            return Ok(PrincipalSpec { negated, entries: vec![PrincipalEntry::Everyone] });
        }
        return Err(ptr
            .error(CODE, format!("principal `{text}` must be `*` or an object such as `{{\"AWS\": ...}}`"), json.span)
            .with_help("write `{\"AWS\": \"arn:aws:iam::111122223333:root\"}` to name an account"));
    }
    let members = json.as_object().ok_or_else(|| {
        ptr.error(CODE, format!("a principal must be `*` or an object, found {}", json.kind()), json.span)
    })?;
    if members.is_empty() {
        return Err(ptr.error(CODE, "a principal object must name at least one principal", json.span));
    }
    let mut entries = Vec::new();
    for (key, value) in members {
        let p = ptr.key(&key.name);
        let values = string_or_list(value, &p, CODE)?;
        if values.is_empty() {
            return Err(p.error(CODE, format!("`{}` must name at least one principal", key.name), value.span));
        }
        for (i, (text, span)) in values.into_iter().enumerate() {
            let vp = if value.as_array().is_some() { p.index(i) } else { p };
            let entry = match key.name.as_ref() {
                // A unique id where an ARN was: what AWS shows in a stored policy once the user or role it named is
                // deleted. Valid, so that such an export reads; it names no caller, even a new one of that name.
                "AWS" if crate::principal::is_unique_id(text) => {
                    warnings.push(Warning::at(
                        format!("principal `{text}` is a unique id, which AWS shows in place of an ARN when the user or role it named was deleted: it names no caller"),
                        &vp,
                        span,
                    ));
                    PrincipalEntry::Other(text.to_owned())
                }
                "AWS" => PrincipalEntry::parse_aws(text).map_err(|m| vp.error(CODE, m, span))?,
                "Service" => {
                    if text.contains('*') {
                        return Err(vp.error(CODE, format!("service principal `{text}` must not contain a wildcard"), span));
                    }
                    PrincipalEntry::Service(text.to_owned())
                }
                "Federated" | "CanonicalUser" => PrincipalEntry::Other(text.to_owned()),
                other => {
                    return Err(p.error(
                        CODE,
                        format!("unknown principal type `{other}`, expected one of `AWS`, `Service`, `Federated`, `CanonicalUser`"),
                        key.span,
                    ))
                }
            };
            entries.push(entry);
        }
    }
    Ok(PrincipalSpec { negated, entries })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_execute_api_action_is_a_warning() {
        let text = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Resource": "*",
                       "Action": ["execute-api:Invok", "EXECUTE-API:inv*", "execute-api:*", "s3:GetObject"]}}"#;
        let policy = Policy::compile(text, PolicyKind::Identity, None).unwrap();
        let warnings: Vec<(&str, &str)> =
            policy.warnings.iter().map(|w| (w.path.as_str(), w.message.as_str())).collect();
        assert_eq!(
            warnings,
            [(
                "/Statement/Action/0",
                "action `execute-api:Invok` names no execute-api action (`Invoke`, `InvalidateCache`, `ManageConnections`), so it matches no request"
            )]
        );
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;

    fn identity_policy(statements: usize) -> String {
        let one = r#"{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/prod/GET/pets"}"#;
        format!(r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#, vec![one; statements].join(", "))
    }

    fn size_warnings(text: &str) -> Vec<String> {
        let policy = Policy::compile(text, PolicyKind::Identity, None).map(|p| p.warnings).unwrap_or_default();
        policy.into_iter().map(|w| w.message).filter(|m| m.contains("characters without white space")).collect()
    }

    #[test]
    fn identity_policy_sizes_are_checked_against_every_iam_limit() {
        assert!(size_warnings(&identity_policy(10)).is_empty());
        let user = size_warnings(&identity_policy(20));
        assert!(user.len() == 1 && user.iter().all(|m| m.contains("a user's inline policy (2048)")), "{user:?}");
        let managed = size_warnings(&identity_policy(60));
        assert!(managed.iter().all(|m| m.contains("only a role's inline policy (10240)")), "{managed:?}");
        let none = size_warnings(&identity_policy(100));
        assert!(none.iter().all(|m| m.contains("more than IAM accepts for any identity policy")), "{none:?}");
        assert_eq!(none.len(), 1);
    }
}

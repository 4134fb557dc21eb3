//! General IAM evaluation: any action on any ARN for any caller, with identity-based policies, permissions
//! boundary, SCPs, session policy and a resource-based policy (policy-language.md, "Evaluation").
//!
//! API Gateway is one client of this layer (`gateway`), backend permission checks (`lambda:InvokeFunction`,
//! `sts:AssumeRole` trust policies) another (`iam::scenario`).

pub mod scenario;

use std::borrow::Cow;

use crate::condition::Context;
use crate::explain::{shown, shown_list, Check, StatementTrace, Step};
use crate::policy::{Effect, Policy, Statement};
use crate::principal::{Caller, PrincipalEntry};
use crate::response::StatementRef;

/// What one policy (or one group of policies) says about a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyResult {
    Allow,
    Deny,
    Neither,
}

impl PolicyResult {
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyResult::Allow => "Allow",
            PolicyResult::Deny => "Deny",
            PolicyResult::Neither => "Neither",
        }
    }
}

/// Which policy a statement belongs to, as named in `decisive` and the explanation: `resource`, `authorizer`,
/// `vpcEndpoint`, `identity:{n}`, `boundary`, `scp:{n}`, `session`. Kept as a value so the fast path formats
/// nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyName {
    Resource,
    Authorizer,
    VpcEndpoint,
    Identity(usize),
    Boundary,
    Scp(usize),
    Session,
}

impl PolicyName {
    /// The name as `decisive` and the decision JSON give it (its `Display`), borrowed for every name but an
    /// `identity:{n}` or `scp:{n}` past the eighth: every allowed request names its deciding statements, and
    /// allocating each name was a third of the allocations of deciding one.
    pub fn label(self) -> Cow<'static, str> {
        match self {
            PolicyName::Resource => Cow::Borrowed("resource"),
            PolicyName::Authorizer => Cow::Borrowed("authorizer"),
            PolicyName::VpcEndpoint => Cow::Borrowed("vpcEndpoint"),
            PolicyName::Boundary => Cow::Borrowed("boundary"),
            PolicyName::Session => Cow::Borrowed("session"),
            // A caller has a few identity policies and SCPs: their usual names are written once, here.
            PolicyName::Identity(n) if n < NUMBERED => Cow::Borrowed(IDENTITY_NAMES.get(n).copied().unwrap_or("")),
            PolicyName::Scp(n) if n < NUMBERED => Cow::Borrowed(SCP_NAMES.get(n).copied().unwrap_or("")),
            other => Cow::Owned(other.to_string()),
        }
    }
}

/// How many `identity:{n}` and `scp:{n}` names [`PolicyName::label`] has ready.
const NUMBERED: usize = 8;
const IDENTITY_NAMES: [&str; NUMBERED] =
    ["identity:0", "identity:1", "identity:2", "identity:3", "identity:4", "identity:5", "identity:6", "identity:7"];
const SCP_NAMES: [&str; NUMBERED] = ["scp:0", "scp:1", "scp:2", "scp:3", "scp:4", "scp:5", "scp:6", "scp:7"];

impl std::fmt::Display for PolicyName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PolicyName::Resource => f.write_str("resource"),
            PolicyName::Authorizer => f.write_str("authorizer"),
            PolicyName::VpcEndpoint => f.write_str("vpcEndpoint"),
            PolicyName::Identity(n) => write!(f, "identity:{n}"),
            PolicyName::Boundary => f.write_str("boundary"),
            PolicyName::Scp(n) => write!(f, "scp:{n}"),
            PolicyName::Session => f.write_str("session"),
        }
    }
}

/// The request as the policy evaluator sees it.
pub struct EvalRequest<'a, C: Context + ?Sized> {
    pub caller: &'a Caller,
    /// Lower-cased, e.g. `execute-api:invoke`: actions compare case-insensitively.
    pub action: &'a str,
    pub resource: &'a str,
    pub context: &'a C,
    /// The caller has a permissions boundary: a Deny with NotPrincipal then applies to it whatever the list
    /// (IAM's NotPrincipal reference). Set by [`evaluate`] from the caller's side.
    pub caller_has_boundary: bool,
}

impl<'a, C: Context + ?Sized> EvalRequest<'a, C> {
    /// A request; whether the caller has a permissions boundary is set by [`evaluate`] from its side.
    pub fn new(caller: &'a Caller, action: &'a str, resource: &'a str, context: &'a C) -> Self {
        EvalRequest { caller, action, resource, context, caller_has_boundary: false }
    }
}

/// The result of evaluating one policy: its verdict and the statements that applied.
#[derive(Debug, Clone, Default)]
pub struct PolicyEval {
    pub allows: Vec<usize>,
    pub denies: Vec<usize>,
    /// Whether an applying Allow named the caller "directly" (user or session ARN): such same-account grants are
    /// not limited by a permissions boundary or session policy.
    pub direct_allow: bool,
    /// Whether an applying Allow named the caller other than through its account (`*`, its ARN, its role, a
    /// NotPrincipal): an Allow that names only the account delegates to it (see [`evaluate`]).
    pub beyond_account_allow: bool,
}

impl PolicyEval {
    pub fn result(&self) -> PolicyResult {
        if !self.denies.is_empty() {
            PolicyResult::Deny
        } else if !self.allows.is_empty() {
            PolicyResult::Allow
        } else {
            PolicyResult::Neither
        }
    }
}

/// Evaluate every statement of `policy`. With `only_deny`, Allow statements are skipped (the explicit-deny
/// pre-check API Gateway runs before a Lambda authorizer). With `traces`, every statement considered is
/// recorded with the reason it applied or not.
pub fn evaluate_policy<C: Context + ?Sized>(
    policy: &Policy,
    name: PolicyName,
    request: &EvalRequest<'_, C>,
    only_deny: bool,
    mut traces: Option<&mut Vec<StatementTrace>>,
) -> PolicyEval {
    let mut eval = PolicyEval::default();
    for (index, statement) in policy.statements.iter().enumerate() {
        if only_deny && statement.effect == Effect::Allow {
            continue;
        }
        let applies = match traces.as_deref_mut() {
            None => statement_applies(statement, request, None),
            Some(traces) => {
                let mut checks = Vec::new();
                let applies = statement_applies(statement, request, Some(&mut checks));
                traces.push(StatementTrace {
                    policy: name.to_string(),
                    index,
                    sid: statement.sid.clone(),
                    effect: statement.effect.as_str(),
                    applies,
                    line: statement.line,
                    column: statement.column,
                    checks,
                });
                applies
            }
        };
        if applies {
            match statement.effect {
                Effect::Deny => eval.denies.push(index),
                Effect::Allow => {
                    eval.allows.push(index);
                    match &statement.principal {
                        Some(p) if !p.negated => {
                            // Every entry that names the caller, not only the first: `["A", "…:user/bob"]` names bob
                            // directly whatever the order.
                            for entry in p.entries.iter().filter(|e| e.names(request.caller)) {
                                eval.direct_allow |= entry.is_direct();
                                eval.beyond_account_allow |= !matches!(entry, PrincipalEntry::Account { .. });
                            }
                        }
                        _ => eval.beyond_account_allow = true,
                    }
                }
            }
        }
    }
    eval
}

/// Does the statement apply? Without `checks` it stops at the first element that fails (the hot path); with
/// `checks` it examines every element, so the explanation can say exactly which ones failed. Both give the same
/// answer: the statement applies when every element matches.
pub fn statement_applies<C: Context + ?Sized>(
    statement: &Statement,
    request: &EvalRequest<'_, C>,
    mut checks: Option<&mut Vec<Check>>,
) -> bool {
    let mut applies = true;

    if let Some(principal) = &statement.principal {
        let bounded_deny = principal.negated && request.caller_has_boundary && statement.effect == Effect::Deny;
        let matched = bounded_deny || principal.matches(request.caller);
        if let Some(checks) = checks.as_deref_mut() {
            let element = if principal.negated { "NotPrincipal" } else { "Principal" };
            let caller = shown(request.caller.display());
            let detail = match (principal.naming(request.caller), principal.negated) {
                _ if bounded_deny => format!(
                    "caller `{caller}` has a permissions boundary, and a Deny with NotPrincipal always applies to such a principal, whatever it lists"
                ),
                (Some(entry), false) => format!("caller `{caller}` is named by {}", entry.describe()),
                (Some(entry), true) => format!("caller `{caller}` is excluded: it is named by {}", entry.describe()),
                (None, negated) => {
                    let listed = shown_list(principal.entries.iter().map(|e| e.describe()));
                    if negated {
                        format!("caller `{caller}` is not among the excluded {listed}")
                    } else {
                        format!("caller `{caller}` is not among {listed}")
                    }
                }
            };
            checks.push(Check { element, matched, detail });
        } else if !matched {
            return false;
        }
        applies &= matched;
    }

    let action = &statement.action;
    let hit = action.patterns.iter().find(|g| g.matches(request.action));
    let matched = hit.is_some() != action.negated;
    if let Some(checks) = checks.as_deref_mut() {
        let element = if action.negated { "NotAction" } else { "Action" };
        let detail = match hit {
            Some(g) => format!("`{}` matches `{}`", request.action, g.as_str()),
            None => format!(
                "`{}` matches none of {}",
                request.action,
                action.patterns.iter().map(|g| format!("`{}`", g.as_str())).collect::<Vec<_>>().join(", ")
            ),
        };
        checks.push(Check { element, matched, detail });
    } else if !matched {
        return false;
    }
    applies &= matched;

    // Failing closed: what the engine cannot evaluate counts in the denying direction, so an Allow statement
    // does not apply and a Deny statement does.
    let deny = statement.effect == Effect::Deny;

    let resource = &statement.resource;
    // Where AWS leaves open how far a part-final `*` reaches, match in the reading that denies: widely for a Deny's
    // Resource and an Allow's NotResource.
    let wide = deny != resource.negated;
    let hit = resource.patterns.iter().find(|p| p.matches(request.resource, request.context, wide));
    // A NotResource pattern whose policy variable has no value cannot say what it excludes: AWS may treat the
    // whole statement as invalid. Reading "matches nothing" there would let an Allow cover every resource.
    // The same for a Resource whose variable names a key the request has but the scenario cannot know (a user's
    // `aws:userid`), when some value of it would match: whether it does is unknown.
    let unresolved = hit.is_none()
        && if resource.negated {
            resource.patterns.iter().any(|p| !p.missing_variables(request.context).is_empty())
        } else {
            resource.patterns.iter().any(|p| p.could_match_unknown(request.resource, request.context))
        };
    let matched = if unresolved { deny } else { hit.is_some() != resource.negated };
    if let Some(checks) = checks.as_deref_mut() {
        let element = if resource.negated { "NotResource" } else { "Resource" };
        let mut detail = match hit {
            Some(p) => p.trace(request.resource, request.context, wide).detail,
            None => {
                let details: Vec<String> =
                    resource.patterns.iter().map(|p| p.trace(request.resource, request.context, wide).detail).collect();
                details.join("; ")
            }
        };
        if unresolved {
            let what = if resource.negated {
                "a NotResource that cannot be resolved"
            } else {
                "a Resource whose variable's value is not known"
            };
            detail.push_str(&if deny {
                format!(": {what} counts as matching, so this Deny applies")
            } else {
                format!(": {what} counts as not matching, so this Allow does not apply")
            });
        }
        checks.push(Check { element, matched, detail });
    } else if !matched {
        return false;
    }
    applies &= matched;

    for condition in &statement.conditions {
        // Decision: a request value the operator cannot read (a tag or `context` value that is not a number, date,
        // IP address, boolean or ARN) cannot be compared; the condition counts in the denying direction.
        match checks.as_deref_mut() {
            None => {
                if !condition.holds_for(request.context, deny) {
                    return false;
                }
            }
            Some(checks) => {
                let unreadable =
                    condition.unreadable_value(request.context).or_else(|| condition.unknown_variable(request.context));
                let (matched, detail) = match unreadable {
                    Some(why) => (
                        deny,
                        format!(
                            "{why}, so the condition cannot be evaluated and counts in the denying direction: this {} {}",
                            statement.effect.as_str(),
                            if deny { "applies" } else { "does not apply" }
                        ),
                    ),
                    None => {
                        let trace = condition.trace(request.context);
                        (trace.matched, trace.detail)
                    }
                };
                applies &= matched;
                checks.push(Check {
                    element: "Condition",
                    matched,
                    detail: format!("{} {}: {}", condition.operator_name(), condition.key().name(), detail),
                });
            }
        }
    }
    applies
}

/// The caller's side of a decision: identity-based policies and what limits them.
#[derive(Debug, Clone, Copy, Default)]
pub struct IdentitySide<'a> {
    pub policies: &'a [Policy],
    pub boundary: Option<&'a Policy>,
    pub service_control_policies: &'a [Policy],
    pub session_policy: Option<&'a Policy>,
    /// The account root is allowed by its own account without identity policies.
    pub is_account_root: bool,
}

impl<'a> IdentitySide<'a> {
    /// Add the warnings of the side's policies to a decision's, each named with its caller `who`.
    pub fn warn_into(&self, who: &str, warnings: &mut Vec<String>) {
        for (i, policy) in self.policies.iter().enumerate() {
            policy.warn_into(format_args!("identity policy {i} of `{who}`"), warnings);
        }
        if let Some(boundary) = self.boundary {
            boundary.warn_into(format_args!("permissions boundary of `{who}`"), warnings);
        }
        for (i, policy) in self.service_control_policies.iter().enumerate() {
            policy.warn_into(format_args!("SCP {i} of `{who}`"), warnings);
        }
        if let Some(session) = self.session_policy {
            session.warn_into(format_args!("session policy of `{who}`"), warnings);
        }
    }

    /// The side of `caller`: the policies of its described user or role (none when it is not described), and
    /// the session policy of a role session.
    pub fn of(
        caller: &Caller,
        principal: Option<&'a crate::scenario::PrincipalConfig>,
        session_policy: Option<&'a Policy>,
    ) -> Self {
        IdentitySide {
            policies: principal.map_or(&[], |p| p.policies.as_slice()),
            boundary: principal.and_then(|p| p.permissions_boundary.as_ref()),
            service_control_policies: principal.map_or(&[], |p| p.service_control_policies.as_slice()),
            session_policy,
            is_account_root: matches!(caller, Caller::Root { .. }),
        }
    }
}

/// How the two sides were combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Combination {
    /// Table A: caller and resource in the same account; either side may allow.
    SameAccount,
    /// Table B: the caller's account must allow and the resource policy must allow.
    CrossAccount,
    /// No identity side (anonymous or service callers): the resource policy alone decides.
    ResourceOnly,
}

/// The general IAM verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    ExplicitDeny,
    ImplicitDeny,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allow => "Allow",
            Verdict::ExplicitDeny => "ExplicitDeny",
            Verdict::ImplicitDeny => "ImplicitDeny",
        }
    }
}

/// The outcome of a full evaluation, with what each side said.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub verdict: Verdict,
    pub combination: Combination,
    pub identity: PolicyResult,
    pub resource: PolicyResult,
    pub decisive: Vec<StatementRef>,
    pub steps: Vec<Step>,
}

/// A resource-based policy with the name it goes by in `decisive` and the explanation.
#[derive(Debug, Clone, Copy)]
pub struct NamedPolicy<'a> {
    pub name: PolicyName,
    pub policy: &'a Policy,
}

/// Evaluate a request against the caller's side (None for anonymous and service callers) and the resource's
/// policy, combining same-account requests by union (Table A) and cross-account requests by intersection
/// (Table B).
pub fn evaluate<C: Context + ?Sized>(
    request: &EvalRequest<'_, C>,
    identity: Option<&IdentitySide<'_>>,
    resource_policy: Option<NamedPolicy<'_>>,
    resource_account: &str,
    trace: bool,
) -> Evaluation {
    let mut steps = Vec::new();
    let mut decisive_denies: Vec<StatementRef> = Vec::new();

    // The resource policy sees whether the caller has a permissions boundary (NotPrincipal with Deny): from its
    // identity side, or from the request when there is none (an endpoint policy judging a described principal).
    let bounded = EvalRequest {
        caller_has_boundary: request.caller_has_boundary || identity.is_some_and(|side| side.boundary.is_some()),
        ..*request
    };
    let resource_eval = resource_policy.map(|rp| {
        let mut traces = Vec::new();
        let eval = evaluate_policy(rp.policy, rp.name, &bounded, false, trace.then_some(&mut traces));
        push_refs(&mut decisive_denies, rp.name, rp.policy, &eval.denies);
        if trace {
            let mut step = Step::new(
                "resourcePolicy",
                eval.result().as_str(),
                summary_of("the resource policy", &eval, rp.policy.statements.len()),
            );
            step.statements = traces;
            steps.push(step);
        }
        eval
    });
    let mut resource = resource_eval.as_ref().map_or(PolicyResult::Neither, PolicyEval::result);

    let Some(side) = identity else {
        let verdict = match resource {
            PolicyResult::Deny => Verdict::ExplicitDeny,
            PolicyResult::Allow => Verdict::Allow,
            PolicyResult::Neither => Verdict::ImplicitDeny,
        };
        let mut decisive = decisive_denies;
        if verdict == Verdict::Allow {
            if let (Some(rp), Some(eval)) = (resource_policy, &resource_eval) {
                push_refs(&mut decisive, rp.name, rp.policy, &eval.allows);
            }
        }
        if trace {
            steps.push(Step::new(
                "combine",
                verdict.as_str(),
                format!(
                    "caller `{}` has no identity-based policies, so the resource policy alone decides: {}",
                    request.caller.display(),
                    resource.as_str()
                ),
            ));
        }
        return Evaluation {
            verdict,
            combination: Combination::ResourceOnly,
            identity: PolicyResult::Neither,
            resource,
            decisive,
            steps,
        };
    };

    // The identity-based policies, as one group: any Deny denies, any Allow allows.
    let mut identity_allows: Vec<StatementRef> = Vec::new();
    let mut identity_traces = Vec::new();
    let mut identity_deny = false;
    let mut identity_allow = side.is_account_root;
    for (i, policy) in side.policies.iter().enumerate() {
        let name = PolicyName::Identity(i);
        let eval = evaluate_policy(policy, name, request, false, trace.then_some(&mut identity_traces));
        identity_deny |= !eval.denies.is_empty();
        identity_allow |= !eval.allows.is_empty();
        push_refs(&mut decisive_denies, name, policy, &eval.denies);
        push_refs(&mut identity_allows, name, policy, &eval.allows);
    }
    let identity_policies_result = if identity_deny {
        PolicyResult::Deny
    } else if identity_allow {
        PolicyResult::Allow
    } else {
        PolicyResult::Neither
    };
    if trace {
        let summary = if side.is_account_root {
            format!(
                "caller `{}` is an account root: its own account allows it without identity-based policies",
                request.caller.display()
            )
        } else if side.policies.is_empty() {
            format!("caller `{}` has no identity-based policies", request.caller.display())
        } else {
            format!(
                "{} identity-based polic{} of `{}`: {}",
                side.policies.len(),
                if side.policies.len() == 1 { "y" } else { "ies" },
                request.caller.display(),
                identity_policies_result.as_str()
            )
        };
        let mut step = Step::new("identityPolicies", identity_policies_result.as_str(), summary);
        step.statements = identity_traces;
        steps.push(step);
    }

    // Limits: a boundary, the SCPs and a session policy must each allow; an explicit Deny in any of them denies.
    let mut limits_deny = false;
    let mut boundary_ok = true;
    if let Some(boundary) = side.boundary {
        let (deny, ok) = limit(
            boundary,
            PolicyName::Boundary,
            "permissionsBoundary",
            "the permissions boundary",
            request,
            trace,
            &mut steps,
            &mut decisive_denies,
        );
        limits_deny |= deny;
        boundary_ok = ok;
    }
    let mut scps_ok = true;
    for (i, scp) in side.service_control_policies.iter().enumerate() {
        let (deny, ok) = limit(
            scp,
            PolicyName::Scp(i),
            "serviceControlPolicies",
            "a service control policy",
            request,
            trace,
            &mut steps,
            &mut decisive_denies,
        );
        limits_deny |= deny;
        scps_ok &= ok;
    }
    let mut session_ok = true;
    if let Some(session) = side.session_policy {
        let (deny, ok) = limit(
            session,
            PolicyName::Session,
            "sessionPolicy",
            "the session policy",
            request,
            trace,
            &mut steps,
            &mut decisive_denies,
        );
        limits_deny |= deny;
        session_ok = ok;
    }

    let identity_result = if identity_deny || limits_deny {
        PolicyResult::Deny
    } else if identity_allow && boundary_ok && scps_ok && session_ok {
        PolicyResult::Allow
    } else {
        PolicyResult::Neither
    };

    let same_account = request.caller.account() == Some(resource_account);
    let mut notes = Vec::new();
    if resource == PolicyResult::Allow {
        let direct = resource_eval.as_ref().is_some_and(|e| e.direct_allow);
        let beyond_account = resource_eval.as_ref().is_some_and(|e| e.beyond_account_allow);
        if !scps_ok {
            resource = PolicyResult::Neither;
            notes.push(String::from(
                "the resource policy's Allow does not count: the caller's service control policies do not allow the action",
            ));
        } else if same_account && !beyond_account && !side.is_account_root {
            // IAM's Principal reference: naming an account delegates to it; its identities get in only if their
            // identity-based policies allow too. (Another account's callers need that anyway: Table B.)
            resource = PolicyResult::Neither;
            notes.push(String::from(
                "the resource policy's Allow does not count alone: it names only the caller's account, which delegates to the account, so the caller's identity-based policies must allow too",
            ));
        } else if same_account && !(boundary_ok && session_ok) && !direct {
            resource = PolicyResult::Neither;
            notes.push(String::from(
                "the resource policy's Allow does not count: it names the caller's account or role, not the user or session directly, so the permissions boundary or session policy limits it",
            ));
        }
    }

    let combination = if same_account { Combination::SameAccount } else { Combination::CrossAccount };
    let verdict = if identity_result == PolicyResult::Deny || resource == PolicyResult::Deny {
        Verdict::ExplicitDeny
    } else {
        let allowed = match combination {
            Combination::SameAccount => identity_result == PolicyResult::Allow || resource == PolicyResult::Allow,
            _ => identity_result == PolicyResult::Allow && resource == PolicyResult::Allow,
        };
        if allowed {
            Verdict::Allow
        } else {
            Verdict::ImplicitDeny
        }
    };

    // An explicit deny is decided by every Deny that applied (in evaluation order); an allow by the Allows of
    // the sides that allowed; an implicit deny by nothing.
    let decisive = match verdict {
        Verdict::ExplicitDeny => decisive_denies,
        Verdict::ImplicitDeny => Vec::new(),
        Verdict::Allow => {
            let mut refs = Vec::new();
            if identity_result == PolicyResult::Allow {
                refs.extend(identity_allows);
            }
            if resource == PolicyResult::Allow {
                if let (Some(rp), Some(eval)) = (resource_policy, &resource_eval) {
                    push_refs(&mut refs, rp.name, rp.policy, &eval.allows);
                }
            }
            refs
        }
    };

    if trace {
        let table = match combination {
            Combination::SameAccount => "Table A (same account): either side may allow",
            _ => "Table B (cross-account): the caller's account and the resource policy must both allow",
        };
        let mut step = Step::new(
            "combine",
            verdict.as_str(),
            format!(
                "{table}; identity side: {}, resource policy: {} → {}",
                identity_result.as_str(),
                resource.as_str(),
                verdict.as_str()
            ),
        );
        step.notes = notes;
        steps.push(step);
    }
    Evaluation { verdict, combination, identity: identity_result, resource, decisive, steps }
}

#[allow(clippy::too_many_arguments)]
fn limit<C: Context + ?Sized>(
    policy: &Policy,
    name: PolicyName,
    step_name: &'static str,
    what: &str,
    request: &EvalRequest<'_, C>,
    trace: bool,
    steps: &mut Vec<Step>,
    denies: &mut Vec<StatementRef>,
) -> (bool, bool) {
    let mut traces = Vec::new();
    let eval = evaluate_policy(policy, name, request, false, trace.then_some(&mut traces));
    push_refs(denies, name, policy, &eval.denies);
    let result = eval.result();
    if trace {
        let summary = match result {
            PolicyResult::Allow => format!("{what} allows the action"),
            PolicyResult::Deny => format!("{what} denies the action explicitly"),
            PolicyResult::Neither => format!("{what} does not allow the action, so identity-based Allows do not count"),
        };
        let mut step = Step::new(step_name, result.as_str(), summary);
        step.statements = traces;
        steps.push(step);
    }
    (result == PolicyResult::Deny, result == PolicyResult::Allow)
}

/// Add statement references for `indices` of `policy`.
pub fn push_refs(out: &mut Vec<StatementRef>, name: PolicyName, policy: &Policy, indices: &[usize]) {
    for &index in indices {
        if let Some(statement) = policy.statements.get(index) {
            out.push(StatementRef {
                policy: name.label(),
                index,
                sid: statement.sid.clone(),
                effect: statement.effect.as_str(),
            });
        }
    }
}

/// One sentence about a policy's result.
pub fn summary_of(what: &str, eval: &PolicyEval, statements: usize) -> String {
    match eval.result() {
        PolicyResult::Deny => format!(
            "{what} denies explicitly (statement {})",
            eval.denies.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")
        ),
        PolicyResult::Allow => format!(
            "{what} allows (statement {})",
            eval.allows.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")
        ),
        PolicyResult::Neither => format!("none of the {statements} statements of {what} applies"),
    }
}

#[cfg(test)]
mod tests {
    use super::PolicyName;
    use crate::response::Outcome;

    #[test]
    fn policy_labels_are_their_display() {
        for n in 0..20 {
            for name in [
                PolicyName::Resource,
                PolicyName::Authorizer,
                PolicyName::VpcEndpoint,
                PolicyName::Identity(n),
                PolicyName::Boundary,
                PolicyName::Scp(n),
                PolicyName::Session,
            ] {
                assert_eq!(name.label(), name.to_string());
            }
        }
    }

    /// The decision for a NONE method whose resource policy holds `statements`, with extra condition keys.
    fn decide(statements: &str, context: &str) -> (Outcome, String) {
        let scenario = format!(
            r#"{{"api": {{"id": "a1b2c3d4e5", "accountId": "111122223333", "region": "us-east-1",
                 "policy": {{"Version": "2012-10-17", "Statement": {statements}}}}},
               "request": {{"httpMethod": "GET", "path": "/pets", "stage": "prod", "sourceIp": "198.51.100.7",
                 "context": {context}}}}}"#
        );
        let d = crate::authorize(scenario.as_str()).unwrap();
        (d.decision, crate::render_text(&d))
    }

    const ALLOW_ALL: &str = r#"{"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "*"}"#;

    #[test]
    fn an_unreadable_request_value_makes_a_deny_apply() {
        // Before: DateGreaterThanEquals with a request time that is not a date was simply false, so this Deny did
        // not apply and the Allow let the caller in (found by the cidr_date fuzz target).
        let deny = r#"{"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "*",
                       "Condition": {"DateGreaterThanEquals": {"aws:CurrentTime": "2024-02-29"}}}"#;
        let (outcome, text) = decide(&format!("[{ALLOW_ALL}, {deny}]"), r#"{"aws:CurrentTime": "next week"}"#);
        assert_eq!(outcome, Outcome::ExplicitDeny);
        assert!(text.contains("request value `next week` is not a date"), "{text}");
        let (outcome, _) = decide(&format!("[{ALLOW_ALL}, {deny}]"), r#"{"aws:CurrentTime": "2024-01-01"}"#);
        assert_eq!(outcome, Outcome::Allow);
        for (operator, value, bad) in [
            ("NumericGreaterThan", "5", "many"),
            ("IpAddress", "10.0.0.0/8", "10.0.0.300"),
            ("Bool", "true", "yes"),
            ("ArnLike", "arn:aws:iam::*:role/x", "role/x"),
        ] {
            let deny = format!(
                r#"{{"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "*",
                    "Condition": {{"{operator}": {{"custom:key": "{value}"}}}}}}"#
            );
            let (outcome, _) = decide(&format!("[{ALLOW_ALL}, {deny}]"), &format!(r#"{{"custom:key": "{bad}"}}"#));
            assert_eq!(outcome, Outcome::ExplicitDeny, "{operator} with `{bad}`");
        }
    }

    #[test]
    fn an_unreadable_request_value_never_makes_an_allow_apply() {
        // Before: NotIpAddress with a request value that is not an address was true, so this Allow applied.
        let allow = r#"{"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "*",
                        "Condition": {"NotIpAddress": {"custom:clientIp": "192.0.2.0/24"}}}"#;
        let (outcome, text) = decide(&format!("[{allow}]"), r#"{"custom:clientIp": "not-an-ip"}"#);
        assert_eq!(outcome, Outcome::ImplicitDeny);
        assert!(text.contains("is not an IP address"), "{text}");
        let (outcome, _) = decide(&format!("[{allow}]"), r#"{"custom:clientIp": "198.51.100.7"}"#);
        assert_eq!(outcome, Outcome::Allow);
        let allow = r#"{"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "*",
                        "Condition": {"NumericNotEquals": {"custom:level": ["1", "2"]}}}"#;
        assert_eq!(decide(&format!("[{allow}]"), r#"{"custom:level": ["3", "x"]}"#).0, Outcome::ImplicitDeny);
        assert_eq!(decide(&format!("[{allow}]"), r#"{"custom:level": ["3", "4"]}"#).0, Outcome::Allow);
    }

    #[test]
    fn a_not_resource_with_a_variable_without_value_fails_closed() {
        // Before: the unresolved pattern "matched nothing", so NotResource matched everything and this Allow let
        // every anonymous caller in.
        let allow = r#"{"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke",
                        "NotResource": "arn:aws:execute-api:*:*:*/prod/GET/${custom:user}"}"#;
        let (outcome, text) = decide(&format!("[{allow}]"), "{}");
        assert_eq!(outcome, Outcome::ImplicitDeny);
        assert!(text.contains("cannot be resolved"), "{text}");
        let (outcome, _) = decide(&format!("[{allow}]"), r#"{"custom:user": "alice"}"#);
        assert_eq!(outcome, Outcome::Allow);
        let deny = r#"{"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke",
                       "NotResource": "arn:aws:execute-api:*:*:*/prod/GET/${custom:user}"}"#;
        assert_eq!(decide(&format!("[{ALLOW_ALL}, {deny}]"), "{}").0, Outcome::ExplicitDeny);
        assert_eq!(decide(&format!("[{ALLOW_ALL}, {deny}]"), r#"{"custom:user": "pets"}"#).0, Outcome::Allow);
    }
}

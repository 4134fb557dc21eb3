//! Condition keys: names are case-insensitive (including the tag part of `aws:PrincipalTag/key`), so a key is
//! lower-cased and classified once, when the policy is compiled.

/// The global and service keys a request context can answer (authorization-flows.md §6, plus the keys backend
/// permission checks use). Looked up by enum, not by string, on the decision path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GlobalKey {
    CurrentTime,
    EpochTime,
    SecureTransport,
    SourceIp,
    VpcSourceIp,
    SourceVpce,
    SourceVpc,
    PrincipalAccount,
    UserId,
    PrincipalType,
    Referer,
    UserAgent,
    PrincipalArn,
    Username,
    PrincipalOrgId,
    PrincipalOrgPaths,
    PrincipalIsAwsService,
    PrincipalServiceName,
    TokenIssueTime,
    MultiFactorAuthPresent,
    MultiFactorAuthAge,
    ViaDomainArn,
    SourceArn,
    SourceAccount,
}

/// Lower-cased names of the keys above.
const GLOBAL_KEYS: &[(&str, GlobalKey)] = &[
    ("aws:currenttime", GlobalKey::CurrentTime),
    ("aws:epochtime", GlobalKey::EpochTime),
    ("aws:securetransport", GlobalKey::SecureTransport),
    ("aws:sourceip", GlobalKey::SourceIp),
    ("aws:vpcsourceip", GlobalKey::VpcSourceIp),
    ("aws:sourcevpce", GlobalKey::SourceVpce),
    ("aws:sourcevpc", GlobalKey::SourceVpc),
    ("aws:principalaccount", GlobalKey::PrincipalAccount),
    ("aws:userid", GlobalKey::UserId),
    ("aws:principaltype", GlobalKey::PrincipalType),
    ("aws:referer", GlobalKey::Referer),
    ("aws:useragent", GlobalKey::UserAgent),
    ("aws:principalarn", GlobalKey::PrincipalArn),
    ("aws:username", GlobalKey::Username),
    ("aws:principalorgid", GlobalKey::PrincipalOrgId),
    ("aws:principalorgpaths", GlobalKey::PrincipalOrgPaths),
    ("aws:principalisawsservice", GlobalKey::PrincipalIsAwsService),
    ("aws:principalservicename", GlobalKey::PrincipalServiceName),
    ("aws:tokenissuetime", GlobalKey::TokenIssueTime),
    ("aws:multifactorauthpresent", GlobalKey::MultiFactorAuthPresent),
    ("aws:multifactorauthage", GlobalKey::MultiFactorAuthAge),
    ("execute-api:viadomainarn", GlobalKey::ViaDomainArn),
    ("aws:sourcearn", GlobalKey::SourceArn),
    ("aws:sourceaccount", GlobalKey::SourceAccount),
];

/// Other keys AWS documents that a request may carry (given through `request.context`), lower-cased. Anything
/// outside these lists draws a warning when the policy is compiled: AWS accepts it, and it never matches.
const OTHER_KNOWN_KEYS: &[&str] = &[
    "aws:tagkeys",
    "aws:calledvia",
    "aws:calledviafirst",
    "aws:calledvialast",
    "aws:viaawsservice",
    "aws:requestedregion",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:resourceaccount",
    "aws:resourceorgid",
    "aws:resourceorgpaths",
    "aws:federatedprovider",
    "aws:principalservicenameslist",
    "aws:sourceidentity",
    "aws:ec2instancesourcevpc",
    "aws:ec2instancesourceprivateipv4",
    "aws:vpceaccount",
    "aws:vpceorgid",
    "aws:vpceorgpaths",
    "aws:assumedroot",
    "sts:externalid",
    "sts:rolesessionname",
    "sts:sourceidentity",
    "sts:transitivetagkeys",
    "sts:awsservicename",
    "lambda:functionarn",
    "lambda:principal",
    "lambda:sourcefunctionarn",
    "lambda:functionurlauthtype",
    "lambda:eventsourcetoken",
    "iam:passedtoservice",
    "iam:associatedresourcearn",
    "iam:permissionsboundary",
];

/// Lower-cased prefixes of keys with a free part (tag keys, API Gateway request and resource attributes).
const KNOWN_PREFIXES: &[&str] = &[
    "aws:principaltag/",
    "aws:requesttag/",
    "aws:resourcetag/",
    "iam:resourcetag/",
    "apigateway:request/",
    "apigateway:resource/",
];

/// A condition key as written in a policy, with its lower-cased form and what it refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionKey {
    name: String,
    lower: String,
    global: Option<GlobalKey>,
    /// The lower-cased tag of `aws:PrincipalTag/tag`.
    principal_tag: Option<usize>,
    known: bool,
}

impl ConditionKey {
    pub fn new(name: &str) -> ConditionKey {
        let lower = name.to_lowercase();
        let global = GLOBAL_KEYS.iter().find(|(n, _)| *n == lower).map(|(_, k)| *k);
        const TAG: &str = "aws:principaltag/";
        let principal_tag = (lower.starts_with(TAG) && lower.len() > TAG.len()).then_some(TAG.len());
        let known = global.is_some()
            || OTHER_KNOWN_KEYS.contains(&lower.as_str())
            || KNOWN_PREFIXES.iter().any(|p| lower.starts_with(p) && lower.len() > p.len());
        ConditionKey { name: name.to_owned(), lower, global, principal_tag, known }
    }

    /// As written in the policy.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Lower-cased: how keys compare.
    pub fn lower(&self) -> &str {
        &self.lower
    }

    pub fn global(&self) -> Option<GlobalKey> {
        self.global
    }

    /// The lower-cased tag name of an `aws:PrincipalTag/...` key.
    pub fn principal_tag(&self) -> Option<&str> {
        self.principal_tag.and_then(|at| self.lower.get(at..))
    }

    /// Whether AWS documents this key (unknown keys are accepted by AWS and never match).
    pub fn is_known(&self) -> bool {
        self.known
    }

    /// Whether the key is one of the documented multi-valued keys (for set-operator advice).
    pub fn is_multi_valued(&self) -> bool {
        matches!(
            self.lower.as_str(),
            "aws:principalorgpaths"
                | "aws:tagkeys"
                | "aws:calledvia"
                | "aws:sourceorgpaths"
                | "aws:resourceorgpaths"
                | "aws:principalservicenameslist"
                | "aws:vpceorgpaths"
                | "sts:transitivetagkeys"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_tags_are_case_insensitive() {
        let k = ConditionKey::new("AWS:SourceIP");
        assert_eq!(k.global(), Some(GlobalKey::SourceIp));
        assert_eq!(k.name(), "AWS:SourceIP");
        let t = ConditionKey::new("aws:PrincipalTag/Team");
        assert_eq!(t.principal_tag(), Some("team"));
        assert!(t.is_known());
        assert!(!ConditionKey::new("aws:SourceIpp").is_known());
        assert!(!ConditionKey::new("aws:PrincipalTag/").is_known());
    }
}

//! Who is calling, and whether a statement's Principal / NotPrincipal names them.

use crate::arn::{is_account_id, Arn};

/// The caller as IAM sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// An unsigned request (also every caller of a NONE, CUSTOM or COGNITO method as the resource policy sees it).
    Anonymous,
    /// `arn:aws:iam::A:root`.
    Root { arn: String, account: String },
    /// `arn:aws:iam::A:user/path/name`.
    User { arn: String, account: String, name: String },
    /// `arn:aws:sts::A:assumed-role/role-name/session`; `role_arn` is the role's ARN, with its path when the role
    /// is described in the scenario (`role_path_known`): a session ARN never shows the path.
    Session { arn: String, account: String, role_name: String, role_arn: String, role_path_known: bool },
    /// `arn:aws:sts::A:federated-user/name`; `user_id` is `A:name`, its `aws:userid`.
    FederatedUser { arn: String, account: String, user_id: String },
    /// An AWS service principal such as `apigateway.amazonaws.com`.
    Service { name: String },
}

impl Caller {
    /// Read a SigV4 caller ARN. `role_path_of` finds a role's full ARN (with path) from its account and name, when
    /// the role is described in the scenario.
    pub fn from_arn(text: &str, role_path_of: impl Fn(&str, &str) -> Option<String>) -> Result<Caller, String> {
        let arn = Arn::parse(text).ok_or_else(|| format!("caller `{text}` is not an ARN"))?;
        if !is_account_id(arn.account) {
            return Err(format!("caller `{text}` has no 12-digit account id"));
        }
        let account = arn.account.to_owned();
        match (arn.service, arn.resource.split_once('/')) {
            ("iam", None) if arn.resource == "root" => Ok(Caller::Root { arn: text.to_owned(), account }),
            ("iam", Some(("user", rest))) if !rest.is_empty() => {
                let name = rest.rsplit('/').next().unwrap_or(rest).to_owned();
                Ok(Caller::User { arn: text.to_owned(), account, name })
            }
            ("sts", Some(("assumed-role", rest))) => {
                let (role_name, session) = rest
                    .split_once('/')
                    .ok_or_else(|| format!("session `{text}` must be `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`"))?;
                if role_name.is_empty() || session.is_empty() {
                    return Err(format!("session `{text}` must be `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`"));
                }
                let described = role_path_of(&account, role_name);
                let role_path_known = described.is_some();
                let role_arn =
                    described.unwrap_or_else(|| format!("arn:{}:iam::{account}:role/{role_name}", arn.partition));
                Ok(Caller::Session {
                    arn: text.to_owned(),
                    account,
                    role_name: role_name.to_owned(),
                    role_arn,
                    role_path_known,
                })
            }
            ("sts", Some(("federated-user", rest))) if !rest.is_empty() => {
                let user_id = format!("{account}:{rest}");
                Ok(Caller::FederatedUser { arn: text.to_owned(), account, user_id })
            }
            ("iam", Some(("role", _))) => Err(format!(
                "caller `{text}` is a role: a role signs requests as a session, `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`"
            )),
            _ => Err(format!("caller `{text}` is not a user, root, role session or federated user ARN")),
        }
    }

    /// The ARN shown in messages, or `anonymous`.
    pub fn display(&self) -> &str {
        match self {
            Caller::Anonymous => "anonymous",
            Caller::Root { arn, .. }
            | Caller::User { arn, .. }
            | Caller::Session { arn, .. }
            | Caller::FederatedUser { arn, .. } => arn,
            Caller::Service { name } => name,
        }
    }

    pub fn account(&self) -> Option<&str> {
        match self {
            Caller::Root { account, .. }
            | Caller::User { account, .. }
            | Caller::Session { account, .. }
            | Caller::FederatedUser { account, .. } => Some(account),
            Caller::Anonymous | Caller::Service { .. } => None,
        }
    }

    /// The partition of the caller's ARN (`aws`, `aws-cn`, ...).
    pub fn partition(&self) -> Option<&str> {
        match self {
            Caller::Anonymous | Caller::Service { .. } => None,
            _ => self.display().split(':').nth(1),
        }
    }

    /// `aws:PrincipalArn`: for a role session, the role's ARN.
    pub fn principal_arn(&self) -> Option<&str> {
        match self {
            Caller::Root { arn, .. } | Caller::User { arn, .. } | Caller::FederatedUser { arn, .. } => Some(arn),
            Caller::Session { role_arn, .. } => Some(role_arn),
            Caller::Anonymous | Caller::Service { .. } => None,
        }
    }

    /// `aws:PrincipalType`.
    pub fn principal_type(&self) -> &'static str {
        match self {
            Caller::Anonymous => "Anonymous",
            Caller::Root { .. } => "Account",
            Caller::User { .. } => "User",
            Caller::Session { .. } => "AssumedRole",
            Caller::FederatedUser { .. } => "FederatedUser",
            Caller::Service { .. } => "Service",
        }
    }
}

/// A unique id of an IAM user (`AIDA…`) or role (`AROA…`): the prefix, then upper-case letters and digits (16 of
/// them today).
pub fn is_unique_id(text: &str) -> bool {
    let rest = text.strip_prefix("AIDA").or_else(|| text.strip_prefix("AROA"));
    rest.is_some_and(|r| {
        (8..=124).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    })
}

/// One value of a Principal / NotPrincipal element, validated and classified at compile time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalEntry {
    /// `"*"` or `{"AWS": "*"}`: everyone, including anonymous callers.
    Everyone,
    /// `{"AWS": "A"}` or `arn:aws:iam::A:root`: every principal of account A (of that partition, when the entry
    /// is an ARN; a bare account id is the policy's own partition, the only one a caller can come from).
    Account {
        account: String,
        partition: Option<String>,
    },
    User(String),
    /// A role ARN: matches every session of the role. A session ARN does not show the role's path, so when the
    /// scenario does not describe the role, account and name decide; when it does, the whole ARN must be the
    /// role's (`role/Partner` does not name `role/team/Partner`: role names are unique in an account, so it
    /// names no role at all).
    Role {
        arn: String,
        account: String,
        name: String,
    },
    Session(String),
    FederatedUser(String),
    Service(String),
    /// `Federated` (web identity / SAML providers) and `CanonicalUser` (S3) principals: valid, but no API Gateway
    /// caller is ever one of them.
    Other(String),
}

impl PrincipalEntry {
    /// Parse one `AWS` value. No partial wildcards: `*` only alone.
    pub fn parse_aws(text: &str) -> Result<PrincipalEntry, String> {
        if text == "*" {
            return Ok(PrincipalEntry::Everyone);
        }
        if text.contains('*') || text.contains('?') {
            return Err(format!(
                "principal `{text}` has a wildcard: IAM accepts `*` only on its own, never inside an ARN"
            ));
        }
        if is_account_id(text) {
            return Ok(PrincipalEntry::Account { account: text.to_owned(), partition: None });
        }
        let arn =
            Arn::parse(text).ok_or_else(|| format!("principal `{text}` is neither `*`, an account id nor an ARN"))?;
        if !is_account_id(arn.account) {
            return Err(format!("principal `{text}` has no 12-digit account id"));
        }
        match (arn.service, arn.resource.split_once('/')) {
            ("iam", None) if arn.resource == "root" => Ok(PrincipalEntry::Account {
                account: arn.account.to_owned(),
                partition: Some(arn.partition.to_owned()),
            }),
            ("iam", Some(("user", rest))) if !rest.is_empty() => Ok(PrincipalEntry::User(text.to_owned())),
            ("iam", Some(("role", rest))) if !rest.is_empty() => Ok(PrincipalEntry::Role {
                arn: text.to_owned(),
                account: arn.account.to_owned(),
                name: rest.rsplit('/').next().unwrap_or(rest).to_owned(),
            }),
            ("sts", Some(("assumed-role", rest))) if rest.split('/').count() == 2 => {
                Ok(PrincipalEntry::Session(text.to_owned()))
            }
            ("sts", Some(("federated-user", rest))) if !rest.is_empty() => {
                Ok(PrincipalEntry::FederatedUser(text.to_owned()))
            }
            _ => Err(format!(
                "principal `{text}` is not an account root, user, role, role session or federated user ARN"
            )),
        }
    }

    /// Does this entry name the caller? An account entry names every principal of the account, a role entry
    /// every session of the role (so NotPrincipal with Deny treats the caller as listed when its own ARN, its
    /// role's ARN or its account root is listed).
    pub fn names(&self, caller: &Caller) -> bool {
        match (self, caller) {
            (PrincipalEntry::Everyone, _) => true,
            (PrincipalEntry::Account { account, partition }, c) => {
                c.account() == Some(account.as_str()) && partition.as_deref().is_none_or(|p| c.partition() == Some(p))
            }
            (PrincipalEntry::User(arn), Caller::User { arn: c, .. }) => arn == c,
            (
                PrincipalEntry::Role { arn, account, name },
                Caller::Session { account: ca, role_name, role_arn, role_path_known, .. },
            ) => account == ca && name == role_name && (!role_path_known || arn == role_arn),
            (PrincipalEntry::Session(arn), Caller::Session { arn: c, .. }) => arn == c,
            (PrincipalEntry::FederatedUser(arn), Caller::FederatedUser { arn: c, .. }) => arn == c,
            (PrincipalEntry::Service(s), Caller::Service { name }) => s.eq_ignore_ascii_case(name),
            _ => false,
        }
    }

    /// Whether a match by this entry grants "directly" to the caller (a user or session ARN named as such):
    /// such grants in a same-account resource policy are not limited by a permissions boundary.
    pub fn is_direct(&self) -> bool {
        matches!(self, PrincipalEntry::User(_) | PrincipalEntry::Session(_) | PrincipalEntry::FederatedUser(_))
    }

    pub fn describe(&self) -> String {
        match self {
            PrincipalEntry::Everyone => String::from("`*` (everyone)"),
            PrincipalEntry::Account { account, .. } => format!("account `{account}`"),
            PrincipalEntry::User(arn) | PrincipalEntry::Session(arn) | PrincipalEntry::FederatedUser(arn) => {
                format!("`{arn}`")
            }
            PrincipalEntry::Role { account, name, .. } => format!("role `{name}` of account `{account}`"),
            PrincipalEntry::Service(s) => format!("service `{s}`"),
            PrincipalEntry::Other(s) => format!("`{s}`"),
        }
    }
}

/// A compiled Principal or NotPrincipal element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalSpec {
    pub negated: bool,
    pub entries: Vec<PrincipalEntry>,
}

impl PrincipalSpec {
    /// The entry that names the caller, if any.
    pub fn naming(&self, caller: &Caller) -> Option<&PrincipalEntry> {
        self.entries.iter().find(|e| e.names(caller))
    }

    /// Does the element match? Principal: some entry names the caller. NotPrincipal: none does.
    pub fn matches(&self, caller: &Caller) -> bool {
        self.naming(caller).is_some() != self.negated
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Caller {
        Caller::from_arn("arn:aws:sts::111122223333:assumed-role/deploy/alice", |_, _| None)
            .unwrap_or(Caller::Anonymous)
    }

    #[test]
    fn role_entry_names_its_sessions_but_a_session_entry_only_itself() {
        let role = PrincipalEntry::parse_aws("arn:aws:iam::111122223333:role/ops/deploy");
        assert_eq!(
            role,
            Ok(PrincipalEntry::Role {
                arn: "arn:aws:iam::111122223333:role/ops/deploy".into(),
                account: "111122223333".into(),
                name: "deploy".into()
            })
        );
        assert!(role.map(|r| r.names(&session())).unwrap_or(false));
        let other = PrincipalEntry::parse_aws("arn:aws:sts::111122223333:assumed-role/deploy/bob");
        assert!(!other.map(|r| r.names(&session())).unwrap_or(true));
    }

    #[test]
    fn a_role_entry_must_be_the_described_role_with_its_path() {
        let described = |path: &'static str| {
            move |account: &str, name: &str| Some(format!("arn:aws:iam::{account}:role/{path}{name}"))
        };
        let caller = |path| Caller::from_arn("arn:aws:sts::111122223333:assumed-role/deploy/alice", described(path));
        let entry = |arn| PrincipalEntry::parse_aws(arn).unwrap_or(PrincipalEntry::Everyone);
        let with_path = entry("arn:aws:iam::111122223333:role/ops/deploy");
        let without = entry("arn:aws:iam::111122223333:role/deploy");
        let (in_ops, at_root) = (caller("ops/"), caller(""));
        assert!(matches!(in_ops, Ok(Caller::Session { role_path_known: true, .. })));
        assert!(in_ops.as_ref().is_ok_and(|c| with_path.names(c) && !without.names(c)));
        assert!(at_root.as_ref().is_ok_and(|c| !with_path.names(c) && without.names(c)));
        // A role the scenario does not describe: its path is unknown, account and name decide.
        assert!(with_path.names(&session()) && without.names(&session()));
    }

    #[test]
    fn unique_ids_are_told_from_other_text() {
        for id in ["AIDAJQABLZS4A3QDU576Q", "AROADBQP57FF2AEXAMPLE"] {
            assert!(is_unique_id(id), "{id}");
        }
        for text in
            ["AIDA", "AIDAshort", "aidajqablzs4a3qdu576q", "AIDAJQABLZS4A3QDU576Q:session", "ASIAJQABLZS4A3QDU576"]
        {
            assert!(!is_unique_id(text), "{text}");
        }
    }

    #[test]
    fn partial_wildcards_are_invalid() {
        let err = PrincipalEntry::parse_aws("arn:aws:iam::*:user/x");
        assert!(err.is_err_and(|m| m.contains("wildcard")));
    }

    #[test]
    fn account_entry_never_names_anonymous() {
        let acct = PrincipalEntry::Account { account: "111122223333".into(), partition: None };
        assert!(!acct.names(&Caller::Anonymous));
        assert!(acct.names(&session()));
        assert!(PrincipalEntry::Everyone.names(&Caller::Anonymous));
    }

    #[test]
    fn session_principal_arn_is_the_role() {
        let caller = Caller::from_arn("arn:aws:sts::111122223333:assumed-role/deploy/alice", |a, n| {
            Some(format!("arn:aws:iam::{a}:role/ops/{n}"))
        });
        assert_eq!(
            caller.ok().as_ref().and_then(Caller::principal_arn),
            Some("arn:aws:iam::111122223333:role/ops/deploy")
        );
    }
}

//! Amazon Resource Names: `arn:partition:service:region:account:resource`, and the execute-api method ARN.

/// A borrowed view of an ARN's six parts. The resource part keeps any further colons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Split an ARN; `None` when it does not start with `arn:` or has fewer than six parts.
    pub fn parse(text: &'a str) -> Option<Arn<'a>> {
        let mut parts = text.splitn(6, ':');
        if parts.next()? != "arn" {
            return None;
        }
        let partition = parts.next()?;
        let service = parts.next()?;
        let region = parts.next()?;
        let account = parts.next()?;
        let resource = parts.next()?;
        if partition.is_empty() || service.is_empty() {
            return None;
        }
        Some(Arn { partition, service, region, account, resource })
    }
}

/// True for a 12-digit AWS account id.
pub fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// The method ARN API Gateway builds for a request:
/// `arn:{partition}:execute-api:{region}:{account}:{api-id}/{stage}/{VERB}/{path without leading slash}`.
pub fn method_arn(prefix: &str, stage: &str, verb: &str, path: &str) -> String {
    let path = path.strip_prefix('/').unwrap_or(path);
    let mut arn = String::with_capacity(prefix.len() + stage.len() + verb.len() + path.len() + 3);
    arn.push_str(prefix);
    arn.push_str(stage);
    arn.push('/');
    arn.push_str(verb);
    arn.push('/');
    arn.push_str(path);
    arn
}

/// The method ARN with the account replaced by `********` and its last four digits, as API Gateway prints it
/// in AccessDeniedException messages.
pub fn mask_account(arn: &str) -> String {
    let mut masked = String::with_capacity(arn.len() + 8);
    push_masked(&mut masked, arn);
    masked
}

/// Append the masked ARN to `out` (the message that quotes it is built in one buffer).
pub fn push_masked(out: &mut String, arn: &str) {
    match Arn::parse(arn) {
        Some(parts) if parts.account.len() >= 4 => {
            let last4 = parts.account.get(parts.account.len() - 4..).unwrap_or("");
            // `arn:{partition}:{service}:{region}:********{last4}:{resource}`, built without `format!`: this runs
            // for every denied request.
            for piece in ["arn:", parts.partition, ":", parts.service, ":", parts.region, ":********", last4, ":"] {
                out.push_str(piece);
            }
            out.push_str(parts.resource);
        }
        _ => out.push_str(arn),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_six_parts_and_keeps_colons_in_the_resource() {
        let arn = Arn::parse("arn:aws:lambda:us-east-1:111122223333:function:pets:live");
        assert_eq!(
            arn,
            Some(Arn {
                partition: "aws",
                service: "lambda",
                region: "us-east-1",
                account: "111122223333",
                resource: "function:pets:live"
            })
        );
        assert_eq!(Arn::parse("arn:aws:iam::111122223333").map(|a| a.account), None);
        assert_eq!(Arn::parse("urn:aws:iam::1:user/x"), None);
    }

    #[test]
    fn method_arn_of_root_ends_with_a_slash() {
        let prefix = "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/";
        assert_eq!(method_arn(prefix, "prod", "GET", "/"), format!("{prefix}prod/GET/"));
        assert_eq!(method_arn(prefix, "prod", "GET", "/pets/42"), format!("{prefix}prod/GET/pets/42"));
    }

    #[test]
    fn masks_all_but_the_last_four_digits() {
        assert_eq!(
            mask_account("arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/prod/GET/pets"),
            "arn:aws:execute-api:us-east-1:********3333:a1b2c3d4e5/prod/GET/pets"
        );
    }
}

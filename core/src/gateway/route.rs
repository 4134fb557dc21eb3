//! Routing: which method of the API a request reaches (authorization-flows.md §1, step 2).
//!
//! API Gateway picks the resource first, preferring at each level a literal segment over `{param}` over
//! `{proxy+}`, then the method on that resource: the verb itself, else `ANY`. A resource that matches but has
//! neither is an undefined route (403 Missing Authentication Token), even if a less specific resource would
//! have the verb.

use crate::scenario::{MethodConfig, RouteSegment};

/// How specifically a resource path matched, segment by segment: higher is more specific.
fn rank(segments: &[RouteSegment], path: &[&str]) -> Option<Vec<u8>> {
    let mut score = Vec::with_capacity(segments.len());
    let mut rest = path;
    for segment in segments {
        match segment {
            RouteSegment::Literal(text) => {
                let (first, tail) = rest.split_first()?;
                if first != text {
                    return None;
                }
                score.push(3);
                rest = tail;
            }
            RouteSegment::Param(_) => {
                let (first, tail) = rest.split_first()?;
                if first.is_empty() {
                    return None;
                }
                score.push(2);
                rest = tail;
            }
            RouteSegment::Greedy(_) => {
                if rest.is_empty() || rest.iter().all(|s| s.is_empty()) {
                    return None;
                }
                score.push(1);
                rest = &[];
            }
        }
    }
    rest.is_empty().then_some(score)
}

/// The request path's segments; a single trailing slash is ignored, as API Gateway does.
pub fn split_path(path: &str) -> Vec<&str> {
    let trimmed = path.strip_prefix('/').unwrap_or(path);
    let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
    if trimmed.is_empty() {
        Vec::new()
    } else {
        trimmed.split('/').collect()
    }
}

/// The method a request reaches, or `None` for an undefined route. Also returns the matched resource path.
pub fn route<'m>(methods: &'m [MethodConfig], verb: &str, path: &str) -> Result<&'m MethodConfig, Option<&'m str>> {
    let segments = split_path(path);
    let mut best: Option<(Vec<u8>, &'m str)> = None;
    for method in methods {
        if let Some(score) = rank(&method.segments, &segments) {
            let better = match &best {
                None => true,
                Some((s, _)) => score > *s,
            };
            if better {
                best = Some((score, method.resource_path.as_str()));
            }
        }
    }
    let Some((_, resource)) = best else { return Err(None) };
    let on_resource = || methods.iter().filter(move |m| m.resource_path == resource);
    on_resource()
        .find(|m| m.http_method == verb)
        .or_else(|| on_resource().find(|m| m.http_method == "ANY"))
        .ok_or(Some(resource))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{parse_resource_path, AuthorizationType};

    fn method(verb: &str, path: &str) -> MethodConfig {
        MethodConfig {
            http_method: verb.to_owned(),
            resource_path: path.to_owned(),
            segments: parse_resource_path(path).unwrap_or_default(),
            authorization_type: AuthorizationType::None,
            authorizer_id: None,
            authorization_scopes: Vec::new(),
        }
    }

    #[test]
    fn literal_beats_param_beats_greedy() {
        let methods = vec![method("GET", "/{proxy+}"), method("GET", "/pets/{id}"), method("GET", "/pets/mine")];
        let hit = |p: &str| route(&methods, "GET", p).map(|m| m.resource_path.clone()).ok();
        assert_eq!(hit("/pets/mine").as_deref(), Some("/pets/mine"));
        assert_eq!(hit("/pets/42").as_deref(), Some("/pets/{id}"));
        assert_eq!(hit("/pets/42/toys").as_deref(), Some("/{proxy+}"));
        assert_eq!(hit("/").as_deref(), None);
    }

    #[test]
    fn any_is_the_fallback_verb_and_a_matched_resource_without_the_verb_is_no_route() {
        let methods = vec![method("ANY", "/pets"), method("GET", "/pets/{id}"), method("ANY", "/{proxy+}")];
        assert_eq!(route(&methods, "DELETE", "/pets").map(|m| m.http_method.as_str()).ok(), Some("ANY"));
        assert_eq!(route(&methods, "POST", "/pets/1").err(), Some(Some("/pets/{id}")));
        assert!(route(&methods, "GET", "/").is_err());
    }

    #[test]
    fn root_resource_matches_only_the_root() {
        let methods = vec![method("GET", "/")];
        assert!(route(&methods, "GET", "/").is_ok());
        assert!(route(&methods, "GET", "/x").is_err());
    }
}

//! Routing: which method of the API a request reaches (authorization-flows.md §1, step 2).
//!
//! API Gateway picks the resource first, preferring at each level a literal segment over `{param}` over
//! `{proxy+}`, then the method on that resource: the verb itself, else `ANY`. A resource that matches but has
//! neither is an undefined route (403 Missing Authentication Token), even if a less specific resource would
//! have the verb.

use crate::scenario::{MethodConfig, RouteSegment};

/// How specific a segment is: a literal beats `{param}` beats `{proxy+}`. A resource's specificity is the sequence
/// of its segments' weights, compared lexicographically. It depends only on the resource, so two matches are
/// compared without building a score per method and request (that allocation was a quarter of the fast path's).
fn weight(segment: &RouteSegment) -> u8 {
    match segment {
        RouteSegment::Literal(_) => 3,
        RouteSegment::Param(_) => 2,
        RouteSegment::Greedy(_) => 1,
    }
}

/// Does a resource path match the request path's segments? `nonempty_until` is one past the request's last
/// non-empty segment: a `{proxy+}` needs one from where it stands, and scanning for it per method made a path of
/// many empty segments (`//////x`) cost its length for each greedy resource.
fn matches(segments: &[RouteSegment], path: &[&str], nonempty_until: usize) -> bool {
    let mut rest = path;
    for segment in segments {
        match segment {
            RouteSegment::Literal(text) => match rest.split_first() {
                Some((first, tail)) if first == text => rest = tail,
                _ => return false,
            },
            RouteSegment::Param(_) => match rest.split_first() {
                Some((first, tail)) if !first.is_empty() => rest = tail,
                _ => return false,
            },
            RouteSegment::Greedy(_) => {
                if path.len() - rest.len() >= nonempty_until {
                    return false;
                }
                rest = &[];
            }
        }
    }
    rest.is_empty()
}

/// The request path's segments; a single trailing slash is ignored, as API Gateway does.
fn path_segments(path: &str) -> impl Iterator<Item = &str> {
    let trimmed = path.strip_prefix('/').unwrap_or(path);
    let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
    trimmed.split('/').filter(move |_| !trimmed.is_empty())
}

/// Paths of up to this many segments are split on the stack (every request is routed).
const INLINE_SEGMENTS: usize = 16;

/// The method a request reaches, or `None` for an undefined route. Also returns the matched resource path.
pub fn route<'m>(methods: &'m [MethodConfig], verb: &str, path: &str) -> Result<&'m MethodConfig, Option<&'m str>> {
    let mut inline = [""; INLINE_SEGMENTS];
    let mut count = 0;
    for segment in path_segments(path) {
        if let Some(slot) = inline.get_mut(count) {
            *slot = segment;
        }
        count += 1;
    }
    let longer: Vec<&str>;
    let segments: &[&str] = match inline.get(..count) {
        Some(segments) => segments,
        None => {
            longer = path_segments(path).collect();
            &longer
        }
    };
    let nonempty_until = segments.iter().rposition(|s| !s.is_empty()).map_or(0, |i| i + 1);
    let mut best: Option<&'m MethodConfig> = None;
    for method in methods {
        if matches(&method.segments, segments, nonempty_until) {
            let better = match best {
                None => true,
                Some(b) => method.segments.iter().map(weight).cmp(b.segments.iter().map(weight)).is_gt(),
            };
            if better {
                best = Some(method);
            }
        }
    }
    let Some(resource) = best.map(|m| m.resource_path.as_str()) else { return Err(None) };
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
            api_key_required: false,
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
    fn paths_longer_than_the_inline_segments_route_the_same() {
        // Paths of up to INLINE_SEGMENTS segments are split on the stack, longer ones into a vector.
        for count in [INLINE_SEGMENTS - 1, INLINE_SEGMENTS, INLINE_SEGMENTS + 1, 3 * INLINE_SEGMENTS] {
            let literal: String = (0..count).map(|i| format!("/s{i}")).collect();
            let methods = vec![method("GET", &literal), method("GET", "/s0/{proxy+}")];
            let hit = |p: &str| route(&methods, "GET", p).map(|m| m.resource_path.clone()).ok();
            assert_eq!(hit(&literal).as_deref(), Some(literal.as_str()), "{count}");
            assert_eq!(hit(&format!("{literal}/")).as_deref(), Some(literal.as_str()), "{count}");
            assert_eq!(hit(&format!("{literal}/more")).as_deref(), Some("/s0/{proxy+}"), "{count}");
            assert_eq!(hit(&format!("/x{literal}")), None, "{count}");
        }
    }

    #[test]
    fn a_greedy_resource_needs_a_segment_that_is_not_empty() {
        let methods = vec![method("GET", "/{proxy+}"), method("GET", "/a/{proxy+}")];
        let hit = |p: &str| route(&methods, "GET", p).map(|m| m.resource_path.clone()).ok();
        assert_eq!(hit("/x").as_deref(), Some("/{proxy+}"));
        assert_eq!(hit("//x").as_deref(), Some("/{proxy+}"));
        assert_eq!(hit("/a/x").as_deref(), Some("/a/{proxy+}"));
        assert_eq!(hit("/a//x").as_deref(), Some("/a/{proxy+}"));
        assert_eq!(hit("/a/x//").as_deref(), Some("/a/{proxy+}"));
        // `/a/` and `/a//` leave the greedy segment nothing but empty segments: `/{proxy+}` takes `a`.
        assert_eq!(hit("/a//").as_deref(), Some("/{proxy+}"));
        assert_eq!(hit("///").as_deref(), None);
        assert_eq!(hit("/").as_deref(), None);
    }

    #[test]
    fn root_resource_matches_only_the_root() {
        let methods = vec![method("GET", "/")];
        assert!(route(&methods, "GET", "/").is_ok());
        assert!(route(&methods, "GET", "/x").is_err());
    }
}

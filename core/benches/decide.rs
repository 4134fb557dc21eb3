//! Decisions per second on the seed scenarios (prepared API, fast path and with explanation), one-shot
//! `authorize`, and prepare time for an 8 KB resource policy.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use apigw_authz::{PreparedApi, Request};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_json::Value;

/// A seed suite split into its prepared API and its case requests.
fn load(name: &str) -> (PreparedApi, Vec<Request>, Vec<String>, Vec<String>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/scenarios").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut suite: Value = serde_json::from_str(&text).unwrap();
    let cases = suite.as_object_mut().unwrap().remove("cases").unwrap();
    suite.as_object_mut().unwrap().remove("description");
    let api = PreparedApi::new(&suite).unwrap();
    let mut requests = Vec::new();
    let mut scenarios = Vec::new();
    let mut texts = Vec::new();
    for case in cases.as_array().unwrap() {
        let request = &case["request"];
        let parsed = api.parse_request(request).unwrap();
        // A case that relies on the suite's authorizer cache (its request carries no `authorizerResult`) cannot
        // be decided alone: leave it out rather than stop the whole benchmark.
        if api.decide(&parsed).is_err() {
            continue;
        }
        requests.push(parsed);
        texts.push(request.to_string());
        let mut scenario = suite.clone();
        scenario.as_object_mut().unwrap().insert("request".into(), request.clone());
        scenarios.push(scenario.to_string());
    }
    (api, requests, scenarios, texts)
}

fn seeds(c: &mut Criterion) {
    for name in [
        "1a-partner-and-office.json",
        "1c-deny-bad-network.json",
        "2-iam-users.json",
        "3-private-api-endpoints.json",
        "4-lambda-authorizer-cache.json",
    ] {
        if !Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/scenarios").join(name).exists() {
            continue;
        }
        let (api, requests, scenarios, texts) = load(name);
        let mut group = c.benchmark_group(name.trim_end_matches(".json"));
        group.measurement_time(Duration::from_secs(3));
        group.throughput(Throughput::Elements(requests.len() as u64));
        group.bench_function("prepared decide (fast path)", |b| {
            b.iter(|| {
                for r in &requests {
                    black_box(api.decide(black_box(r)).unwrap());
                }
            })
        });
        group.bench_function("read request (JSON text)", |b| {
            b.iter(|| {
                for t in &texts {
                    black_box(api.parse_request(black_box(t.as_str())).unwrap());
                }
            })
        });
        let decisions: Vec<_> = requests.iter().map(|r| api.decide(r).unwrap()).collect();
        group.bench_function("write decision (JSON text)", |b| {
            b.iter(|| {
                for d in &decisions {
                    black_box(black_box(d).to_json());
                }
            })
        });
        group.bench_function("prepared authorize (with explanation)", |b| {
            b.iter(|| {
                for r in &requests {
                    black_box(api.authorize(black_box(r)).unwrap());
                }
            })
        });
        group.bench_function("one-shot authorize (JSON text in)", |b| {
            b.iter(|| {
                for s in &scenarios {
                    black_box(apigw_authz::authorize(black_box(s.as_str())).ok());
                }
            })
        });
        group.finish();
    }
}

/// A resource policy of about 8 KB (34 statements with conditions, as a large real policy has), shared with
/// benchmarks/rust.
fn policy_8kb() -> String {
    String::from(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/benches/fixtures/policy-8kb.json")))
}

fn prepare(c: &mut Criterion) {
    let policy = policy_8kb();
    let scenario =
        format!(r#"{{"api":{{"id":"a1b2c3d4e5","accountId":"111122223333","region":"us-east-1","policy":{policy}}}}}"#);
    let mut group = c.benchmark_group("prepare");
    group.throughput(Throughput::Bytes(policy.len() as u64));
    group.bench_function(format!("8 KB resource policy ({} bytes)", policy.len()), |b| {
        b.iter(|| black_box(PreparedApi::new(black_box(scenario.as_str())).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, seeds, prepare);
criterion_main!(benches);

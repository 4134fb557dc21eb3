//! Decisions per second on the seed scenarios (prepared API, fast path and with explanation), one-shot
//! `authorize`, and prepare time for an 8 KB resource policy.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use apigw_authz::{Decision, PreparedApi, Request};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_json::Value;

/// Seed cases ready to time: their compiled APIs, and per case the API's index, the request read, its JSON
/// text, the one-shot scenario text and the decision.
#[derive(Default)]
struct Seeds {
    apis: Vec<PreparedApi>,
    cases: Vec<(usize, Request, String, String, Decision)>,
}

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/scenarios")
}

impl Seeds {
    /// Add a seed suite (a file of examples/scenarios/): its API compiled once, its cases' requests.
    fn add(&mut self, name: &str) {
        let path = scenarios_dir().join(name);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut suite: Value = serde_json::from_str(&text).unwrap();
        let cases = suite.as_object_mut().unwrap().remove("cases").unwrap();
        suite.as_object_mut().unwrap().remove("description");
        let api = PreparedApi::new(&suite).unwrap();
        for case in cases.as_array().unwrap() {
            let request = &case["request"];
            let parsed = api.parse_request(request).unwrap();
            // A case that relies on the suite's authorizer cache (its request carries no `authorizerResult`)
            // cannot be decided alone: leave it out rather than stop the whole benchmark.
            let Ok(decision) = api.decide(&parsed) else {
                continue;
            };
            let mut scenario = suite.clone();
            scenario.as_object_mut().unwrap().insert("request".into(), request.clone());
            self.cases.push((self.apis.len(), parsed, request.to_string(), scenario.to_string(), decision));
        }
        self.apis.push(api);
    }

    /// One criterion group: each stage of a decision over all the cases, in order.
    fn bench(&self, c: &mut Criterion, group: &str) {
        let mut group = c.benchmark_group(group);
        group.measurement_time(Duration::from_secs(3));
        group.throughput(Throughput::Elements(self.cases.len() as u64));
        group.bench_function("prepared decide (fast path)", |b| {
            b.iter(|| {
                for (api, request, ..) in &self.cases {
                    black_box(self.apis[*api].decide(black_box(request)).unwrap());
                }
            })
        });
        group.bench_function("read request (JSON text)", |b| {
            b.iter(|| {
                for (api, _, text, ..) in &self.cases {
                    black_box(self.apis[*api].parse_request(black_box(text.as_str())).unwrap());
                }
            })
        });
        group.bench_function("write decision (JSON text)", |b| {
            b.iter(|| {
                for (.., decision) in &self.cases {
                    black_box(black_box(decision).to_json());
                }
            })
        });
        group.bench_function("read, decide, write (JSON text in and out)", |b| {
            b.iter(|| {
                for (api, _, text, ..) in &self.cases {
                    let api = &self.apis[*api];
                    black_box(api.decide(&api.parse_request(black_box(text.as_str())).unwrap()).unwrap().to_json());
                }
            })
        });
        group.bench_function("prepared authorize (with explanation)", |b| {
            b.iter(|| {
                for (api, request, ..) in &self.cases {
                    black_box(self.apis[*api].authorize(black_box(request)).unwrap());
                }
            })
        });
        group.bench_function("one-shot authorize (JSON text in)", |b| {
            b.iter(|| {
                for (_, _, _, scenario, _) in &self.cases {
                    black_box(apigw_authz::authorize(black_box(scenario.as_str())).ok());
                }
            })
        });
        group.finish();
    }
}

fn seeds(c: &mut Criterion) {
    for name in [
        "1a-partner-and-office.json",
        "1c-deny-bad-network.json",
        "2-iam-users.json",
        "3-private-api-endpoints.json",
        "4-lambda-authorizer-cache.json",
    ] {
        if scenarios_dir().join(name).exists() {
            let mut seeds = Seeds::default();
            seeds.add(name);
            seeds.bench(c, name.trim_end_matches(".json"));
        }
    }
    // Every seed suite with an `api`, the requests npm's bench/bench.mjs and bench/floor.mjs decide: the native
    // figures those compare with (bindings-js/README.md, "Size and speed").
    let mut all = Seeds::default();
    let mut names: Vec<String> = std::fs::read_dir(scenarios_dir())
        .unwrap()
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();
    for name in names {
        let text = std::fs::read_to_string(scenarios_dir().join(&name)).unwrap();
        let suite: Value = serde_json::from_str(&text).unwrap();
        if suite.get("api").is_some() && suite.get("cases").is_some_and(Value::is_array) {
            all.add(&name);
        }
    }
    all.bench(c, "all-seed-requests");
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

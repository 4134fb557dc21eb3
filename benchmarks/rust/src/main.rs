//! The Rust front of `benchmarks/run.sh` (a harness, not a test).
//!
//! ```text
//! apigw-authz-bench scenarios DIR [--seconds S]   decisions/s on scenarios.py's files: apigw-authz and Cedar
//! apigw-authz-bench seeds DIR [--seconds S]       decisions/s on each example suite (examples/scenarios)
//! apigw-authz-bench growth [--seconds S]          decisions/s against statements (1..1,000) and principals (1..100,000)
//! apigw-authz-bench memory                        bytes held by a prepared API of 8 KB of policy; allocations per decision
//! apigw-authz-bench hot FILE [--seconds S | --rounds N] [--parse]   the decide (or parse_request) loop alone, for a profiler
//! ```
//! Every mode prints one JSON document on stdout. Figures are the best of three timed runs on one thread.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::Path;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

use apigw_authz::{PreparedApi, Request};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------------------------
// A counting allocator: live bytes, peak bytes and the number of allocations, while `COUNTING` is on. Off, it
// costs one relaxed load per call, so the timed loops measure the system allocator, not the counters.

struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

fn grew(by: isize) {
    let live = LIVE.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(live, Relaxed);
}

// SAFETY: every call forwards to the system allocator with the same layout; the counters only observe.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() && COUNTING.load(Relaxed) {
            ALLOCATIONS.fetch_add(1, Relaxed);
            grew(layout.size() as isize);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() && COUNTING.load(Relaxed) {
            ALLOCATIONS.fetch_add(1, Relaxed);
            grew(layout.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        if COUNTING.load(Relaxed) {
            LIVE.fetch_sub(layout.size() as isize, Relaxed);
        }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() && COUNTING.load(Relaxed) {
            ALLOCATIONS.fetch_add(1, Relaxed);
            grew(new_size as isize - layout.size() as isize);
        }
        p
    }
}

/// Run `f` with the counters on: (its result, allocations, bytes still held after it, peak above the start).
fn counted<T>(f: impl FnOnce() -> T) -> (T, usize, isize, isize) {
    let allocations = ALLOCATIONS.load(Relaxed);
    let live = LIVE.load(Relaxed);
    PEAK.store(live, Relaxed);
    COUNTING.store(true, Relaxed);
    let out = f();
    COUNTING.store(false, Relaxed);
    (out, ALLOCATIONS.load(Relaxed) - allocations, LIVE.load(Relaxed) - live, PEAK.load(Relaxed) - live)
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

// ---------------------------------------------------------------------------------------------------------------
// Timing

/// Best of three runs of about `seconds` each: `one(i)` is called round-robin over `n` requests.
fn per_second(seconds: f64, n: usize, mut one: impl FnMut(usize)) -> f64 {
    let budget = Duration::from_secs_f64(seconds);
    let mut best: f64 = 0.0;
    for _ in 0..3 {
        let start = Instant::now();
        let mut count = 0usize;
        while start.elapsed() < budget {
            for i in 0..n {
                one(i);
            }
            count += n;
        }
        best = best.max(count as f64 / start.elapsed().as_secs_f64());
    }
    best
}

/// Allocations made by `f`, per call, over `n` calls.
fn allocations_per_call(n: usize, mut f: impl FnMut(usize)) -> f64 {
    let ((), allocations, _, _) = counted(|| {
        for i in 0..n {
            f(i);
        }
    });
    allocations as f64 / n as f64
}

fn fail(message: String) -> ! {
    eprintln!("apigw-authz-bench: {message}");
    std::process::exit(2)
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| fail(format!("{}: {e}", path.display())));
    serde_json::from_str(&text).unwrap_or_else(|e| fail(format!("{}: {e}", path.display())))
}

fn prepare(config: &Value) -> PreparedApi {
    PreparedApi::new(config).unwrap_or_else(|e| fail(format!("prepare: {}", e.to_json())))
}

fn requests(api: &PreparedApi, requests: &[Value]) -> Vec<Request> {
    requests
        .iter()
        .map(|r| api.parse_request(r).unwrap_or_else(|e| fail(format!("request: {}", e.to_json()))))
        .collect()
}

fn decision_name(api: &PreparedApi, r: &Request) -> String {
    let d = api.decide(r).unwrap_or_else(|e| fail(format!("decide: {}", e.to_json())));
    d.decision.as_str().to_owned()
}

// ---------------------------------------------------------------------------------------------------------------
// scenarios: apigw-authz and Cedar (the cedar-policy crate) on scenarios.py's files

fn cedar_engine(s: &Value, seconds: f64) -> Value {
    use cedar_policy::{Authorizer, Context, Decision, Entities, EntityUid, PolicySet, Request as CedarRequest};
    let cedar = &s["cedar"];
    let policies = PolicySet::from_str(cedar["policies"].as_str().unwrap_or_default())
        .unwrap_or_else(|e| fail(format!("cedar policies: {e}")));
    let entities = Entities::from_json_value(cedar["entities"].clone(), None)
        .unwrap_or_else(|e| fail(format!("cedar entities: {e}")));
    let uid = |v: &Value| EntityUid::from_json(v.clone()).unwrap_or_else(|e| fail(format!("cedar uid: {e}")));
    let build = |r: &Value| {
        let context = Context::from_json_value(r["context"].clone(), None)
            .unwrap_or_else(|e| fail(format!("cedar context: {e}")));
        CedarRequest::new(uid(&r["principal"]), uid(&r["action"]), uid(&r["resource"]), context, None)
            .unwrap_or_else(|e| fail(format!("cedar request: {e}")))
    };
    let raw: Vec<Value> = cedar["requests"].as_array().cloned().unwrap_or_default();
    let prepared: Vec<CedarRequest> = raw.iter().map(build).collect();
    let authorizer = Authorizer::new();
    let gate = cedar["gate"].as_str().unwrap_or_default();
    let decisions: Vec<String> = prepared
        .iter()
        .map(|r| {
            let response = authorizer.is_authorized(r, &policies, &entities);
            if let Some(e) = response.diagnostics().errors().next() {
                fail(format!("cedar policy error: {e}"));
            }
            match response.decision() {
                Decision::Allow => "Allow".to_owned(),
                Decision::Deny if response.diagnostics().reason().any(|id| id.to_string() != gate) => {
                    "ExplicitDeny".to_owned()
                }
                Decision::Deny => "ImplicitDeny".to_owned(),
            }
        })
        .collect();
    let n = prepared.len();
    let rate = per_second(seconds, n, |i| {
        black_box(authorizer.is_authorized(black_box(&prepared[i]), &policies, &entities));
    });
    // With the request built from its JSON on every call, as a service receiving requests would.
    let with_request = per_second(seconds, n, |i| {
        let r = build(&raw[i]);
        black_box(authorizer.is_authorized(&r, &policies, &entities));
    });
    json!({"decisions": decisions, "perSecond": rate, "withRequestPerSecond": with_request,
           "note": "Authorizer::is_authorized (policies, entities and request prepared once)"})
}

fn scenarios(dir: &Path, seconds: f64) -> Value {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| fail(format!("{}: {e}", dir.display())))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let s = read_json(&path);
        let start = Instant::now();
        let api = prepare(&s["config"]);
        let prepare_us = start.elapsed().as_secs_f64() * 1e6;
        let raw: Vec<Value> = s["requests"].as_array().cloned().unwrap_or_default();
        let reqs = requests(&api, &raw);
        let texts: Vec<String> = raw.iter().map(Value::to_string).collect();
        let n = reqs.len();
        let decisions: Vec<String> = reqs.iter().map(|r| decision_name(&api, r)).collect();
        let decide = per_second(seconds, n, |i| {
            black_box(api.decide(black_box(&reqs[i])).ok());
        });
        let authorize = per_second(seconds, n, |i| {
            black_box(api.authorize(black_box(&reqs[i])).ok());
        });
        // What every binding does per call: read the request, decide, write the decision JSON.
        let round_trip = per_second(seconds, n, |i| {
            let r = api.parse_request(texts[i].as_str()).ok();
            black_box(r.and_then(|r| api.decide(&r).ok()).map(|d| d.to_json()));
        });
        let parse = per_second(seconds, n, |i| {
            black_box(api.parse_request(black_box(texts[i].as_str())).ok());
        });
        let allocations = allocations_per_call(n * 100, |i| {
            black_box(api.decide(&reqs[i % n]).ok());
        });
        out.push(json!({
            "scenario": s["name"],
            "front": "rust",
            "engines": {
                "apigw-authz": {"decisions": decisions, "perSecond": decide,
                                "allocationsPerDecision": allocations, "prepareMicros": prepare_us,
                                "note": "PreparedApi::decide(&Request)"},
                "apigw-authz (with explanation)": {"decisions": decisions, "perSecond": authorize,
                                                    "note": "PreparedApi::authorize(&Request)"},
                "apigw-authz (JSON in, JSON out)": {"decisions": decisions, "perSecond": round_trip,
                    "parseRequestPerSecond": parse,
                    "note": "parse_request(JSON text) + decide + Decision::to_json"},
                "cedar-policy": cedar_engine(&s, seconds),
            }
        }));
        eprintln!("rust: {} done", s["name"].as_str().unwrap_or_default());
    }
    Value::Array(out)
}

// ---------------------------------------------------------------------------------------------------------------
// seeds: each example suite, all its cases, prepared

fn seeds(dir: &Path, seconds: f64) -> Value {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| fail(format!("{}: {e}", dir.display())))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let mut suite = read_json(&path);
        let Some(obj) = suite.as_object_mut() else { continue };
        if !obj.contains_key("api") {
            continue; // the general IAM suites (`resources`) have no prepared API
        }
        let cases = obj.remove("cases").unwrap_or_default();
        obj.remove("description");
        let api = prepare(&suite);
        let raw: Vec<Value> =
            cases.as_array().map(|c| c.iter().map(|c| c["request"].clone()).collect()).unwrap_or_default();
        let reqs = requests(&api, &raw);
        let n = reqs.len();
        let decide = per_second(seconds, n, |i| {
            black_box(api.decide(black_box(&reqs[i])).ok());
        });
        let authorize = per_second(seconds, n, |i| {
            black_box(api.authorize(black_box(&reqs[i])).ok());
        });
        let allocations = allocations_per_call(n * 100, |i| {
            black_box(api.decide(&reqs[i % n]).ok());
        });
        out.push(json!({
            "suite": path.file_stem().and_then(|s| s.to_str()),
            "cases": n,
            "decidePerSecond": decide,
            "authorizePerSecond": authorize,
            "allocationsPerDecision": allocations,
        }));
        eprintln!("rust: seed {} done", path.display());
    }
    Value::Array(out)
}

// ---------------------------------------------------------------------------------------------------------------
// growth: the shapes of scenarios.py's identity set, scaled

const OWNER: &str = "111122223333";
const PREFIX: &str = "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/";

fn statement(n: usize, resource: String) -> Value {
    if n % 50 == 49 {
        json!({"Sid": format!("S{n}"), "Effect": "Deny", "Action": "execute-api:Invoke",
               "Resource": format!("{PREFIX}prod/DELETE/r/{n}/*")})
    } else if n.is_multiple_of(4) {
        json!({"Sid": format!("S{n}"), "Effect": "Allow", "Action": "execute-api:Invoke", "Resource": resource,
               "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}})
    } else {
        json!({"Sid": format!("S{n}"), "Effect": "Allow", "Action": "execute-api:Invoke", "Resource": resource})
    }
}

fn api_config(principals: serde_json::Map<String, Value>) -> Value {
    json!({"api": {"id": "a1b2c3d4e5", "accountId": OWNER, "region": "us-east-1", "authorizationType": "AWS_IAM"},
           "principals": principals})
}

fn request(user: usize, verb: &str, path: String, ip: &str) -> Value {
    json!({"httpMethod": verb, "path": path, "stage": "prod", "sourceIp": ip,
           "caller": {"arn": format!("arn:aws:iam::{OWNER}:user/u{user}"), "signature": "valid"}})
}

/// One user whose identity policies (10 statements each) hold `statements` statements in all.
fn by_statements(statements: usize) -> (Value, Vec<Value>) {
    let mut docs = Vec::new();
    let mut n = 0;
    while n < statements {
        let batch: Vec<Value> =
            (n..statements.min(n + 10)).map(|k| statement(k, format!("{PREFIX}prod/*/r/{k}/*"))).collect();
        n += batch.len();
        docs.push(json!({"Version": "2012-10-17", "Statement": batch}));
    }
    let mut principals = serde_json::Map::new();
    principals.insert(format!("arn:aws:iam::{OWNER}:user/u0"), json!({"policies": docs}));
    let last = statements - 1;
    let mut reqs = Vec::new();
    for r in [0, last / 2, last] {
        reqs.push(request(0, "GET", format!("/r/{r}/x"), "10.1.2.3"));
        reqs.push(request(0, "GET", format!("/r/{r}/x"), "203.0.113.9"));
    }
    reqs.push(request(0, "DELETE", format!("/r/{}/x", 49.min(last)), "10.1.2.3"));
    reqs.push(request(0, "GET", format!("/r/{}/x", statements + 5), "10.1.2.3"));
    (api_config(principals), reqs)
}

/// `count` users, each with its own identity policy (its own path, a Deny on DELETE); requests from users
/// spread over the whole range.
fn by_principals(count: usize) -> (Value, Vec<Value>) {
    let mut principals = serde_json::Map::new();
    for k in 0..count {
        let doc = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": format!("{PREFIX}prod/*/u/{k}/*")},
            {"Effect": "Deny", "Action": "execute-api:Invoke", "Resource": format!("{PREFIX}*/DELETE/*")}]});
        principals.insert(format!("arn:aws:iam::{OWNER}:user/u{k}"), json!({"policies": [doc]}));
    }
    let users = [0, count / 3, count / 2, (2 * count) / 3, count - 1];
    let mut reqs = Vec::new();
    for (j, &u) in users.iter().enumerate() {
        reqs.push(request(u, "GET", format!("/u/{u}/orders"), "203.0.113.9"));
        reqs.push(request(
            u,
            if j % 2 == 0 { "DELETE" } else { "GET" },
            format!("/u/{}/orders", (u + 1) % count),
            "203.0.113.9",
        ));
    }
    (api_config(principals), reqs)
}

fn growth(seconds: f64) -> Value {
    let measure = |config: Value, raw: Vec<Value>, label: &str| {
        // Given as a parsed value: JSON text is limited to 8 MB, and 100,000 principals take 35 MB.
        let bytes = config.to_string().len();
        let start = Instant::now();
        let api = PreparedApi::new(&config).unwrap_or_else(|e| fail(format!("{label}: {}", e.to_json())));
        let prepare_ms = start.elapsed().as_secs_f64() * 1e3;
        drop(config);
        let reqs = requests(&api, &raw);
        let decisions: Vec<String> = reqs.iter().map(|r| decision_name(&api, r)).collect();
        let rate = per_second(seconds, reqs.len(), |i| {
            black_box(api.decide(black_box(&reqs[i])).ok());
        });
        eprintln!("rust: growth {label}: {rate:.0}/s");
        json!({"perSecond": rate, "prepareMillis": prepare_ms, "configBytes": bytes, "decisions": decisions})
    };
    let mut statements = Vec::new();
    for n in [1usize, 2, 5, 10, 20, 50, 100, 200, 500, 1000] {
        let (config, reqs) = by_statements(n);
        let mut m = measure(config, reqs, &format!("{n} statements"));
        m["statements"] = json!(n);
        statements.push(m);
    }
    let mut principals = Vec::new();
    for n in [1usize, 10, 100, 1_000, 10_000, 100_000] {
        let (config, reqs) = by_principals(n);
        let mut m = measure(config, reqs, &format!("{n} principals"));
        m["principals"] = json!(n);
        principals.push(m);
    }
    json!({"statements": statements, "principals": principals})
}

// ---------------------------------------------------------------------------------------------------------------
// memory

/// The 8 KB resource policy of core/benches/decide.rs (its fixture file): 34 statements with conditions.
fn policy_8kb() -> String {
    String::from(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../core/benches/fixtures/policy-8kb.json")))
}

fn memory() -> Value {
    let policy = policy_8kb();
    let statements = policy.matches("\"Sid\"").count();
    let config =
        format!(r#"{{"api":{{"id":"a1b2c3d4e5","accountId":"111122223333","region":"us-east-1","policy":{policy}}}}}"#);
    let (api, allocations, held, peak) = counted(|| PreparedApi::new(config.as_str()));
    let api = api.unwrap_or_else(|e| fail(e.to_json()));
    // Prepare time, best of many.
    let mut best = f64::MAX;
    for _ in 0..200 {
        let t = Instant::now();
        black_box(PreparedApi::new(black_box(config.as_str())).ok());
        best = best.min(t.elapsed().as_secs_f64() * 1e6);
    }
    let r = api
        .parse_request(r#"{"httpMethod":"GET","path":"/items/7/x","stage":"prod","sourceIp":"10.7.1.1"}"#)
        .unwrap_or_else(|e| fail(e.to_json()));
    let decide_allocations = allocations_per_call(1000, |_| {
        black_box(api.decide(&r).ok());
    });
    let decision = decision_name(&api, &r);
    json!({
        "policyBytes": policy.len(),
        "statements": statements,
        "heldBytes": held,
        "peakBytesDuringPrepare": peak,
        "allocationsDuringPrepare": allocations,
        "prepareMicros": best,
        "decideAllocations": decide_allocations,
        "decision": decision,
    })
}

/// Only the prepared decide loop on one scenario file, for a profiler.
fn hot(path: &Path, seconds: f64, rounds: Option<usize>, parse: bool) -> Value {
    let s = read_json(path);
    let api = prepare(&s["config"]);
    let raw: Vec<Value> = s["requests"].as_array().cloned().unwrap_or_default();
    let reqs = requests(&api, &raw);
    if parse {
        // The request read from its JSON text on every call, as the bindings do.
        let texts: Vec<String> = raw.iter().map(Value::to_string).collect();
        for _ in 0..rounds.unwrap_or(1000) {
            for t in &texts {
                black_box(api.parse_request(black_box(t.as_str())).ok());
            }
        }
        return json!({"scenario": s["name"], "parsed": rounds.unwrap_or(1000) * texts.len()});
    }
    if let Some(rounds) = rounds {
        // A fixed amount of work, for an instruction counter (callgrind): run twice with different `rounds`
        // and divide the difference.
        for _ in 0..rounds {
            for r in &reqs {
                black_box(api.decide(black_box(r)).ok());
            }
        }
        return json!({"scenario": s["name"], "decisions": rounds * reqs.len()});
    }
    let rate = per_second(seconds, reqs.len(), |i| {
        black_box(api.decide(black_box(&reqs[i])).ok());
    });
    json!({"scenario": s["name"], "perSecond": rate})
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seconds = args
        .iter()
        .position(|a| a == "--seconds")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let out = match args.first().map(String::as_str) {
        Some("scenarios") => scenarios(Path::new(args.get(1).map_or(".", String::as_str)), seconds),
        Some("seeds") => seeds(Path::new(args.get(1).map_or(".", String::as_str)), seconds),
        Some("growth") => growth(seconds),
        Some("memory") => memory(),
        Some("hot") => {
            let rounds =
                args.iter().position(|a| a == "--rounds").and_then(|i| args.get(i + 1)).and_then(|s| s.parse().ok());
            hot(
                Path::new(args.get(1).map_or(".", String::as_str)),
                seconds,
                rounds,
                args.iter().any(|a| a == "--parse"),
            )
        }
        _ => fail(String::from("usage: apigw-authz-bench scenarios DIR | seeds DIR | growth | memory [--seconds S]")),
    };
    println!("{out:#}");
}

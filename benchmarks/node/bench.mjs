// The Node front: apigw-authz's npm package (bindings-js/dist) beside @cloud-copilot/iam-simulate and
// @cedar-policy/cedar-wasm, on the scenarios written by scenarios.py.
//
//   node benchmarks/node/bench.mjs SCENARIO_DIR OUT.json [--seconds 1.5]
//
// For each scenario and engine: the decision of every request (normalised to Allow / ExplicitDeny /
// ImplicitDeny, or Allow / Deny where the engine cannot tell the two denies apart), then decisions per second
// over the same requests, round-robin, best of three runs of `seconds` each. Not a test: run.sh runs it.

import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const [scenarioDir, outFile, ...rest] = process.argv.slice(2);
const seconds = Number(rest[rest.indexOf('--seconds') + 1]) || 1.5;
const only = rest.includes('--only') ? rest[rest.indexOf('--only') + 1].split(',') : null;

async function loadOurs() {
  const pkg = JSON.parse(readFileSync(join(repo, 'bindings-js/package.json'), 'utf8'));
  const entry = join(repo, 'bindings-js', pkg.exports?.['.']?.node ?? pkg.main);
  if (!existsSync(entry)) throw new Error(`${entry} is not built: run bindings-js/test.sh first`);
  return import(pathToFileURL(entry).href);
}

const ours = await loadOurs();
const { runSimulation } = await import('@cloud-copilot/iam-simulate');
const cedar = await import('@cedar-policy/cedar-wasm/nodejs');

/** Best of three timed runs: each calls `one(i)` round-robin over `n` requests for about `seconds`. */
function measureSync(n, one) {
  let best = 0;
  for (let run = 0; run < 3; run++) {
    let count = 0;
    const start = process.hrtime.bigint();
    const limit = start + BigInt(Math.round(seconds * 1e9));
    let now = start;
    while (now < limit) {
      for (let i = 0; i < n; i++) one(i);
      count += n;
      now = process.hrtime.bigint();
    }
    best = Math.max(best, count / (Number(now - start) / 1e9));
  }
  return best;
}

async function measureAsync(n, one) {
  let best = 0;
  for (let run = 0; run < 3; run++) {
    let count = 0;
    const start = process.hrtime.bigint();
    const limit = start + BigInt(Math.round(seconds * 1e9));
    let now = start;
    while (now < limit) {
      for (let i = 0; i < n; i++) await one(i);
      count += n;
      now = process.hrtime.bigint();
    }
    best = Math.max(best, count / (Number(now - start) / 1e9));
  }
  return best;
}

const iamResult = { Allowed: 'Allow', ExplicitlyDenied: 'ExplicitDeny', ImplicitlyDenied: 'ImplicitDeny' };

function iamDecision(response) {
  const overall = response.overallResult ?? response;
  if (response.resultType === 'error') throw new Error(`iam-simulate rejected the simulation: ${JSON.stringify(response.errors)}`);
  const d = iamResult[overall];
  if (!d) throw new Error(`iam-simulate answered ${JSON.stringify(overall)}`);
  return d;
}

function cedarDecision(answer, gate) {
  if (answer.type !== 'success') throw new Error(`cedar-wasm failed: ${JSON.stringify(answer.errors)}`);
  const { decision, diagnostics } = answer.response;
  if (diagnostics.errors.length) throw new Error(`cedar-wasm policy errors: ${JSON.stringify(diagnostics.errors)}`);
  if (decision === 'allow') return 'Allow';
  // A forbid other than the cross-account gate is an explicit Deny; no reason, or the gate alone, is implicit.
  return diagnostics.reason.some((id) => id !== gate) ? 'ExplicitDeny' : 'ImplicitDeny';
}

const results = [];
const files = readdirSync(scenarioDir).filter((f) => f.endsWith('.json')).sort();
for (const file of files) {
  const s = JSON.parse(readFileSync(join(scenarioDir, file), 'utf8'));
  if (only && !only.includes(s.name)) continue;
  const n = s.requests.length;
  const out = { scenario: s.name, front: 'node', engines: {} };

  // apigw-authz, prepared: `new Api(config)` once, then `decide(request)` with the request as a JS object.
  const api = new ours.Api(s.config);
  out.engines['apigw-authz'] = {
    decisions: s.requests.map((r) => api.decide(r).decision),
    perSecond: measureSync(n, (i) => api.decide(s.requests[i])),
    note: 'Api.decide(request object)',
  };
  if (typeof api.authorizeMany === 'function') {
    const batch = measureSync(1, () => api.authorizeMany(s.requests, { explain: false })) * n;
    out.engines['apigw-authz'].batchPerSecond = batch;
  }
  out.engines['apigw-authz (with explanation)'] = {
    decisions: s.requests.map((r) => api.authorize(r).decision),
    perSecond: measureSync(n, (i) => api.authorize(s.requests[i])),
    note: 'Api.authorize(request object)',
  };

  // iam-simulate: its documented entry point, runSimulation (validates the input on every call). Its
  // runUnsafeSimulation (no validation) fails on any simulation with a resource policy in this version.
  const iamDecisions = [];
  for (const sim of s.iam) iamDecisions.push(iamDecision(await runSimulation(sim, {})));
  out.engines['iam-simulate'] = {
    decisions: iamDecisions,
    perSecond: await measureAsync(n, (i) => runSimulation(s.iam[i], {})),
    note: 'await runSimulation(simulation)',
  };

  // cedar-wasm: the policy set parsed once (preparsePolicySet), entities and request given per call.
  const psetId = `bench-${s.name}`;
  const pre = cedar.preparsePolicySet(psetId, { staticPolicies: s.cedar.policies });
  if (pre.type !== 'success') throw new Error(`cedar-wasm could not parse ${s.name}: ${JSON.stringify(pre.errors)}`);
  const calls = s.cedar.requests.map((r) => ({ ...r, preparsedPolicySetId: psetId, entities: s.cedar.entities }));
  out.engines['cedar-wasm'] = {
    decisions: calls.map((c) => cedarDecision(cedar.statefulIsAuthorized(c), s.cedar.gate)),
    perSecond: measureSync(n, (i) => cedar.statefulIsAuthorized(calls[i])),
    note: 'statefulIsAuthorized (policy set preparsed once)',
  };
  const plain = s.cedar.requests.map((r) => ({ ...r, policies: { staticPolicies: s.cedar.policies }, entities: s.cedar.entities }));
  out.engines['cedar-wasm (isAuthorized)'] = {
    decisions: plain.map((c) => cedarDecision(cedar.isAuthorized(c), s.cedar.gate)),
    perSecond: measureSync(n, (i) => cedar.isAuthorized(plain[i])),
    note: 'isAuthorized (policy text parsed on every call)',
  };

  api.free?.();
  results.push(out);
  console.error(`node: ${s.name} done`);
}
writeFileSync(outFile, JSON.stringify(results, null, 1));

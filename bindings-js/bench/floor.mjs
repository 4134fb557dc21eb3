// Where a call of `Api.decide` goes (not a test: `npm run bench:floor`, which builds dist-probes/ first). Uses
// the measurement exports of src/probe.rs on the same 74 seed requests as bench.mjs, round-robin, each figure
// the best of three runs of about `--seconds` (default 1):
// - a whole call, from an object and from JSON text, as the package makes it (the glue's `decideRecord`, then
//   `js/decision.js`; the package's wrapper adds only a field check and a `try`);
// - the same call with nothing decided: the request crosses in exactly as `decide` reads it, and a decision
//   record made beforehand crosses out and becomes the decision object. No build of the module can make a call
//   cheaper than this;
// - each stage inside the module (read the request, decide, write the record), repeated within one call.
//
//   node bench/floor.mjs [--seconds 1] [--json]
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { microsPerCall } from './timing.mjs';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(here, 'dist-probes', 'web');
const glue = await import(join(dist, 'apigw_authz.js'));
const { decodeDecision } = await import(join(dist, 'decision.js'));
glue.initSync({ module: readFileSync(join(dist, 'apigw_authz_bg.wasm')) });
if (typeof glue.Api.prototype.probeCrossing !== 'function') {
  throw new Error('dist-probes/ was built without the probes: node scripts/build.mjs --probes');
}

const argv = process.argv.slice(2);
const seconds = Number(argv[argv.indexOf('--seconds') + 1]) || 1;
const scenarios = join(here, '..', 'examples', 'scenarios');
const pairs = [];
for (const file of readdirSync(scenarios).filter((f) => f.endsWith('.json')).sort()) {
  const suite = JSON.parse(readFileSync(join(scenarios, file), 'utf8'));
  if (!suite.api || !Array.isArray(suite.cases)) continue;
  const { cases, ...config } = suite;
  const api = new glue.Api(config);
  for (const { request } of cases) {
    let record;
    try {
      record = api.probeRecord(request); // a case that needs the suite's authorizer cache is left out, as in bench.mjs
    } catch {
      continue;
    }
    pairs.push({ api, request, text: JSON.stringify(request), record, recordText: api.decideRecord(request) });
  }
}
if (pairs.length === 0) throw new Error(`no seed request in ${scenarios}`);
const P = pairs.length;

/** Microseconds per call of `body(i)` (per operation when a call does `perCall`), best of three runs. */
function micros(body, perCall = 1) {
  return microsPerCall(body, { seconds, batch: 100, perCall });
}

let sink = 0;
const ROUNDS = 100;
const rows = [
  ['decide(request object), whole call', micros((i) => (sink += decodeDecision(pairs[i % P].api.decideRecord(pairs[i % P].request)).statusCode))],
  ['decide(request object), nothing decided', micros((i) => (sink += decodeDecision(pairs[i % P].api.probeCrossing(pairs[i % P].request, pairs[i % P].record)).statusCode))],
  ['decide(request JSON text), whole call', micros((i) => (sink += decodeDecision(pairs[i % P].api.decideRecord(pairs[i % P].text)).statusCode))],
  ['decide(request JSON text), nothing decided', micros((i) => (sink += decodeDecision(pairs[i % P].api.probeCrossing(pairs[i % P].text, pairs[i % P].record)).statusCode))],
  ['  of which JSON.stringify(request)', micros((i) => (sink += JSON.stringify(pairs[i % P].request).length))],
  ['  of which the record into the decision object', micros((i) => (sink += decodeDecision(pairs[i % P].recordText).statusCode))],
  ...['read', 'decide', 'write'].map((stage) => [
    `inside the module: ${stage}`,
    micros((i) => (sink += pairs[i % P].api.probeStage(pairs[i % P].request, stage, ROUNDS)), ROUNDS),
  ]),
];
if (sink === 0) console.error('(nothing decided?)');

const budget = 1e6 / 500_000; // µs per call at issue 3's target
const of = (name) => rows.find(([n]) => n === name)[1];
const objectFloor = of('decide(request object), nothing decided');
const textFloor = of('decide(request JSON text), nothing decided');
const stages = ['read', 'decide', 'write'].map((s) => of(`inside the module: ${s}`));
if (argv.includes('--json')) {
  console.log(JSON.stringify({ requests: P, rows: rows.map(([name, us]) => ({ name, micros: Number(us.toFixed(3)) })) }));
} else {
  console.log(`Node ${process.version}, ${P} seed requests, µs per call (best of three runs of ${seconds} s)`);
  for (const [name, us] of rows) console.log(`${name.padEnd(50)} ${us.toFixed(3).padStart(7)}`);
  console.log(
    `At 500,000 calls/s (${budget} µs a call) the module may spend ${(budget - objectFloor).toFixed(2)} µs on an ` +
      `object, ${(budget - textFloor).toFixed(2)} µs on text; reading, deciding and writing take ` +
      `${stages.map((s) => s.toFixed(2)).join(' + ')} = ${stages.reduce((a, b) => a + b, 0).toFixed(2)} µs there.`,
  );
}

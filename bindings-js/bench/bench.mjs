// Decisions per second through the npm package in Node, on one core (not a test: `npm run bench`, after
// `npm run build`). Uses the seed suites of examples/scenarios/ that have an `api`: each suite's configuration
// is compiled once into an `Api`, and its cases' requests are decided round-robin. Each figure is the best of
// three runs of about `--seconds` (default 1). The targets of issue 3 are printed beside the figures.
//
//   node bench/bench.mjs [--seconds 1] [--json]
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as authz from 'apigw-authz';
import { microsPerCall } from './timing.mjs';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const scenarios = join(here, '..', 'examples', 'scenarios');
const argv = process.argv.slice(2);
const seconds = Number(argv[argv.indexOf('--seconds') + 1]) || 1;

const suites = readdirSync(scenarios)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ file: f, suite: JSON.parse(readFileSync(join(scenarios, f), 'utf8')) }))
  .filter(({ suite }) => suite.api && Array.isArray(suite.cases));
if (suites.length === 0) throw new Error(`no seed suite with an \`api\` in ${scenarios}`);

// Per suite: the compiled API, its requests (objects and texts) and the one-shot scenarios.
const work = suites.map(({ file, suite }) => {
  const { cases, ...config } = suite;
  const api = new authz.Api(config);
  // A case answered from the suite's shared authorizer cache has no `authorizerResult` of its own, so alone it
  // is not a complete request: leave those out.
  const requests = cases.map((c) => c.request).filter((r) => {
    try {
      api.decide(r);
      return true;
    } catch {
      return false;
    }
  });
  return {
    file,
    api,
    requests,
    texts: requests.map((r) => JSON.stringify(r)),
    scenarios: requests.map((request) => ({ ...config, request })),
  };
});
const pairs = work.flatMap((w) => w.requests.map((r, i) => ({ api: w.api, request: r, text: w.texts[i], scenario: w.scenarios[i] })));

/** Calls per second of `body(i)`, best of three runs of about `seconds`. */
function rate(body) {
  return 1e6 / microsPerCall(body, { seconds });
}

const P = pairs.length;
const batches = work.map((w) => ({ api: w.api, requests: Array.from({ length: 1000 }, (_, i) => w.requests[i % w.requests.length]) }));
let sink = 0;
const rows = [
  ['Api.decide(request object)', rate((i) => (sink += pairs[i % P].api.decide(pairs[i % P].request).statusCode)), 500_000],
  ['Api.decide(request JSON text)', rate((i) => (sink += pairs[i % P].api.decide(pairs[i % P].text).statusCode)), null],
  ['Api.decideJson(request object)', rate((i) => (sink += pairs[i % P].api.decideJson(pairs[i % P].request).length)), null],
  ['Api.authorize(request object), explained', rate((i) => (sink += pairs[i % P].api.authorize(pairs[i % P].request).statusCode)), null],
  [
    'Api.authorizeMany(1000 requests, {explain: false})',
    (() => {
      const r = rate((i) => {
        if (i % 1000 === 0) sink += batches[(i / 1000) % batches.length].api.authorizeMany(batches[(i / 1000) % batches.length].requests, { explain: false }).length;
      });
      return r;
    })(),
    null,
  ],
  ['authorize(scenario object), one-shot', rate((i) => (sink += authz.authorize(pairs[i % P].scenario).statusCode)), 50_000],
  ['authorize(scenario JSON text), one-shot', (() => {
    const texts = pairs.map((p) => JSON.stringify(p.scenario));
    return rate((i) => (sink += authz.authorize(texts[i % P]).statusCode));
  })(), null],
];
if (sink === 0) console.error('(nothing decided?)');

const size = (() => {
  try {
    return JSON.parse(readFileSync(join(here, 'dist', 'size.json'), 'utf8'));
  } catch {
    return null;
  }
})();

if (argv.includes('--json')) {
  console.log(JSON.stringify({ rows: rows.map(([name, r, target]) => ({ name, perSecond: Math.round(r), target })), size }));
} else {
  console.log(`Node ${process.version}, ${P} requests from ${work.length} seed suites (${work.map((w) => w.file).join(', ')})`);
  for (const [name, r, target] of rows) {
    const figure = Math.round(r).toLocaleString('en-US').padStart(11);
    const goal = target ? `  (target ≥ ${target.toLocaleString('en-US')}: ${r >= target ? 'met' : 'NOT met'})` : '';
    console.log(`${name.padEnd(52)} ${figure}/s${goal}`);
  }
  if (size) console.log(`apigw_authz_bg.wasm: ${(size.wasm / 1024).toFixed(1)} KB, ${(size.gzip / 1024).toFixed(1)} KB gzipped (budget 300 KB)`);
}

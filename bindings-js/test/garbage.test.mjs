// Random input through every function: random bytes and text, mutated seed scenarios, random JSON values and
// values JSON cannot hold. Each call returns an answer or throws an ApigwAuthzError that is not InternalError;
// the process never crashes and the WebAssembly instance never aborts. The generator is seeded: a failure
// prints its seed and iteration, and APIGW_AUTHZ_SEED=<seed> replays it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import * as authz from 'apigw-authz';
import { jsonFiles, prng, read } from './helpers.mjs';

const seed = Number(process.env.APIGW_AUTHZ_SEED ?? Date.now() % 1_000_000);
const rounds = Number(process.env.APIGW_AUTHZ_ROUNDS ?? 400);
const rng = prng(seed);

const seeds = [...jsonFiles('examples/scenarios'), ...jsonFiles('core/tests/suites').slice(0, 6)].map(read);
const seedValues = seeds.map((t) => JSON.parse(t));
const kinds = ['resource', 'identity', 'authorizer', 'endpoint', 'resource-based', 'nope', '', undefined];

function randomString() {
  const n = rng.int(40);
  let s = '';
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    s += r < 0.6 ? String.fromCharCode(32 + rng.int(95)) : r < 0.8 ? rng.pick(['{', '}', '[', ']', '"', ':', ',', '\\', '\n', '*', '?', '$']) : String.fromCharCode(rng.int(0x10000));
  }
  return s;
}

/** A random JS value: JSON-like mostly, sometimes not JSON at all. */
function randomValue(depth = 0) {
  const r = rng.next();
  if (depth > 4 || r < 0.35) {
    return rng.pick([
      null, true, false, 0, -1, 1.5, 1e308, -0, NaN, Infinity, 2 ** 53 + 1, '', 'GET', '/pets', '*', 'prod',
      '203.0.113.7', 'arn:aws:iam::111122223333:user/alice', 'execute-api:Invoke', randomString(), undefined,
    ]);
  }
  if (r < 0.55) return Array.from({ length: rng.int(4) }, () => randomValue(depth + 1));
  if (r < 0.9) {
    const keys = ['api', 'request', 'cases', 'policy', 'Statement', 'Effect', 'Principal', 'Action', 'Resource',
      'Condition', 'httpMethod', 'path', 'stage', 'sourceIp', 'caller', 'id', 'accountId', 'region', randomString()];
    return Object.fromEntries(Array.from({ length: rng.int(5) }, () => [rng.pick(keys), randomValue(depth + 1)]));
  }
  return rng.pick([10n, Symbol('s'), () => 1, new Map([[1, 2]]), new Set([1]), new Date(0), new Uint8Array([123, 125]), /x/]);
}

/** A seed scenario with one random subtree replaced. */
function mutateValue(value) {
  const copy = structuredClone(value);
  let node = copy;
  for (let i = 0; i < 1 + rng.int(6); i++) {
    const keys = node !== null && typeof node === 'object' ? Object.keys(node) : [];
    if (keys.length === 0) break;
    const key = rng.pick(keys);
    if (rng.next() < 0.3 || typeof node[key] !== 'object' || node[key] === null) {
      node[key] = randomValue(2);
      break;
    }
    node = node[key];
  }
  return copy;
}

/** A seed text with random edits: deleted, inserted or replaced characters, or cut short. */
function mutateText(text) {
  const chars = [...text];
  for (let i = 0; i < 1 + rng.int(4); i++) {
    const at = rng.int(chars.length);
    const r = rng.next();
    if (r < 0.3) chars.splice(at, 1 + rng.int(3));
    else if (r < 0.6) chars.splice(at, 0, randomString());
    else if (r < 0.9) chars[at] = rng.pick(['"', '{', '}', ',', ':', '0', '\u0000', '\uD800', 'é', ' ']);
    else chars.length = at;
  }
  return chars.join('');
}

/** JSON text of anything, for messages and for validatePolicy's text argument; never throws. */
function show(x) {
  if (typeof x === 'string') return x;
  try {
    return JSON.stringify(x) ?? String(x);
  } catch {
    return inspect(x, { depth: 4 });
  }
}

function randomBytes() {
  return Uint8Array.from({ length: rng.int(64) }, () => rng.int(256));
}

function randomInput() {
  const r = rng.next();
  if (r < 0.3) return mutateText(rng.pick(seeds));
  if (r < 0.6) return mutateValue(rng.pick(seedValues));
  if (r < 0.75) return randomValue();
  if (r < 0.85) return randomBytes();
  return randomString();
}

const apis = seedValues.filter((v) => v.api).map(({ cases, ...config }) => new authz.Api(config));

const calls = [
  ['authorize', (x) => authz.authorize(x)],
  ['authorizeJson', (x) => authz.authorizeJson(x)],
  ['authorizeIam', (x) => authz.authorizeIam(x)],
  ['explain', (x) => authz.explain(x)],
  ['runSuite', (x) => authz.runSuite(x)],
  ['runSuiteJson', (x) => authz.runSuiteJson(x)],
  ['validatePolicy', (x) => authz.validatePolicy(show(x), { kind: rng.pick(kinds) })],
  ['validatePolicy(any)', (x) => authz.validatePolicy(x, rng.pick([undefined, null, {}, { kind: x }, x]))],
  ['new Api', (x) => new authz.Api(x).free()],
  ['Api.authorize', (x) => rng.pick(apis).authorize(x)],
  ['Api.decide', (x) => rng.pick(apis).decide(x)],
  ['Api.authorizeMany', (x) => rng.pick(apis).authorizeMany([x, rng.pick(seedValues).cases?.[0]?.request ?? x], { explain: rng.next() < 0.5 })],
  ['Api.authorizeMany(any)', (x) => rng.pick(apis).authorizeMany(x, rng.pick([undefined, { explain: false }, x]))],
];

test(`random input through every function (seed ${seed}, ${rounds} rounds)`, () => {
  let answered = 0;
  let refused = 0;
  for (let round = 0; round < rounds; round++) {
    for (const [name, call] of calls) {
      const input = randomInput();
      try {
        call(input);
        answered++;
      } catch (e) {
        const where = `${name}, seed ${seed}, round ${round}: ${String(e?.stack ?? e).slice(0, 800)}\ninput: ${show(input).slice(0, 300)}`;
        assert.ok(e instanceof authz.ApigwAuthzError, `not an ApigwAuthzError: ${where}`);
        assert.ok(!(e instanceof authz.InternalError), `an internal error: ${where}`);
        refused++;
      }
    }
  }
  // Both outcomes happen, or the generator is not exercising anything.
  assert.ok(answered > 0 && refused > 0, `${answered} answered, ${refused} refused`);
  // And the engine still answers correctly afterwards.
  for (const api of apis) api.free();
  assert.equal(authz.runSuite(seeds[0]).failed, 0);
});

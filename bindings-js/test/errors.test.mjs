// Errors: the shared corpus of bad inputs (core/tests/errors/, the same files the Rust tests run) through the
// package, and the errors only JavaScript can cause. Every error is an `ApigwAuthzError` of the subclass for its
// code, with `code`, `path`, `line`, `column` and `help`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  Api,
  ApigwAuthzError,
  InternalError,
  InvalidArgumentError,
  InvalidJsonError,
  InvalidPolicyError,
  InvalidScenarioError,
  authorize,
  authorizeIam,
  authorizeJson,
  explain,
  runSuite,
  runSuiteJson,
  validatePolicy,
} from 'apigw-authz';
import { jsonFiles, read, short } from './helpers.mjs';

const CLASSES = {
  'invalid-json': InvalidJsonError,
  'invalid-policy': InvalidPolicyError,
  'invalid-scenario': InvalidScenarioError,
  'invalid-argument': InvalidArgumentError,
  internal: InternalError,
};

/** The error `f` throws; fails when it returns or throws anything but an ApigwAuthzError. */
function thrown(f, label) {
  let error;
  try {
    const answer = f();
    assert.fail(`${label}: expected an error, got ${JSON.stringify(answer)?.slice(0, 300)}`);
  } catch (e) {
    error = e;
  }
  if (error instanceof assert.AssertionError) throw error;
  assert.ok(error instanceof ApigwAuthzError, `${label}: not an ApigwAuthzError: ${error}`);
  assert.ok(error instanceof Error);
  assert.ok(error instanceof CLASSES[error.code], `${label}: ${error.name} for code ${error.code}`);
  assert.equal(error.name, CLASSES[error.code].name);
  assert.equal(typeof error.message, 'string');
  assert.equal(typeof error.path, 'string');
  assert.ok(error.help === null || typeof error.help === 'string');
  assert.ok(error.line === null || Number.isInteger(error.line));
  assert.ok(error.column === null || Number.isInteger(error.column));
  return error;
}

function checkExpected(error, expect, label) {
  assert.equal(error.code, expect.code, `${label}: code (${error.message})`);
  assert.equal(error.path, expect.path, `${label}: path (${error.message})`);
  if (expect.messageContains !== undefined) {
    assert.ok(error.message.includes(expect.messageContains), `${label}: message ${JSON.stringify(error.message)}`);
  }
}

describe('the error corpus (core/tests/errors/)', () => {
  const files = jsonFiles('core/tests/errors');
  test('is there', () => assert.ok(files.length > 0));
  for (const file of files) {
    test(short(file), () => {
      const { call, input, expect } = JSON.parse(read(file));
      const inputText = typeof input === 'string' ? input : null;
      const hasCases = inputText !== null ? (() => { try { return 'cases' in JSON.parse(inputText); } catch { return false; } })() : 'cases' in input;
      const which = call ?? (hasCases ? 'runSuite' : 'authorize');
      const f = which === 'runSuite' ? runSuite : authorize;
      const raw = which === 'runSuite' ? runSuiteJson : authorizeJson;
      if (inputText !== null) {
        const label = `${short(file)} (text)`;
        const error = thrown(() => f(inputText), label);
        checkExpected(error, expect, label);
        assert.deepEqual([error.line, error.column], [expect.line, expect.column], `${label}: line and column`);
        // The raw form throws the same error.
        assert.deepEqual(thrown(() => raw(inputText), label).toJSON(), error.toJSON());
        return;
      }
      const label = `${short(file)} (object)`;
      const error = thrown(() => f(input), label);
      checkExpected(error, expect, label);
      assert.deepEqual([error.line, error.column], [expect.line ?? null, expect.column ?? null], `${label}: line and column`);
      // The same input as text: the same error, now with a line and column.
      const asText = JSON.stringify(input, null, 2);
      const fromText = thrown(() => f(asText), `${short(file)} (as text)`);
      checkExpected(fromText, expect, `${short(file)} (as text)`);
      assert.ok(Number.isInteger(fromText.line) && Number.isInteger(fromText.column), 'text input gives line and column');
    });
  }
});

describe('errors of the JavaScript side', () => {
  const api = { id: 'a1b2c3d4e5', accountId: '111122223333', region: 'us-east-1' };
  const request = { httpMethod: 'GET', path: '/pets', stage: 'prod', sourceIp: '203.0.113.7' };

  test('JSON text errors carry line and column', () => {
    const e = thrown(() => authorize('{\n  "api": {\n    "id": "x",,\n'), 'text');
    assert.ok(e instanceof InvalidJsonError);
    assert.equal(e.line, 3);
    assert.equal(typeof e.column, 'number');
  });

  test('a scenario error names its JSON path, with line and column for text', () => {
    const text = JSON.stringify({ api, request: { ...request, httpMethd: 'GET' } }, null, 2);
    const e = thrown(() => authorize(text), 'unknown field');
    assert.ok(e instanceof InvalidScenarioError);
    assert.ok(e.path.startsWith('/request'), e.path);
    assert.ok(e.message.includes('httpMethd'), e.message);
    assert.ok(e.line > 1);
    const fromObject = thrown(() => authorize({ api, request: { ...request, httpMethd: 'GET' } }), 'object');
    assert.equal(fromObject.path, e.path);
    assert.equal(fromObject.message, e.message);
    assert.equal(fromObject.line, null);
    assert.equal(fromObject.column, null);
  });

  test('a policy error is an InvalidPolicyError', () => {
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Principal: '*', Action: 'execute-api:Invoke', Resource: '*' }] };
    const e = thrown(() => authorize({ api: { ...api, policy }, request }), 'bad effect');
    assert.ok(e instanceof InvalidPolicyError);
    assert.equal(e.path, '/api/policy/Statement/0/Effect');
    assert.deepEqual(Object.keys(e.toJSON()).slice(0, 5), ['code', 'message', 'path', 'line', 'column']);
  });

  test('missing, null and non-JSON arguments are InvalidArgumentError', () => {
    for (const bad of [undefined, null, () => 1, Symbol('s')]) {
      for (const f of [authorize, authorizeJson, authorizeIam, explain, runSuite, runSuiteJson, (x) => new Api(x)]) {
        const e = thrown(() => f(bad), String(bad));
        assert.ok(e instanceof InvalidArgumentError, `${String(bad)}: ${e.name}`);
        assert.ok(e.help.length > 0);
      }
    }
  });

  test('values JSON cannot hold are InvalidJsonError, with the JavaScript error as cause', () => {
    const cyclic = { api, request };
    cyclic.self = cyclic;
    const big = { api: { ...api, extra: 10n }, request };
    const throwing = { api, get request() { throw new TypeError('no request for you'); } };
    for (const [name, value] of [['a cycle', cyclic], ['a BigInt', big], ['a throwing getter', throwing]]) {
      const e = thrown(() => authorize(value), name);
      assert.ok(e instanceof InvalidJsonError, `${name}: ${e.name}`);
      assert.ok(e.cause instanceof Error, `${name}: cause`);
      assert.ok(e.message.includes(e.cause.message), e.message);
    }
  });

  test('deep nesting is an error, never a stack overflow', () => {
    let deep = {};
    for (let i = 0; i < 100_000; i++) deep = { x: deep };
    let deepArray = [];
    for (let i = 0; i < 100; i++) deepArray = [deepArray]; // deeper than the core's 64 levels
    for (const value of [{ api, request, context: deep }, { api, request, context: { a: deepArray } }]) {
      assert.ok(thrown(() => authorize(value), 'deep') instanceof InvalidJsonError);
    }
    const text = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    assert.ok(thrown(() => authorize(text), 'deep text') instanceof InvalidJsonError);
    assert.ok(thrown(() => runSuite(text), 'deep text') instanceof InvalidJsonError);
  });

  test('bytes that are not UTF-8', () => {
    // The command line's error for a file that is not UTF-8, at the first bad byte.
    const e = thrown(() => authorize(new Uint8Array([0x7b, 0x0a, 0x20, 0xc3, 0xa9, 0xff, 0x7d])), 'bytes');
    assert.ok(e instanceof InvalidJsonError);
    assert.equal(e.message, 'the input is not UTF-8 text');
    assert.deepEqual([e.line, e.column], [2, 3]);
  });

  test('a suite given to authorize, a scenario given to runSuite', () => {
    const e = thrown(() => authorize({ api, cases: [] }), 'suite to authorize');
    assert.ok(e instanceof InvalidScenarioError);
    assert.equal(e.path, '/cases');
    thrown(() => runSuite({ api, request }), 'scenario to runSuite');
  });

  test('validatePolicy: bad arguments', () => {
    const policy = '{"Version": "2012-10-17", "Statement": []}';
    assert.ok(thrown(() => validatePolicy({ Statement: [] }), 'object').message.includes('string'));
    assert.ok(thrown(() => validatePolicy(policy, { kind: 'nope' }), 'kind') instanceof InvalidArgumentError);
    assert.ok(thrown(() => validatePolicy(policy, { kind: 7 }), 'kind type') instanceof InvalidArgumentError);
    assert.ok(thrown(() => validatePolicy(policy, 'identity'), 'options type') instanceof InvalidArgumentError);
    assert.ok(Array.isArray(validatePolicy(policy, {})));
    assert.ok(Array.isArray(validatePolicy(policy, null)));
  });

  test('the Api: a config with a request, a freed Api, a bad batch', () => {
    assert.ok(thrown(() => new Api({ api, request }), 'config with request') instanceof InvalidScenarioError);
    const prepared = new Api({ api });
    assert.ok(thrown(() => prepared.authorize({ ...request, stage: 7 }), 'bad request') instanceof InvalidScenarioError);
    assert.ok(thrown(() => prepared.authorizeMany(request), 'not an array') instanceof InvalidArgumentError);
    assert.ok(thrown(() => prepared.authorizeMany([request], { explain: 'no' }), 'explain type') instanceof InvalidArgumentError);
    const batch = thrown(() => prepared.authorizeMany([request, request, { ...request, path: 7 }]), 'third bad');
    assert.ok(batch instanceof InvalidScenarioError);
    assert.equal(batch.path, '/2/path');
    prepared.free();
    prepared.free();
    for (const f of [(r) => prepared.authorize(r), (r) => prepared.decide(r), (r) => prepared.authorizeMany([r])]) {
      const e = thrown(() => f(request), 'freed');
      assert.ok(e instanceof InvalidArgumentError);
      assert.match(e.message, /freed/);
    }
  });

  test('error classes can be built and serialised by users too', () => {
    const e = new InvalidPolicyError('bad', { path: '/Statement/0', line: 3, column: 5, help: 'fix it' });
    assert.equal(e.code, 'invalid-policy');
    assert.equal(String(e), 'InvalidPolicyError: bad');
    assert.equal(JSON.stringify(e), '{"code":"invalid-policy","message":"bad","path":"/Statement/0","line":3,"column":5,"help":"fix it"}');
    assert.equal(JSON.stringify(new ApigwAuthzError('x')), '{"code":"internal","message":"x","path":"","line":null,"column":null}');
  });
});

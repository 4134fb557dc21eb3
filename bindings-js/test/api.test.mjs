// The API surface: the prepared class, objects vs text, validatePolicy for editors, the exports and version.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import * as authz from 'apigw-authz';
import init, { Api, authorize, authorizeIam, explain, validatePolicy, version } from 'apigw-authz';
import { packageDir, repo } from './helpers.mjs';

const api = {
  id: 'a1b2c3d4e5',
  accountId: '111122223333',
  region: 'us-east-1',
  policy: {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowOffice',
        Effect: 'Allow',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
        Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
      },
    ],
  },
};
const inside = { httpMethod: 'GET', path: '/pets', stage: 'prod', sourceIp: '203.0.113.7' };
const outside = { httpMethod: 'GET', path: '/pets', stage: 'prod', sourceIp: '198.51.100.7' };

describe('the README example', () => {
  test('a denied request: status, message, body and explanation', () => {
    const decision = authorize({ api, request: outside });
    assert.equal(decision.decision, 'ImplicitDeny');
    assert.equal(decision.statusCode, 403);
    assert.equal(
      decision.message,
      'User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********3333:a1b2c3d4e5/prod/GET/pets',
    );
    assert.equal(decision.body, JSON.stringify({ Message: decision.message }));
    assert.deepEqual(Object.keys(decision), [
      'decision', 'statusCode', 'responseType', 'errorType', 'message', 'body', 'methodArn', 'caller',
      'authorizerInvoked', 'decisive', 'explanation', 'warnings',
    ]);
    assert.ok(decision.explanation.length > 0);
    assert.match(explain({ api, request: outside }), /^ImplicitDeny \(403 ACCESS_DENIED\)/);
  });

  test('an allowed request names the statement that allowed it', () => {
    const decision = authorize({ api, request: inside });
    assert.equal(decision.decision, 'Allow');
    assert.equal(decision.statusCode, 200);
    assert.deepEqual(decision.decisive, [{ policy: 'resource', index: 0, sid: 'AllowOffice', effect: 'Allow' }]);
  });
});

describe('the prepared Api', () => {
  test('compile once, decide many times', () => {
    const prepared = new Api({ api });
    assert.equal(prepared.authorize(inside).decision, 'Allow');
    assert.equal(prepared.authorize(outside).decision, 'ImplicitDeny');
    const fast = prepared.decide(outside);
    assert.deepEqual(fast.explanation, []);
    assert.deepEqual({ ...prepared.authorize(outside), explanation: [] }, fast);
    const many = prepared.authorizeMany([inside, JSON.stringify(outside), new TextEncoder().encode(JSON.stringify(inside))]);
    assert.deepEqual(many.map((d) => d.decision), ['Allow', 'ImplicitDeny', 'Allow']);
    assert.deepEqual(prepared.authorizeMany([]), []);
    assert.deepEqual(prepared.authorizeMany([outside], { explain: false }), [fast]);
    assert.equal(prepared.explain(outside), explain({ api, request: outside }));
    prepared.free();
  });

  test('the fast path answers exactly the JSON, whatever characters the strings hold', () => {
    // The fast path crosses from WebAssembly as fields separated by U+0001 (null: U+0002, records: U+0003), and
    // falls back to JSON text when a string holds one of them: check both ways, one by one and in a batch.
    const prepared = new Api({ api });
    const requests = ['\u0001', '\u0002', '\u0003', '\u0000\t"\\é𝄞', ''].flatMap((odd) => [
      { ...inside, path: `/pets${odd}` },
      { ...outside, path: `/pets${odd}`, headers: { 'X-Odd': odd } },
    ]);
    for (const request of requests) {
      const fast = prepared.decide(request);
      assert.equal(JSON.stringify(fast), prepared.decideJson(request), JSON.stringify(request));
      assert.deepEqual(fast, JSON.parse(prepared.decideJson(request)));
    }
    const expected = requests.map((r) => JSON.parse(prepared.decideJson(r)));
    assert.deepEqual(prepared.authorizeMany(requests, { explain: false }), expected);
    assert.deepEqual(prepared.authorizeMany(requests.slice(-2), { explain: false }), expected.slice(-2));
    assert.deepEqual(prepared.authorizeMany([], { explain: false }), []);
    prepared.free();
  });

  test('text reaches the engine unchanged, whatever its characters and length', () => {
    // Strings cross into the module through `TextEncoder.encodeInto` (js/text.js): first with one byte per UTF-16
    // unit, again with three when that is too short. The method ARN quotes the path, so it shows what arrived.
    const prepared = new Api({ api: { ...api, policy: null } });
    const paths = [
      '/pets',
      '/pets/é',
      `/pets/${'a'.repeat(5000)}é`, // non-ASCII only at the end of a long text: the second try
      `/pets/${'€'.repeat(700)}`, // three bytes for every unit: the most the second try makes room for
      '/pets/𝄞😀', // four bytes for two units
      '/ペット/猫',
      '/pets/\u0000\u007f\u0080\u07ff\u0800\uffff',
    ];
    for (const path of paths) {
      const request = { ...inside, path };
      const arn = `arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/prod/GET${path}`;
      assert.equal(prepared.decide(request).methodArn, arn);
      assert.equal(prepared.decide(JSON.stringify(request)).methodArn, arn);
      assert.equal(authorize({ api, request }).methodArn, arn);
      assert.equal(authorize(JSON.stringify({ api, request })).methodArn, arn);
    }
    // A lone surrogate in text becomes U+FFFD, as `TextEncoder` makes it (`JSON.stringify` would escape it, and
    // an escaped lone surrogate is invalid JSON).
    const lone = JSON.stringify({ ...inside, path: '/pets/x' }).replace('/pets/x', '/pets/\uD800x');
    assert.ok(prepared.decide(lone).methodArn.endsWith('/prod/GET/pets/\uFFFDx'));
    prepared.free();
  });

  test('the config as text or as an object decides the same', () => {
    const fromText = new Api(JSON.stringify({ api }, null, 2));
    const fromObject = new Api({ api });
    for (const request of [inside, outside]) {
      assert.deepEqual(fromText.decide(request), fromObject.decide(request));
      // Text gives statements their positions in the config text; objects have none.
      const explained = fromText.authorize(request).explanation.flatMap((s) => s.statements);
      assert.ok(explained.length > 0 && explained.every((s) => Number.isInteger(s.line) && Number.isInteger(s.column)));
      assert.ok(fromObject.authorize(request).explanation.flatMap((s) => s.statements).every((s) => s.line === null));
    }
    fromText.free();
    fromObject.free();
  });

  test('many Api objects live side by side and are independent', () => {
    const open = new Api({ api: { ...api, policy: null } });
    const closed = new Api({ api });
    assert.equal(open.decide(outside).decision, 'Allow');
    assert.equal(closed.decide(outside).decision, 'ImplicitDeny');
    open.free();
    assert.equal(closed.decide(outside).decision, 'ImplicitDeny');
    closed.free();
  });

  test('Symbol.dispose frees where the runtime has it', { skip: typeof Symbol.dispose !== 'symbol' }, () => {
    const prepared = new Api({ api });
    prepared[Symbol.dispose]();
    assert.throws(() => prepared.decide(inside), authz.InvalidArgumentError);
  });

  test('thousands of Api objects created and freed do not exhaust memory', () => {
    for (let i = 0; i < 3000; i++) {
      const prepared = new Api({ api });
      prepared.decide(inside);
      prepared.free();
    }
  });
});

describe('inputs: objects, text and bytes', () => {
  test('decide the same, except statement positions', () => {
    const scenario = { api, request: outside };
    const text = JSON.stringify(scenario);
    const fromText = authorize(text);
    const fromObject = authorize(scenario);
    const fromBytes = authorize(new TextEncoder().encode(text));
    assert.deepEqual(fromBytes, fromText);
    assert.deepEqual(
      { ...fromObject, explanation: null },
      { ...fromText, explanation: null },
    );
    assert.notDeepEqual(fromObject.explanation, fromText.explanation); // positions: text only
  });

  test('objects are read as JSON.stringify writes them', () => {
    const time = new Date('2026-11-22T10:00:00Z');
    const withDate = authorize({ api, request: { ...outside, time, headers: undefined } });
    assert.deepEqual(withDate, authorize({ api, request: { ...outside, time: time.toISOString() } }));
  });
});

describe('validatePolicy, for editors', () => {
  const valid = JSON.stringify(api.policy, null, 2);

  test('a valid policy has no diagnostics', () => {
    assert.deepEqual(validatePolicy(valid), []);
    assert.deepEqual(validatePolicy(valid, { kind: 'resource' }), []);
  });

  test('an error has a line:column range', () => {
    const bad = valid.replace('"Allow"', '"Alow"');
    const [d, ...rest] = validatePolicy(bad);
    assert.deepEqual(rest, []);
    assert.equal(d.severity, 'error');
    assert.equal(d.code, 'invalid-policy');
    assert.equal(d.path, '/Statement/0/Effect');
    const line = bad.split('\n').findIndex((l) => l.includes('"Alow"')) + 1;
    assert.equal(d.line, line);
    assert.equal(d.endLine, line);
    assert.equal(bad.split('\n')[line - 1].slice(d.column - 1, d.endColumn - 1), '"Alow"');
  });

  test('columns count characters after non-ASCII text on the same line, in a long document', () => {
    const statement = { ...api.policy.Statement[0], Sid: 'Café€ñ' };
    const filler = Array.from({ length: 30 }, (_, i) => ({ ...statement, Sid: `S${i}` }));
    const bad = JSON.stringify({ ...api.policy, Statement: [...filler, { ...statement, Effect: 'Alow' }] });
    assert.ok(bad.length > 4096 && bad.length < 8192); // past the reader's first 4 KB checkpoint, under the size limit
    const [d, ...rest] = validatePolicy(bad);
    assert.deepEqual(rest, []);
    assert.equal(d.path, '/Statement/30/Effect');
    assert.equal(d.line, 1);
    assert.equal(bad.slice(d.column - 1, d.endColumn - 1), '"Alow"');
  });

  test('the kind matters: a Principal is forbidden in an identity policy', () => {
    const diagnostics = validatePolicy(valid, { kind: 'identity' });
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].severity, 'error');
    assert.match(diagnostics[0].path, /Principal/);
  });

  test('not JSON at all', () => {
    const [d] = validatePolicy('{"Version": ');
    assert.equal(d.code, 'invalid-json');
    assert.equal(d.line, 1);
  });
});

describe('the package', () => {
  test('exports', () => {
    assert.deepEqual(Object.keys(authz).sort(), [
      'Api', 'ApigwAuthzError', 'InternalError', 'InvalidArgumentError', 'InvalidJsonError', 'InvalidPolicyError',
      'InvalidScenarioError', '__panicForTests', 'authorize', 'authorizeIam', 'authorizeIamJson', 'authorizeJson',
      'default', 'explain', 'initSync', 'runSuite', 'runSuiteJson', 'validatePolicy', 'version',
    ]);
  });

  test('init is a no-op in Node', async () => {
    await init();
    assert.equal(authorize({ api, request: inside }).decision, 'Allow');
  });

  test('version is the crate version', () => {
    const cargo = readFileSync(join(repo, 'Cargo.toml'), 'utf8').match(/^version = "(.*)"/m)[1];
    assert.equal(version(), cargo);
    assert.equal(JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version, cargo);
  });

  test('authorizeIam refuses an API scenario', () => {
    assert.throws(() => authorizeIam({ api, request: inside }), authz.InvalidScenarioError);
  });
});

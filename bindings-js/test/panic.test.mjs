// The second line of defence of src/lib.rs "Panics" (its own file: node --test runs each file in its own
// process, and this one restarts the WebAssembly instance). A Rust panic aborts the instance; the caller gets an
// InternalError with the panic's message, never a WebAssembly.RuntimeError, and the next call works.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Api, ApigwAuthzError, InternalError, __panicForTests, authorize } from 'apigw-authz';

const scenario = {
  api: { id: 'a1b2c3d4e5', accountId: '111122223333', region: 'us-east-1' },
  request: { httpMethod: 'GET', path: '/', stage: 'prod', sourceIp: '203.0.113.7' },
};

test('a panic becomes InternalError, and the engine restarts', () => {
  const before = new Api({ api: scenario.api });
  const expected = authorize(scenario);
  let error;
  try {
    __panicForTests('deliberate');
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof InternalError, `got ${error}`);
  assert.ok(error instanceof ApigwAuthzError);
  assert.equal(error.code, 'internal');
  assert.match(error.message, /deliberate/);
  assert.match(error.message, /src\/lib\.rs/); // where it panicked
  assert.ok(error.cause instanceof WebAssembly.RuntimeError);
  assert.match(error.help, /restarted/);

  // The engine works again.
  assert.deepEqual(authorize(scenario), expected);
  // An Api made before the restart is gone with the old instance's memory, and says so.
  assert.throws(() => before.decide(scenario.request), (e) => e instanceof InternalError && /restarted/.test(e.message));
  before.free(); // harmless
  const after = new Api({ api: scenario.api });
  assert.equal(after.decide(scenario.request).decision, expected.decision);

  // Again: each abort is reported with its own message.
  assert.throws(() => __panicForTests('second'), (e) => e instanceof InternalError && /second/.test(e.message));
  assert.deepEqual(authorize(scenario), expected);
});

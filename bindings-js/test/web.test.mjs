// The browser build (dist/web/index.js, the `browser` and `default` conditions), loaded in Node the way a page
// loads it: nothing works before `init()`, then it answers exactly as the command line does. This file must not
// import 'apigw-authz' (the Node entry initialises the same module at import).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliReports, packageDir, read, short, suiteFiles } from './helpers.mjs';

const web = await import(join(packageDir, 'dist', 'web', 'index.js'));
const wasm = readFileSync(join(packageDir, 'dist', 'web', 'apigw_authz_bg.wasm'));
const scenario = {
  api: { id: 'a1b2c3d4e5', accountId: '111122223333', region: 'us-east-1' },
  request: { httpMethod: 'GET', path: '/', stage: 'prod', sourceIp: '203.0.113.7' },
};

test('before init(): a clear error of the package, not a TypeError from the glue', () => {
  const notLoaded = (e) =>
    e instanceof web.InvalidArgumentError && e.code === 'invalid-argument' && /await init\(\)/.test(e.help);
  assert.throws(() => web.authorize(scenario), notLoaded);
  assert.throws(() => new web.Api(scenario), notLoaded);
});

test('init() with the bytes, then the same answers as the command line', async () => {
  // In a browser `await init()` fetches the .wasm next to the module; Node's fetch cannot read file: URLs.
  await web.default({ module_or_path: wasm });
  await web.default(); // a second call does nothing
  const files = suiteFiles();
  const reports = cliReports(files);
  for (const file of files) assert.equal(web.runSuiteJson(read(file)), reports.get(short(file)), short(file));
  assert.equal(web.authorize(scenario).decision, 'Allow');
  assert.throws(() => web.authorize('{'), web.InvalidJsonError);
  // The Node entry point, imported now, is the same module, already initialised.
  const node = await import('apigw-authz');
  assert.equal(node.authorize, web.authorize);
});

test('the package.json exports map', () => {
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const root = pkg.exports['.'];
  assert.deepEqual(Object.keys(root), ['types', 'node', 'browser', 'default']);
  for (const target of Object.values(root)) assert.ok(readFileSync(join(packageDir, target)).length > 0, target);
  for (const file of pkg.files) assert.ok(readFileSync(join(packageDir, file)).length > 0, file);
});

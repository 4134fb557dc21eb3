// Every case of every suite, decided on its own through each entry point of the package: one-shot
// `authorize`, the prepared `Api` (`authorize`, `decide`, `authorizeMany`), text and objects. They must agree
// with each other and with `apigw-authz authorize` on the same scenario file, byte for byte.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Api, authorize, authorizeIam, authorizeIamJson, authorizeJson, explain } from 'apigw-authz';
import { cli, read, short, stripPositions, suiteFiles } from './helpers.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'apigw-authz-cases-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('every case decided on its own', () => {
  for (const file of suiteFiles()) {
    test(short(file), () => {
      const { cases, ...config } = JSON.parse(read(file));
      const iam = config.resources !== undefined && config.resources !== null;
      const api = iam ? null : new Api(config);
      const decisions = [];
      cases.forEach((c, i) => {
        const label = `${short(file)} › ${c.name}`;
        const scenario = { ...config, request: c.request };
        const text = JSON.stringify(scenario, null, 2);

        // The command line on the same scenario file: the same bytes as authorizeJson(text).
        const path = join(scratch, `case-${i}.json`);
        writeFileSync(path, text);
        const fromCli = cli('authorize', path);
        assert.equal(fromCli.status, 0, `${label}: the command line failed: ${fromCli.stdout}${fromCli.stderr}`);
        const json = authorizeJson(text);
        assert.equal(json, fromCli.stdout.trimEnd(), label);

        // The object form is that JSON; given as an object, the scenario decides the same (no positions).
        const decision = authorize(text);
        assert.equal(JSON.stringify(decision), json, label);
        const fromObject = authorize(scenario);
        assert.deepEqual(stripPositions(fromObject), stripPositions(decision), label);
        assert.equal(authorizeJson(scenario), JSON.stringify(fromObject), label);
        if (i === 0) {
          // The explanation too (once per file: it spawns the command line again).
          const explained = cli('explain', path);
          assert.equal(explained.status, 0, label);
          assert.equal(explain(text), explained.stdout, label);
        }

        if (iam) {
          assert.equal(authorizeIamJson(text), json, label);
          assert.deepEqual(authorizeIam(scenario), fromObject, label);
          return;
        }
        // The prepared API: the same decision as the one-shot call, and the fast path the same but unexplained.
        const prepared = api.authorize(c.request);
        assert.deepEqual(prepared, fromObject, label);
        // A request given as text: statements of policies inside it (a session policy, an authorizer's policy)
        // now carry positions in that text; nothing else changes.
        assert.deepEqual(stripPositions(api.authorize(JSON.stringify(c.request))), stripPositions(prepared), label);
        assert.equal(api.authorizeJson(c.request), JSON.stringify(prepared), label);
        const fast = api.decide(c.request);
        assert.deepEqual(fast, { ...prepared, explanation: [] }, label);
        assert.equal(api.decideJson(c.request), JSON.stringify(fast), label);
        assert.equal(api.explain(c.request), explain(scenario), label);
        decisions.push({ request: c.request, prepared, fast });
      });
      if (api) {
        // A batch: the same decisions, in order.
        const requests = decisions.map((d) => d.request);
        assert.deepEqual(api.authorizeMany(requests), decisions.map((d) => d.prepared));
        assert.deepEqual(api.authorizeMany(requests.map((r) => JSON.stringify(r)), { explain: false }), decisions.map((d) => d.fast));
        api.free();
      }
    });
  }
});

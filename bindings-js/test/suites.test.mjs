// Every suite of the shared corpus (core/tests/suites/) and of the seed stories (examples/scenarios/) runs
// through the package and must give the command line's report byte for byte.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runSuite, runSuiteJson } from 'apigw-authz';
import { cliReports, read, short, stripPositions, suiteFiles } from './helpers.mjs';

const files = suiteFiles();
const reports = cliReports(files);

test('the corpus is there and the command line reports on every file', () => {
  assert.ok(files.length > 0, 'no suite under core/tests/suites or examples/scenarios');
  assert.equal(reports.size, files.length);
});

/**
 * How JSON.stringify of the parsed report can differ from serde_json's text, and only how: number formatting
 * (serde_json writes a float `1.0` as `1.0`, JavaScript as `1`; integers beyond 2^53 lose precision) and the
 * order of integer-like object keys (JavaScript puts `"10"` before `"a"` whatever the insertion order). Both
 * can only come from a suite's own `expect` values echoed in `differences`. Where they happen, the report must
 * still be exactly what JSON.parse makes of the command line's text.
 */
function assertSameReport(actual, cliText, label) {
  const ours = JSON.stringify(actual);
  if (ours === cliText) return;
  assert.equal(ours, JSON.stringify(JSON.parse(cliText)), `${label}: the report differs from the command line's`);
  // Reached only when the text itself does not survive JSON.parse + JSON.stringify: say so, it is documented.
  assert.notEqual(JSON.stringify(JSON.parse(cliText)), cliText);
}

describe('suites: byte-identical to `apigw-authz test --json`', () => {
  for (const file of files) {
    const name = short(file);
    test(name, () => {
      const text = read(file);
      const cliText = reports.get(name);
      assert.ok(cliText !== undefined, `the command line printed no report for ${name}`);

      // The raw form is the command line's text itself.
      assert.equal(runSuiteJson(text), cliText);

      // The object form, as JSON text, is the same bytes.
      const report = runSuite(text);
      assertSameReport(report, cliText, name);

      // Every case passes (a failing case is printed with what differed).
      const failing = report.cases.filter((c) => !c.passed);
      assert.deepEqual(
        failing.map((c) => ({ name: c.name, differences: c.differences })),
        [],
        `${name}: ${report.failed} failing case(s)`,
      );
      assert.equal(report.passed, report.cases.length);

      // The suite given as an object: the same report, without the statements' line and column.
      const fromObject = runSuite(JSON.parse(text));
      assert.deepEqual(stripPositions(fromObject), stripPositions(report));
      assert.equal(runSuiteJson(JSON.parse(text)), JSON.stringify(fromObject));

      // And as UTF-8 bytes: exactly the text's report.
      assert.equal(runSuiteJson(new TextEncoder().encode(text)), cliText);
    });
  }
});

// End-to-end test of the policy editor in a real browser: Debian's Chromium (/usr/bin/chromium) driven by
// playwright-core, against the built page (dist/) served on 127.0.0.1. It does what a person does: load a story,
// add a Deny statement, break the JSON, click a row, share a link, export a suite, and checks what the page shows.
// The exported suite is then run by the CLI, the Node package and the Python package, unchanged.
//
// Run by ../test.sh (which builds everything first): node --test test/
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const repo = join(here, '..', '..');
const scenarios = join(repo, 'examples', 'scenarios');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

// Flags that keep Chromium off the network and quiet: no background services, no updates, no sync, no
// first-run or field-trial downloads, no DNS prefetch; plus --no-sandbox, since the test may run as root.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-sync',
  '--disable-component-update',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--disable-breakpad',
  '--metrics-recording-only',
  '--no-pings',
  '--disable-features=Translate,OptimizationHints,MediaRouter,CertificateTransparencyComponentUpdater,AutofillServerCommunication,NetworkTimeServiceQuerying',
  '--dns-prefetch-disable',
  '--password-store=basic',
  '--use-mock-keychain',
];

let server;
let browser;
let page;
const pageErrors = [];
const offsite = [];
const downloads = mkdtempSync(join(tmpdir(), 'policy-editor-'));

/** The row (a locator) of the request named `name` in the page `p`. */
async function row(name, p = page) {
  const index = await p.evaluate((n) => [...document.querySelectorAll('#requests input.name')].findIndex((i) => i.value === n), name);
  assert.ok(index >= 0, `a row named \`${name}\``);
  return p.locator('#requests tbody tr').nth(index);
}

async function decisionOf(name) {
  return (await (await row(name)).locator('.decision .badge').textContent()).trim();
}

/** The line number (1-based) the editor shows next to the first line holding `text`. */
async function lineNumberOf(text) {
  const line = page.locator('.cm-line', { hasText: text }).first();
  const box = await line.boundingBox();
  const numbers = page.locator('.cm-lineNumbers .cm-gutterElement');
  for (let i = 0; i < (await numbers.count()); i++) {
    const b = await numbers.nth(i).boundingBox();
    if (b && Math.abs(b.y - box.y) < 3) return Number(await numbers.nth(i).textContent());
  }
  throw new Error(`no line number beside \`${text}\``);
}

/** The line number beside an element inside the editor content. */
async function lineNumberAt(locator) {
  const box = await locator.boundingBox();
  const numbers = page.locator('.cm-lineNumbers .cm-gutterElement');
  for (let i = 0; i < (await numbers.count()); i++) {
    const b = await numbers.nth(i).boundingBox();
    if (b && box.y >= b.y - 2 && box.y < b.y + b.height - 2) return Number(await numbers.nth(i).textContent());
  }
  throw new Error('no line number beside the element');
}

async function loadPreset(id) {
  await page.selectOption('#preset', id);
  await page.locator('#notice', { hasText: 'Loaded' }).waitFor();
}

before(async () => {
  assert.ok(existsSync(join(here, 'dist', 'index.html')), 'dist/ is built (vite build)');
  server = await serve(join(here, 'dist'));
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  // Nothing but the local server: any other request fails the test (and never leaves the machine).
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(server.url) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    offsite.push(url);
    return route.abort();
  });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe('policy editor', () => {
  test('opens on story 1a with every row decided as its suite expects', async () => {
    const suite = JSON.parse(readFileSync(join(scenarios, '1a-partner-and-office.json'), 'utf8'));
    await assert.doesNotReject(page.locator('#requests tbody tr').nth(suite.cases.length - 1).waitFor());
    assert.equal(await page.locator('#requests tbody tr').count(), suite.cases.length);
    assert.match(await page.locator('#expect-summary').textContent(), new RegExp(`^${suite.cases.length} of ${suite.cases.length} rows`));
    assert.equal(await decisionOf('office-lists-pets'), 'Allow');
    assert.equal(await decisionOf('outside-network-is-denied'), 'ImplicitDeny');
    assert.match(await (await row('outside-network-is-denied')).locator('.message').textContent(), /User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:\*{8}3333:a1b2c3d4e5\/prod\/GET\/pets$/);
    assert.equal(await page.locator('#policy-status').textContent(), 'Valid resource policy.');
  });

  test('loads every seed story of examples/scenarios as a preset, each matching its expectations', async () => {
    const files = readdirSync(scenarios).filter((f) => f.endsWith('.json')).sort();
    let loaded = 0;
    for (const file of files) {
      const id = file.replace(/\.json$/, '');
      const suite = JSON.parse(readFileSync(join(scenarios, file), 'utf8'));
      const option = page.locator(`#preset option[value="${id}"]`);
      if ('resources' in suite) {
        // The general IAM form has no API to edit: offered, disabled, with the reason.
        assert.equal(await option.isDisabled(), true, `${id} is disabled`);
        assert.match(await option.textContent(), /general IAM form/);
        continue;
      }
      await loadPreset(id);
      const n = suite.cases.length;
      assert.equal(await page.locator('#requests tbody tr').count(), n, `${id}: one row per case`);
      assert.equal(await page.locator('#expect-summary').textContent(), `${n} of ${n} rows with an expectation match it`, `${id}: every row as the suite expects`);
      loaded += 1;
    }
    assert.ok(loaded >= 5, `at least five presets (${loaded})`);
  });

  test('adding a Deny statement flips a row to ExplicitDeny', async () => {
    await loadPreset('1a-partner-and-office');
    assert.equal(await decisionOf('partner-app-creates-an-order'), 'Allow');
    await page.click('#add-deny');
    await page.locator('.cm-line', { hasText: '"Sid": "DenyWrites"' }).waitFor();
    const r = await row('partner-app-creates-an-order');
    await r.locator('.decision .badge', { hasText: 'ExplicitDeny' }).waitFor();
    assert.equal(await r.locator('.decision .status').textContent(), '403');
    assert.equal(await r.locator('.message').textContent(), 'User: arn:aws:iam::444455556666:user/partner-app is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********3333:a1b2c3d4e5/prod/POST/partner/orders with an explicit deny');
    // Its pinned expectation (Allow) now fails, and says which fields differ; GET rows are untouched.
    assert.match(await r.locator('.expect').textContent(), /✗ .*decision/);
    assert.equal(await decisionOf('partner-app-lists-orders'), 'Allow');
  });

  test('clicking a row shows its explanation and highlights the decisive statement', async () => {
    await (await row('partner-app-creates-an-order')).locator('td.num').click();
    const highlighted = page.locator('.cm-line.cm-statement-deny');
    await highlighted.first().waitFor();
    const text = (await highlighted.allTextContents()).join('\n');
    assert.match(text, /"Sid": "DenyWrites"/);
    assert.match(text, /"Effect": "Deny"/);
    assert.doesNotMatch(text, /AllowPartner|AllowOfficeNetwork/, 'only the decisive statement');
    const first = await lineNumberAt(highlighted.first());
    assert.equal(first, (await lineNumberOf('"Sid": "DenyWrites"')) - 1, 'the highlight starts at the statement’s `{`');
    assert.match(await page.locator('#highlight-status').textContent(), new RegExp(`decided by the highlighted statement \\(lines? ${first}–\\d+\\)`));
    assert.match(await page.locator('#explanation .decisive').textContent(), /resource #2 “DenyWrites” \(Deny\), line \d+/);
    assert.match(await page.locator('#explanation').textContent(), /ExplicitDeny 403 ACCESS_DENIED/);
    await page.screenshot({ path: join(here, 'screenshot.png'), fullPage: true });
  });

  test('invalid JSON shows the diagnostic at its line, and the rows say why they are not decided', async () => {
    const effectLine = await lineNumberOf('"Effect": "Deny"');
    // Delete the comma after "Deny" by typing, as a person would.
    await page.locator('.cm-line', { hasText: '"Effect": "Deny"' }).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    const problem = page.locator('#problems li.error');
    await problem.first().waitFor();
    assert.equal(await problem.count(), 1);
    const expected = `line ${effectLine + 1}, column 7`;
    assert.match(await problem.textContent(), new RegExp(`^${expected} error: expected \`,\` or \`}\` in an object`));
    // The inline mark is on that line of the editor.
    const mark = page.locator('.cm-lintRange-error');
    await mark.first().waitFor();
    assert.equal(await lineNumberAt(mark.first()), effectLine + 1);
    assert.equal(await page.locator('.cm-lint-marker-error').count(), 1, 'one marker in the gutter');
    assert.equal(await decisionOf('office-lists-pets'), 'not decided');
    assert.match(await (await row('office-lists-pets')).locator('.message').textContent(), new RegExp(`the resource policy has an error at line ${effectLine + 1}`));
    // Typing the comma back decides the rows again.
    await page.keyboard.type(',');
    await problem.first().waitFor({ state: 'detached' });
    await (await row('partner-app-creates-an-order')).locator('.decision .badge', { hasText: 'ExplicitDeny' }).waitFor();
  });

  test('bad input in a field gives a message next to it, never a blank page', async () => {
    const account = page.locator('#f-api-accountId');
    await account.fill('12345');
    const error = page.locator('.field-error[data-for="api/accountId"]');
    await error.filter({ hasText: /./ }).waitFor();
    assert.match(await error.textContent(), /12 digits|accountId/);
    assert.equal(await account.getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('#config-error').textContent(), /^Rows not decided: error in the API settings: /);
    await account.fill('111122223333');
    await error.waitFor({ state: 'hidden' }); // an empty message takes no room

    // A request header object that is not JSON: the row says so, its field says where.
    await (await row('office-lists-pets')).locator('td.num').click();
    const headers = page.locator('#f-cases-0-headers');
    await headers.fill('{"Authorization": ');
    const headerError = page.locator('.field-error[data-for="cases/0/headers"]');
    await headerError.filter({ hasText: /not valid JSON/ }).waitFor();
    assert.equal(await decisionOf('office-lists-pets'), 'input error');
    assert.equal(await decisionOf('office-opens-the-root'), 'Allow', 'the other rows are still decided');
    await headers.fill('{"Authorization": "Bearer x"}');
    await (await row('office-lists-pets')).locator('.decision .badge', { hasText: 'Allow' }).waitFor();

    // A request the engine rejects (no such HTTP method): its message is next to the field.
    await (await row('office-lists-pets')).locator('input[aria-label="row 1 path"]').fill('pets');
    const pathError = page.locator('.field-error[data-for="cases/0/path"]');
    await pathError.filter({ hasText: /./ }).waitFor();
    await (await row('office-lists-pets')).locator('input[aria-label="row 1 path"]').fill('/pets');
    await pathError.waitFor({ state: 'hidden' });
  });

  test('the URL holds the whole state: a shared link opens the same editor', async () => {
    await page.waitForFunction(() => location.hash.startsWith('#s='));
    await page.waitForTimeout(400); // the hash follows edits after 300 ms
    const link = page.url();
    const other = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors = [];
    other.on('pageerror', (e) => errors.push(e.message));
    await other.goto(link);
    await other.waitForSelector('body[data-ready="true"]');
    await other.locator('.cm-line', { hasText: '"Sid": "DenyWrites"' }).waitFor();
    const r = await row('partner-app-creates-an-order', other);
    await r.locator('.decision .badge', { hasText: 'ExplicitDeny' }).waitFor();
    assert.match(await other.locator('#notice').textContent(), /shared state/);
    // A damaged link: a message, and a working page with the default story.
    await other.goto(`${server.url}#s=AAAA-not-a-state`);
    await other.waitForSelector('body[data-ready="true"]');
    assert.match(await other.locator('#notice').textContent(), /could not be opened/);
    assert.equal(await other.locator('#requests tbody tr').count() > 0, true);
    assert.deepEqual(errors, []);
    await other.close();
  });

  test('the exported suite runs unchanged in the CLI, the Node package and Python', async (t) => {
    await page.click('#pin');
    await page.locator('#expect-summary', { hasText: /^(\d+) of \1 rows/ }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const file = join(downloads, 'suite.json');
    await download.saveAs(file);
    const suite = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(typeof suite.api.policy, 'object', 'the policy is exported as a JSON document');
    assert.equal(suite.api.policy.Statement.at(-1).Sid, 'DenyWrites');
    const n = suite.cases.length;

    const cli = spawnSync('cargo', ['run', '-q', '-p', 'apigw-authz-cli', '--', 'test', file], { cwd: repo, encoding: 'utf8' });
    if (cli.error?.code === 'ENOENT') t.diagnostic('cargo not found: CLI not checked');
    else {
      assert.equal(cli.status, 0, `apigw-authz test failed:\n${cli.stdout}\n${cli.stderr}`);
      assert.match(cli.stdout, new RegExp(`${n} passed, 0 failed`));
    }

    const { runSuite } = await import('apigw-authz');
    const report = runSuite(readFileSync(file, 'utf8'));
    assert.deepEqual([report.passed, report.failed], [n, 0]);

    const python = join(repo, '.venv', 'bin', 'python');
    const probe = existsSync(python) && spawnSync(python, ['-c', 'import apigw_authz'], { encoding: 'utf8' }).status === 0;
    if (!probe) t.diagnostic('no .venv with apigw_authz (bindings-python/test.sh makes it): Python not checked');
    else {
      const out = execFileSync(python, ['-c', 'import apigw_authz, sys; r = apigw_authz.run_suite(open(sys.argv[1]).read()); print(r["passed"], r["failed"])', file], { encoding: 'utf8' });
      assert.equal(out.trim(), `${n} 0`);
    }
  });

  test('the page made no request off the machine and logged no error', () => {
    assert.deepEqual(offsite, []);
    assert.deepEqual(pageErrors, []);
  });
});

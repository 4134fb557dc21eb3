// The page: boots the WebAssembly engine, keeps the state, and re-evaluates on every edit.
//
//   state (model.js) --toSuite--> suite JSON --runSuite/validatePolicy (evaluate.js)--> decisions, diagnostics
//
// Every failure is shown on the page, next to its field or in the notice bar: never a blank page, never an error
// in the console only.

import init, { version } from 'apigw-authz';
import { h, select } from './dom.js';
import { evaluate } from './evaluate.js';
import { showErrors } from './fields.js';
import { fromSuite, normalizeState, pinnedExpectation, toSuite } from './model.js';
import { createPolicyEditor } from './policy-editor.js';
import { DEFAULT_PRESET, presets } from './presets.js';
import { decodeState, encodeState } from './share.js';
import { jsonSummary, renderApi } from './view-api.js';
import { renderDetails, updateExplanation } from './view-details.js';
import { renderRequests, updateRequestResults } from './view-requests.js';
import './style.css';

const root = document.getElementById('app');

function notice(message, kind = 'info') {
  const bar = document.getElementById('notice');
  if (!bar) return;
  bar.textContent = message;
  bar.className = `notice ${kind}`;
  bar.hidden = !message;
}

// Anything unexpected ends up on the page too.
window.addEventListener('error', (e) => notice(`Something went wrong: ${e.message}`, 'error'));
window.addEventListener('unhandledrejection', (e) => notice(`Something went wrong: ${e.reason?.message ?? e.reason}`, 'error'));

const DENY_TEMPLATE = (api) => ({
  Sid: 'DenyWrites',
  Effect: 'Deny',
  Principal: '*',
  Action: 'execute-api:Invoke',
  Resource: [`arn:aws:execute-api:${api.region || 'us-east-1'}:${api.accountId || '111122223333'}:${api.id || 'a1b2c3d4e5'}/*/POST/*`],
});
const ALLOW_TEMPLATE = (api) => ({
  Sid: 'AllowFromOffice',
  Effect: 'Allow',
  Principal: '*',
  Action: 'execute-api:Invoke',
  Resource: `arn:aws:execute-api:${api.region || 'us-east-1'}:${api.accountId || '111122223333'}:${api.id || 'a1b2c3d4e5'}/*`,
  Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
});

const app = {
  state: null,
  selected: 0,
  result: null,
  editor: null,
  timer: null,
  hashTimer: null,
  lastHash: '',

  /** Something was edited. `structure`: rows or fields were added or removed, so the forms are rebuilt. */
  changed({ structure = false } = {}) {
    if (structure) renderForms();
    clearTimeout(this.timer);
    this.timer = setTimeout(recompute, 0);
    clearTimeout(this.hashTimer);
    this.hashTimer = setTimeout(saveHash, 300);
  },

  select(i) {
    if (i === this.selected) return;
    this.selected = i;
    renderDetailsPane();
    if (this.result) {
      updateRequestResults(root, this, this.result);
      updateExplanation(root, this, this.result);
      highlightDecisive();
    }
  },

  removeCase(i) {
    this.state.cases.splice(i, 1);
    if (this.selected >= this.state.cases.length) this.selected = Math.max(0, this.state.cases.length - 1);
    this.changed({ structure: true });
  },

  focusStatement(at) {
    this.editor.highlight([{ line: at.line, column: at.column, kind: at.effect === 'Deny' ? 'deny' : 'allow' }]);
  },
};

function loadState(state, { selected = 0 } = {}) {
  app.state = state;
  app.selected = Math.min(selected, Math.max(0, state.cases.length - 1));
  app.editor.setText(state.policy);
  renderForms();
  recompute();
}

function loadPreset(id) {
  const preset = presets.find((p) => p.id === id);
  if (!preset) return notice(`There is no preset \`${id}\``, 'error');
  try {
    loadState(fromSuite(preset.suite));
    notice(`Loaded ${preset.label}.`);
    saveHash();
  } catch (e) {
    notice(`Preset ${preset.label} cannot be shown here: ${e.message}`, 'error');
  }
}

function renderForms() {
  root.querySelector('#api-pane').replaceChildren(renderApi(app));
  root.querySelector('#requests-pane').replaceChildren(renderRequests(app));
  renderDetailsPane();
  const description = root.querySelector('#suite-description');
  description.value = app.state.description;
}

function renderDetailsPane() {
  root.querySelector('#details-pane').replaceChildren(renderDetails(app));
}

function recompute() {
  clearTimeout(app.timer);
  let result;
  try {
    result = evaluate(app.state);
  } catch (e) {
    notice(`The editor could not evaluate this state: ${e.message}`, 'error');
    return;
  }
  app.result = result;
  app.editor.showDiagnostics(result.diagnostics);
  renderProblems(result);
  showErrors(root, result.fieldErrors);
  updateRequestResults(root, app, result);
  updateExplanation(root, app, result);
  const banner = root.querySelector('#config-error');
  banner.textContent = result.configError ? `Rows not decided: ${result.configError}` : '';
  banner.hidden = !result.configError;
  const folded = root.querySelector('#json-fields-summary');
  if (folded) folded.textContent = jsonSummary(app.state);
  // A folded JSON field with an error is opened, so its message is seen.
  const jsonFields = root.querySelector('#json-fields');
  if (jsonFields && ['principals', 'vpcEndpoints', 'apiMore', 'other'].some((k) => result.fieldErrors[k])) jsonFields.open = true;
  highlightDecisive({ scroll: false });
}

function renderProblems(result) {
  const list = root.querySelector('#problems');
  const items = result.diagnostics.map((d) =>
    h(
      'li',
      { class: d.severity, dataset: { line: d.line ?? '', column: d.column ?? '' } },
      h('span', { class: 'where' }, `line ${d.line ?? '?'}, column ${d.column ?? '?'}`),
      ` ${d.severity}: ${d.message}`,
      d.help ? h('span', { class: 'help' }, ` (${d.help})`) : null,
    ),
  );
  list.replaceChildren(...items);
  root.querySelector('#policy-status').textContent =
    app.state.policy.trim() === ''
      ? 'No resource policy: the API has none.'
      : result.diagnostics.some((d) => d.severity === 'error')
        ? ''
        : result.diagnostics.length > 0
          ? 'Valid, with warnings.'
          : 'Valid resource policy.';
}

/** Highlight the decisive resource-policy statements of the selected row in the editor. */
function highlightDecisive({ scroll = true } = {}) {
  const r = app.result?.rows[app.selected];
  const d = r?.report?.decision;
  const statements = [];
  if (d) {
    const positions = new Map();
    for (const step of d.explanation) for (const s of step.statements) if (s.line) positions.set(`${s.policy}#${s.index}`, s);
    for (const s of d.decisive) {
      const at = positions.get(`${s.policy}#${s.index}`);
      if (s.policy === 'resource' && at) statements.push({ line: at.line, column: at.column, kind: s.effect === 'Deny' ? 'deny' : 'allow' });
    }
  }
  const lines = app.editor.highlight(statements, { scroll });
  const where = root.querySelector('#highlight-status');
  where.textContent = !d
    ? ''
    : lines.length > 0
      ? `Row ${app.selected + 1} is decided by the highlighted statement${lines.length > 1 ? 's' : ''} (line${lines.length > 1 ? 's' : ''} ${lines.map((l) => `${l.first}–${l.last}`).join(', ')}).`
      : d.decisive.length > 0
        ? `Row ${app.selected + 1} is decided by ${d.decisive.map((s) => s.policy).join(' and ')}, not by a resource-policy statement.`
        : `Row ${app.selected + 1}: no statement decided.`;
}

async function saveHash() {
  clearTimeout(app.hashTimer);
  try {
    const hash = await encodeState(app.state);
    app.lastHash = hash;
    if (location.hash !== hash) history.replaceState(null, '', hash);
  } catch (e) {
    notice(`The share link could not be updated: ${e.message}`, 'error');
  }
}

function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function exportSuite() {
  const result = evaluate(app.state);
  const { suite, cases, errors } = toSuite(app.state, { policyAs: 'object' });
  const bad = [];
  if (result.diagnostics.some((d) => d.severity === 'error')) bad.push('the resource policy');
  if (Object.keys(errors).length > 0 || Object.keys(result.fieldErrors).length > 0) bad.push('the fields marked in red');
  if (result.configError) bad.push('the API settings');
  if (cases.length === 0) bad.push('the table (a suite needs at least one request)');
  if (bad.length > 0) {
    notice(`Not exported: the CLI would reject it. Fix ${bad.join(', ')} first.`, 'error');
    return;
  }
  // The policy goes out as a JSON object (policyAs `object`), as people write it in files.
  const text = `${JSON.stringify({ ...suite, cases }, null, 2)}\n`;
  download('apigw-authz-suite.json', text);
  notice('Exported apigw-authz-suite.json: run it with `apigw-authz test apigw-authz-suite.json` or `apigw_authz.run_suite` in Python.');
}

function pinExpectations() {
  let n = 0;
  app.state.cases.forEach((c, i) => {
    const r = app.result?.rows[i];
    if (r?.report) {
      c.expect = JSON.stringify(pinnedExpectation(r.report.decision), null, 2);
      n += 1;
    }
  });
  app.changed({ structure: true });
  notice(`Pinned the current decision of ${n} row${n === 1 ? '' : 's'} as expected.`);
}

async function copyLink() {
  await saveHash();
  try {
    await navigator.clipboard.writeText(location.href);
    notice(`Link copied (${location.href.length} characters): it holds the whole editor state.`);
  } catch {
    notice('The browser did not let the page copy: copy the address bar, it holds the whole editor state.');
  }
}

function formatPolicy() {
  try {
    const text = JSON.stringify(JSON.parse(app.editor.getText()), null, 2);
    app.editor.view.dispatch({ changes: { from: 0, to: app.editor.view.state.doc.length, insert: text } });
  } catch {
    notice('Format needs valid JSON: fix the error shown in the editor first.', 'error');
  }
}

function layout() {
  const presetSelect = select(
    [['', 'Load a seed story…'], ...presets.map((p) => [p.id, p.unsupported ? `${p.label} (${p.unsupported})` : p.label])],
    '',
    {
      id: 'preset',
      'aria-label': 'Load a seed story',
      onchange: (e) => {
        const id = e.target.value;
        e.target.value = '';
        if (id) loadPreset(id);
      },
    },
  );
  for (const option of presetSelect.options) {
    const p = presets.find((x) => x.id === option.value);
    if (p?.unsupported) option.disabled = true;
  }
  root.replaceChildren(
    h(
      'header',
      {},
      h('h1', {}, 'API Gateway resource policy editor'),
      h('span', { class: 'engine' }, `apigw-authz ${version()}`),
      h(
        'div',
        { class: 'toolbar' },
        presetSelect,
        h('button', { id: 'copy-link', onclick: copyLink, title: 'The address bar always holds the whole state' }, 'Copy share link'),
        h('button', { id: 'export', onclick: exportSuite, title: 'A suite file that runs unchanged in the CLI and in Python' }, 'Export suite JSON'),
        h('button', { id: 'pin', onclick: pinExpectations, title: 'Record every row’s current decision as its expectation' }, 'Pin decisions as expected'),
      ),
    ),
    h('div', { id: 'notice', class: 'notice', role: 'status', hidden: true }),
    h(
      'details',
      { class: 'about' },
      h('summary', {}, 'About this suite'),
      h('textarea', { id: 'suite-description', rows: 4, 'aria-label': 'Suite description', oninput: (e) => { app.state.description = e.target.value; app.changed(); } }),
    ),
    h(
      'main',
      { class: 'top' },
      h(
        'section',
        { id: 'policy-pane', class: 'pane' },
        h(
          'h2',
          {},
          'Resource policy',
          h(
            'span',
            { class: 'toolbar' },
            h('button', { class: 'small', id: 'add-allow', onclick: () => app.editor.insertStatement(ALLOW_TEMPLATE(app.state.api)) || notice('Add statement needs a policy whose `Statement` is an array.', 'error') }, '+ Allow statement'),
            h('button', { class: 'small', id: 'add-deny', onclick: () => app.editor.insertStatement(DENY_TEMPLATE(app.state.api)) || notice('Add statement needs a policy whose `Statement` is an array.', 'error') }, '+ Deny statement'),
            h('button', { class: 'small', id: 'format', onclick: formatPolicy }, 'Format'),
          ),
        ),
        h('div', { id: 'editor' }),
        h('div', { id: 'policy-status', class: 'ok' }),
        h('ul', { id: 'problems', 'aria-label': 'Problems in the policy' }),
        h('div', { id: 'highlight-status', class: 'hint' }),
      ),
      h('section', { id: 'api-pane-wrap', class: 'pane' }, h('h2', {}, 'API'), h('div', { id: 'api-pane' })),
    ),
    h('section', { class: 'pane' }, h('h2', {}, 'Test requests'), h('div', { id: 'config-error', class: 'notice error', hidden: true }), h('div', { id: 'requests-pane' })),
    h('section', { class: 'pane' }, h('h2', {}, 'Selected request'), h('div', { id: 'details-pane' })),
    h('footer', {}, 'Decisions by the apigw-authz engine (WebAssembly), as Amazon API Gateway would answer; nothing leaves the page.'),
  );
}

async function main() {
  try {
    await init();
  } catch (e) {
    root.replaceChildren(h('div', { class: 'notice error' }, `The decision engine (WebAssembly) could not be loaded: ${e.message}. Reload the page; if it persists, the browser may block WebAssembly.`));
    return;
  }
  layout();
  app.editor = createPolicyEditor(root.querySelector('#editor'), {
    onChange: (text) => {
      app.state.policy = text;
      app.changed();
    },
  });
  let state = null;
  try {
    const shared = await decodeState(location.hash);
    if (shared) state = normalizeState(shared);
  } catch (e) {
    notice(`This link could not be opened (${e.message}); showing story ${DEFAULT_PRESET} instead.`, 'error');
  }
  if (state) {
    loadState(state);
    app.lastHash = location.hash;
    notice('Opened the shared state from the link.');
  } else loadState(fromSuite(presets.find((p) => p.id === DEFAULT_PRESET).suite));
  window.addEventListener('hashchange', async () => {
    if (location.hash === app.lastHash || !location.hash) return;
    try {
      const shared = await decodeState(location.hash);
      if (shared) {
        loadState(normalizeState(shared));
        app.lastHash = location.hash;
        notice('Opened the shared state from the link.');
      }
    } catch (e) {
      notice(`This link could not be opened: ${e.message}`, 'error');
    }
  });
  document.body.dataset.ready = 'true';
}

main();

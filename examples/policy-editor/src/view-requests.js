// The table of test requests. Each row is one case of the suite: who calls (anonymous, or a SigV4 caller by
// ARN), from where (a source IP, or a VPC endpoint of a private API), which method, path and stage, with which
// headers and Lambda authorizer result; and, live, what API Gateway answers. Clicking a row shows its
// explanation and highlights the decisive statement in the policy editor.

import { h } from './dom.js';
import { field, selectInput, textInput } from './fields.js';
import { HTTP_METHODS, SIGNATURES, newCase, parseField } from './model.js';

const METHODS = HTTP_METHODS.filter((m) => m !== 'ANY');

export function renderRequests(app) {
  const edit = () => app.changed();
  const restructure = () => app.changed({ structure: true });
  const cases = app.state.cases;

  const rows = cases.map((c, i) => {
    const arn = textInput(c, 'callerArn', edit, { placeholder: 'arn:aws:iam::444455556666:user/alice', 'aria-label': `row ${i + 1} caller ARN`, class: 'arn' });
    const signature = selectInput(c, 'signature', SIGNATURES, edit, { 'aria-label': `row ${i + 1} signature`, title: 'SigV4 signature' });
    const callerParts = () => {
      arn.hidden = c.callerKind !== 'iam';
      signature.hidden = c.callerKind !== 'iam';
    };
    const kind = selectInput(c, 'callerKind', [['anonymous', 'anonymous'], ['iam', 'IAM (SigV4)']], () => { callerParts(); edit(); }, { 'aria-label': `row ${i + 1} caller kind` });
    callerParts();
    const source = textInput(c, 'source', edit, { 'aria-label': `row ${i + 1} source`, class: 'source' });
    const sourcePlaceholder = () => {
      source.placeholder = c.sourceKind === 'vpce' ? 'vpce-0a1b2c3d' : '203.0.113.7';
    };
    sourcePlaceholder();
    const sourceKind = selectInput(c, 'sourceKind', [['ip', 'IP'], ['vpce', 'VPC endpoint']], () => { sourcePlaceholder(); edit(); }, { 'aria-label': `row ${i + 1} source kind` });

    return h(
      'tr',
      {
        dataset: { row: i },
        class: i === app.selected ? 'selected' : '',
        onclick: (e) => {
          if (!e.target.closest('button.icon')) app.select(i);
        },
        onfocusin: () => app.select(i),
      },
      h('td', { class: 'num' }, String(i + 1)),
      h('td', {}, field(`cases/${i}/name`, null, textInput(c, 'name', edit, { 'aria-label': `row ${i + 1} name`, class: 'name' }))),
      h('td', { class: 'caller' }, field(`cases/${i}/callerArn`, null, h('div', { class: 'stack' }, h('div', { class: 'inline' }, kind, signature), arn))),
      h('td', { class: 'source' }, field(`cases/${i}/source`, null, h('div', { class: 'stack' }, sourceKind, source))),
      h('td', {}, field(`cases/${i}/httpMethod`, null, selectInput(c, 'httpMethod', METHODS, edit, { 'aria-label': `row ${i + 1} method` }))),
      h('td', {}, field(`cases/${i}/path`, null, textInput(c, 'path', edit, { 'aria-label': `row ${i + 1} path`, class: 'path' }))),
      h('td', {}, field(`cases/${i}/stage`, null, textInput(c, 'stage', edit, { 'aria-label': `row ${i + 1} stage`, class: 'stage' }))),
      h('td', { class: 'summary' }, h('div', { dataset: { summary: 'headers' } }), h('div', { dataset: { summary: 'authorizerResult' } })),
      h('td', { class: 'result' }, h('div', { class: 'decision' }), h('div', { class: 'message' })),
      h('td', { class: 'expect' }),
      h('td', {}, h('button', { class: 'icon', title: 'Remove this request', 'aria-label': `remove row ${i + 1}`, onclick: () => app.removeCase(i) }, '×')),
    );
  });

  return h(
    'div',
    {},
    h(
      'table',
      { class: 'grid requests', id: 'requests' },
      h(
        'thead',
        {},
        h('tr', {}, ['#', 'Name', 'Caller', 'Source', 'Method', 'Path', 'Stage', 'Headers · authorizer result', 'Decision · status · message', 'Expected', ''].map((t) => h('th', {}, t))),
      ),
      h('tbody', {}, rows),
    ),
    cases.length === 0 ? h('p', { class: 'hint' }, 'No requests yet: add one to see what API Gateway answers.') : null,
    h(
      'div',
      { class: 'actions' },
      h('button', { id: 'add-request', onclick: () => { cases.push(newCase(cases.length + 1, cases[app.selected] ?? cases[cases.length - 1])); app.selected = cases.length - 1; restructure(); } }, '+ Add request'),
      h('span', { id: 'expect-summary', class: 'hint' }),
    ),
  );
}

function summarize(text, kind) {
  const { value, error } = parseField(text);
  if (error) return { text: 'invalid JSON', bad: true };
  if (value === undefined) return { text: '—', bad: false };
  if (kind === 'headers') {
    return { text: Object.entries(value).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('; '), bad: false };
  }
  if ('error' in value) return { text: `fails: ${value.error}`, bad: false };
  const effects = (value.policyDocument?.Statement ?? []);
  const list = Array.isArray(effects) ? effects : [effects];
  const effect = [...new Set(list.map((s) => s?.Effect))].join('/');
  return { text: `${value.principalId ?? '?'}: ${effect || 'no statements'}`, bad: false };
}

const BADGE = {
  Allow: 'allow',
  ExplicitDeny: 'deny',
  ImplicitDeny: 'implicit',
  Unauthenticated: 'unauth',
  AuthorizerError: 'error',
  NoRoute: 'unauth',
  UriTooLong: 'unauth',
};

/** Update each row's live cells (summaries, decision, status, message, expectation) in place. */
export function updateRequestResults(root, app, result) {
  const rows = root.querySelectorAll('#requests tbody tr');
  let passed = 0;
  let checked = 0;
  rows.forEach((tr, i) => {
    const c = app.state.cases[i];
    const r = result.rows[i];
    tr.classList.toggle('selected', i === app.selected);
    for (const kind of ['headers', 'authorizerResult']) {
      const cell = tr.querySelector(`[data-summary="${kind}"]`);
      const s = summarize(c[kind], kind);
      cell.textContent = `${kind === 'headers' ? 'headers' : 'authorizer'}: ${s.text}`;
      cell.title = `${s.text}\n(click the row to edit it in the details below)`;
      cell.classList.toggle('bad', s.bad || Boolean(result.fieldErrors[`cases/${i}/${kind}`]));
    }
    const decision = tr.querySelector('.decision');
    const message = tr.querySelector('.message');
    const expect = tr.querySelector('.expect');
    if (r?.report) {
      const d = r.report.decision;
      decision.replaceChildren(h('span', { class: `badge ${BADGE[d.decision] ?? 'error'}` }, d.decision), ' ', h('span', { class: 'status', title: d.responseType ?? '' }, String(d.statusCode)));
      message.textContent = d.message ?? (d.statusCode === 200 ? 'passed to the integration' : '(no message)');
      message.title = d.body ?? '';
      message.classList.remove('bad');
      const hasExpectation = c.expect.trim() !== '' && c.expect.trim() !== '{}';
      if (hasExpectation) {
        checked += 1;
        if (r.report.passed) passed += 1;
        expect.replaceChildren(
          r.report.passed
            ? h('span', { class: 'pass', title: 'the decision has every expected field' }, '✓')
            : h(
                'span',
                { class: 'fail', title: r.report.differences.map((x) => `${x.field}: expected ${JSON.stringify(x.expected)}, got ${JSON.stringify(x.actual)}`).join('\n') },
                `✗ ${r.report.differences[0].field}${r.report.differences.length > 1 ? ` +${r.report.differences.length - 1}` : ''}`,
              ),
        );
      } else expect.replaceChildren(h('span', { class: 'hint' }, '—'));
    } else {
      decision.replaceChildren(h('span', { class: 'badge none' }, r?.error ? 'input error' : 'not decided'));
      message.textContent = r?.error ?? r?.blocked ?? '';
      message.title = '';
      message.classList.add('bad');
      expect.textContent = '';
    }
  });
  const summary = root.querySelector('#expect-summary');
  if (summary) summary.textContent = checked > 0 ? `${passed} of ${checked} rows with an expectation match it` : 'No row has an expectation yet: “Pin decisions” records the current ones.';
}

// The selected request: its JSON fields (headers, authorizer result, other request fields, expectation) and
// the engine's answer, with the explanation step by step. Resource-policy statements link to the editor.

import { h } from './dom.js';
import { field, jsonArea } from './fields.js';

const AUTHORIZER_EXAMPLES = {
  'Allow all': (api) => ({
    principalId: 'user-1',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `arn:aws:execute-api:${api.region || 'us-east-1'}:${api.accountId || '111122223333'}:${api.id || 'a1b2c3d4e5'}/*` }],
    },
  }),
  'Deny all': (api) => ({
    principalId: 'user-1',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: `arn:aws:execute-api:${api.region || 'us-east-1'}:${api.accountId || '111122223333'}:${api.id || 'a1b2c3d4e5'}/*` }],
    },
  }),
  Unauthorized: () => ({ error: 'Unauthorized' }),
  'Function fails': () => ({ error: 'Task timed out after 3.00 seconds' }),
};

export function renderDetails(app) {
  const i = app.selected;
  const c = app.state.cases[i];
  if (!c) return h('p', { class: 'hint' }, 'Click a request row to see why API Gateway answers as it does.');
  const edit = () => app.changed();
  const authorizer = jsonArea(c, 'authorizerResult', edit, { placeholder: '{"principalId": "alice", "policyDocument": {...}}  or  {"error": "Unauthorized"}' });
  return h(
    'div',
    { class: 'details-grid' },
    h(
      'div',
      { class: 'request-fields' },
      h('h3', {}, `Request ${i + 1}: `, h('span', { class: 'case-name' }, c.name)),
      field(`cases/${i}/description`, 'Description', jsonArea(c, 'description', edit, { rows: 2, placeholder: 'what this request checks' }), { wide: true }),
      field(`cases/${i}/headers`, 'Headers (JSON object; names are case-insensitive)', jsonArea(c, 'headers', edit, { placeholder: '{"Authorization": "Bearer alice-token"}' }), { wide: true }),
      field(
        `cases/${i}/authorizerResult`,
        'Lambda authorizer result (what the function returns for this request)',
        authorizer,
        { wide: true, hint: h('span', {}, 'Fill in: ', Object.entries(AUTHORIZER_EXAMPLES).map(([label, make]) => h('button', { class: 'small', onclick: () => { authorizer.value = JSON.stringify(make(app.state.api), null, 2); c.authorizerResult = authorizer.value; edit(); } }, label))) },
      ),
      field(`cases/${i}/more`, 'Other request fields (time, queryStringParameters, cognito, context, vpcSourceIp, caller extras ...)', jsonArea(c, 'more', edit, { placeholder: '{"time": "2026-11-22T10:00:00Z"}' }), { wide: true }),
      field(`cases/${i}/expect`, 'Expected decision fields (checked live, and by the CLI on export)', jsonArea(c, 'expect', edit, { placeholder: '{"decision": "Allow", "statusCode": 200}' }), { wide: true }),
    ),
    h('div', { class: 'explanation', id: 'explanation' }),
  );
}

function kv(label, value) {
  if (value === null || value === undefined) return null;
  return [h('dt', {}, label), h('dd', {}, typeof value === 'string' ? value : JSON.stringify(value))];
}

function statementLabel(s) {
  return `${s.policy} #${s.index}${s.sid ? ` “${s.sid}”` : ''} (${s.effect})`;
}

/** Update the explanation of the selected row. */
export function updateExplanation(root, app, result) {
  const box = root.querySelector('#explanation');
  if (!box) return;
  const r = result.rows[app.selected];
  if (!r?.report) {
    box.replaceChildren(h('h3', {}, 'Explanation'), h('p', { class: 'bad' }, r?.error ?? r?.blocked ?? 'not decided'));
    return;
  }
  const d = r.report.decision;
  const lines = new Map();
  for (const step of d.explanation) for (const s of step.statements) if (s.line) lines.set(`${s.policy}#${s.index}`, s);
  const link = (s, kind) => {
    const at = lines.get(`${s.policy}#${s.index}`);
    if (s.policy !== 'resource' || !at) return h('span', { class: `stmt-ref ${kind}` }, statementLabel(s));
    return h('button', { class: `stmt-link ${kind}`, title: `show it in the editor (line ${at.line})`, onclick: () => app.focusStatement(at) }, `${statementLabel(s)}, line ${at.line}`);
  };
  const parts = [
    h('h3', {}, 'Explanation'),
    h('div', { class: 'decision-head' }, h('span', { class: `badge ${d.decision === 'Allow' ? 'allow' : d.decision === 'ExplicitDeny' ? 'deny' : 'implicit'}` }, d.decision), ` ${d.statusCode}`, d.responseType ? ` ${d.responseType}` : '', d.errorType ? ` · ${d.errorType}` : ''),
    h('dl', {}, kv('method ARN', d.methodArn), kv('caller', d.caller), kv('authorizer invoked', d.authorizerInvoked ? 'yes' : 'no'), kv('message', d.message), kv('body', d.body)),
    h(
      'div',
      { class: 'decisive' },
      d.decisive.length === 0
        ? h(
            'p',
            {},
            d.decision === 'ImplicitDeny'
              ? 'No statement allowed it: an implicit deny.'
              : d.decision === 'Allow'
                ? 'No policy statement was needed to allow it.'
                : 'No policy statement decided it: see the step that failed below.',
          )
        : h('p', {}, 'Decided by: ', d.decisive.map((s) => link(s, s.effect === 'Deny' ? 'deny' : 'allow'))),
    ),
    h(
      'ol',
      { class: 'steps' },
      d.explanation.map((step) =>
        h(
          'li',
          { class: `step ${step.outcome}` },
          h('div', {}, h('span', { class: `outcome ${step.outcome}` }, step.outcome), ' ', h('strong', {}, step.step), ': ', step.summary),
          step.notes.map((n) => h('div', { class: 'note' }, `note: ${n}`)),
          step.statements.length > 0
            ? h(
                'ul',
                { class: 'statements' },
                step.statements.map((s) =>
                  h(
                    'li',
                    { class: s.applies ? 'applies' : 'skipped' },
                    h('span', { class: 'mark' }, s.applies ? '✔ applies' : '✘ does not apply'),
                    ' ',
                    link(s, s.applies ? (s.effect === 'Deny' ? 'deny' : 'allow') : 'focus'),
                    h('ul', { class: 'checks' }, s.checks.map((k) => h('li', { class: k.matched ? 'ok' : 'fail' }, `${k.matched ? 'ok' : 'no'} · ${k.element}: ${k.detail}`))),
                  ),
                ),
              )
            : null,
        ),
      ),
    ),
    d.warnings.length > 0 ? h('div', { class: 'warnings' }, d.warnings.map((w) => h('p', {}, `warning: ${w}`))) : null,
    r.report.differences.length > 0
      ? h('div', { class: 'differences' }, h('h4', {}, 'Differs from the expectation'), r.report.differences.map((x) => h('p', {}, `${x.field}: expected ${JSON.stringify(x.expected)}, got ${JSON.stringify(x.actual)}`)))
      : null,
  ];
  box.replaceChildren(...parts.filter(Boolean));
}

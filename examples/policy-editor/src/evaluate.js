// Everything the page asks the engine, in one place. One call per edit:
//   validatePolicy(policy text)  -> the editor's inline diagnostics;
//   runSuite(the state's suite)  -> every row's decision, with the explanation.
// The rows run as one suite, exactly as `apigw-authz test` runs the exported file: in order, sharing one Lambda
// authorizer cache, so a row answered from the cache here is answered from the cache there too.
//
// Bad input never yields a decision; it yields an `ApigwAuthzError` with the JSON `path` of the culprit. This file
// turns that path into the key of the page field it came from (`api/methods/2/resourcePath`,
// `cases/3/headers`, ...) so the message is shown next to that field. A row whose request is bad is set aside and
// the suite runs again without it, so one typo marks one row, not the whole table.

import { runSuite, validatePolicy } from 'apigw-authz';
import { toSuite } from './model.js';

const REQUEST_FIELDS = {
  httpMethod: 'httpMethod',
  path: 'path',
  stage: 'stage',
  sourceIp: 'source',
  vpcEndpointId: 'source',
  caller: 'callerArn',
  headers: 'headers',
  authorizerResult: 'authorizerResult',
};

const API_FIELDS = ['id', 'accountId', 'region', 'endpointType', 'authorizationType'];
const METHOD_FIELDS = ['httpMethod', 'resourcePath', 'authorizationType', 'authorizerId', 'authorizationScopes'];
const AUTHORIZER_FIELDS = ['id', 'type', 'identitySource', 'identityValidationExpression', 'authorizerResultTtlInSeconds'];

/** The page field of an error's JSON path in the suite (`/api/methods/2/resourcePath` ...). */
export function fieldOfPath(path, apiMoreKeys = []) {
  const parts = path.split('/').slice(1);
  const [top, a, b, c] = parts;
  if (top === 'api') {
    if (a === undefined) return 'api/id';
    if (a === 'policy') return 'policy';
    if (API_FIELDS.includes(a)) return `api/${a}`;
    if (a === 'methods' && b !== undefined) return `api/methods/${b}/${METHOD_FIELDS.includes(c) ? c : 'resourcePath'}`;
    if (a === 'authorizers' && b !== undefined) return `api/authorizers/${b}/${AUTHORIZER_FIELDS.includes(c) ? c : 'id'}`;
    if (a === 'methods') return 'api/methods';
    if (a === 'authorizers') return 'api/authorizers';
    return apiMoreKeys.includes(a) ? 'apiMore' : 'api/id';
  }
  if (top === 'principals') return 'principals';
  if (top === 'vpcEndpoints') return 'vpcEndpoints';
  if (top === 'cases' && a !== undefined) {
    if (b === 'request') return `cases/${a}/${REQUEST_FIELDS[c] ?? 'more'}`;
    if (b === 'expect') return `cases/${a}/expect`;
    if (b === 'name') return `cases/${a}/name`;
    return `cases/${a}/more`;
  }
  return 'other';
}

/** An engine error as `{message, help, path, line, column}` (any other exception becomes a message too). */
function describeError(e) {
  if (e && typeof e === 'object' && 'code' in e && 'path' in e) {
    return { message: e.message, help: e.help ?? null, path: e.path, line: e.line ?? null, column: e.column ?? null, code: e.code };
  }
  return { message: `unexpected error: ${e?.message ?? String(e)}`, help: null, path: '', line: null, column: null, code: 'internal' };
}

/**
 * Evaluate the state. Returns
 *   diagnostics: for the policy editor;
 *   fieldErrors: {fieldKey: message};
 *   configError: the error that stops every row (the API settings or the policy), or null;
 *   rows: per row {report} ({passed, decision, differences}) or {error} (message) or {blocked} (not run).
 */
export function evaluate(state) {
  const fieldErrors = {};
  const diagnostics = [];
  const policyText = state.policy;

  if (policyText.trim() !== '') {
    try {
      diagnostics.push(...validatePolicy(policyText, { kind: 'resource' }));
    } catch (e) {
      const err = describeError(e);
      diagnostics.push({ severity: 'error', code: err.code, message: err.message, line: err.line ?? 1, column: err.column ?? 1 });
    }
  }

  const { suite, cases, errors } = toSuite(state, { policyAs: 'text' });
  Object.assign(fieldErrors, errors);
  const rows = state.cases.map((_, i) => (cases[i] === null ? { error: 'a field of this request is not valid JSON (see its details)' } : null));

  // Settings that every row needs: if one is unreadable, nothing can be decided.
  const blocking = ['apiMore', 'principals', 'vpcEndpoints', 'other'].filter((k) => errors[k]);
  if (blocking.length > 0) {
    const configError = `the ${blocking.map(label).join(', ')} ${blocking.length > 1 ? 'are' : 'is'} not valid JSON`;
    return { diagnostics, fieldErrors, configError, rows: rows.map((r) => r ?? { blocked: configError }) };
  }

  let active = state.cases.map((_, i) => i).filter((i) => cases[i] !== null);
  let configError = null;
  const apiMoreKeys = Object.keys(suite.api);
  if (active.length === 0) {
    // A suite needs at least one case; check the API settings alone with a placeholder request.
    try {
      runSuite({ ...suite, cases: [{ name: 'check', request: { httpMethod: 'GET', path: '/', stage: 'prod', sourceIp: '203.0.113.1' }, expect: {} }] });
    } catch (e) {
      const err = describeError(e);
      if (!err.path.startsWith('/cases/')) configError = placeError(err, fieldErrors, diagnostics, apiMoreKeys);
    }
    return { diagnostics, fieldErrors, configError, rows: rows.map((r) => r ?? { blocked: 'not run' }) };
  }

  while (active.length > 0) {
    try {
      const report = runSuite({ ...suite, cases: active.map((i) => cases[i]) });
      report.cases.forEach((r, n) => {
        rows[active[n]] = { report: r };
      });
      break;
    } catch (e) {
      const err = describeError(e);
      const m = /^\/cases\/(\d+)(\/.*)?$/.exec(err.path);
      if (!m || Number(m[1]) >= active.length) {
        configError = placeError(err, fieldErrors, diagnostics, apiMoreKeys);
        break;
      }
      const row = active[Number(m[1])];
      const key = fieldOfPath(`/cases/${row}${m[2] ?? ''}`);
      fieldErrors[key] = withHelp(err);
      rows[row] = { error: withHelp(err), field: key };
      active = active.filter((i) => i !== row);
    }
  }
  return {
    diagnostics,
    fieldErrors,
    configError,
    rows: rows.map((r) => r ?? { blocked: configError ? `not decided: ${configError}` : 'not run' }),
  };
}

function withHelp(err) {
  return err.help ? `${err.message} (${err.help})` : err.message;
}

/** Put an error that is not a row's next to its field; returns the sentence every row shows. */
function placeError(err, fieldErrors, diagnostics, apiMoreKeys) {
  const key = fieldOfPath(err.path, apiMoreKeys);
  if (key === 'policy') {
    // Errors inside the policy string carry the editor's line and column; `validatePolicy` usually reports the
    // same one already (it does not know the API, so a few checks only show up here).
    const known = diagnostics.some((d) => d.severity === 'error' && d.message === err.message);
    if (!known) diagnostics.push({ severity: 'error', code: err.code, message: err.message, help: err.help, line: err.line ?? 1, column: err.column ?? 1 });
    return `the resource policy has an error${err.line ? ` at line ${err.line}` : ''}: ${err.message}`;
  }
  fieldErrors[key] = withHelp(err);
  return `error in the ${label(key)}: ${err.message}`;
}

function label(key) {
  const labels = {
    apiMore: 'more API settings',
    principals: 'identity side (principals)',
    vpcEndpoints: 'VPC endpoints',
    other: 'other suite fields',
  };
  if (labels[key]) return labels[key];
  if (key.startsWith('api/methods')) return 'methods table';
  if (key.startsWith('api/authorizers')) return 'authorizers table';
  return 'API settings';
}

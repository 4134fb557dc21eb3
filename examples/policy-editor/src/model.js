// The editor's state, and how it maps to and from the suite JSON of the contract (the scenario format with
// `cases`, ../../shared/spec/scenario-format.md). The state keeps what the person typed, as typed: JSON fields stay
// text, so a half-written header object survives a reload, a shared link and an export attempt, and its error can
// be shown next to it. `toSuite` is the one place that turns the state back into the contract's JSON; the live
// results and the export both go through it, so what the page shows is what the CLI will answer.

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'];
export const AUTHORIZATION_TYPES = ['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS'];
export const ENDPOINT_TYPES = ['REGIONAL', 'EDGE', 'PRIVATE'];
export const AUTHORIZER_TYPES = ['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS'];
export const SIGNATURES = ['valid', 'incomplete', 'invalid', 'expired', 'unknownKey', 'expiredToken'];

/** Pretty JSON for a text field, or '' for "not given". */
function text(value) {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return '';
  return JSON.stringify(value, null, 2);
}

function str(value) {
  return value === undefined || value === null ? '' : String(value);
}

/** A new, empty request row. */
export function newCase(n, from) {
  return {
    name: `request-${n}`,
    description: '',
    callerKind: from?.callerKind ?? 'anonymous',
    callerArn: from?.callerArn ?? '',
    signature: 'valid',
    sourceKind: from?.sourceKind ?? 'ip',
    source: from?.source ?? '203.0.113.7',
    httpMethod: 'GET',
    path: '/',
    stage: from?.stage ?? 'prod',
    headers: '',
    authorizerResult: '',
    more: '',
    expect: '',
  };
}

/**
 * The state of a suite object (a preset, or a suite someone pasted). Throws an Error with a readable message
 * when the suite is not one this editor can show.
 */
export function fromSuite(suite) {
  if (suite === null || typeof suite !== 'object' || Array.isArray(suite)) {
    throw new Error('a suite must be a JSON object with `api` and `cases`');
  }
  if ('resources' in suite) {
    throw new Error(
      'this suite uses the general IAM form (`resources` instead of `api`); the editor shows API Gateway suites only: run it with `apigw-authz test`',
    );
  }
  const { description, api, principals, vpcEndpoints, cases, request, ...other } = suite;
  if (api === null || typeof api !== 'object') throw new Error('the suite has no `api` object');
  const {
    id, accountId, region, endpointType, authorizationType, methods, authorizers, policy, ...apiMore
  } = api;
  const requests = cases ?? (request ? [{ name: 'request-1', request, expect: {} }] : []);
  return {
    description: str(description),
    api: {
      id: str(id),
      accountId: str(accountId),
      region: str(region),
      endpointType: endpointType ?? 'REGIONAL',
      authorizationType: authorizationType ?? 'NONE',
      methods: (methods ?? []).map((m) => {
        const { httpMethod, resourcePath, authorizationType: type, authorizerId, authorizationScopes, ...extra } = m;
        return {
          httpMethod: str(httpMethod),
          resourcePath: str(resourcePath),
          authorizationType: type ?? 'NONE',
          authorizerId: str(authorizerId),
          authorizationScopes: (authorizationScopes ?? []).join(' '),
          extra,
        };
      }),
      authorizers: (authorizers ?? []).map((a) => {
        const { id: aid, type, identitySource, identityValidationExpression, authorizerResultTtlInSeconds, ...extra } = a;
        return {
          id: str(aid),
          type: type ?? 'TOKEN',
          identitySource: str(identitySource),
          identityValidationExpression: str(identityValidationExpression),
          authorizerResultTtlInSeconds: str(authorizerResultTtlInSeconds),
          extra,
        };
      }),
    },
    apiMore: text(apiMore),
    policy: policy === undefined || policy === null ? '' : typeof policy === 'string' ? policy : JSON.stringify(policy, null, 2),
    principals: text(principals),
    vpcEndpoints: text(vpcEndpoints),
    other: text(other),
    cases: requests.map((c, i) => caseFromJson(c, i)),
  };
}

function caseFromJson(c, i) {
  const r = c.request ?? {};
  const { httpMethod, path, stage, sourceIp, vpcEndpointId, caller, headers, authorizerResult, ...more } = r;
  const { arn, signature, ...callerExtra } = caller ?? {};
  if (Object.keys(callerExtra).length > 0) more.caller = callerExtra;
  return {
    name: str(c.name ?? `request-${i + 1}`),
    description: str(c.description),
    callerKind: caller ? 'iam' : 'anonymous',
    callerArn: str(arn),
    signature: signature ?? 'valid',
    sourceKind: vpcEndpointId !== undefined && vpcEndpointId !== null ? 'vpce' : 'ip',
    source: str(vpcEndpointId ?? sourceIp),
    httpMethod: str(httpMethod),
    path: str(path),
    stage: str(stage),
    headers: text(headers),
    authorizerResult: text(authorizerResult),
    more: text(more),
    expect: text(c.expect),
  };
}

/** Parse a JSON text field: `{value}` (undefined for blank) or `{error}` with a readable message. */
export function parseField(source, { object = true } = {}) {
  if (source.trim() === '') return { value: undefined };
  try {
    const value = JSON.parse(source);
    if (object && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      return { error: `must be a JSON object ({...}), found ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}` };
    }
    return { value };
  } catch (e) {
    return { error: `not valid JSON: ${jsonMessage(e, source)}` };
  }
}

/** JSON.parse's message, with the line and column of its position when the browser gives only an offset. */
function jsonMessage(e, source) {
  const message = String(e.message).replace(/^JSON\.parse: /, '');
  const at = /at position (\d+)/.exec(message);
  if (!at || /line \d+/.test(message)) return message;
  const before = source.slice(0, Number(at[1])).split('\n');
  return `${message} (line ${before.length}, column ${before[before.length - 1].length + 1})`;
}

/**
 * The suite JSON of the state, and the errors of the fields that could not be read (keyed like the fields of
 * the page: `apiMore`, `cases/3/headers`, ...).
 *
 * `policyAs`: `text` keeps the editor's text as the policy string (the escaped form get-rest-api returns), so the
 * engine reports statement positions and errors at the editor's lines; `object` writes the parsed document (for
 * export; it falls back to the text when the text is not JSON, and the engine then says why).
 */
export function toSuite(state, { policyAs = 'text' } = {}) {
  const errors = {};
  const field = (key, source) => {
    const { value, error } = parseField(source);
    if (error) errors[key] = error;
    return value;
  };

  const api = {
    id: state.api.id,
    accountId: state.api.accountId,
    region: state.api.region,
    endpointType: state.api.endpointType,
  };
  const policyText = state.policy;
  if (policyText.trim() === '') api.policy = null;
  else if (policyAs === 'object') {
    try {
      api.policy = JSON.parse(policyText);
    } catch {
      api.policy = policyText;
    }
  } else api.policy = policyText;
  if (state.api.methods.length === 0) api.authorizationType = state.api.authorizationType;
  else {
    api.methods = state.api.methods.map((m) => {
      const out = { ...m.extra, httpMethod: m.httpMethod, resourcePath: m.resourcePath, authorizationType: m.authorizationType };
      if (m.authorizerId.trim() !== '') out.authorizerId = m.authorizerId.trim();
      const scopes = m.authorizationScopes.split(/[\s,]+/).filter(Boolean);
      if (scopes.length > 0) out.authorizationScopes = scopes;
      return out;
    });
  }
  if (state.api.authorizers.length > 0) {
    api.authorizers = state.api.authorizers.map((a) => {
      const out = { ...a.extra, id: a.id, type: a.type, identitySource: a.identitySource };
      if (a.identityValidationExpression !== '') out.identityValidationExpression = a.identityValidationExpression;
      const ttl = a.authorizerResultTtlInSeconds.trim();
      // A TTL that is not a number goes to the engine as typed, so that its message names the field.
      if (ttl !== '') out.authorizerResultTtlInSeconds = /^-?\d+(\.\d+)?$/.test(ttl) ? Number(ttl) : ttl;
      return out;
    });
  }
  Object.assign(api, field('apiMore', state.apiMore) ?? {});

  const suite = {};
  if (state.description.trim() !== '') suite.description = state.description;
  suite.api = api;
  const principals = field('principals', state.principals);
  if (principals !== undefined) suite.principals = principals;
  const vpcEndpoints = field('vpcEndpoints', state.vpcEndpoints);
  if (vpcEndpoints !== undefined) suite.vpcEndpoints = vpcEndpoints;
  Object.assign(suite, field('other', state.other) ?? {});

  /** Per row: its case, or null when one of its JSON fields could not be read. */
  const cases = state.cases.map((c, i) => {
    const before = Object.keys(errors).length;
    const request = { httpMethod: c.httpMethod, path: c.path, stage: c.stage };
    if (c.sourceKind === 'vpce') {
      if (c.source.trim() !== '') request.vpcEndpointId = c.source.trim();
    } else if (c.source.trim() !== '') request.sourceIp = c.source.trim();
    const more = field(`cases/${i}/more`, c.more) ?? {};
    const { caller: callerExtra, ...moreRest } = more;
    if (c.callerKind === 'iam') {
      request.caller = { arn: c.callerArn.trim(), signature: c.signature, ...(callerExtra ?? {}) };
    }
    const headers = field(`cases/${i}/headers`, c.headers);
    if (headers !== undefined) request.headers = headers;
    const { value: authorizerResult, error } = parseField(c.authorizerResult);
    if (error) errors[`cases/${i}/authorizerResult`] = error;
    else if (authorizerResult !== undefined) request.authorizerResult = authorizerResult;
    Object.assign(request, moreRest);
    const expect = field(`cases/${i}/expect`, c.expect) ?? {};
    const out = { name: c.name };
    if (c.description.trim() !== '') out.description = c.description;
    out.request = request;
    out.expect = expect;
    return Object.keys(errors).length === before ? out : null;
  });
  return { suite, cases, errors };
}

/** The decision fields pinned by "Pin current decisions as expected". */
export function pinnedExpectation(decision) {
  const out = { decision: decision.decision, statusCode: decision.statusCode };
  if (decision.message !== undefined) out.message = decision.message;
  return out;
}

/**
 * A state read from a link, made safe to render: every field of the right type, defaults where missing. A link
 * edited by hand may hold anything; the page must still come up.
 */
export function normalizeState(raw) {
  const s = (v, d = '') => (typeof v === 'string' ? v : v === undefined || v === null ? d : String(v));
  const pick = (v, options, d) => (options.includes(v) ? v : d);
  const obj = (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {});
  const arr = (v) => (Array.isArray(v) ? v : []);
  const api = obj(raw.api);
  return {
    description: s(raw.description),
    api: {
      id: s(api.id),
      accountId: s(api.accountId),
      region: s(api.region),
      endpointType: pick(api.endpointType, ENDPOINT_TYPES, 'REGIONAL'),
      authorizationType: pick(api.authorizationType, AUTHORIZATION_TYPES, 'NONE'),
      methods: arr(api.methods).map((m0) => {
        const m = obj(m0);
        return {
          httpMethod: s(m.httpMethod, 'GET'),
          resourcePath: s(m.resourcePath, '/'),
          authorizationType: pick(m.authorizationType, AUTHORIZATION_TYPES, 'NONE'),
          authorizerId: s(m.authorizerId),
          authorizationScopes: s(m.authorizationScopes),
          extra: obj(m.extra),
        };
      }),
      authorizers: arr(api.authorizers).map((a0) => {
        const a = obj(a0);
        return {
          id: s(a.id),
          type: pick(a.type, AUTHORIZER_TYPES, 'TOKEN'),
          identitySource: s(a.identitySource),
          identityValidationExpression: s(a.identityValidationExpression),
          authorizerResultTtlInSeconds: s(a.authorizerResultTtlInSeconds),
          extra: obj(a.extra),
        };
      }),
    },
    apiMore: s(raw.apiMore),
    policy: s(raw.policy),
    principals: s(raw.principals),
    vpcEndpoints: s(raw.vpcEndpoints),
    other: s(raw.other),
    cases: arr(raw.cases).map((c0, i) => {
      const c = obj(c0);
      return {
        name: s(c.name, `request-${i + 1}`),
        description: s(c.description),
        callerKind: pick(c.callerKind, ['anonymous', 'iam'], 'anonymous'),
        callerArn: s(c.callerArn),
        signature: pick(c.signature, SIGNATURES, 'valid'),
        sourceKind: pick(c.sourceKind, ['ip', 'vpce'], 'ip'),
        source: s(c.source),
        httpMethod: s(c.httpMethod, 'GET'),
        path: s(c.path, '/'),
        stage: s(c.stage, 'prod'),
        headers: s(c.headers),
        authorizerResult: s(c.authorizerResult),
        more: s(c.more),
        expect: s(c.expect),
      };
    }),
  };
}

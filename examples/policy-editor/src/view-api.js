// The API settings: id, account, region, endpoint type, the methods with their authorization types, the
// authorizers, and the rest of the scenario as JSON (the caller's identity policies under `principals`, the VPC
// endpoints of a private API, stages and gateway responses).

import { h } from './dom.js';
import { field, jsonArea, selectInput, textInput } from './fields.js';
import { AUTHORIZATION_TYPES, AUTHORIZER_TYPES, ENDPOINT_TYPES, HTTP_METHODS } from './model.js';

export function renderApi(app) {
  const api = app.state.api;
  const edit = () => app.changed();
  const restructure = () => app.changed({ structure: true });

  const methods = h(
    'table',
    { class: 'grid', id: 'methods' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Method'), h('th', {}, 'Resource path'), h('th', {}, 'Authorization'), h('th', {}, 'Authorizer id'), h('th', {}, 'Scopes'), h('th', {}))),
    h(
      'tbody',
      {},
      api.methods.map((m, i) =>
        h(
          'tr',
          {},
          h('td', {}, field(`api/methods/${i}/httpMethod`, null, selectInput(m, 'httpMethod', HTTP_METHODS, edit, { 'aria-label': `method ${i + 1} HTTP method` }))),
          h('td', {}, field(`api/methods/${i}/resourcePath`, null, textInput(m, 'resourcePath', edit, { 'aria-label': `method ${i + 1} resource path`, placeholder: '/pets/{petId}' }))),
          h('td', {}, field(`api/methods/${i}/authorizationType`, null, selectInput(m, 'authorizationType', AUTHORIZATION_TYPES, edit, { 'aria-label': `method ${i + 1} authorization type` }))),
          h('td', {}, field(`api/methods/${i}/authorizerId`, null, textInput(m, 'authorizerId', edit, { 'aria-label': `method ${i + 1} authorizer id`, size: 6 }))),
          h('td', {}, field(`api/methods/${i}/authorizationScopes`, null, textInput(m, 'authorizationScopes', edit, { 'aria-label': `method ${i + 1} scopes`, placeholder: 'pets/read', size: 8 }))),
          h('td', {}, h('button', { class: 'icon', title: 'Remove this method', 'aria-label': `remove method ${i + 1}`, onclick: () => { api.methods.splice(i, 1); restructure(); } }, '×')),
        ),
      ),
    ),
  );

  const authorizers = h(
    'table',
    { class: 'grid', id: 'authorizers' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Id'), h('th', {}, 'Type'), h('th', {}, 'Identity source'), h('th', {}, 'Validation regex'), h('th', {}, 'TTL (s)'), h('th', {}))),
    h(
      'tbody',
      {},
      api.authorizers.map((a, i) =>
        h(
          'tr',
          {},
          h('td', {}, field(`api/authorizers/${i}/id`, null, textInput(a, 'id', edit, { 'aria-label': `authorizer ${i + 1} id`, size: 6 }))),
          h('td', {}, field(`api/authorizers/${i}/type`, null, selectInput(a, 'type', AUTHORIZER_TYPES, edit, { 'aria-label': `authorizer ${i + 1} type` }))),
          h('td', {}, field(`api/authorizers/${i}/identitySource`, null, textInput(a, 'identitySource', edit, { 'aria-label': `authorizer ${i + 1} identity source`, placeholder: 'method.request.header.Authorization' }))),
          h('td', {}, field(`api/authorizers/${i}/identityValidationExpression`, null, textInput(a, 'identityValidationExpression', edit, { 'aria-label': `authorizer ${i + 1} validation expression`, size: 8 }))),
          h('td', {}, field(`api/authorizers/${i}/authorizerResultTtlInSeconds`, null, textInput(a, 'authorizerResultTtlInSeconds', edit, { 'aria-label': `authorizer ${i + 1} TTL`, size: 4, placeholder: '300' }))),
          h('td', {}, h('button', { class: 'icon', title: 'Remove this authorizer', 'aria-label': `remove authorizer ${i + 1}`, onclick: () => { api.authorizers.splice(i, 1); restructure(); } }, '×')),
        ),
      ),
    ),
  );

  return h(
    'div',
    { class: 'api' },
    h(
      'div',
      { class: 'row' },
      field('api/id', 'API id', textInput(api, 'id', edit, { size: 12 })),
      field('api/accountId', 'Owner account', textInput(api, 'accountId', edit, { size: 14, inputmode: 'numeric' })),
      field('api/region', 'Region', textInput(api, 'region', edit, { size: 12 })),
      field('api/endpointType', 'Endpoint type', selectInput(api, 'endpointType', ENDPOINT_TYPES, edit)),
    ),
    h('h3', {}, 'Methods ', h('button', { class: 'small', onclick: () => { api.methods.push({ httpMethod: 'GET', resourcePath: '/', authorizationType: 'NONE', authorizerId: '', authorizationScopes: '', extra: {} }); restructure(); } }, '+ method')),
    api.methods.length > 0
      ? methods
      : h(
          'div',
          { class: 'row' },
          field('api/authorizationType', 'No methods listed: every path and verb exists, with authorization', selectInput(api, 'authorizationType', AUTHORIZATION_TYPES, edit)),
        ),
    h('div', { class: 'field-error', dataset: { for: 'api/methods' } }),
    h('h3', {}, 'Authorizers ', h('button', { class: 'small', onclick: () => { api.authorizers.push({ id: `auth${api.authorizers.length + 1}`, type: 'TOKEN', identitySource: 'method.request.header.Authorization', identityValidationExpression: '', authorizerResultTtlInSeconds: '300', extra: {} }); restructure(); } }, '+ authorizer')),
    api.authorizers.length > 0 ? authorizers : h('p', { class: 'hint' }, 'None. Add one for CUSTOM (Lambda) or COGNITO_USER_POOLS methods.'),
    h('div', { class: 'field-error', dataset: { for: 'api/authorizers' } }),
    h(
      'details',
      { class: 'json-fields', id: 'json-fields' },
      h('summary', {}, 'Callers’ identity policies, VPC endpoints, more settings (JSON)', h('span', { class: 'hint', id: 'json-fields-summary' }, jsonSummary(app.state))),
      field('principals', 'principals: identity policies of IAM callers, by user or role ARN', jsonArea(app.state, 'principals', edit, { placeholder: '{"arn:aws:iam::444455556666:user/alice": {"policies": [ ... ]}}' }), { wide: true }),
      field('vpcEndpoints', 'vpcEndpoints: the endpoints of a private API, with their policies', jsonArea(app.state, 'vpcEndpoints', edit, { placeholder: '{"vpce-0a1b2c3d": {"vpcId": "vpc-11112222", "policy": null}}' }), { wide: true }),
      field('apiMore', 'More API settings: stages, gatewayResponses, partition', jsonArea(app.state, 'apiMore', edit, { placeholder: '{"stages": {"prod": {}}}' }), { wide: true }),
      field('other', 'Other suite fields', jsonArea(app.state, 'other', edit, { rows: 2 }), { wide: true }),
    ),
  );
}

/** What the JSON fields hold, for the folded summary: ` · 4 principals · 2 VPC endpoints · stages`. */
export function jsonSummary(state) {
  const out = [];
  const count = (text, one, many) => {
    try {
      const n = Object.keys(JSON.parse(text)).length;
      out.push(`${n} ${n === 1 ? one : many}`);
    } catch {
      out.push(`${many}: invalid JSON`);
    }
  };
  if (state.principals.trim() !== '') count(state.principals, 'principal', 'principals');
  if (state.vpcEndpoints.trim() !== '') count(state.vpcEndpoints, 'VPC endpoint', 'VPC endpoints');
  if (state.apiMore.trim() !== '') {
    try {
      out.push(Object.keys(JSON.parse(state.apiMore)).join(', '));
    } catch {
      out.push('more settings: invalid JSON');
    }
  }
  return out.length > 0 ? ` · ${out.join(' · ')}` : '';
}

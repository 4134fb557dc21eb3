// A typed usage of the package, checked by `tsc --noEmit -p test/types` (test.sh): every input and output type
// of dist/index.d.ts is used here as a program would, and the `@ts-expect-error` lines prove the declarations
// reject what the engine rejects. Only type-checked, never run. No DOM library and no @types/node: the
// declarations must stand alone.
import init, {
  Api,
  ApigwAuthzError,
  InvalidJsonError,
  InvalidPolicyError,
  authorize,
  authorizeIam,
  authorizeJson,
  explain,
  initSync,
  runSuite,
  runSuiteJson,
  validatePolicy,
  version,
} from 'apigw-authz';
import type {
  ApiDocument,
  CaseReport,
  Decision,
  Diagnostic,
  ErrorCode,
  IamDecision,
  IamScenario,
  IamSuite,
  PolicyDocument,
  Request,
  Scenario,
  Step,
  Suite,
  SuiteReport,
} from 'apigw-authz';

export async function main(wasmBytes: Uint8Array): Promise<void> {
  await init();
  await init({ module_or_path: wasmBytes });
  initSync({ module: wasmBytes });

  const policy: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowOffice',
        Effect: 'Allow',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
        Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
      },
      { Effect: 'Deny', Principal: { AWS: ['111122223333'] }, NotAction: 'execute-api:Invoke', Resource: ['*'] },
    ],
  };
  const config: ApiDocument = {
    api: {
      id: 'a1b2c3d4e5',
      accountId: '111122223333',
      region: 'us-east-1',
      endpointType: 'PRIVATE',
      policy,
      methods: [{ httpMethod: 'GET', resourcePath: '/pets/{petId}', authorizationType: 'CUSTOM', authorizerId: 'tok1', extra: 1 }],
      authorizers: [{ id: 'tok1', type: 'TOKEN', identitySource: 'method.request.header.Authorization' }],
      stages: { prod: { policy: null } },
      gatewayResponses: { ACCESS_DENIED: { statusCode: 401, responseTemplates: { 'application/json': '{}' } } },
    },
    principals: {
      'arn:aws:iam::444455556666:user/alice': { policies: [policy], permissionsBoundary: null, tags: { team: 'a' } },
    },
    vpcEndpoints: { 'vpce-0a1b2c3d': { vpcId: 'vpc-11112222', policy: null } },
  };
  // get-gateway-responses output pastes in as it is.
  const exported: ApiDocument = {
    api: {
      id: 'a1b2c3d4e5',
      accountId: '111122223333',
      region: 'us-east-1',
      gatewayResponses: {
        items: [{ responseType: 'ACCESS_DENIED', statusCode: '401', defaultResponse: false }],
        position: 'abc',
      },
    },
  };
  void exported;
  const misspelt: ApiDocument = {
    // @ts-expect-error -- not a gateway response type
    api: { id: 'a1b2c3d4e5', accountId: '111122223333', region: 'us-east-1', gatewayResponses: { ACCESS_DENYED: {} } },
  };
  void misspelt;
  const request: Request = {
    httpMethod: 'GET',
    path: '/pets/42',
    stage: 'prod',
    sourceIp: '203.0.113.7',
    headers: { Authorization: 'allow' },
    time: '2026-11-22T10:00:00Z',
    caller: { arn: 'arn:aws:iam::444455556666:user/alice', signature: 'valid' },
    authorizerResult: { principalId: 'user', policyDocument: policy, context: { tier: 'gold', n: 1 } },
    cognito: { tokenValid: true, tokenUse: 'access', scopes: ['pets/read'] },
    context: { 'aws:PrincipalOrgPaths': ['o-1/r-1/'] },
  };
  const scenario: Scenario = { ...config, request };

  // Decisions
  const decision: Decision = authorize(scenario);
  const status: number = decision.statusCode;
  const outcome: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny' | 'Unauthenticated' | 'AuthorizerError' | 'NoRoute' | 'UriTooLong' =
    decision.decision;
  const message: string | null = decision.message;
  const steps: Step[] = decision.explanation;
  for (const step of steps) {
    for (const statement of step.statements) {
      const at: string = `${statement.policy}#${statement.index} ${statement.line ?? '?'}:${statement.column ?? '?'}`;
      for (const check of statement.checks) void [at, check.element, check.matched, check.detail];
    }
  }
  for (const d of decision.decisive) void [d.policy, d.index, d.sid, d.effect];
  void [status, outcome, message];
  const fromText: Decision = authorize(JSON.stringify(scenario));
  const raw: string = authorizeJson(scenario);
  const text: string = explain(scenario);
  void [fromText, raw, text];

  // General IAM checks
  const iam: IamScenario = {
    principals: { 'arn:aws:iam::111122223333:role/apigw-invoke': { policies: [policy] } },
    resources: { 'arn:aws:lambda:us-east-1:111122223333:function:pets': { policy } },
    request: { caller: { service: 'apigateway.amazonaws.com' }, action: 'lambda:InvokeFunction', resource: 'arn:aws:lambda:us-east-1:111122223333:function:pets' },
  };
  const iamDecision: IamDecision = authorize(iam);
  const iamAgain: IamDecision = authorizeIam(iam);
  const iamFromText = authorize<IamDecision>(JSON.stringify(iam));
  void [iamDecision.action, iamAgain.resource, iamFromText.decision];

  // Suites
  const suite: Suite = { ...config, cases: [{ name: 'office', request, expect: { decision: 'Allow', statusCode: 200 } }] };
  const report: SuiteReport = runSuite(suite);
  const iamSuite: IamSuite = { resources: {}, cases: [{ name: 'x', request: iam.request, expect: { decision: 'ImplicitDeny' } }] };
  const cases: CaseReport[] = [...report.cases, ...runSuite(iamSuite).cases];
  for (const c of cases) {
    for (const d of c.differences) void [d.field, d.expected, d.actual];
    if ('statusCode' in c.decision) void c.decision.statusCode;
  }
  const passed: number = report.passed + report.failed;
  void [passed, runSuiteJson(JSON.stringify(suite))];

  // Diagnostics for editors
  const diagnostics: Diagnostic[] = validatePolicy(JSON.stringify(policy, null, 2), { kind: 'identity' });
  for (const d of diagnostics) {
    const range: [number | null, number | null, number | null, number | null] = [d.line, d.column, d.endLine, d.endColumn];
    const severity: 'error' | 'warning' = d.severity;
    const code: ErrorCode = d.code;
    void [range, severity, code, d.help];
  }
  validatePolicy('{}');

  // The prepared API
  const api = new Api(config);
  const one: Decision = api.authorize(request);
  const fast: Decision = api.decide(JSON.stringify(request));
  const many: Decision[] = api.authorizeMany([request, JSON.stringify(request)], { explain: false });
  const json: string = api.decideJson(request) + api.authorizeJson(request) + api.explain(request);
  void [one, fast, many, json, version()];
  api.free();

  // Errors
  try {
    authorize('{');
  } catch (e) {
    if (e instanceof InvalidJsonError) {
      const code: 'invalid-json' = e.code;
      const where: string = `${e.path} ${e.line ?? ''}:${e.column ?? ''} ${e.help ?? ''}`;
      void [code, where, e.message];
    } else if (e instanceof ApigwAuthzError) {
      const serialised = e.toJSON();
      void serialised.code;
    }
  }
  const made = new InvalidPolicyError('bad', { path: '/Statement/0', line: 1, column: 2 });
  void made;

  // What the declarations reject
  // @ts-expect-error a request needs a stage
  authorize({ ...config, request: { httpMethod: 'GET', path: '/' } });
  // @ts-expect-error an Effect is Allow or Deny
  const badPolicy: PolicyDocument = { Statement: [{ Effect: 'Maybe' }] };
  // @ts-expect-error validatePolicy takes text, not an object
  validatePolicy(policy);
  // @ts-expect-error an unknown policy kind
  validatePolicy('{}', { kind: 'iam' });
  // @ts-expect-error explain is a boolean
  api.authorizeMany([request], { explain: 'no' });
  // @ts-expect-error decisions are read-only answers of known shape
  const wrong: string = decision.statusCode;
  void [badPolicy, wrong];
}

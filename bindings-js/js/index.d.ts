// Type declarations of the npm package `apigw-authz`, written by hand from the JSON contract
// (shared/spec/scenario-format.md, docs/contract-extensions.md) and the core's serde types; checked by
// `tsc --noEmit` against test/types/usage.ts, and against the real answers by the Node tests.

// ---------------------------------------------------------------------------------------------------------------
// JSON

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** JSON input: a plain object, or its JSON text (a string, or UTF-8 bytes); text gives errors a line and column. */
export type JsonInput<T> = T | string | Uint8Array;

// ---------------------------------------------------------------------------------------------------------------
// Policies (as AWS stores them)

export type OneOrMany<T> = T | T[];

export type PolicyPrincipal =
  | '*'
  | {
      AWS?: OneOrMany<string>;
      Service?: OneOrMany<string>;
      Federated?: OneOrMany<string>;
      CanonicalUser?: OneOrMany<string>;
    };

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: PolicyPrincipal;
  NotPrincipal?: PolicyPrincipal;
  Action?: OneOrMany<string>;
  NotAction?: OneOrMany<string>;
  Resource?: OneOrMany<string>;
  NotResource?: OneOrMany<string>;
  /** `{operator: {key: value or values}}`, e.g. `{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}`. */
  Condition?: Record<string, Record<string, OneOrMany<string | number | boolean>>>;
}

export interface PolicyDocument {
  Version?: '2012-10-17' | '2008-10-17';
  Id?: string;
  Statement: OneOrMany<PolicyStatement>;
}

/** A policy as an object, or as the escaped JSON string that `get-rest-api` returns; null for none. */
export type PolicyInput = PolicyDocument | string | null;

export type PolicyKind = 'resource' | 'identity' | 'authorizer' | 'endpoint' | 'resource-based';

// ---------------------------------------------------------------------------------------------------------------
// The scenario (input)

export type AuthorizationType = 'NONE' | 'AWS_IAM' | 'CUSTOM' | 'COGNITO_USER_POOLS';
export type EndpointType = 'EDGE' | 'REGIONAL' | 'PRIVATE';

export interface MethodConfig {
  /** `GET`, `POST`, ... or `ANY`. */
  httpMethod: string;
  /** `/pets/{petId}`, with `{name}` and `{name+}` as API Gateway writes them. */
  resourcePath: string;
  /** Absent or null: the API's `authorizationType` (docs/contract-extensions.md, "Method defaults"). */
  authorizationType?: AuthorizationType | null;
  authorizerId?: string | null;
  authorizationScopes?: string[] | null;
  /** Also `path` for `resourcePath`, and the other fields of `get-method` output (`apiKeyRequired`,
   * `methodIntegration`, ...), accepted and ignored; any other name is an error. */
  [other: string]: unknown;
}

/** A resource as `aws apigateway get-resources --embed methods` prints it: its methods keyed by verb. */
export interface ExportedResource {
  id: string;
  path: string;
  parentId?: string;
  pathPart?: string;
  resourceMethods?: Record<string, { httpMethod?: string; authorizationType: AuthorizationType; authorizerId?: string | null; authorizationScopes?: string[] | null; [other: string]: unknown }>;
}

export interface AuthorizerConfig {
  id: string;
  type: 'TOKEN' | 'REQUEST' | 'COGNITO_USER_POOLS';
  identitySource?: string | null;
  identityValidationExpression?: string | null;
  authorizerResultTtlInSeconds?: number | null;
  /** The other fields of `get-authorizers` output (`name`, `authorizerUri`, ...) are accepted and ignored; any
   * other name is an error. */
  [other: string]: unknown;
}

/** The gateway response types an API can customise. */
export type GatewayResponseType =
  | 'ACCESS_DENIED'
  | 'API_CONFIGURATION_ERROR'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'AUTHORIZER_FAILURE'
  | 'BAD_REQUEST_PARAMETERS'
  | 'BAD_REQUEST_BODY'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX'
  | 'EXPIRED_TOKEN'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'INVALID_API_KEY'
  | 'INVALID_SIGNATURE'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'QUOTA_EXCEEDED'
  | 'REQUEST_TOO_LARGE'
  | 'RESOURCE_NOT_FOUND'
  | 'THROTTLED'
  | 'UNAUTHORIZED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'WAF_FILTERED';

export interface GatewayResponseOverride {
  /** Given as a number, or as the string `get-gateway-responses` prints. */
  statusCode?: number | string | null;
  responseTemplates?: Record<string, string> | null;
  responseParameters?: Record<string, string> | null;
  responseType?: GatewayResponseType | null;
  defaultResponse?: boolean | null;
}

export interface ApiConfig {
  id: string;
  /** 12 digits: the API owner. */
  accountId: string;
  region: string;
  partition?: string | null;
  endpointType?: EndpointType | null;
  policy?: PolicyInput;
  authorizationType?: AuthorizationType | null;
  /** Absent: every verb and path exists, with `authorizationType`. */
  /** Method entries, or `get-resources --embed methods` output (its items, or all of it). */
  methods?: Array<MethodConfig | ExportedResource> | { items: ExportedResource[]; position?: string } | null;
  authorizers?: AuthorizerConfig[] | null;
  /** A stage that lists `policy` still runs that older resource policy. */
  stages?: Record<string, { policy?: PolicyInput }> | null;
  /** Customised gateway responses by response type (`ACCESS_DENIED`, ..., `DEFAULT_4XX`, `DEFAULT_5XX`), or
   * `get-gateway-responses` output (its items, or all of it); entries with `defaultResponse: true` are not
   * overrides. */
  gatewayResponses?:
    | { [responseType in GatewayResponseType]?: GatewayResponseOverride }
    | Array<GatewayResponseOverride & { responseType: GatewayResponseType }>
    | { items: Array<GatewayResponseOverride & { responseType: GatewayResponseType }>; position?: string }
    | null;
}

export interface PrincipalConfig {
  /** Identity-based policies. */
  policies?: PolicyInput[] | null;
  permissionsBoundary?: PolicyInput;
  tags?: Record<string, string> | null;
  orgId?: string | null;
  /** All must allow, as in AWS Organizations. */
  serviceControlPolicies?: PolicyInput[] | null;
}

export interface VpcEndpointConfig {
  vpcId?: string | null;
  /** null: the default full-access policy. */
  policy?: PolicyInput;
}

export type Signature = 'valid' | 'incomplete' | 'invalid' | 'expired' | 'unknownKey' | 'expiredToken';

/** The SigV4 caller of a request. */
export interface Caller {
  /** A user ARN, or the `arn:aws:sts::...:assumed-role/...` ARN of a session. */
  arn: string;
  signature?: Signature | null;
  /** When the request was signed (ISO 8601). */
  signedAt?: string | null;
  /** The session policy of a role session. */
  sessionPolicy?: PolicyInput;
}

/** What the Lambda authorizer returns for this request, or how it fails. */
export type AuthorizerResult =
  | {
      principalId?: string | null;
      policyDocument?: PolicyInput;
      context?: Record<string, JsonValue> | null;
      usageIdentifierKey?: string | null;
    }
  | { error: string };

export interface CognitoToken {
  tokenValid?: boolean | null;
  tokenUse?: 'access' | 'id' | null;
  scopes?: string[] | null;
  claims?: Record<string, JsonValue> | null;
}

export interface Request {
  httpMethod: string;
  /** The concrete path, e.g. `/pets/42`. */
  path: string;
  stage: string;
  /** Required unless `vpcEndpointId` is given. */
  sourceIp?: string | null;
  vpcEndpointId?: string | null;
  vpcSourceIp?: string | null;
  headers?: Record<string, string> | null;
  queryStringParameters?: Record<string, string> | null;
  stageVariables?: Record<string, string> | null;
  /** `aws:CurrentTime` / `aws:EpochTime`, ISO 8601. */
  time?: string | null;
  secureTransport?: boolean | null;
  caller?: Caller | null;
  authorizerResult?: AuthorizerResult | null;
  cognito?: CognitoToken | null;
  /** Extra condition keys, e.g. `{"aws:PrincipalOrgPaths": [...]}`. */
  context?: Record<string, JsonValue> | null;
}

/** A scenario without `request`: what `new Api(config)` compiles. */
export interface ApiDocument {
  description?: string | null;
  api: ApiConfig;
  /** IAM side, keyed by user or role ARN. */
  principals?: Record<string, PrincipalConfig> | null;
  vpcEndpoints?: Record<string, VpcEndpointConfig> | null;
}

export interface Scenario extends ApiDocument {
  request: Request;
}

/** `expect` of a case: any subset of the decision's fields, each compared by JSON equality. */
export type Expect = Partial<Decision>;

export interface Case {
  name: string;
  description?: string | null;
  request: Request;
  expect: Expect;
}

export interface Suite extends ApiDocument {
  cases: Case[];
}

// General IAM checks (`resources` instead of `api`)

export interface IamRequest {
  caller: { arn: string } | { service: string };
  action: string;
  resource: string;
  /** Default: the account field of `resource`. */
  resourceAccount?: string | null;
  sourceIp?: string | null;
  time?: string | null;
  secureTransport?: boolean | null;
  headers?: Record<string, string> | null;
  context?: Record<string, JsonValue> | null;
}

export interface IamDocument {
  description?: string | null;
  principals?: Record<string, PrincipalConfig> | null;
  /** Resource-based policies by resource ARN: what makes this the general form (`{}` for none). */
  resources: Record<string, { policy?: PolicyInput }>;
}

export interface IamScenario extends IamDocument {
  request: IamRequest;
}

export interface IamCase {
  name: string;
  description?: string | null;
  request: IamRequest;
  expect: Partial<IamDecision>;
}

export interface IamSuite extends IamDocument {
  cases: IamCase[];
}

// ---------------------------------------------------------------------------------------------------------------
// Answers (output): plain objects, deep-equal to the Rust decision JSON

export type Outcome =
  | 'Allow'
  | 'ExplicitDeny'
  | 'ImplicitDeny'
  | 'Unauthenticated'
  | 'AuthorizerError'
  | 'NoRoute'
  | 'UriTooLong';

/** A statement that decided: the Deny that denied, or the Allows that allowed. */
export interface StatementRef {
  /** `resource`, `authorizer`, `vpcEndpoint`, `identity:{n}`, `boundary`, `scp:{n}`, `session`. */
  policy: string;
  /** The statement's position in its document, from 0. */
  index: number;
  sid: string | null;
  effect: 'Allow' | 'Deny';
}

/** One element of a statement compared with the request. */
export interface Check {
  element: 'Principal' | 'NotPrincipal' | 'Action' | 'NotAction' | 'Resource' | 'NotResource' | 'Condition';
  matched: boolean;
  /** What was compared with what. */
  detail: string;
}

/** One statement considered, and why it did or did not apply. */
export interface StatementTrace {
  policy: string;
  index: number;
  sid: string | null;
  effect: 'Allow' | 'Deny';
  applies: boolean;
  /** Where the statement starts, when the policy came as text; otherwise null. */
  line: number | null;
  column: number | null;
  checks: Check[];
}

/** One step of API Gateway's order of checks. */
export interface Step {
  /** `route`, `methodArn`, `signature`, `authorizer`, `resourcePolicy`, `identityPolicies`, `combine`, ... */
  step: string;
  summary: string;
  /** `Allow`, `Deny` or `Neither` for a policy; `pass` or `fail` for a check. */
  outcome: string;
  statements: StatementTrace[];
  notes: string[];
}

/** The decision JSON of the contract. */
export interface Decision {
  decision: Outcome;
  /** What the client would receive; 200 means "passed to the integration". */
  statusCode: number;
  /** The gateway response type, e.g. `ACCESS_DENIED`; null when allowed. */
  responseType: string | null;
  /** The `x-amzn-errortype` header, e.g. `AccessDeniedException`. */
  errorType: string | null;
  message: string | null;
  /** The exact body API Gateway sends, as a string of compact JSON. */
  body: string | null;
  methodArn: string | null;
  /** `anonymous`, the caller ARN, or the authorizer's principalId. */
  caller: string;
  authorizerInvoked: boolean;
  decisive: StatementRef[];
  /** Empty on the fast path (`Api.decide`, `authorizeMany(..., {explain: false})`). */
  explanation: Step[];
  warnings: string[];
}

/** The answer to a general IAM question. */
export interface IamDecision {
  decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  caller: string;
  action: string;
  resource: string;
  decisive: StatementRef[];
  explanation: Step[];
  warnings: string[];
}

/** A field of a case whose actual value differs from the expected one. */
export interface Difference {
  field: string;
  expected: JsonValue;
  actual: JsonValue;
}

export interface CaseReport {
  name: string;
  description: string | null;
  passed: boolean;
  decision: Decision | IamDecision;
  differences: Difference[];
}

export interface SuiteReport {
  description: string | null;
  passed: number;
  failed: number;
  cases: CaseReport[];
}

export type ErrorCode = 'invalid-json' | 'invalid-policy' | 'invalid-scenario' | 'invalid-argument' | 'internal';

/** A finding about a policy, with the range it covers (1-based lines and columns). */
export interface Diagnostic {
  severity: 'error' | 'warning';
  code: ErrorCode;
  message: string;
  /** JSON pointer, e.g. `/Statement/0/Condition`. */
  path: string;
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
  help?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

export interface ErrorDetails {
  code?: string;
  path?: string;
  line?: number | null;
  column?: number | null;
  help?: string | null;
  cause?: unknown;
}

/** Every failure of the API: bad input never yields a decision, it throws one of these. */
export class ApigwAuthzError extends Error {
  constructor(message: string, details?: ErrorDetails);
  /** The stable code; each has its own subclass. */
  readonly code: ErrorCode;
  /** JSON pointer of the offending value, e.g. `/api/policy/Statement/1/Condition`; empty for the root. */
  readonly path: string;
  /** 1-based line in the input text, when the input was text; otherwise null. */
  readonly line: number | null;
  /** 1-based column (in characters) in the input text, when the input was text; otherwise null. */
  readonly column: number | null;
  /** Extra advice, kept apart from the message; null when there is none. */
  readonly help: string | null;
  /** The error as the JSON every front prints. */
  toJSON(): { code: ErrorCode; message: string; path: string; line: number | null; column: number | null; help?: string };
}
export class InvalidJsonError extends ApigwAuthzError {
  readonly code: 'invalid-json';
}
export class InvalidPolicyError extends ApigwAuthzError {
  readonly code: 'invalid-policy';
}
export class InvalidScenarioError extends ApigwAuthzError {
  readonly code: 'invalid-scenario';
}
export class InvalidArgumentError extends ApigwAuthzError {
  readonly code: 'invalid-argument';
}
export class InternalError extends ApigwAuthzError {
  readonly code: 'internal';
}

// ---------------------------------------------------------------------------------------------------------------
// Functions

/**
 * What `init` accepts (wasm-bindgen's): `{module_or_path}` with a URL or its string, a `Response` or a promise of
 * one, the bytes, or a `WebAssembly.Module`. Typed loosely so that these declarations need neither the DOM
 * library nor @types/node.
 */
export interface InitInput {
  module_or_path?: unknown;
}

/**
 * Load the WebAssembly module: once, before any other call, in browsers (`await init()`). In Node the module is
 * loaded at import and this does nothing.
 */
export default function init(options?: InitInput): Promise<void>;

/** Start the WebAssembly module synchronously from its bytes or a compiled module. */
export function initSync(options: { module: unknown }): void;

/**
 * Decide one scenario and return the decision: an API Gateway request (`api`) gives a `Decision`, a general IAM
 * check (`resources`) an `IamDecision`. For JSON text, say which you expect: `authorize<IamDecision>(text)`.
 */
export function authorize(scenario: Scenario): Decision;
export function authorize(scenario: IamScenario): IamDecision;
export function authorize<T extends Decision | IamDecision = Decision>(scenario: string | Uint8Array): T;
/** `authorize`, answering with the decision's JSON text (byte for byte what `apigw-authz authorize` prints). */
export function authorizeJson(scenario: JsonInput<Scenario | IamScenario>): string;
/** Decide a general IAM scenario (`resources` instead of `api`). */
export function authorizeIam(scenario: JsonInput<IamScenario>): IamDecision;
/** `authorizeIam`, answering with the decision's JSON text. */
export function authorizeIamJson(scenario: JsonInput<IamScenario>): string;
/** The decision of one scenario (either kind) explained for a person: the text `apigw-authz explain` prints. */
export function explain(scenario: JsonInput<Scenario | IamScenario>): string;
/** Run a policy test suite and return its report; a failing case is not an error, bad input is. */
export function runSuite(suite: JsonInput<Suite | IamSuite>): SuiteReport;
/** `runSuite`, answering with the report's JSON text. */
export function runSuiteJson(suite: JsonInput<Suite | IamSuite>): string;
/** Diagnostics for one policy document given as JSON text (an empty array when it is valid). */
export function validatePolicy(text: string, options?: { kind?: PolicyKind }): Diagnostic[];
/** The engine's version, e.g. `0.1.0`. */
export function version(): string;

export interface AuthorizeManyOptions {
  /** `false`: every `explanation` is empty, the fast path. Default `true`. */
  explain?: boolean;
}

/**
 * An API compiled once, then asked about many requests. It lives in the WebAssembly module's memory: call
 * `free()` when done (or `using api = new Api(...)`); one that is dropped is released by the garbage collector.
 */
export class Api {
  constructor(config: JsonInput<ApiDocument>);
  /** Decide one request, with the explanation. */
  authorize(request: JsonInput<Request>): Decision;
  /** Decide one request without the explanation (`explanation` is empty): the fast path. */
  decide(request: JsonInput<Request>): Decision;
  /** `authorize`, answering with the decision's JSON text. */
  authorizeJson(request: JsonInput<Request>): string;
  /** `decide`, answering with the decision's JSON text. */
  decideJson(request: JsonInput<Request>): string;
  /** The decision of one request explained for a person. */
  explain(request: JsonInput<Request>): string;
  /** Decide many requests, in order; an invalid one throws with `path` starting `/{position}`. */
  authorizeMany(requests: ReadonlyArray<JsonInput<Request>>, options?: AuthorizeManyOptions): Decision[];
  /**
   * Release the compiled API's memory now; later calls throw `InvalidArgumentError`. Also installed as
   * `[Symbol.dispose]` where the runtime has it, for `using api = new Api(...)`.
   */
  free(): void;
}

// The public API of the npm package `apigw-authz`: thin wrappers around the exports of the WebAssembly module
// (`src/lib.rs`, through the wasm-bindgen glue `./apigw_authz.js`).
//
// The Rust side decides, reads the input and builds the answers and the errors. These wrappers only add what
// JavaScript must do itself:
// - a clear error when the module is used before `init()` (browsers; Node initialises at import);
// - the second line of defence of src/lib.rs "Panics": an exception that is not an `ApigwAuthzError` can only
//   come from an abort inside the module (a Rust panic, out of memory, a stack overflow). It is thrown as
//   `InternalError`, with the panic's message, and the instance is re-created so that the next call works;
// - `Api` objects that know whether they were freed, or lost in such a restart.

import * as glue from './apigw_authz.js';
import {
  ApigwAuthzError,
  InternalError,
  InvalidArgumentError,
  takePanic,
} from './errors.js';
import { decodeDecision, decodeDecisions } from './decision.js';

export {
  ApigwAuthzError,
  InvalidJsonError,
  InvalidPolicyError,
  InvalidScenarioError,
  InvalidArgumentError,
  InternalError,
} from './errors.js';

let ready = false;
/** Incremented each time the instance is re-created; an `Api` made under another generation is gone. */
let generation = 0;

/**
 * Load and start the WebAssembly module. Needed once in browsers before any other call (`await init()`); a
 * no-op when already done, and in Node, where importing the package loads it.
 *
 * @param {unknown} [options] what wasm-bindgen's init accepts: `{module_or_path}` with a URL, a `Response`, the
 *   bytes or a `WebAssembly.Module`; by default the `.wasm` file next to this module (works through Vite).
 */
export default async function init(options) {
  if (ready) return;
  await glue.default(options);
  ready = true;
}

/**
 * Start the WebAssembly module synchronously from its bytes or a compiled `WebAssembly.Module`:
 * `initSync({module})`. Node's entry point calls it at import.
 */
export function initSync(options) {
  if (ready) return;
  glue.initSync(options);
  ready = true;
}

function notReady() {
  // An error of the package like every other (`code`, `help`), so that callers need one kind of catch.
  return new InvalidArgumentError('apigw-authz: the WebAssembly module is not loaded yet', {
    help: '`await init()` once before calling the API (`import init, { authorize } from "apigw-authz"`)',
  });
}

/** The error to throw for an exception out of the module: ours as it is, anything else as an abort. */
function fail(e) {
  if (e instanceof ApigwAuthzError) return e;
  const panic = takePanic();
  const what = panic ?? (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  let restarted = true;
  try {
    glue.__wbg_reset_state();
  } catch {
    restarted = false;
  }
  generation += 1;
  return new InternalError(`the engine failed unexpectedly: ${what}`, {
    help: restarted
      ? 'this is a bug in apigw-authz, not in your input: please report it with the input that caused it; the ' +
        'engine was restarted (every `Api` made before is gone), later calls work'
      : 'this is a bug in apigw-authz, not in your input: please report it with the input that caused it; the ' +
        'engine could not be restarted, reload the page or restart the process',
    cause: e,
  });
}

/**
 * Decide one scenario and return the decision: an API Gateway request (`api`), or a general IAM check
 * (`resources`).
 * @param {object | string | Uint8Array} scenario an object, or its JSON text (errors then carry line and column)
 */
export function authorize(scenario) {
  if (!ready) throw notReady();
  try {
    return glue.authorize(scenario);
  } catch (e) {
    throw fail(e);
  }
}

/** `authorize`, answering with the decision's JSON text: byte for byte what `apigw-authz authorize` prints. */
export function authorizeJson(scenario) {
  if (!ready) throw notReady();
  try {
    return glue.authorizeJson(scenario);
  } catch (e) {
    throw fail(e);
  }
}

/** Decide a general IAM scenario (`resources` instead of `api`): may this caller do this action on this resource? */
export function authorizeIam(scenario) {
  if (!ready) throw notReady();
  try {
    return glue.authorizeIam(scenario);
  } catch (e) {
    throw fail(e);
  }
}

/** `authorizeIam`, answering with the decision's JSON text. */
export function authorizeIamJson(scenario) {
  if (!ready) throw notReady();
  try {
    return glue.authorizeIamJson(scenario);
  } catch (e) {
    throw fail(e);
  }
}

/** The decision of one scenario explained for a person: the text `apigw-authz explain` prints. */
export function explain(scenario) {
  if (!ready) throw notReady();
  try {
    return glue.explain(scenario);
  } catch (e) {
    throw fail(e);
  }
}

/** Run a policy test suite (a scenario without `request`, plus `cases`) and return the suite report. */
export function runSuite(suite) {
  if (!ready) throw notReady();
  try {
    return glue.runSuite(suite);
  } catch (e) {
    throw fail(e);
  }
}

/** `runSuite`, answering with the report's JSON text (what `apigw-authz test --json` prints as `report`). */
export function runSuiteJson(suite) {
  if (!ready) throw notReady();
  try {
    return glue.runSuiteJson(suite);
  } catch (e) {
    throw fail(e);
  }
}

/**
 * Diagnostics for one policy document given as JSON text, for editors: an empty array when it is valid.
 * @param {string} text
 * @param {{kind?: 'resource' | 'identity' | 'authorizer' | 'endpoint' | 'resource-based'}} [options]
 */
export function validatePolicy(text, options) {
  if (!ready) throw notReady();
  try {
    return glue.validatePolicy(text, options);
  } catch (e) {
    throw fail(e);
  }
}

/** The engine's version, e.g. `0.1.0`. */
export function version() {
  if (!ready) throw notReady();
  try {
    return glue.version();
  } catch (e) {
    throw fail(e);
  }
}

/** Abort inside the module (tests of the restart only; not part of the API). @internal */
export function __panicForTests(message) {
  if (!ready) throw notReady();
  try {
    return glue.__panicForTests(String(message));
  } catch (e) {
    throw fail(e);
  }
}

/** `{explain}` of `authorizeMany`: `true` unless `explain: false` is given. */
function explainOption(options) {
  if (options === undefined || options === null) return true;
  if (typeof options !== 'object') {
    throw new InvalidArgumentError(`\`options\` must be an object such as \`{explain: false}\`, found a ${typeof options}`);
  }
  const { explain } = options;
  if (explain === undefined) return true;
  if (typeof explain !== 'boolean') {
    throw new InvalidArgumentError(`\`options.explain\` must be a boolean, found a ${typeof explain}`);
  }
  return explain;
}

/**
 * An API compiled once (its policies, routes, authorizers, principals and VPC endpoints), then asked about
 * many requests. It lives in the WebAssembly module's memory: call `free()` when done with it (or use
 * `using api = new Api(...)` where `Symbol.dispose` exists); one that is only dropped is released when the
 * garbage collector gets to it.
 */
export class Api {
  #inner;
  #generation;

  /** @param {object | string | Uint8Array} config a scenario without `request`: `{api, principals, vpcEndpoints}` */
  constructor(config) {
    if (!ready) throw notReady();
    try {
      this.#inner = new glue.Api(config);
    } catch (e) {
      throw fail(e);
    }
    this.#generation = generation;
  }

  #use() {
    if (this.#inner === null) {
      throw new InvalidArgumentError('this `Api` was freed', {
        help: 'create a new `Api` for the configuration, or call `free()` only when done with it',
      });
    }
    if (this.#generation !== generation) {
      throw new InternalError('this `Api` was lost when the engine restarted after an internal error', {
        help: 'create it again from its configuration',
      });
    }
    return this.#inner;
  }

  /** Decide one request (the contract's `request` object, or its JSON text), with the explanation. */
  authorize(request) {
    const inner = this.#use();
    try {
      return inner.authorize(request);
    } catch (e) {
      throw fail(e);
    }
  }

  /** Decide one request without the explanation (`explanation` is empty): the fast path. */
  decide(request) {
    const inner = this.#use();
    try {
      return decodeDecision(inner.decideRecord(request));
    } catch (e) {
      throw fail(e);
    }
  }

  /** `authorize`, answering with the decision's JSON text. */
  authorizeJson(request) {
    const inner = this.#use();
    try {
      return inner.authorizeJson(request);
    } catch (e) {
      throw fail(e);
    }
  }

  /** `decide`, answering with the decision's JSON text. */
  decideJson(request) {
    const inner = this.#use();
    try {
      return inner.decideJson(request);
    } catch (e) {
      throw fail(e);
    }
  }

  /** The decision of one request explained for a person. */
  explain(request) {
    const inner = this.#use();
    try {
      return inner.explain(request);
    } catch (e) {
      throw fail(e);
    }
  }

  /**
   * Decide many requests and return their decisions, in order. An invalid request throws (its `path` starts
   * with its position, `/3/...`) and no decision is returned. `{explain: false}` is the fast path.
   * @param {Array<object | string>} requests
   * @param {{explain?: boolean}} [options]
   */
  authorizeMany(requests, options) {
    const inner = this.#use();
    const explain = explainOption(options);
    try {
      return explain ? inner.authorizeMany(requests, true) : decodeDecisions(inner.decideManyRecords(requests));
    } catch (e) {
      throw fail(e);
    }
  }

  /** Release the compiled API's memory now. Later calls on this object throw `InvalidArgumentError`. */
  free() {
    const inner = this.#inner;
    if (inner === null || inner === undefined) return;
    this.#inner = null;
    if (this.#generation === generation) inner.free();
  }
}

if (typeof Symbol.dispose === 'symbol') {
  Api.prototype[Symbol.dispose] = Api.prototype.free;
}

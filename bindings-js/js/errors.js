// The errors of apigw-authz. Every failure is thrown as an `ApigwAuthzError` (a real `Error`, never a string),
// of the subclass for its `code`, with the core error's fields: `code`, `message`, `path` (a JSON pointer such
// as `/api/policy/Statement/1/Effect`), `line` and `column` (1-based, for JSON text input; otherwise null) and
// `help` (advice, or null).
//
// The WebAssembly module builds them through `coreError` (imported by the wasm-bindgen glue as `./errors.js`).

export class ApigwAuthzError extends Error {
  /**
   * @param {string} message
   * @param {{code?: string, path?: string, line?: number | null, column?: number | null, help?: string | null,
   *          cause?: unknown}} [details]
   */
  constructor(message, details = {}) {
    const { code = 'internal', path = '', line = null, column = null, help = null, cause } = details;
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.path = path;
    this.line = line;
    this.column = column;
    this.help = help;
  }

  /** The error as the JSON every front prints: `{code, message, path, line, column[, help]}`. */
  toJSON() {
    const out = { code: this.code, message: this.message, path: this.path, line: this.line, column: this.column };
    if (this.help !== null && this.help !== undefined) out.help = this.help;
    return out;
  }
}

/** The text is not JSON, or breaks a JSON rule the engine enforces (duplicate keys, nesting, size). */
export class InvalidJsonError extends ApigwAuthzError {
  constructor(message, details = {}) {
    super(message, { ...details, code: 'invalid-json' });
  }
}

/** A policy document is not a valid IAM policy. */
export class InvalidPolicyError extends ApigwAuthzError {
  constructor(message, details = {}) {
    super(message, { ...details, code: 'invalid-policy' });
  }
}

/** The scenario, suite, API configuration or request does not follow the contract. */
export class InvalidScenarioError extends ApigwAuthzError {
  constructor(message, details = {}) {
    super(message, { ...details, code: 'invalid-scenario' });
  }
}

/** A function was called with an argument it does not take (an unknown policy kind, a freed `Api`, ...). */
export class InvalidArgumentError extends ApigwAuthzError {
  constructor(message, details = {}) {
    super(message, { ...details, code: 'invalid-argument' });
  }
}

/** A bug in the engine, reported rather than crashing: please report it with the input that caused it. */
export class InternalError extends ApigwAuthzError {
  constructor(message, details = {}) {
    super(message, { ...details, code: 'internal' });
  }
}

// `name` on the prototypes (not on each instance), so `String(e)` and stack traces say which class it is even
// after a minifier has renamed the classes.
for (const [cls, name] of [
  [ApigwAuthzError, 'ApigwAuthzError'],
  [InvalidJsonError, 'InvalidJsonError'],
  [InvalidPolicyError, 'InvalidPolicyError'],
  [InvalidScenarioError, 'InvalidScenarioError'],
  [InvalidArgumentError, 'InvalidArgumentError'],
  [InternalError, 'InternalError'],
]) {
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
}

const BY_CODE = {
  'invalid-json': InvalidJsonError,
  'invalid-policy': InvalidPolicyError,
  'invalid-scenario': InvalidScenarioError,
  'invalid-argument': InvalidArgumentError,
  internal: InternalError,
};

/**
 * The error for a core error (called from Rust, `src/lib.rs`). A code this file does not know (a newer engine)
 * still gives an `ApigwAuthzError` carrying it.
 * @internal
 */
export function coreError(code, message, path, line, column, help, cause) {
  const Class = BY_CODE[code] ?? ApigwAuthzError;
  return new Class(message, { code, path, line: line ?? null, column: column ?? null, help: help ?? null, cause });
}

let lastPanic = null;

/**
 * Called by the panic hook just before a Rust panic aborts the WebAssembly instance (`src/lib.rs`, "Panics").
 * @internal
 */
export function recordPanic(message) {
  lastPanic = String(message);
}

/**
 * The message of the panic that ended the last call, once.
 * @internal
 */
export function takePanic() {
  const message = lastPanic;
  lastPanic = null;
  return message;
}

// The Node entry point (package.json `exports`, condition `node`): the same API as the browser build, with the
// WebAssembly module loaded synchronously at import, so no `init()` is needed (it is exported as a no-op, so
// code written for browsers runs unchanged).
import { readFileSync } from 'node:fs';
import { initSync } from '../web/index.js';

initSync({ module: readFileSync(new URL('../web/apigw_authz_bg.wasm', import.meta.url)) });

export * from '../web/index.js';
export { default } from '../web/index.js';

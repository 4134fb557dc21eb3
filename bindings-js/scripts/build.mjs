// Build the npm package into dist/ (git-ignored), as biome's wasm build does:
//   1. cargo build --target wasm32-unknown-unknown (a size-tuned profile, see PROFILE below);
//   2. wasm-bindgen-cli, which must be exactly the crate's pinned `wasm-bindgen = "=0.2.x"`, --target web;
//   3. wasm-opt (-O3 by default) from the npm `binaryen` package (a devDependency);
//   4. the hand-written JavaScript (js/) and TypeScript declarations next to the glue.
// Layout: dist/web/{index.js, errors.js, decision.js, text.js, apigw_authz.js, apigw_authz_bg.wasm} (browsers,
// bundlers such as Vite, Deno), dist/node/index.js (Node 18+: the same files, loaded synchronously at import), dist/index.d.ts.
//
// Usage: node scripts/build.mjs [--no-opt] [--probes]    (test.sh installs the tools first)
//   --probes: the measurement exports of src/probe.rs, into dist-probes/ (for `npm run bench:floor`; never shipped)
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const manifest = join(here, 'Cargo.toml');
const probes = process.argv.includes('--probes');
const dist = join(here, probes ? 'dist-probes' : 'dist');
const optimize = !process.argv.includes('--no-opt');
// Built for speed: since the core moved to regex-lite, opt-level 3 with wasm-opt -O3 fits the 300 KB gzipped
// budget (241 KB) and decides about 1.85x as fast as the size-tuned build (README "Size and speed"). To build
// small instead: APIGW_AUTHZ_OPT_LEVEL=z APIGW_AUTHZ_WASM_OPT=-Os npm run build
const optLevel = process.env.APIGW_AUTHZ_OPT_LEVEL ?? '3';
const wasmOptLevel = process.env.APIGW_AUTHZ_WASM_OPT ?? '-O3';

// The release profile of the workspace is tuned for the native command line; the .wasm wants small code: one
// codegen unit and full LTO let the linker drop what the package never calls. Given on the
// command line so that the workspace's Cargo.toml stays the core's, and built under its own profile name so
// that it never invalidates the native release build.
const PROFILE = 'wasm-release';
const profileConfig = [
  `profile.${PROFILE}.inherits="release"`,
  `profile.${PROFILE}.opt-level=${/^[0-9]$/.test(optLevel) ? optLevel : `"${optLevel}"`}`,
  `profile.${PROFILE}.lto="fat"`,
  `profile.${PROFILE}.codegen-units=1`,
  `profile.${PROFILE}.panic="abort"`,
];

// What the wasm32 target of current Rust emits by default; wasm-opt must be told, and Node 18 supports them all.
const WASM_FEATURES = [
  '--enable-bulk-memory',
  '--enable-bulk-memory-opt',
  '--enable-multivalue',
  '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int',
  '--enable-reference-types',
  '--enable-sign-ext',
  '--enable-call-indirect-overlong',
];

function run(cmd, args, options = {}) {
  return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...options });
}

function pinnedWasmBindgen() {
  const m = readFileSync(manifest, 'utf8').match(/^wasm-bindgen\s*=\s*"=([0-9.]+)"/m);
  if (!m) throw new Error(`${manifest}: wasm-bindgen must be pinned as \`wasm-bindgen = "=0.2.x"\``);
  return m[1];
}

function checkWasmBindgen(version) {
  let out;
  try {
    out = run('wasm-bindgen', ['--version']);
  } catch {
    throw new Error(`wasm-bindgen-cli is not installed: cargo install wasm-bindgen-cli --version ${version}`);
  }
  if (out.trim() !== `wasm-bindgen ${version}`) {
    throw new Error(
      `wasm-bindgen-cli is \`${out.trim()}\`, the crate pins ${version}: cargo install wasm-bindgen-cli --version ${version}`,
    );
  }
}

const version = pinnedWasmBindgen();
checkWasmBindgen(version);

console.log(`cargo build (wasm32-unknown-unknown, profile ${PROFILE}${probes ? ', feature probes' : ''})`);
const configArgs = profileConfig.flatMap((c) => ['--config', c]);
run(
  'cargo',
  [
    'build',
    '--quiet',
    '--manifest-path',
    manifest,
    '-p',
    'apigw-authz-wasm',
    '--lib',
    '--target',
    'wasm32-unknown-unknown',
    '--profile',
    PROFILE,
    ...(probes ? ['--features', 'probes'] : []),
    ...configArgs,
  ],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
const metadata = JSON.parse(run('cargo', ['metadata', '--format-version', '1', '--no-deps', '--manifest-path', manifest]));
const wasmIn = join(metadata.target_directory, 'wasm32-unknown-unknown', PROFILE, 'apigw_authz_wasm.wasm');

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'web'), { recursive: true });
mkdirSync(join(dist, 'node'), { recursive: true });

console.log(`wasm-bindgen ${version} --target web`);
run('wasm-bindgen', [
  '--target',
  'web',
  '--out-dir',
  join(dist, 'web'),
  '--out-name',
  'apigw_authz',
  '--no-typescript',
  // `__wbg_reset_state`: re-create the instance after an abort (js/api.js, `fail`).
  '--experimental-reset-state-function',
  wasmIn,
]);

const wasmOut = join(dist, 'web', 'apigw_authz_bg.wasm');
const before = statSync(wasmOut).size;
if (optimize) {
  const wasmOpt = join(here, 'node_modules', '.bin', 'wasm-opt');
  if (!existsSync(wasmOpt)) throw new Error('wasm-opt not found: run `npm ci` first (the `binaryen` devDependency)');
  console.log(`wasm-opt ${wasmOptLevel}`);
  run(wasmOpt, [wasmOptLevel, ...WASM_FEATURES, wasmOut, '-o', wasmOut]);
}

copyFileSync(join(here, 'js', 'api.js'), join(dist, 'web', 'index.js'));
copyFileSync(join(here, 'js', 'errors.js'), join(dist, 'web', 'errors.js'));
copyFileSync(join(here, 'js', 'decision.js'), join(dist, 'web', 'decision.js'));
copyFileSync(join(here, 'js', 'text.js'), join(dist, 'web', 'text.js'));
copyFileSync(join(here, 'js', 'node.js'), join(dist, 'node', 'index.js'));
copyFileSync(join(here, 'js', 'index.d.ts'), join(dist, 'index.d.ts'));

const bytes = readFileSync(wasmOut);
const gzipped = gzipSync(bytes, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const size = { wasm: bytes.length, wasmBeforeOpt: before, gzip: gzipped };
writeFileSync(join(dist, 'size.json'), `${JSON.stringify(size)}\n`);
console.log(`${probes ? 'dist-probes' : 'dist'}/web/apigw_authz_bg.wasm: ${kb(bytes.length)} (${kb(before)} before wasm-opt), ${kb(gzipped)} gzipped`);

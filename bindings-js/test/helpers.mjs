// Shared by the Node tests: where the corpus is, and the command line that every front must agree with.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const repo = dirname(packageDir);

/** The `.json` files of a directory of the repository, sorted; none when it does not exist (yet). */
export function jsonFiles(dir) {
  const full = join(repo, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(full, f));
}

export function read(path) {
  return readFileSync(path, 'utf8');
}

/** A path as the command line prints it and as test names show it: relative to the repository. */
export function short(path) {
  return relative(repo, path);
}

/** Every suite (a file with `cases`) of the shared corpus and of the seed stories. */
export function suiteFiles() {
  return [...jsonFiles('core/tests/suites'), ...jsonFiles('examples/scenarios')].filter(
    (f) => JSON.parse(read(f)).cases !== undefined,
  );
}

/** The command line built by test.sh (`cargo build -p apigw-authz-cli`); APIGW_AUTHZ_CLI overrides. */
export function cliPath() {
  const cli = process.env.APIGW_AUTHZ_CLI ?? join(process.env.CARGO_TARGET_DIR ?? join(repo, 'target'), 'debug', 'apigw-authz');
  if (!existsSync(cli)) {
    throw new Error(`the command line is not built: ${cli} (run \`cargo build -p apigw-authz-cli\` or bindings-js/test.sh)`);
  }
  return cli;
}

/** Run the command line from the repository root; its stdout, whatever the exit code (a failing case exits 1). */
export function cli(...args) {
  const result = spawnSync(cliPath(), args, { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.error) throw result.error;
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

/**
 * `apigw-authz test --json FILE...`: one line per file, `{"file":"...","report":<report>}`. Returns the exact
 * text of each report, cut out of its line (not re-serialised), by file.
 */
export function cliReports(files) {
  const { stdout, stderr } = cli('test', '--json', ...files.map(short));
  const reports = new Map();
  for (const line of stdout.split('\n').filter((l) => l.length > 0)) {
    const { file } = JSON.parse(line);
    const prefix = `{"file":${JSON.stringify(file)},"report":`;
    if (!line.startsWith(prefix) || !line.endsWith('}')) {
      throw new Error(`unexpected line from the command line (stderr: ${stderr}): ${line.slice(0, 200)}`);
    }
    reports.set(file, line.slice(prefix.length, -1));
  }
  return reports;
}

/** A copy of a report or decision without the statements' line and column, which only text input has. */
export function stripPositions(value) {
  if (Array.isArray(value)) return value.map(stripPositions);
  if (value !== null && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = stripPositions(v);
    if ('applies' in value) {
      out.line = null;
      out.column = null;
    }
    return out;
  }
  return value;
}

/** A small deterministic PRNG (mulberry32), so a failing random test can be replayed from its seed. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

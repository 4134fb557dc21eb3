// The clock of bench.mjs and floor.mjs: the best of three runs of about `seconds` each.

/**
 * Microseconds per call of `body(i)` (i = 0, 1, 2, ...), called in batches of `batch` between looks at the clock;
 * `perCall` divides further when each call does that many operations.
 */
export function microsPerCall(body, { seconds = 1, batch = 1000, perCall = 1 } = {}) {
  let best = Infinity;
  const budget = BigInt(Math.round(seconds * 1e9));
  for (let run = 0; run < 3; run++) {
    let n = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0n;
    while (elapsed < budget) {
      for (let k = 0; k < batch; k++) body(n++);
      elapsed = process.hrtime.bigint() - start;
    }
    best = Math.min(best, Number(elapsed) / 1000 / n / perCall);
  }
  return best;
}

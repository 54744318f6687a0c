/**
 * The timing loop the microbenchmarks share: one unrecorded warm-up batch, then the median over
 * `batches` batches of `iterations` calls. Synchronous operations only; see `medianMicrosAsync`.
 */
export function medianNanos(fn: () => void, iterations: number, batches: number): number {
  for (let i = 0; i < iterations; i++) fn();
  const samples: number[] = [];
  for (let b = 0; b < batches; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    samples.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  return samples.sort((a, b) => a - b)[Math.floor(batches / 2)]!;
}

/** As `medianNanos`, in µs, for operations that may return a promise (each awaited before the next). */
export async function medianMicrosAsync(op: (i: number) => void | Promise<void>, iterations: number, batches: number): Promise<number> {
  const samples: number[] = [];
  for (let b = -1; b < batches; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) {
      const pending = op(i);
      if (pending) await pending;
    }
    if (b >= 0) samples.push(Number(process.hrtime.bigint() - start) / iterations / 1000);
  }
  return samples.sort((a, b) => a - b)[Math.floor(batches / 2)]!;
}

/** The `q` quantile of `xs` (0.5: the median), the lower of two middle values; NaN for none. */
export function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(q * (sorted.length - 1))]!;
}

/**
 * Cuts text or bytes at the given offsets (taken modulo length + 1, sorted, repeats dropped): how the
 * property tests re-split a recorded stream at arbitrary points.
 */
export function splitAt<T extends string | Uint8Array>(value: T, cuts: readonly number[]): T[] {
  const points = [...new Set(cuts.map((c) => c % (value.length + 1)))].sort((a, b) => a - b);
  const pieces: T[] = [];
  let from = 0;
  for (const point of points) {
    pieces.push(value.slice(from, point) as T);
    from = point;
  }
  pieces.push(value.slice(from) as T);
  return pieces;
}

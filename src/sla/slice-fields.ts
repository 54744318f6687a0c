import { BUCKETS } from './log-histogram.ts';
import { OUTCOME_CLASSES } from './outcome-class.ts';
import { Slice } from './slice.ts';

/**
 * A slice as Redis hash fields: `c<class index>` counts, `l<bucket>` latency and `t<bucket>` TTFT
 * buckets, `tn` TTFT samples. Only non-zero fields are written.
 */
export function sliceFields(slice: Slice): (string | number)[] {
  const out: (string | number)[] = [];
  for (let i = 0; i < OUTCOME_CLASSES.length; i++) if (slice.counts[i]! > 0) out.push(`c${i}`, slice.counts[i]!);
  for (let i = slice.lo; i <= slice.hi; i++) {
    if (slice.latency[i]! > 0) out.push(`l${i}`, slice.latency[i]!);
    if (slice.ttft[i]! > 0) out.push(`t${i}`, slice.ttft[i]!);
  }
  if (slice.ttftSamples > 0) out.push('tn', slice.ttftSamples);
  return out;
}

/** The slice an HGETALL answer describes; unknown fields (a later version's) are ignored. */
export function sliceFromFields(start: number, fields: Record<string, string>): Slice {
  const slice = new Slice(start);
  for (const [field, text] of Object.entries(fields)) {
    const value = Number(text);
    if (!Number.isFinite(value)) continue;
    if (field === 'tn') {
      slice.ttftSamples = value;
      continue;
    }
    const index = Number(field.slice(1));
    if (!Number.isInteger(index) || index < 0) continue;
    if (field[0] === 'c' && index < OUTCOME_CLASSES.length) slice.counts[index] = value;
    else if (field[0] === 'l' && index < BUCKETS) slice.count(slice.latency, index, value);
    else if (field[0] === 't' && index < BUCKETS) slice.count(slice.ttft, index, value);
  }
  return slice;
}

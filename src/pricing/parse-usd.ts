const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
export const MAX_DECIMALS = 6;

/**
 * A non-negative decimal amount (a string such as "2.50", or a number) → integer millionths, exactly.
 * Numbers go through their shortest decimal form (`String(0.1)` is "0.1"), which is the figure the
 * user wrote. More than 6 decimals is an error rather than a silent rounding. Returns an error message
 * instead of throwing, for zod.
 */
export function parseMillionths(value: string | number): { ok: true; value: number } | { ok: false; message: string } {
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (text.startsWith('-')) return { ok: false, message: `must not be negative, got ${text}` };
  // JavaScript writes numbers below 1e-6 and from 1e21 in exponent form.
  if (/e-/i.test(text)) return { ok: false, message: `has more than ${MAX_DECIMALS} decimals (one micro-dollar), got ${text}` };
  const match = DECIMAL.exec(text);
  if (!match) return { ok: false, message: `must be a decimal number such as "2.50", got ${JSON.stringify(text)}` };
  const [, whole = '', fraction = ''] = match;
  if (fraction.length > MAX_DECIMALS) {
    return { ok: false, message: `has ${fraction.length} decimals; at most ${MAX_DECIMALS} (one micro-dollar) are allowed, got ${text}` };
  }
  const millionths = BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(MAX_DECIMALS, '0'));
  if (millionths > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, message: `is too large, got ${text}` };
  return { ok: true, value: Number(millionths) };
}

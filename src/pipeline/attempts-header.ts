import type { AttemptRecord } from './call.ts';

/** `x-moat-attempts`: how many, then each as `provider/model=status`, or its error code if it failed. */
export function attemptsHeader(attempts: readonly AttemptRecord[]): string {
  const each = attempts.map((a) => `${a.target.provider.name}/${a.target.upstreamModel}=${a.failure?.code ?? a.status ?? '-'}`);
  return `${attempts.length}; ${each.join(', ')}`;
}

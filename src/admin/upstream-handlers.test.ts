import { describe, expect, it } from 'vitest';
import { UpstreamHealth } from '../routing/index.ts';
import type { AdminContext } from './admin-context.ts';
import { listUpstreams } from './upstream-handlers.ts';

describe('GET /admin/upstreams', () => {
  it('shows each upstream breaker, pause, probe and latency', async () => {
    let now = 1000;
    const health = new UpstreamHealth({ retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 }, breaker: { failureThreshold: 1, openMs: 5000, halfOpenRequests: 1 }, maxAttempts: 2, latencyHalfLifeMs: 1000 }, () => now);
    health.success('vllm', 12);
    health.failure('openai', 'server_error', 30, null);
    health.failure('anthropic', 'rate_limited', 5, 2000);
    health.setProbe('vllm', true);
    now += 1000;
    const ctx = { health, role: 'read-only', now } as unknown as AdminContext;
    const { status, body } = await listUpstreams(ctx, {});
    expect(status).toBe(200);
    expect(body.upstreams).toEqual([
      { upstream: 'vllm', breaker: 'closed', retry_in_ms: 0, latency_ewma_ms: 12, probe: 'up', cooling_for_ms: 0 },
      { upstream: 'openai', breaker: 'open', retry_in_ms: 4000, latency_ewma_ms: 30, probe: 'unknown', cooling_for_ms: 0 },
      { upstream: 'anthropic', breaker: 'closed', retry_in_ms: 0, latency_ewma_ms: null, probe: 'unknown', cooling_for_ms: 1000 },
    ]);
  });
});

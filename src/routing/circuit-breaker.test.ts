import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type BreakerState } from './circuit-breaker.ts';

function breaker(failureThreshold = 3, openMs = 1000, halfOpenRequests = 1) {
  let now = 0;
  const transitions: string[] = [];
  const b = new CircuitBreaker({ failureThreshold, openMs, halfOpenRequests }, () => now);
  b.onTransition = (from: BreakerState, to: BreakerState) => transitions.push(`${from}->${to}`);
  return { b, transitions, advance: (ms: number) => (now += ms) };
}

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures, and a success resets the count', () => {
    const { b, transitions } = breaker(3);
    b.failure();
    b.failure();
    b.success();
    b.failure();
    b.failure();
    expect(b.state).toBe('closed');
    b.failure();
    expect(b.state).toBe('open');
    expect(b.tryPass()).toBe(false);
    expect(transitions).toEqual(['closed->open']);
  });

  it('lets exactly the trial requests through once openMs has passed, and closes when they succeed', () => {
    const { b, transitions, advance } = breaker(1, 1000, 2);
    b.failure();
    advance(999);
    expect(b.tryPass()).toBe(false);
    expect(b.retryInMs).toBe(1);
    advance(1);
    expect(b.state).toBe('half-open');
    expect(b.tryPass()).toBe(true);
    expect(b.tryPass()).toBe(true);
    expect(b.tryPass()).toBe(false);
    b.success();
    expect(b.state).toBe('half-open');
    b.success();
    expect(b.state).toBe('closed');
    expect(transitions).toEqual(['closed->open', 'open->half-open', 'half-open->closed']);
  });

  it('opens again when a trial fails, for another full openMs', () => {
    const { b, advance, transitions } = breaker(1, 1000);
    b.failure();
    advance(1000);
    expect(b.tryPass()).toBe(true);
    advance(500);
    b.failure();
    expect(b.state).toBe('open');
    advance(999);
    expect(b.state).toBe('open');
    advance(1);
    expect(b.state).toBe('half-open');
    expect(transitions).toEqual(['closed->open', 'open->half-open', 'half-open->open', 'open->half-open']);
  });

  it('frees a trial place when a trial ends without a verdict, so half-open cannot stick', () => {
    const { b, advance } = breaker(1, 1000, 1);
    b.failure();
    advance(1000);
    expect(b.tryPass()).toBe(true);
    expect(b.tryPass()).toBe(false);
    b.abandon();
    expect(b.tryPass()).toBe(true);
    b.success();
    expect(b.state).toBe('closed');
  });

  it('ignores failures reported while open (requests that were already in flight)', () => {
    const { b, advance } = breaker(1, 1000);
    b.failure();
    advance(600);
    b.failure();
    advance(400);
    expect(b.state).toBe('half-open');
  });
});

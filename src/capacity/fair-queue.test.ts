import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FairQueue, type QueueTicket } from './fair-queue.ts';

const ticket = (tenant: string, priority = 1, weight = 1): QueueTicket => ({ tenant, priority, weight });

function drain<T>(queue: FairQueue<T>, n = Infinity): T[] {
  const out: T[] = [];
  while (out.length < n) {
    const next = queue.shift();
    if (next === undefined) break;
    out.push(next);
  }
  return out;
}

describe('FairQueue', () => {
  it('serves one tenant in arrival order', () => {
    const queue = new FairQueue<number>();
    for (let i = 0; i < 5; i++) queue.push(i, ticket('a'));
    expect(drain(queue)).toEqual([0, 1, 2, 3, 4]);
    expect(queue.size).toBe(0);
    expect(queue.shift()).toBeUndefined();
  });

  it('always serves a better class first, whatever arrived before', () => {
    const queue = new FairQueue<string>();
    for (let i = 0; i < 50; i++) queue.push(`batch-${i}`, ticket('flood', 2));
    queue.push('standard', ticket('x', 1));
    queue.push('premium', ticket('y', 0));
    expect(queue.bestPriority).toBe(0);
    expect(drain(queue, 2)).toEqual(['premium', 'standard']);
    expect(queue.bestPriority).toBe(2);
  });

  it('interleaves a light tenant that arrives behind a flood: it waits behind one heavy request, not the flood', () => {
    const queue = new FairQueue<string>();
    for (let i = 0; i < 200; i++) queue.push('heavy', ticket('heavy'));
    for (let i = 0; i < 10; i++) queue.push('light', ticket('light'));
    const first20 = drain(queue, 20);
    expect(first20.filter((v) => v === 'light')).toHaveLength(10);
    expect(queue.size).toBe(190);
  });

  it('gives backlogged tenants slots in proportion to their weights', () => {
    const queue = new FairQueue<string>();
    for (let i = 0; i < 400; i++) queue.push('a', ticket('a', 1, 1));
    for (let i = 0; i < 400; i++) queue.push('b', ticket('b', 1, 3));
    const served = drain(queue, 200);
    const b = served.filter((v) => v === 'b').length;
    expect(b).toBeGreaterThanOrEqual(149);
    expect(b).toBeLessThanOrEqual(151);
  });

  it('gives an idle tenant no credit for the time it was idle', () => {
    const queue = new FairQueue<string>();
    for (let i = 0; i < 100; i++) queue.push('a', ticket('a'));
    drain(queue, 50);
    for (let i = 0; i < 100; i++) queue.push('b', ticket('b'));
    // From here on, a and b alternate: b does not get 50 in a row to "catch up".
    const next = drain(queue, 20);
    expect(next.filter((v) => v === 'b').length).toBeGreaterThanOrEqual(9);
    expect(next.filter((v) => v === 'b').length).toBeLessThanOrEqual(11);
  });

  it('removes entries before their turn, and an abandoned tail does not push the tenant back', () => {
    const queue = new FairQueue<string>();
    const a1 = queue.push('a1', ticket('a'));
    queue.push('b1', ticket('b'));
    const a2 = queue.push('a2', ticket('a'));
    expect(queue.remove(a2)).toBe(true);
    expect(queue.remove(a2)).toBe(false);
    queue.push('a3', ticket('a'));
    expect(queue.size).toBe(3);
    expect(drain(queue)).toEqual(['a1', 'b1', 'a3']);
    expect(queue.remove(a1)).toBe(false);
  });

  it('keeps its size and serves everything exactly once under random pushes, removals and shifts', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('push' as const), tenant: fc.constantFrom('a', 'b', 'c'), priority: fc.integer({ min: 0, max: 2 }), weight: fc.constantFrom(0.5, 1, 3) }),
            fc.record({ op: fc.constant('remove' as const), index: fc.nat() }),
            fc.record({ op: fc.constant('shift' as const) }),
          ),
          { maxLength: 200 },
        ),
        (ops) => {
          const queue = new FairQueue<number>();
          const handles: Array<ReturnType<FairQueue<number>['push']>> = [];
          const waiting = new Map<number, number>();
          let id = 0;
          for (const op of ops) {
            if (op.op === 'push') {
              handles.push(queue.push(id, ticket(op.tenant, op.priority, op.weight)));
              waiting.set(id, op.priority);
              id++;
            } else if (op.op === 'remove' && handles.length > 0) {
              const handle = handles[op.index % handles.length]!;
              expect(queue.remove(handle)).toBe(waiting.delete(handle.value));
            } else if (op.op === 'shift') {
              const best = Math.min(...waiting.values());
              const next = queue.shift();
              if (waiting.size === 0) expect(next).toBeUndefined();
              else {
                expect(waiting.get(next!)).toBe(best);
                waiting.delete(next!);
              }
            }
            expect(queue.size).toBe(waiting.size);
          }
          const rest = drain(queue);
          expect(rest.sort((x, y) => x - y)).toEqual([...waiting.keys()].sort((x, y) => x - y));
        },
      ),
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../canonical/index.ts';
import { FilterChain, type EventFilter } from './event-filter.ts';

const text = (t: string): CanonicalEvent => ({ type: 'text-delta', choice: 0, text: t });

/** Upper-cases text deltas. */
const upper = (): EventFilter => ({
  push: (event, emit) => emit(event.type === 'text-delta' ? { ...event, text: event.text.toUpperCase() } : event),
  end: () => undefined,
});

/** Holds every text delta and releases them joined at the end. */
const holdAll = (): EventFilter => {
  let held = '';
  return {
    push: (event, emit) => {
      if (event.type === 'text-delta') held += event.text;
      else emit(event);
    },
    end: (emit) => {
      if (held !== '') emit(text(held));
    },
  };
};

function run(factories: Array<() => EventFilter>, events: CanonicalEvent[]): CanonicalEvent[] {
  const out: CanonicalEvent[] = [];
  const chain = new FilterChain(factories, (event) => out.push(event));
  for (const event of events) chain.push(event);
  chain.end();
  return out;
}

describe('FilterChain', () => {
  it('passes events straight to the sink with no filters', () => {
    expect(run([], [text('a'), text('b')])).toEqual([text('a'), text('b')]);
  });

  it('feeds each filter the output of the one before, in order', () => {
    expect(run([holdAll, upper], [text('a'), text('b')])).toEqual([text('AB')]);
    // Released at the end by the first filter, still transformed by the second.
    expect(run([upper, holdAll], [text('a'), text('b')])).toEqual([text('AB')]);
  });

  it('makes a fresh filter for each chain', () => {
    let made = 0;
    const counted = (): EventFilter => {
      made++;
      return upper();
    };
    run([counted], [text('a')]);
    run([counted], [text('a')]);
    expect(made).toBe(2);
  });
});

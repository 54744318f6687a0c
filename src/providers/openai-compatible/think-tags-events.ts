import type { CanonicalEvent } from '../../canonical/index.ts';
import { ThinkTagSplitter, type ThinkTagMode, type ThinkTagOutput } from './think-tags.ts';

export interface ThinkTagEventSplitter {
  push(event: CanonicalEvent): void;
  /** Flushes every choice still open (the stream ended without their `finish`). */
  end(): void;
}

/**
 * Event transform: each choice's `text-delta` text goes through its own {@link ThinkTagSplitter} and comes
 * out as `reasoning-delta` / `text-delta` events; every other event passes through unchanged. A choice's
 * splitter is flushed before its `finish` is passed on, so the order stays reasoning…, text…, finish.
 * The finish reason is kept as the upstream sent it, even when the think block was never closed: the
 * upstream knows why it stopped (usually `length`).
 */
export function splitThinkTagEvents(mode: ThinkTagMode, emit: (e: CanonicalEvent) => void): ThinkTagEventSplitter {
  const splitters = new Map<number, ThinkTagSplitter>();

  const emitOutput = (choice: number, out: ThinkTagOutput): void => {
    if (out.reasoning !== '') emit({ type: 'reasoning-delta', choice, text: out.reasoning });
    if (out.content !== '') emit({ type: 'text-delta', choice, text: out.content });
  };

  const flush = (choice: number): void => {
    const splitter = splitters.get(choice);
    if (!splitter) return;
    splitters.delete(choice);
    emitOutput(choice, splitter.end());
  };

  return {
    push(event) {
      if (event.type === 'text-delta') {
        let splitter = splitters.get(event.choice);
        if (!splitter) {
          splitter = new ThinkTagSplitter(mode);
          splitters.set(event.choice, splitter);
        }
        emitOutput(event.choice, splitter.push(event.text));
        return;
      }
      if (event.type === 'finish') flush(event.choice);
      emit(event);
    },
    end() {
      for (const choice of [...splitters.keys()].sort((a, b) => a - b)) flush(choice);
    },
  };
}

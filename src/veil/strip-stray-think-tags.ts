import type { CanonicalEvent } from '../canonical/index.ts';
import { splitThinkTagEvents, type ThinkTagEventSplitter } from '../providers/openai-compatible/think-tags-events.ts';

type Emit = (event: CanonicalEvent) => void;

interface Filter {
  push(event: CanonicalEvent, emit: Emit): void;
  end(emit: Emit): void;
  settled?(): Promise<void> | null;
}

/**
 * Defence in depth for models configured with `reasoningFormat: fields`: if the server's reasoning
 * parser is off or misconfigured (vLLM without `--reasoning-parser`, Ollama with `think` unset), the
 * reasoning arrives as `<think>…</think>` at the start of the text. Under the veil such text is split
 * out as reasoning (an answer that does not open with `<think>` is untouched, bar a leading `<` held
 * until the next character) and `inner` — the veil — drops it (reasoning.md §2.1).
 */
export function stripStrayThinkTags(inner: Filter): Filter {
  let downstream: Emit = () => {};
  const toInner: Emit = (event) => inner.push(event, downstream);
  const splitter: ThinkTagEventSplitter = splitThinkTagEvents('think-tags', toInner);
  return {
    push(event, emit) {
      downstream = emit;
      splitter.push(event);
    },
    end(emit) {
      downstream = emit;
      splitter.end();
      inner.end(emit);
    },
    settled: () => inner.settled?.() ?? null,
  };
}

/**
 * Splits raw `<think>…</think>` reasoning out of answer text, for self-hosted servers run without a
 * reasoning parser (vLLM without `--reasoning-parser`, llama.cpp `--reasoning-format none`, Ollama with
 * `think` unset). Design: /work/shared/research/reasoning.md §2.2; behaviour on truncation follows vLLM's
 * `deepseek_r1` parser (text before a missing `</think>` is reasoning, never content).
 *
 * Pure and streaming: text may be split anywhere, a tag included, and the result is the same.
 */

/**
 * `think-tags`: the output may begin with an optional `<think>` (Qwen3 with thinking optional).
 * `think-tags-open`: the chat template already opened `<think>` in the prompt, so the output holds only
 * the closing tag (DeepSeek-R1 distills, QwQ).
 */
export type ThinkTagMode = 'think-tags' | 'think-tags-open';

export interface ThinkTagOutput {
  reasoning: string;
  content: string;
}

export interface ThinkTagEnd extends ThinkTagOutput {
  /** The stream ended inside the think block (usually cut at max tokens): all of it was reasoning. */
  unterminated: boolean;
}

const OPEN = '<think>';
const CLOSE = '</think>';
// The same set String.prototype.trimStart removes.
const LEADING_WHITESPACE = /^\s*/;

type State = 'unknown' | 'in-think' | 'after';

/** Length of the longest suffix of `text` that is a proper prefix of `tag` (0 when none). */
function partialTagSuffix(text: string, tag: string): number {
  for (let k = Math.min(tag.length - 1, text.length); k > 0; k--) {
    if (tag.startsWith(text.slice(-k))) return k;
  }
  return 0;
}

export class ThinkTagSplitter {
  #state: State;
  /** unknown: leading whitespace plus a possible partial `<think>`; in-think: a possible partial `</think>`. */
  #pending = '';
  /** after: still dropping the whitespace that follows `</think>` (models emit `</think>\n\n`). */
  #stripLeading = false;

  constructor(mode: ThinkTagMode) {
    this.#state = mode === 'think-tags-open' ? 'in-think' : 'unknown';
  }

  push(text: string): ThinkTagOutput {
    const out: ThinkTagOutput = { reasoning: '', content: '' };
    if (text !== '') this.#feed(text, out);
    return out;
  }

  /** Flushes what is held back. Ending inside the think block never turns reasoning into content. */
  end(): ThinkTagEnd {
    const held = this.#pending;
    this.#pending = '';
    if (this.#state === 'in-think') return { reasoning: held, content: '', unterminated: true };
    // unknown: only whitespace or a partial `<think>` (such as `<th`) was seen: that is answer text.
    // after: nothing is held (whitespace after `</think>` is dropped, not held).
    return { reasoning: '', content: held, unterminated: false };
  }

  #feed(text: string, out: ThinkTagOutput): void {
    if (this.#state === 'unknown') {
      const buffered = this.#pending + text;
      const ws = LEADING_WHITESPACE.exec(buffered)?.[0].length ?? 0;
      const rest = buffered.slice(ws);
      if (rest.startsWith(OPEN)) {
        // The whitespace before the opening tag is neither reasoning nor answer: dropped.
        this.#pending = '';
        this.#state = 'in-think';
        this.#feedInThink(rest.slice(OPEN.length), out);
      } else if (OPEN.startsWith(rest)) {
        this.#pending = buffered;
      } else {
        this.#pending = '';
        this.#state = 'after';
        out.content += buffered;
      }
    } else if (this.#state === 'in-think') {
      this.#feedInThink(text, out);
    } else {
      this.#feedAfter(text, out);
    }
  }

  #feedInThink(text: string, out: ThinkTagOutput): void {
    const buffered = this.#pending + text;
    const close = buffered.indexOf(CLOSE);
    if (close !== -1) {
      out.reasoning += buffered.slice(0, close);
      this.#pending = '';
      this.#state = 'after';
      this.#stripLeading = true;
      this.#feedAfter(buffered.slice(close + CLOSE.length), out);
      return;
    }
    const hold = partialTagSuffix(buffered, CLOSE);
    out.reasoning += buffered.slice(0, buffered.length - hold);
    this.#pending = buffered.slice(buffered.length - hold);
  }

  #feedAfter(text: string, out: ThinkTagOutput): void {
    // Later `<think>`/`</think>` strings are answer text (code about tags, for instance).
    if (this.#stripLeading) {
      text = text.trimStart();
      if (text === '') return;
      this.#stripLeading = false;
    }
    out.content += text;
  }
}

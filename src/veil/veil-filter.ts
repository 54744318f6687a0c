import type { CanonicalEvent } from '../canonical/index.ts';
import { copiesReasoning } from './copy-detector.ts';
import type { VeiledPart } from './reasoning-blob.ts';

type Emit = (event: CanonicalEvent) => void;

/**
 * Which reasoning the client gets back as sealed blobs, so it can return them in a tool loop:
 * `all` (Anthropic clients: every reasoning part becomes a `redacted_thinking` block), `signed`
 * (OpenAI clients: only what an upstream needs back — Anthropic's signed or redacted thinking — as
 * `reasoning_details[].type: reasoning.encrypted`), `none`.
 */
export type BlobMode = 'all' | 'signed' | 'none';

export interface VeilFilterOptions {
  blobs: BlobMode;
  /** Seals one part for the caller's tenant (reasoning-blob.ts). */
  seal: (part: VeiledPart) => string;
  /** Words of a copied span (veil.leakChannels.copySpanWords). */
  copySpanWords: number;
  /** Records a ledger flag (`reasoning_copied`). */
  flag: (flag: string) => void;
  /** `reasoning: summary`: writes the summary the client gets instead of the reasoning. */
  summarise?: (reasoning: string) => Promise<string>;
  /** A summary that failed (timeout, upstream error): logged by the caller, never shown. */
  onSummaryError?: (error: unknown) => void;
}

interface ChoiceState {
  /** The reasoning part being received (not yet signed or ended). */
  pending: string;
  /** All reasoning of the choice, for the copy check. */
  reasoning: string;
  answer: string;
  toolArguments: string[];
  checked: boolean;
  /** The summary was asked for (once, when the reasoning ended). */
  summarised: boolean;
}

/**
 * The response side of `reasoning: hidden`: no `reasoning-delta` or `reasoning-signature` reaches the
 * client; everything else passes unchanged and in order. The upstream decoders have already turned
 * every reasoning format (fields, `<think>` tags, Anthropic thinking) into these events, so this one
 * filter covers them all. Metering sees the events before this filter, so the reasoning is billed.
 */
export class VeilFilter {
  private readonly options: VeilFilterOptions;
  private readonly choices = new Map<number, ChoiceState>();
  private readonly summaries: Array<Promise<void>> = [];
  /** The client's stream is over: a summary that arrives later is dropped. */
  private ended = false;

  constructor(options: VeilFilterOptions) {
    this.options = options;
  }

  private state(choice: number): ChoiceState {
    let state = this.choices.get(choice);
    if (!state) {
      state = { pending: '', reasoning: '', answer: '', toolArguments: [], checked: false, summarised: false };
      this.choices.set(choice, state);
    }
    return state;
  }

  push(event: CanonicalEvent, emit: Emit): void {
    switch (event.type) {
      case 'reasoning-delta': {
        const state = this.state(event.choice);
        state.pending += event.text;
        state.reasoning += event.text;
        return;
      }
      case 'reasoning-signature': {
        const state = this.state(event.choice);
        const text = state.pending;
        state.pending = '';
        if (this.options.blobs !== 'none') emit({ type: 'redacted-reasoning', choice: event.choice, data: this.options.seal({ type: 'reasoning', text, signature: event.signature }) });
        return;
      }
      case 'redacted-reasoning':
        this.endPart(event.choice, emit);
        if (this.options.blobs !== 'none') emit({ type: 'redacted-reasoning', choice: event.choice, data: this.options.seal({ type: 'redacted-reasoning', data: event.data }) });
        return;
      case 'text-delta':
        this.endPart(event.choice, emit);
        this.state(event.choice).answer += event.text;
        emit(event);
        return;
      case 'tool-call-delta': {
        this.endPart(event.choice, emit);
        const args = this.state(event.choice).toolArguments;
        args[event.index] = (args[event.index] ?? '') + event.argumentsDelta;
        emit(event);
        return;
      }
      case 'finish':
        this.endPart(event.choice, emit);
        this.check(event.choice);
        emit(event);
        return;
      default:
        emit(event);
    }
  }

  end(emit: Emit): void {
    for (const choice of [...this.choices.keys()].sort((a, b) => a - b)) {
      this.endPart(choice, emit);
      this.check(choice);
    }
    this.ended = true;
  }

  /** Resolves when every summary asked for has arrived or failed; null when none was asked for. */
  settled(): Promise<void> | null {
    return this.summaries.length === 0 ? null : Promise.all(this.summaries).then(() => undefined);
  }

  /**
   * The summary is written once a choice's reasoning ends (its first answer token, tool call or
   * finish) and emitted as that choice's reasoning when it arrives, while the answer streams on. The
   * relay waits for `settled()` before ending the answer, so one that arrives late still goes out.
   */
  private summarise(choice: number, emit: Emit): void {
    const state = this.choices.get(choice);
    const { summarise } = this.options;
    if (!summarise || !state || state.summarised || state.reasoning.trim() === '') return;
    state.summarised = true;
    this.summaries.push(
      summarise(state.reasoning).then(
        (summary) => {
          if (!this.ended && summary !== '') emit({ type: 'reasoning-delta', choice, text: summary });
        },
        (error: unknown) => this.options.onSummaryError?.(error),
      ),
    );
  }

  /** Unsigned reasoning ends where something else starts: sealed for Anthropic clients, else dropped. */
  private endPart(choice: number, emit: Emit): void {
    const state = this.choices.get(choice);
    if (!state) return;
    this.summarise(choice, emit);
    if (state.pending === '') return;
    const text = state.pending;
    state.pending = '';
    if (this.options.blobs === 'all') emit({ type: 'redacted-reasoning', choice, data: this.options.seal({ type: 'reasoning', text }) });
  }

  private check(choice: number): void {
    const state = this.choices.get(choice);
    if (!state || state.checked || state.reasoning === '') return;
    state.checked = true;
    const answers = [state.answer, ...state.toolArguments.filter((a) => a !== undefined)];
    if (copiesReasoning(state.reasoning, answers, this.options.copySpanWords)) this.options.flag('reasoning_copied');
  }
}

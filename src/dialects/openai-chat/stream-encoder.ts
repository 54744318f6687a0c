import type { CanonicalEvent, CanonicalRequest, Usage } from '../../canonical/index.ts';
import type { StreamEncoder } from '../types.ts';
import { encodeFinishReason, encodeUsage } from './encode-response.ts';

interface ChoiceState {
  started: boolean;
  /** Signed or encrypted reasoning blocks so far; re-sent whole each time one completes (see below). */
  details: Array<Record<string, unknown>>;
  pendingReasoning: string;
  /** Tool indexes whose first delta went out, and those whose id went out. */
  toolsStarted: Set<number>;
  toolIdsSent: Set<number>;
}

/**
 * Canonical events → `chat.completion.chunk` SSE events. The first chunk of a choice carries the
 * role; usage goes in a final chunk with no choices when the client asked for it; `[DONE]` ends it.
 * `reasoning_details` is sent whole (all blocks so far) because SDK stream helpers keep the last value
 * of fields they do not know rather than joining them.
 */
export class OpenAIChatStreamEncoder implements StreamEncoder {
  private readonly includeUsage: boolean;
  private id = '';
  private model = '';
  private created = 0;
  private readonly choices = new Map<number, ChoiceState>();
  private usage: Usage | null = null;

  constructor(request: CanonicalRequest) {
    this.includeUsage = request.includeUsage;
    this.model = request.model;
  }

  private chunk(choice: number, delta: Record<string, unknown>, finishReason: string | null = null): string {
    const state = this.state(choice);
    if (!state.started) {
      state.started = true;
      delta = { role: 'assistant', ...delta };
    }
    return this.frame({ choices: [{ index: choice, delta, logprobs: null, finish_reason: finishReason }] });
  }

  private frame(body: Record<string, unknown>): string {
    return `data: ${JSON.stringify({ id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, ...body })}\n\n`;
  }

  private state(choice: number): ChoiceState {
    let state = this.choices.get(choice);
    if (!state) {
      state = { started: false, details: [], pendingReasoning: '', toolsStarted: new Set(), toolIdsSent: new Set() };
      this.choices.set(choice, state);
    }
    return state;
  }

  push(event: CanonicalEvent): string {
    switch (event.type) {
      case 'start':
        this.id = event.id;
        this.model = event.model || this.model;
        this.created = event.created;
        return '';
      case 'text-delta':
        return this.chunk(event.choice, { content: event.text });
      case 'reasoning-delta':
        this.state(event.choice).pendingReasoning += event.text;
        return this.chunk(event.choice, { reasoning_content: event.text });
      case 'reasoning-signature': {
        const state = this.state(event.choice);
        state.details.push({ type: 'reasoning.text', text: state.pendingReasoning, signature: event.signature, index: state.details.length });
        state.pendingReasoning = '';
        return this.chunk(event.choice, { reasoning_details: [...state.details] });
      }
      case 'redacted-reasoning': {
        const state = this.state(event.choice);
        state.details.push({ type: 'reasoning.encrypted', data: event.data, index: state.details.length });
        return this.chunk(event.choice, { reasoning_details: [...state.details] });
      }
      case 'tool-call-delta': {
        // type goes out on a tool's first delta, id on the first delta that has it (OpenAI sends both
        // first; other upstreams may send the id later), name whenever the upstream sent one.
        const state = this.state(event.choice);
        const call: Record<string, unknown> = { index: event.index };
        const fn: Record<string, unknown> = { arguments: event.argumentsDelta };
        if (!state.toolsStarted.has(event.index)) {
          state.toolsStarted.add(event.index);
          call.type = 'function';
        }
        if (event.id && !state.toolIdsSent.has(event.index)) {
          state.toolIdsSent.add(event.index);
          call.id = event.id;
        }
        if (event.name) fn.name = event.name;
        call.function = fn;
        return this.chunk(event.choice, { tool_calls: [call] });
      }
      case 'finish':
        return this.chunk(event.choice, {}, encodeFinishReason(event.reason));
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'error':
        return '';
    }
  }

  end(): string {
    const usage = this.includeUsage && this.usage ? this.frame({ choices: [], usage: encodeUsage(this.usage) }) : '';
    return `${usage}data: [DONE]\n\n`;
  }
}

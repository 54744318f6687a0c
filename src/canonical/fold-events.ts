import type { CanonicalChoice, CanonicalEvent, CanonicalResponse, ToolCallPart } from './types.ts';

/**
 * Folds a stream of canonical events into the response they describe. A non-streamed response is
 * decoded by providers into these same events and folded here, so the two paths cannot drift.
 */
export class ResponseFolder {
  readonly response: CanonicalResponse = { id: '', model: '', created: 0, choices: [], usage: null, error: null };
  /** Tool-call parts by choice and tool index. */
  private readonly toolParts = new Map<string, ToolCallPart>();

  add(event: CanonicalEvent): void {
    switch (event.type) {
      case 'start':
        this.response.id = event.id;
        this.response.model = event.model;
        this.response.created = event.created;
        return;
      case 'text-delta': {
        const choice = this.choice(event.choice);
        choice.text += event.text;
        const last = choice.parts.at(-1);
        if (last?.type === 'text') last.text += event.text;
        else choice.parts.push({ type: 'text', text: event.text });
        return;
      }
      case 'reasoning-delta': {
        const choice = this.choice(event.choice);
        choice.reasoning += event.text;
        const last = choice.parts.at(-1);
        if (last?.type === 'reasoning' && last.signature === undefined) last.text += event.text;
        else choice.parts.push({ type: 'reasoning', text: event.text });
        return;
      }
      case 'reasoning-signature': {
        const choice = this.choice(event.choice);
        const last = choice.parts.at(-1);
        if (last?.type === 'reasoning' && last.signature === undefined) last.signature = event.signature;
        else choice.parts.push({ type: 'reasoning', text: '', signature: event.signature });
        return;
      }
      case 'redacted-reasoning':
        this.choice(event.choice).parts.push({ type: 'redacted-reasoning', data: event.data });
        return;
      case 'tool-call-delta': {
        const choice = this.choice(event.choice);
        const key = `${event.choice}:${event.index}`;
        let part = this.toolParts.get(key);
        if (!part) {
          part = { type: 'tool-call', id: '', name: '', arguments: '' };
          this.toolParts.set(key, part);
          choice.parts.push(part);
          choice.toolCalls[event.index] = { id: '', name: '', arguments: '' };
        }
        const call = choice.toolCalls[event.index]!;
        if (event.id) part.id = call.id = event.id;
        if (event.name) {
          part.name += event.name;
          call.name += event.name;
        }
        part.arguments += event.argumentsDelta;
        call.arguments += event.argumentsDelta;
        return;
      }
      case 'usage':
        this.response.usage = event.usage;
        return;
      case 'finish': {
        const choice = this.choice(event.choice);
        choice.finishReason = event.reason;
        choice.stopSequence = event.stopSequence ?? null;
        return;
      }
      case 'error':
        this.response.error = event.code === undefined ? { message: event.message } : { message: event.message, code: event.code };
        return;
    }
  }

  private choice(index: number): CanonicalChoice {
    return (this.response.choices[index] ??= {
      index,
      parts: [],
      text: '',
      reasoning: '',
      toolCalls: [],
      finishReason: null,
      stopSequence: null,
    });
  }
}

export function foldEvents(events: Iterable<CanonicalEvent>): CanonicalResponse {
  const folder = new ResponseFolder();
  for (const event of events) folder.add(event);
  return folder.response;
}

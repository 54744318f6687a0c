import type { CanonicalChoice, CanonicalEvent, CanonicalResponse } from './types.ts';

/**
 * Folds a stream of canonical events into the response they describe. A non-streamed response is
 * decoded by providers into these same events and folded here, so the two paths cannot drift.
 */
export class ResponseFolder {
  readonly response: CanonicalResponse = { id: '', model: '', created: 0, choices: [], usage: null, error: null };

  add(event: CanonicalEvent): void {
    switch (event.type) {
      case 'start':
        this.response.id = event.id;
        this.response.model = event.model;
        this.response.created = event.created;
        return;
      case 'text-delta':
        this.choice(event.choice).text += event.text;
        return;
      case 'reasoning-delta':
        this.choice(event.choice).reasoning += event.text;
        return;
      case 'tool-call-delta': {
        const calls = this.choice(event.choice).toolCalls;
        const call = (calls[event.index] ??= { id: '', name: '', arguments: '' });
        if (event.id) call.id = event.id;
        if (event.name) call.name += event.name;
        call.arguments += event.argumentsDelta;
        return;
      }
      case 'usage':
        this.response.usage = event.usage;
        return;
      case 'finish':
        this.choice(event.choice).finishReason = event.reason;
        return;
      case 'error':
        this.response.error = event.code === undefined ? { message: event.message } : { message: event.message, code: event.code };
        return;
    }
  }

  private choice(index: number): CanonicalChoice {
    return (this.response.choices[index] ??= { index, text: '', reasoning: '', toolCalls: [], finishReason: null });
  }
}

export function foldEvents(events: Iterable<CanonicalEvent>): CanonicalResponse {
  const folder = new ResponseFolder();
  for (const event of events) folder.add(event);
  return folder.response;
}

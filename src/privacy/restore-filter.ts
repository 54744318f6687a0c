import type { CanonicalEvent } from '../canonical/index.ts';
import type { EventFilter } from '../pipeline/event-filter.ts';
import type { PlaceholderMap } from './placeholders.ts';
import { StreamRestorer } from './restore.ts';

type Emit = (event: CanonicalEvent) => void;

interface Channel {
  choice: number;
  restorer: StreamRestorer;
  /** Rebuilds an event of this channel carrying `text`. */
  make: (text: string) => CanonicalEvent;
}

/**
 * Puts redacted values back into the upstream's answer: text, reasoning and tool-call arguments
 * (JSON-escaped there), each a channel with its own held-back tail. Before another event of the same
 * choice goes out (another part, its finish), that choice's other channels release what they hold, so
 * the order of the answer's parts is kept; choices streamed interleaved (`n` > 1) do not disturb each
 * other. Usage and errors release everything.
 */
export class RestoreFilter implements EventFilter {
  private readonly map: PlaceholderMap;
  private readonly channels = new Map<string, Channel>();

  constructor(map: PlaceholderMap) {
    this.map = map;
  }

  /** Releases what the channels of `choice` (every choice when null) hold, except `keep`. */
  private flushExcept(keep: string | null, choice: number | null, emit: Emit): void {
    for (const [key, channel] of this.channels) {
      if (key === keep || (choice !== null && channel.choice !== choice) || !channel.restorer.holding) continue;
      emit(channel.make(channel.restorer.flush()));
    }
  }

  private channel(key: string, choice: number, mode: 'text' | 'json', make: Channel['make']): Channel {
    let channel = this.channels.get(key);
    if (channel === undefined) {
      channel = { choice, restorer: new StreamRestorer(this.map, mode), make };
      this.channels.set(key, channel);
    }
    return channel;
  }

  push(event: CanonicalEvent, emit: Emit): void {
    switch (event.type) {
      case 'text-delta':
      case 'reasoning-delta': {
        const key = `${event.type}:${event.choice}`;
        this.flushExcept(key, event.choice, emit);
        const { choice, type } = event;
        const ch = this.channel(key, choice, 'text', (text) => ({ type, choice, text }));
        const text = ch.restorer.push(event.text);
        if (text !== '') emit({ ...event, text });
        return;
      }
      case 'tool-call-delta': {
        const key = `tool:${event.choice}:${event.index}`;
        this.flushExcept(key, event.choice, emit);
        const { choice, index } = event;
        const ch = this.channel(key, choice, 'json', (argumentsDelta) => ({ type: 'tool-call-delta', choice, index, argumentsDelta }));
        const argumentsDelta = ch.restorer.push(event.argumentsDelta);
        // The first delta names the call: it goes out even when all its arguments are held back.
        if (argumentsDelta !== '' || event.id !== undefined || event.name !== undefined) emit({ ...event, argumentsDelta });
        return;
      }
      case 'finish':
      case 'reasoning-signature':
      case 'redacted-reasoning':
        this.flushExcept(null, event.choice, emit);
        emit(event);
        return;
      default:
        this.flushExcept(null, null, emit);
        emit(event);
    }
  }

  end(emit: Emit): void {
    this.flushExcept(null, null, emit);
  }
}

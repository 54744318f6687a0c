import { PLACEHOLDER_PATTERN, type PlaceholderMap } from './placeholders.ts';

/** The tail of a stream that may be the start of a placeholder: `[`, `[EMA`, `[EMAIL_1`. */
const PARTIAL_TAIL = /\[(?:[A-Z]{0,8}|[A-Z]{2,8}_\d{0,6})$/;

export type RestoreMode = 'text' | 'json';

function replaceAll(text: string, map: PlaceholderMap, mode: RestoreMode): string {
  if (!text.includes('[')) return text;
  return text.replace(PLACEHOLDER_PATTERN, (placeholder) => {
    const value = map.valueOf(placeholder);
    if (value === undefined) return placeholder;
    // Inside tool-call arguments the placeholder sits in a JSON string: the value must be escaped.
    return mode === 'json' ? JSON.stringify(value).slice(1, -1) : value;
  });
}

/** Restores placeholders in a complete text. */
export function restoreText(text: string, map: PlaceholderMap, mode: RestoreMode = 'text'): string {
  return replaceAll(text, map, mode);
}

/**
 * Restores placeholders in text that arrives in pieces split anywhere: what might be the start of a
 * placeholder is held back until the next piece shows whether it is one.
 */
export class StreamRestorer {
  private held = '';
  private readonly map: PlaceholderMap;
  private readonly mode: RestoreMode;

  constructor(map: PlaceholderMap, mode: RestoreMode) {
    this.map = map;
    this.mode = mode;
  }

  /** Returns the text that can be released now. */
  push(piece: string): string {
    const text = this.held + piece;
    const open = text.lastIndexOf('[');
    if (open === -1) {
      this.held = '';
      return text;
    }
    const tail = text.slice(open);
    if (tail.length <= 16 && PARTIAL_TAIL.test(tail)) {
      this.held = tail;
      return replaceAll(text.slice(0, open), this.map, this.mode);
    }
    this.held = '';
    return replaceAll(text, this.map, this.mode);
  }

  /** Releases what is held: the stream ended, so it was not a placeholder. */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return rest;
  }

  get holding(): boolean {
    return this.held !== '';
  }
}

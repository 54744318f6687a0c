import { PLACEHOLDER_TAGS, type EntityType } from './entities.ts';

/** `[EMAIL_1]`: the tag of the type, then a number counted per type in order of first appearance. */
export const PLACEHOLDER_PATTERN = /\[([A-Z]{2,8})_(\d{1,6})\]/g;

/**
 * The values of one request and their placeholders. A value always gets the same placeholder, and
 * numbering follows the order values first appear in the messages, so a client that resends earlier
 * turns unchanged gets the same placeholders for them on every turn. Placeholders already present in
 * the client's own text are never handed out, so restoring cannot turn the client's text into a value.
 */
export class PlaceholderMap {
  private readonly byValue = new Map<string, string>();
  private readonly byPlaceholder = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  private readonly reserved = new Set<string>();

  /** Marks placeholder-looking text the client wrote itself. */
  reserveFrom(text: string): void {
    if (!text.includes('[')) return;
    for (const m of text.matchAll(PLACEHOLDER_PATTERN)) this.reserved.add(m[0]);
  }

  placeholderFor(type: EntityType, value: string): string {
    const known = this.byValue.get(value);
    if (known !== undefined) return known;
    const tag = PLACEHOLDER_TAGS[type];
    let n = this.counters.get(tag) ?? 0;
    let placeholder: string;
    do placeholder = `[${tag}_${++n}]`;
    while (this.reserved.has(placeholder));
    this.counters.set(tag, n);
    this.byValue.set(value, placeholder);
    this.byPlaceholder.set(placeholder, value);
    return placeholder;
  }

  valueOf(placeholder: string): string | undefined {
    return this.byPlaceholder.get(placeholder);
  }

  get size(): number {
    return this.byValue.size;
  }
}

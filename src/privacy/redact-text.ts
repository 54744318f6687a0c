import type { Finding } from './entities.ts';
import type { PlaceholderMap } from './placeholders.ts';

/** Replaces each finding (sorted, non-overlapping, as `detect` returns them) with its placeholder. */
export function redactText(text: string, findings: readonly Finding[], map: PlaceholderMap): string {
  if (findings.length === 0) return text;
  let out = '';
  let at = 0;
  for (const f of findings) {
    out += text.slice(at, f.start) + map.placeholderFor(f.type, text.slice(f.start, f.end));
    at = f.end;
  }
  return out + text.slice(at);
}

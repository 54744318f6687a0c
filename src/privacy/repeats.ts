import type { EntityType, Finding } from './entities.ts';

const WORD = /[\p{L}\p{N}_]/u;

/**
 * A value found once is found everywhere: "Dear Mr. Okonkwo … Okonkwo said" has a cue only the first
 * time. Adds every other whole-word occurrence in `text` of the `values` (value → type) that no
 * finding covers yet. Values shorter than 4 characters are left alone (too many accidental matches).
 */
export function addRepeats(text: string, findings: readonly Finding[], values: ReadonlyMap<string, EntityType>): Finding[] {
  let out: Finding[] | null = null;
  for (const [value, type] of values) {
    if (value.length < 4) continue;
    for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + value.length)) {
      const end = at + value.length;
      if ((at > 0 && WORD.test(text[at - 1]!)) || (end < text.length && WORD.test(text[end]!))) continue;
      const all: readonly Finding[] = out ?? findings;
      if (all.some((f) => f.start < end && at < f.end)) continue;
      out = [...all, { type, start: at, end }];
    }
  }
  return out === null ? [...findings] : out.sort((a, b) => a.start - b.start);
}

/** The values of `findings` in `text`, by value. */
export function valuesOf(text: string, findings: readonly Finding[], into = new Map<string, EntityType>()): Map<string, EntityType> {
  for (const f of findings) if (!into.has(text.slice(f.start, f.end))) into.set(text.slice(f.start, f.end), f.type);
  return into;
}

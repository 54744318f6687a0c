import { findTopLevelMembers, type JsonMember } from './json-members.ts';

/** Changes to a request body's top-level members, applied to its raw bytes. */
export interface BodyEdits {
  /** New values (any JSON value), keyed by member name; members that exist are replaced in place. */
  set?: Record<string, unknown>;
  /** Members to rename, old → new (the value's bytes are kept). */
  rename?: Record<string, string>;
  /** Members to remove. */
  remove?: readonly string[];
}

export function hasEdits(edits: BodyEdits): boolean {
  return Boolean(
    (edits.set && Object.keys(edits.set).length) || (edits.rename && Object.keys(edits.rename).length) || edits.remove?.length,
  );
}

/**
 * Applies `edits` and returns new bytes; every byte outside the edited members is kept. A `set` for a
 * member that does not exist appends it at the end of the object.
 */
export function editJsonBody(body: Buffer, edits: BodyEdits): Buffer {
  const members = findTopLevelMembers(body);
  const set = edits.set ?? {};
  const rename = new Map(Object.entries(edits.rename ?? {}));
  const remove = new Set(edits.remove ?? []);
  const pieces: Buffer[] = [];
  let copiedTo = 0;
  const written = new Set<string>();
  const kept: JsonMember[] = [];

  for (const [i, member] of members.entries()) {
    if (remove.has(member.key)) {
      // Drop the member and the comma that joins it to its neighbour.
      const next = members[i + 1];
      const prev = kept.at(-1);
      const cutFrom = next === undefined && prev !== undefined ? prev.valueEnd : member.start;
      const cutTo = next === undefined ? member.valueEnd : next.start;
      pieces.push(body.subarray(copiedTo, cutFrom));
      copiedTo = cutTo;
      continue;
    }
    kept.push(member);
    const newKey = rename.get(member.key);
    if (newKey !== undefined) {
      pieces.push(body.subarray(copiedTo, member.start), Buffer.from(JSON.stringify(newKey)));
      copiedTo = member.keyEnd;
    }
    if (Object.hasOwn(set, member.key)) {
      pieces.push(body.subarray(copiedTo, member.valueStart), Buffer.from(JSON.stringify(set[member.key])));
      copiedTo = member.valueEnd;
      written.add(member.key);
    }
  }

  const missing = Object.keys(set).filter((key) => !written.has(key));
  if (missing.length === 0) {
    pieces.push(body.subarray(copiedTo));
    return Buffer.concat(pieces);
  }
  const close = body.lastIndexOf(0x7d);
  const additions = missing.map((key) => `${JSON.stringify(key)}:${JSON.stringify(set[key])}`).join(',');
  pieces.push(body.subarray(copiedTo, close), Buffer.from(kept.length > 0 ? `,${additions}` : additions), body.subarray(close));
  return Buffer.concat(pieces);
}

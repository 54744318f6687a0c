import { findTopLevelMembers } from './json-members.ts';

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
 * Applies `edits` and returns new bytes. Kept members keep their bytes and the separator that followed
 * them; a `set` for a member that does not exist is appended at the end of the object.
 */
export function editJsonBody(body: Buffer, edits: BodyEdits): Buffer {
  const members = findTopLevelMembers(body);
  const set = new Map(Object.entries(edits.set ?? {}));
  const rename = new Map(Object.entries(edits.rename ?? {}));
  const remove = new Set(edits.remove ?? []);
  const close = body.lastIndexOf(0x7d);
  const objectEnd = members.length > 0 ? members.at(-1)!.valueEnd : close;
  const kept = members.filter((m) => !remove.has(m.key));

  const pieces: Buffer[] = [body.subarray(0, members.length > 0 ? members[0]!.start : close)];
  kept.forEach((member, i) => {
    const newKey = rename.get(member.key);
    pieces.push(newKey === undefined ? body.subarray(member.start, member.keyEnd) : Buffer.from(JSON.stringify(newKey)));
    if (set.has(member.key)) {
      pieces.push(body.subarray(member.keyEnd, member.valueStart), Buffer.from(JSON.stringify(set.get(member.key))));
      set.delete(member.key);
    } else {
      pieces.push(body.subarray(member.keyEnd, member.valueEnd));
    }
    if (i < kept.length - 1) {
      // The separator that followed this member in the original (it holds a comma).
      const next = members[members.indexOf(member) + 1]!;
      pieces.push(body.subarray(member.valueEnd, next.start));
    }
  });
  if (set.size > 0) {
    const additions = [...set].map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',');
    pieces.push(Buffer.from(kept.length > 0 ? `,${additions}` : additions));
  }
  pieces.push(body.subarray(objectEnd));
  return Buffer.concat(pieces);
}

/** A field path in `messages[0].content` form: what OpenAI uses for `param`, and config messages use too. */
export function formatParam(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out;
}

import type { z } from 'zod';
import { MoatError } from '../../errors/index.ts';

type Issue = z.core.$ZodIssue;

interface Located {
  issue: Issue;
  path: PropertyKey[];
}

/**
 * A branch of a union that failed on its discriminator (`type`) or on the value's own type is not the
 * branch the client meant; the others say what is actually wrong.
 */
function isWrongBranch(first: Issue): boolean {
  if (first.path.length === 0) return first.code === 'invalid_type';
  return first.path.length === 1 && first.path[0] === 'type';
}

/** The issue to report and its full path: inside a union, the deepest failure of a plausible branch. */
function locate(issue: Issue, prefix: readonly PropertyKey[]): Located {
  const path = [...prefix, ...issue.path];
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return { issue, path };
  let best: Located | null = null;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (!first || isWrongBranch(first)) continue;
    const candidate = locate(first, path);
    if (!best || candidate.path.length > best.path.length) best = candidate;
  }
  if (best) return best;
  // Every branch failed on `type`: the block's type is missing or unknown, so that is the field to name.
  const onType = issue.errors.map((branch) => branch[0]).filter((first): first is Issue => first?.path.length === 1 && first.path[0] === 'type');
  const typeIssue = onType.find((first) => first.code === 'invalid_type') ?? onType[0];
  return typeIssue ? locate(typeIssue, path) : { issue, path };
}

/** Words in the style of Anthropic's own validation messages ("max_tokens: Field required"). */
function describe(issue: Issue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'Field required';
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const firsts = issue.errors.map((branch) => branch[0]);
    if (firsts.every((first) => first?.code === 'invalid_type' && first.input === undefined)) return 'Field required';
    const expected = firsts.flatMap((first) => (first?.code === 'invalid_type' ? [first.expected] : []));
    if (expected.length === issue.errors.length) return `Input should be one of: ${expected.join(', ')}`;
  }
  return issue.message;
}

/**
 * `messages.0.content.1.source` — the dotted form Anthropic uses for the field an error is about.
 * https://docs.anthropic.com/en/api/errors (e.g. "messages.0.content: Field required").
 */
export function formatAnthropicParam(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** A failed parse → `invalid_request` naming the first offending field. Parse with `reportInput: true`. */
export function toInvalidRequest(error: z.ZodError): MoatError {
  const { issue, path } = locate(error.issues[0]!, []);
  const param = formatAnthropicParam(path);
  const detail = describe(issue);
  return new MoatError('invalid_request', param ? `${param}: ${detail}` : detail, { param: param || null });
}

/**
 * A request's routing tags: the `x-moat-tags` header and the body's `metadata.tags` (OpenAI's
 * `metadata` holds strings, so tags are comma-separated there too). Tags only steer route rules.
 */
export function requestTags(header: string | string[] | undefined, wire: Record<string, unknown>): Set<string> {
  const tags = new Set<string>();
  const add = (list: string): void => {
    for (const tag of list.split(',')) {
      const trimmed = tag.trim();
      if (trimmed !== '') tags.add(trimmed);
    }
  };
  if (typeof header === 'string') add(header);
  else if (Array.isArray(header)) header.forEach(add);
  const metadata = wire.metadata;
  if (typeof metadata === 'object' && metadata !== null) {
    const fromBody = (metadata as Record<string, unknown>).tags;
    if (typeof fromBody === 'string') add(fromBody);
  }
  return tags;
}

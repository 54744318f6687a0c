import type { CanonicalRequest } from '../canonical/index.ts';
import type { Capability } from '../config/index.ts';

/**
 * The capabilities a request needs from its target: tools (definitions, calls or results), images, and
 * reasoning when the client set an effort or budget. Reasoning parts in the history do not count: a
 * model without reasoning can be sent the conversation without them.
 */
export function requiredCapabilities(request: CanonicalRequest): Set<Capability> {
  const needs = new Set<Capability>();
  const { options } = request;
  if ((options.tools?.length ?? 0) > 0) needs.add('tools');
  const reasoning = options.reasoning;
  if (reasoning && reasoning.enabled !== false && (reasoning.effort !== undefined || reasoning.budgetTokens !== undefined)) needs.add('reasoning');
  for (const message of request.messages) {
    for (const part of message.parts) {
      if (part.type === 'image') needs.add('vision');
      else if (part.type === 'tool-call') needs.add('tools');
      else if (part.type === 'tool-result') {
        needs.add('tools');
        if (part.content.some((inner) => inner.type === 'image')) needs.add('vision');
      }
    }
  }
  return needs;
}

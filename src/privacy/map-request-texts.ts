import type { CanonicalMessage, CanonicalRequest, ContentPart, TextPart, ImagePart } from '../canonical/index.ts';

/** `text`: prose; `json`: a string value inside tool-call arguments. */
export type TextVisitor = (text: string) => string;

function mapJsonStrings(value: unknown, visit: TextVisitor): unknown {
  if (typeof value === 'string') return visit(value);
  if (Array.isArray(value)) return value.map((v) => mapJsonStrings(v, visit));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapJsonStrings(v, visit);
    return out;
  }
  return value;
}

/** Tool-call arguments are JSON text: values are visited decoded, so escapes do not hide them. */
function mapArguments(args: string, visit: TextVisitor): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    return visit(args);
  }
  const mapped = mapJsonStrings(parsed, visit);
  return JSON.stringify(mapped) === JSON.stringify(parsed) ? args : JSON.stringify(mapped);
}

function mapPart(part: ContentPart, visit: TextVisitor): ContentPart {
  switch (part.type) {
    case 'text':
    case 'reasoning': {
      const text = visit(part.text);
      return text === part.text ? part : { ...part, text };
    }
    case 'tool-call': {
      const args = mapArguments(part.arguments, visit);
      return args === part.arguments ? part : { ...part, arguments: args };
    }
    case 'tool-result': {
      const content = part.content.map((p) => mapPart(p, visit) as TextPart | ImagePart);
      return content.every((p, i) => p === part.content[i]) ? part : { ...part, content };
    }
    default:
      return part;
  }
}

/**
 * Calls `visit` on every text the upstream would see — system, user, assistant and tool messages,
 * reasoning, tool-call arguments, tool results, the end-user id — in message order, and returns the
 * messages and `user` with the visitor's replacements (unchanged objects where nothing changed).
 */
export function mapRequestTexts(request: CanonicalRequest, visit: TextVisitor): { messages: CanonicalMessage[]; user: string | undefined } {
  const messages = request.messages.map((message) => {
    const parts = message.parts.map((p) => mapPart(p, visit));
    return parts.every((p, i) => p === message.parts[i]) ? message : { ...message, parts };
  });
  const user = request.options.user === undefined ? undefined : visit(request.options.user);
  return { messages, user };
}

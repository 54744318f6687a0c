import { MoatError } from '../errors/index.ts';

/** A request body that must be a JSON object, for every API Moat serves (client dialects and /admin). */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new MoatError('invalid_json', `The body is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new MoatError('invalid_json', 'The body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

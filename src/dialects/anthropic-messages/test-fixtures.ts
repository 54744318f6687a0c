import { readdirSync, readFileSync } from 'node:fs';
import type { CanonicalEvent, CanonicalRequest } from '../../canonical/index.ts';
import { anthropicMessageToEvents } from '../../providers/anthropic/decode-response.ts';
import { decodeMessagesRequest, validateMessagesRequest } from './decode-request.ts';

/** Test support: the recorded Anthropic exchanges this dialect must reproduce. */
const fixtures = new URL('../../providers/anthropic/__fixtures__/', import.meta.url);

export const fixtureText = (file: string): string => readFileSync(new URL(file, fixtures), 'utf8');

/** `messages-text`, `messages-thinking-tools.followup`…: every case with a request and a response. */
export const responseCases: string[] = readdirSync(fixtures)
  .filter((f) => f.startsWith('messages-') && f.endsWith('.response.json'))
  .map((f) => f.replace(/\.response\.json$/, ''))
  .sort();

export type WireMessage = Record<string, unknown> & { usage: Record<string, unknown>; content: Array<Record<string, unknown>> };

export const recordedMessage = (name: string): WireMessage => JSON.parse(fixtureText(`${name}.response.json`)) as WireMessage;

export const recordedRequest = (name: string): CanonicalRequest =>
  decodeMessagesRequest(validateMessagesRequest(JSON.parse(fixtureText(`${name}.request.json`))));

/** The recorded response as canonical events, through the Anthropic provider's own decoder. */
export const recordedEvents = (name: string): CanonicalEvent[] => anthropicMessageToEvents(recordedMessage(name));

/**
 * The recorded message as Moat can reproduce it: usage fields that canonical usage does not carry
 * (the per-TTL cache split, service tier, geography, speed, server tool counts) are left out.
 */
export function reproducibleMessage(message: WireMessage): WireMessage {
  const { input_tokens, cache_creation_input_tokens, cache_read_input_tokens, output_tokens, output_tokens_details } = message.usage;
  return { ...message, usage: { input_tokens, cache_creation_input_tokens, cache_read_input_tokens, output_tokens, output_tokens_details } };
}

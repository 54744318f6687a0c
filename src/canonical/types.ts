/**
 * Moat's own vocabulary for requests and responses, independent of any wire format.
 * Dialects decode client bodies into it; providers turn upstream bodies and streams into its events.
 */

export type Role = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image'; url: string; detail?: string }
  | { type: 'tool-call'; id: string; name: string; arguments: string }
  | { type: 'tool-result'; toolCallId: string; content: string }
  | { type: 'reasoning'; text: string; signature?: string; redactedData?: string }
  /** A part Moat does not model (audio, files…): kept so scans and counts can see it exists. */
  | { type: 'other'; kind: string };

export interface CanonicalMessage {
  role: Role;
  parts: ContentPart[];
  name?: string;
}

export interface CanonicalOptions {
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
  n?: number;
  reasoningEffort?: string;
  toolNames?: string[];
}

export interface CanonicalRequest {
  model: string;
  stream: boolean;
  /** Streaming clients that asked for the final usage chunk (`stream_options.include_usage`). */
  includeUsage: boolean;
  messages: CanonicalMessage[];
  options: CanonicalOptions;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'other';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Part of outputTokens. */
  reasoningTokens: number;
  /** Part of inputTokens. */
  cachedInputTokens: number;
}

export type CanonicalEvent =
  | { type: 'start'; id: string; model: string; created: number }
  | { type: 'text-delta'; choice: number; text: string }
  | { type: 'reasoning-delta'; choice: number; text: string }
  | { type: 'tool-call-delta'; choice: number; index: number; id?: string; name?: string; argumentsDelta: string }
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; choice: number; reason: FinishReason }
  | { type: 'error'; message: string; code?: string };

export interface CanonicalToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface CanonicalChoice {
  index: number;
  text: string;
  reasoning: string;
  toolCalls: CanonicalToolCall[];
  finishReason: FinishReason | null;
}

export interface CanonicalResponse {
  id: string;
  model: string;
  created: number;
  choices: CanonicalChoice[];
  usage: Usage | null;
  error: { message: string; code?: string } | null;
}

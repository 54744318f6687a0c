/**
 * Moat's own vocabulary for requests and responses, independent of any wire format.
 * Dialects decode client bodies into it and encode its responses and events back; providers encode it
 * into upstream requests and decode upstream bodies and streams into its events.
 */

export type Role = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

/** Anthropic's prompt-cache marker; kept so an Anthropic upstream can receive it. */
export interface CacheControl {
  type: 'ephemeral';
  ttl?: string;
}

export type ImageSource = { kind: 'url'; url: string } | { kind: 'base64'; mediaType: string; data: string };

export interface TextPart {
  type: 'text';
  text: string;
  cacheControl?: CacheControl;
}

export interface ImagePart {
  type: 'image';
  source: ImageSource;
  /** OpenAI's `detail` (`low`, `high`, `auto`). */
  detail?: string;
  cacheControl?: CacheControl;
}

export interface ToolCallPart {
  type: 'tool-call';
  id: string;
  name: string;
  /** The arguments as JSON text, as OpenAI carries them (Anthropic's `input` object is serialised). */
  arguments: string;
  cacheControl?: CacheControl;
}

export interface ToolResultPart {
  type: 'tool-result';
  toolCallId: string;
  content: Array<TextPart | ImagePart>;
  isError?: boolean;
  cacheControl?: CacheControl;
}

/** Reasoning text; `signature` is the upstream's proof it is unaltered (Anthropic), needed to send it back. */
export interface ReasoningPart {
  type: 'reasoning';
  text: string;
  signature?: string;
}

/** Reasoning the upstream returned only encrypted (Anthropic `redacted_thinking`). */
export interface RedactedReasoningPart {
  type: 'redacted-reasoning';
  data: string;
}

/** A part Moat does not model (audio, files…): kept so scans and counts can see it exists. */
export interface OtherPart {
  type: 'other';
  kind: string;
}

export type ContentPart = TextPart | ImagePart | ToolCallPart | ToolResultPart | ReasoningPart | RedactedReasoningPart | OtherPart;

export interface CanonicalMessage {
  role: Role;
  parts: ContentPart[];
  name?: string;
}

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters?: Record<string, unknown>;
  cacheControl?: CacheControl;
}

export type ToolChoice = { type: 'auto' } | { type: 'none' } | { type: 'required' } | { type: 'tool'; name: string };

export interface ReasoningOptions {
  /** OpenAI's `reasoning_effort` (`minimal`, `low`, `medium`, `high`…). */
  effort?: string;
  /** Anthropic's `thinking.budget_tokens`. */
  budgetTokens?: number;
  /** false when the client turned reasoning off explicitly. */
  enabled?: boolean;
}

export interface CanonicalOptions {
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  n?: number;
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  reasoning?: ReasoningOptions;
  /** An end-user id for abuse tracking (OpenAI `user`, Anthropic `metadata.user_id`). */
  user?: string;
  responseFormat?: { type: 'text' } | { type: 'json_object' } | { type: 'json_schema'; name?: string; schema?: Record<string, unknown>; strict?: boolean };
}

export interface CanonicalRequest {
  model: string;
  stream: boolean;
  /** Streaming clients that asked for the final usage chunk (`stream_options.include_usage`). */
  includeUsage: boolean;
  messages: CanonicalMessage[];
  options: CanonicalOptions;
  /**
   * Fields sent as they are to an OpenAI-shaped upstream, besides what the options encode: engine
   * extras the reasoning veil vetted (docs/veil.md). Other upstreams drop them with a warning.
   */
  upstreamExtras?: Record<string, unknown>;
  /** vLLM `cache_salt`: keeps this tenant's prompt cache apart (sent to providers with `cacheSalt: true`). */
  cacheSalt?: string;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'other';

export interface Usage {
  /** All input tokens, cached ones included. */
  inputTokens: number;
  /** All output tokens, reasoning included. */
  outputTokens: number;
  /** Part of outputTokens. */
  reasoningTokens: number;
  /** Part of inputTokens: read from the prompt cache. */
  cachedInputTokens: number;
  /** Part of inputTokens: written to the prompt cache (Anthropic). */
  cacheWriteTokens: number;
}

export type CanonicalEvent =
  | { type: 'start'; id: string; model: string; created: number }
  | { type: 'text-delta'; choice: number; text: string }
  | { type: 'reasoning-delta'; choice: number; text: string }
  /** Ends the current reasoning part. */
  | { type: 'reasoning-signature'; choice: number; signature: string }
  | { type: 'redacted-reasoning'; choice: number; data: string }
  | { type: 'tool-call-delta'; choice: number; index: number; id?: string; name?: string; argumentsDelta: string }
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; choice: number; reason: FinishReason; stopSequence?: string }
  | { type: 'error'; message: string; code?: string };

export interface CanonicalToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface CanonicalChoice {
  index: number;
  /** The answer in order: reasoning, redacted reasoning, text and tool-call parts as they came. */
  parts: Array<TextPart | ReasoningPart | RedactedReasoningPart | ToolCallPart>;
  /** All text parts joined. */
  text: string;
  /** All reasoning text joined. */
  reasoning: string;
  toolCalls: CanonicalToolCall[];
  finishReason: FinishReason | null;
  stopSequence: string | null;
}

export interface CanonicalResponse {
  id: string;
  model: string;
  created: number;
  choices: CanonicalChoice[];
  usage: Usage | null;
  error: { message: string; code?: string } | null;
}

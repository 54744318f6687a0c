import type { CanonicalEvent } from '../../canonical/index.ts';
import type { Env, ProviderConfig, TimeoutsConfig } from '../../config/index.ts';
import { createOpenAIChatWire, createOpenAIWireProvider, ChatStreamDecoder } from '../openai/index.ts';
import { withReasoningUsage } from '../count-reasoning-usage.ts';
import type { ChatWire, Provider } from '../types.ts';
import { splitThinkTagEvents } from './think-tags-events.ts';

/**
 * vLLM, Ollama's `/v1`, llama.cpp server, DeepSeek, Groq, Together…: configured, not coded. They share
 * OpenAI's wire format; what differs between them is set in config (base URL, optional key, headers,
 * `unsupportedParams`, and per model where the reasoning text comes: fields or `<think>` tags).
 */
function withThinkTags(wire: ChatWire): ChatWire {
  return {
    ...wire,
    decodeResponse(body, model) {
      const events = wire.decodeResponse(body, model);
      if (model.reasoningFormat === 'fields') return events;
      const out: CanonicalEvent[] = [];
      const split = splitThinkTagEvents(model.reasoningFormat, (event) => out.push(event));
      for (const event of events) split.push(event);
      split.end();
      return out;
    },
    createStreamDecoder(emit, model) {
      if (model.reasoningFormat === 'fields') return new ChatStreamDecoder(emit);
      const split = splitThinkTagEvents(model.reasoningFormat, emit);
      const decoder = new ChatStreamDecoder((event) => split.push(event));
      return {
        feed: (bytes) => decoder.feed(bytes),
        end: () => {
          decoder.end();
          split.end();
        },
      };
    },
  };
}

/** vLLM's per-request prompt-cache salt, for servers configured with `cacheSalt: true` (docs/veil.md). */
function withCacheSalt(wire: ChatWire): ChatWire {
  return {
    ...wire,
    encodeRequest(request, upstreamModel, model, warnings) {
      const salted = request.cacheSalt === undefined ? request : { ...request, upstreamExtras: { ...request.upstreamExtras, cache_salt: request.cacheSalt } };
      return wire.encodeRequest(salted, upstreamModel, model, warnings);
    },
  };
}

export function createOpenAICompatibleProvider(name: string, config: ProviderConfig, defaults: TimeoutsConfig, env: Env): Provider {
  const wire = withReasoningUsage(withThinkTags(createOpenAIChatWire({ maxTokensField: 'max_tokens', acceptsTopK: true })));
  const chat = config.type === 'openai-compatible' && config.cacheSalt ? withCacheSalt(wire) : wire;
  return createOpenAIWireProvider({ name, config, defaults, env, requireApiKey: false, type: 'openai-compatible', chat });
}

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { foldEvents } from '../canonical/index.ts';
import { anthropicMessageToEvents } from '../providers/anthropic/index.ts';
import { chatCompletionToEvents } from '../providers/openai/index.ts';
import { countOutputTokens } from './count-output-tokens.ts';
import { loadTokenCounter, type CountTokens } from './token-counter.ts';

const fixture = (provider: string, name: string): unknown => JSON.parse(readFileSync(new URL(`../providers/${provider}/__fixtures__/${name}`, import.meta.url), 'utf8'));
let o200k: CountTokens;
beforeAll(async () => {
  o200k = await loadTokenCounter();
});

// Counts are o200k_base's; the fixtures' own usage (hand-written) is beside each for scale.
describe('countOutputTokens', () => {
  it('text (chat-text: 24; the upstream said 23)', () => {
    const response = foldEvents(chatCompletionToEvents(fixture('openai', 'chat-text.response.json')));
    expect(countOutputTokens(response, o200k)).toEqual({ outputTokens: 24, reasoningTokens: 0 });
  });

  it('tool-call names and arguments (chat-parallel-tools: 24)', () => {
    const response = foldEvents(chatCompletionToEvents(fixture('openai', 'chat-parallel-tools.response.json')));
    expect(countOutputTokens(response, o200k)).toEqual({ outputTokens: 24, reasoningTokens: 0 });
  });

  it('reasoning text counts as output and as reasoning (deepseek-reasoning: 11 + 24)', () => {
    const response = foldEvents(chatCompletionToEvents(fixture('openai-compatible', 'deepseek-reasoning.response.json')));
    expect(countOutputTokens(response, o200k)).toEqual({ outputTokens: 35, reasoningTokens: 24 });
  });

  it('Anthropic thinking, text and tool use (messages-thinking-tools: 44 thinking + 14 tool)', () => {
    const response = foldEvents(anthropicMessageToEvents(fixture('anthropic', 'messages-thinking-tools.response.json')));
    expect(countOutputTokens(response, o200k)).toEqual({ outputTokens: 58, reasoningTokens: 44 });
  });

  it('nothing generated, nothing counted', () => {
    expect(countOutputTokens(foldEvents([]), o200k)).toEqual({ outputTokens: 0, reasoningTokens: 0 });
  });
});

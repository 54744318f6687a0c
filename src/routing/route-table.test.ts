import { describe, expect, it } from 'vitest';
import type { ModelConfig, RouteConfig } from '../config/index.ts';
import { ModelTable } from './model-table.ts';
import { RouteTable, type RouteContext } from './route-table.ts';

const model = (name: string, provider: string, extra: Partial<ModelConfig> = {}): ModelConfig => ({
  name, provider, reasoning: false, reasoningFormat: 'fields', unsupportedParams: [], tier: 'premium', weight: 1, ...extra,
});
const route = (extra: Partial<RouteConfig> & { name: string; targets: string[] }): RouteConfig => ({ aliases: [], strategy: 'fallback', rules: [], ...extra });

const context = (extra: Partial<RouteContext> = {}): RouteContext => ({
  tenantId: 't1', keyTier: 'standard', keyMetadata: null, tags: new Set(), needs: new Set(), promptTokens: () => 10, ...extra,
});

const models = new ModelTable([model('gpt-4o', 'openai'), model('claude', 'anthropic', { model: 'claude-sonnet-4' }), model('llama', 'vllm', { tier: 'local' }), model('ollama/*', 'ollama')]);

describe('RouteTable', () => {
  const table = new RouteTable(
    [
      route({
        name: 'smart',
        aliases: ['best'],
        targets: ['gpt-4o', 'claude'],
        rules: [
          { when: { tenant: 'acme' }, targets: ['claude'] },
          { when: { tag: 'batch', keyMetadata: { team: 'data' } }, targets: ['llama'] },
          { when: { minPromptTokens: 1000 }, targets: ['claude', 'gpt-4o'] },
        ],
      }),
    ],
    models,
  );
  const names = (ctx: RouteContext, name = 'smart') => table.resolve(name, ctx)?.targets.map((t) => `${t.entry.provider}/${t.upstreamModel}`);

  it("resolves a route and its aliases to the route's targets, in order", () => {
    expect(names(context())).toEqual(['openai/gpt-4o', 'anthropic/claude-sonnet-4']);
    expect(table.resolve('best', context())?.name).toBe('smart');
  });

  it('takes the first rule that matches, with every condition of a rule required', () => {
    expect(names(context({ tenantId: 'acme' }))).toEqual(['anthropic/claude-sonnet-4']);
    expect(table.resolve('smart', context({ tenantId: 'acme' }))?.rule).toBe(0);
    expect(names(context({ tags: new Set(['batch']) }))).toEqual(['openai/gpt-4o', 'anthropic/claude-sonnet-4']);
    expect(names(context({ tags: new Set(['batch']), keyMetadata: { team: 'data' } }))).toEqual(['vllm/llama']);
    expect(names(context({ promptTokens: () => 1000 }))).toEqual(['anthropic/claude-sonnet-4', 'openai/gpt-4o']);
  });

  it('counts the prompt only when a rule needs it', () => {
    let counted = 0;
    table.resolve('smart', context({ tenantId: 'acme', promptTokens: () => ++counted }));
    expect(counted).toBe(0);
  });

  it('treats any other name as a route of one model, patterns included', () => {
    expect(names(context(), 'llama')).toEqual(['vllm/llama']);
    expect(names(context(), 'ollama/qwen3:8b')).toEqual(['ollama/qwen3:8b']);
    expect(table.resolve('nope', context())).toBeUndefined();
  });
});

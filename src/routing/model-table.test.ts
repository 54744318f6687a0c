import { describe, expect, it } from 'vitest';
import type { ModelConfig } from '../config/index.ts';
import { ModelTable } from './model-table.ts';

const model = (name: string, provider: string, upstream?: string): ModelConfig => ({
  name,
  provider,
  ...(upstream === undefined ? {} : { model: upstream }),
  reasoning: false,
  reasoningFormat: 'fields',
  unsupportedParams: [],
  tier: 'premium',
  weight: 1,
});

/** The provider and upstream model a name resolves to, or undefined. */
function route(table: ModelTable, name: string): [string, string] | undefined {
  const resolved = table.resolve(name);
  return resolved && [resolved.entry.provider, resolved.upstreamModel];
}

describe('ModelTable', () => {
  it('prefers an exact name over a pattern that also matches, whatever the order', () => {
    const table = new ModelTable([model('gpt-*', 'openai', 'gpt-*'), model('gpt-4o', 'azure', 'my-gpt4o-deployment')]);
    expect(route(table, 'gpt-4o')).toEqual(['azure', 'my-gpt4o-deployment']);
    expect(route(table, 'gpt-4o-mini')).toEqual(['openai', 'gpt-4o-mini']);
  });

  it('sends an exact name without `model` under its own name', () => {
    expect(route(new ModelTable([model('llama3', 'local')]), 'llama3')).toEqual(['local', 'llama3']);
  });

  it('prefers the pattern with more literal characters, in either order', () => {
    const general = model('openai/*', 'openai');
    const specific = model('openai/gpt-4o*', 'fast', 'gpt-4o*');
    for (const table of [new ModelTable([general, specific]), new ModelTable([specific, general])]) {
      expect(route(table, 'openai/gpt-4o-mini')).toEqual(['fast', 'gpt-4o-mini']);
      expect(route(table, 'openai/o3')).toEqual(['openai', 'o3']);
    }
    // A suffix counts as literal characters too.
    const suffixed = new ModelTable([model('*', 'any'), model('*-latest', 'latest', 'stable-*')]);
    expect(route(suffixed, 'claude-latest')).toEqual(['latest', 'stable-claude']);
    expect(route(suffixed, 'claude')).toEqual(['any', 'claude']);
  });

  it('breaks ties between equally specific patterns by file order', () => {
    const table = new ModelTable([model('a/*', 'first'), model('*/b', 'second')]);
    expect(route(table, 'a/b')).toEqual(['first', 'b']);
  });

  it('substitutes the capture for `*` in `model`', () => {
    const table = new ModelTable([model('fast-*', 'groq', 'llama-*-instant')]);
    expect(route(table, 'fast-3.1-8b')).toEqual(['groq', 'llama-3.1-8b-instant']);
  });

  it('forwards the capture when a pattern has no `model`', () => {
    const table = new ModelTable([model('ollama/*', 'ollama')]);
    expect(route(table, 'ollama/qwen2.5:7b')).toEqual(['ollama', 'qwen2.5:7b']);
    // An empty capture would send an empty model name, so the pattern does not match.
    expect(route(table, 'ollama/')).toBeUndefined();
  });

  it('returns undefined when nothing matches', () => {
    const table = new ModelTable([model('gpt-4o', 'openai'), model('ollama/*', 'ollama')]);
    expect(table.resolve('gpt-4')).toBeUndefined();
    expect(table.resolve('ollama')).toBeUndefined();
    expect(table.resolve('')).toBeUndefined();
    expect(new ModelTable([]).resolve('gpt-4o')).toBeUndefined();
  });

  it('resolves `o1*` with model `o1*` for the bare name and its variants', () => {
    const table = new ModelTable([model('o1*', 'openai', 'o1*')]);
    expect(route(table, 'o1')).toEqual(['openai', 'o1']);
    expect(route(table, 'o1-mini')).toEqual(['openai', 'o1-mini']);
    expect(route(table, 'o3')).toBeUndefined();
  });

  it('lists only the exact names', () => {
    const table = new ModelTable([model('gpt-*', 'openai'), model('fast', 'groq'), model('slow', 'local')]);
    expect(table.exactNames().map((m) => m.name)).toEqual(['fast', 'slow']);
  });

  // Regression: String#replace once read `$&`, `$'` and `$$` in the client's model name as patterns.
  it('substitutes a capture holding `$` patterns literally', () => {
    const table = new ModelTable([model('gpt-*', 'openai', 'gpt-*')]);
    expect(route(table, 'gpt-$&')).toEqual(['openai', 'gpt-$&']);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText } from './load-config.ts';

function problems(yaml: string): string[] {
  try {
    parseConfigText(yaml, 'test', {});
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('providers.<name>.credential', () => {
  it('replaces the default apiKeyEnv of openai and anthropic, which stays when no credential is named', () => {
    const { providers } = parseConfigText(
      `
providers:
  o: { type: openai, credential: openai-prod }
  a: { type: anthropic, credential: anthropic.prod_1 }
  c: { type: openai-compatible, baseUrl: "http://127.0.0.1:1/v1", credential: deepseek }
  plain: { type: openai }
  plain-a: { type: anthropic }
`,
      'test',
      {},
    );
    expect(providers.o).toMatchObject({ credential: 'openai-prod' });
    expect(providers.o!.apiKeyEnv).toBeUndefined();
    expect(providers.a).toMatchObject({ credential: 'anthropic.prod_1', baseUrl: 'https://api.anthropic.com/v1' });
    expect(providers.a!.apiKeyEnv).toBeUndefined();
    expect(providers.c).toMatchObject({ credential: 'deepseek' });
    expect(providers.plain).toMatchObject({ apiKeyEnv: 'OPENAI_API_KEY' });
    expect(providers.plain!.credential).toBeUndefined();
    expect(providers['plain-a']).toMatchObject({ apiKeyEnv: 'ANTHROPIC_API_KEY' });
  });

  it('refuses both apiKeyEnv and credential, for every type', () => {
    expect(
      problems(`
providers:
  o: { type: openai, apiKeyEnv: OPENAI_API_KEY, credential: x }
  a: { type: anthropic, apiKeyEnv: K, credential: x }
  c: { type: openai-compatible, baseUrl: "http://127.0.0.1:1/v1", apiKeyEnv: K, credential: x }
`),
    ).toEqual([
      'providers.o.credential: give either `apiKeyEnv` or `credential`, not both',
      'providers.a.credential: give either `apiKeyEnv` or `credential`, not both',
      'providers.c.credential: give either `apiKeyEnv` or `credential`, not both',
    ]);
  });

  it('takes a name, not a key', () => {
    expect(problems('providers: { o: { type: openai, credential: "sk-abc def" } }')).toEqual([expect.stringMatching(/^providers\.o\.credential: must be the NAME of a stored credential/)]);
  });
});

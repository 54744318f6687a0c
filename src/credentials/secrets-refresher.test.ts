import { describe, expect, it, vi } from 'vitest';
import { ConfigError, parseConfigText, type MoatConfig } from '../config/index.ts';
import type { ProviderSecrets } from './load-provider-secrets.ts';
import { SecretsRefresher } from './secrets-refresher.ts';

const configA = parseConfigText('providers: { a: { type: openai, credential: ka } }', 'a', {});
const configB = parseConfigText('providers: { b: { type: openai, credential: kb } }', 'b', {});

/** A refresher over an in-memory table of stored values, recording what it applies. */
function setup() {
  const stored = new Map<string, string>([['ka', 'v1'], ['kb', 'w1']]);
  let current: MoatConfig = configA;
  const applied: Array<{ config: MoatConfig; secrets: ProviderSecrets }> = [];
  const onError = vi.fn();
  const onChange = vi.fn();
  const load = async (config: MoatConfig): Promise<ProviderSecrets> => {
    const names = Object.values(config.providers).map((p) => p.credential!);
    const missing = names.filter((n) => !stored.has(n));
    if (missing.length > 0) throw new ConfigError('provider credentials', missing.map((n) => `no credential named '${n}'`));
    return new Map(names.map((n) => [n, stored.get(n)!]));
  };
  const refresher = new SecretsRefresher({
    load,
    current: () => current,
    apply: (config, secrets) => {
      current = config;
      applied.push({ config, secrets });
    },
    initial: new Map([['ka', 'v1']]),
    onError,
    onChange,
  });
  return { stored, applied, onError, onChange, refresher, current: () => current };
}

describe('SecretsRefresher', () => {
  it('applies nothing while the values are unchanged, and rebuilds when one changes', async () => {
    const t = setup();
    await t.refresher.refresh();
    expect(t.applied).toEqual([]);
    t.stored.set('ka', 'v2');
    await t.refresher.refresh();
    expect(t.applied).toEqual([{ config: configA, secrets: new Map([['ka', 'v2']]) }]);
    expect(t.onChange).toHaveBeenCalledWith(['ka']);
  });

  it('keeps the last good values when a credential is gone, and reports each distinct failure once', async () => {
    const t = setup();
    t.stored.delete('ka');
    await t.refresher.refresh();
    await t.refresher.refresh();
    expect(t.applied).toEqual([]);
    expect(t.onError).toHaveBeenCalledTimes(1);
    t.stored.set('ka', 'v1');
    await t.refresher.refresh();
    t.stored.delete('ka');
    await t.refresher.refresh();
    expect(t.onError).toHaveBeenCalledTimes(2);
  });

  it('reload applies a new config with its secrets, or rejects and keeps the old one', async () => {
    const t = setup();
    await t.refresher.reload(configB);
    expect(t.current()).toBe(configB);
    expect(t.applied.at(-1)!.secrets).toEqual(new Map([['kb', 'w1']]));
    t.stored.delete('ka');
    await expect(t.refresher.reload(configA)).rejects.toBeInstanceOf(ConfigError);
    expect(t.current()).toBe(configB);
  });

  it('runs a reload and refreshes one at a time, so a refresh never applies a stale config', async () => {
    const t = setup();
    t.stored.set('kb', 'w2');
    await Promise.all([t.refresher.refresh(), t.refresher.reload(configB), t.refresher.refresh()]);
    expect(t.applied.map((a) => a.config)).toEqual([configB]);
    expect(t.current()).toBe(configB);
  });

  it('start and stop a timer that does not hold the process open', () => {
    vi.useFakeTimers();
    try {
      const t = setup();
      const refresh = vi.spyOn(t.refresher, 'refresh');
      t.refresher.start();
      vi.advanceTimersByTime(5000);
      expect(refresh).toHaveBeenCalledTimes(1);
      t.refresher.stop();
      vi.advanceTimersByTime(20_000);
      expect(refresh).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

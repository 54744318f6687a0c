import { ConfigError, type Env, type ProviderConfig, type TimeoutsConfig } from '../config/index.ts';
import { createAnthropicProvider } from './anthropic/index.ts';
import { createOpenAICompatibleProvider } from './openai-compatible/index.ts';
import { createOpenAIProvider } from './openai/index.ts';
import type { Provider } from './types.ts';

type ProviderFactory = (name: string, config: ProviderConfig, defaults: TimeoutsConfig, env: Env) => Provider;

/** One line per provider type; the config schema's `type` enum lists the same names. */
const FACTORIES: Record<ProviderConfig['type'], ProviderFactory> = {
  openai: createOpenAIProvider,
  'openai-compatible': createOpenAICompatibleProvider,
  anthropic: createAnthropicProvider,
};

/** The variable a provider with `credential:` reads its key from, in an environment of its own. */
const STORED_CREDENTIAL_ENV = 'MOAT_STORED_CREDENTIAL';

/**
 * `secrets` holds stored credentials in clear, by name (src/credentials). A factory reads its key as
 * `env[apiKeyEnv]`, so a provider with `credential:` is given an environment holding only that value.
 */
export function createProviders(
  configs: Record<string, ProviderConfig>,
  defaults: TimeoutsConfig,
  env: Env,
  secrets: ReadonlyMap<string, string> = new Map(),
): Map<string, Provider> {
  const missing = Object.entries(configs).filter(([, config]) => config.credential !== undefined && !secrets.has(config.credential));
  if (missing.length > 0) {
    throw new ConfigError('provider credentials', missing.map(([name, config]) => `providers.${name}.credential: the stored credential '${config.credential}' is not loaded`));
  }
  const providers = new Map<string, Provider>();
  for (const [name, config] of Object.entries(configs)) {
    const secret = config.credential === undefined ? undefined : secrets.get(config.credential)!;
    const provider =
      secret === undefined
        ? FACTORIES[config.type](name, config, defaults, env)
        : FACTORIES[config.type](name, { ...config, apiKeyEnv: STORED_CREDENTIAL_ENV }, defaults, { [STORED_CREDENTIAL_ENV]: secret });
    providers.set(name, provider);
  }
  return providers;
}

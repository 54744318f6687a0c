export { ConfigError, loadConfigFile, loadDefaultConfig, parseConfigText } from './load-config.ts';
export type { Env, LoadedConfig } from './load-config.ts';
export { configSchema, CREDENTIAL_NAME, KNOWN_OPTIONAL_PARAMS } from './schema.ts';
export type { MoatConfig, ModelConfig, OptionalParam, ProviderConfig, RateLimitRuleConfig, RateLimitsConfig, TimeoutsConfig } from './schema.ts';
export { watchConfigFile } from './watch-config.ts';
export type { CapacityConfig, CapacityRedisConfig, ProviderCapacityConfig } from './capacity-schema.ts';

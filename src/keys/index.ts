export { API_KEY_PREFIX, generateApiKey } from './generate-key.ts';
export type { GeneratedApiKey } from './generate-key.ts';
export { KeyRegistry } from './key-registry.ts';
export type { KeyRegistryOptions, RegisteredKey } from './key-registry.ts';
export { registerKeyCommands } from './cli.ts';
export { hashApiKey } from './hash-api-key.ts';

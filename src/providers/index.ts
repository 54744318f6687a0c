export { createProviders } from './registry.ts';
export type { Provider, WireDialect } from './types.ts';

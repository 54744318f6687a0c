export { createProviders } from './registry.ts';
export type { ChatWire, Provider, ResponseObserver, StreamDecoder } from './types.ts';

export { Gateway } from './gateway.ts';
export type { GatewayOptions } from './gateway.ts';
export { serve } from './serve.ts';
export type { ServeOptions, Serving } from './serve.ts';

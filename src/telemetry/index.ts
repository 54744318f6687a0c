export { createLogger } from './logger.ts';
export type { Logger } from './logger.ts';
export { GatewayMetrics } from './metrics.ts';

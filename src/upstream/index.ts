export { mapTransportError } from './map-transport-error.ts';
export { codeForUpstreamStatus, upstreamError } from './upstream-error.ts';
export type { UpstreamErrorFields } from './upstream-error.ts';

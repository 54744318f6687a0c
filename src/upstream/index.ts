export { mapTransportError } from './map-transport-error.ts';

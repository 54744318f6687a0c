export { foldEvents, ResponseFolder } from './fold-events.ts';
export type * from './types.ts';

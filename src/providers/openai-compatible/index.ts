export { createOpenAICompatibleProvider } from './create-openai-compatible-provider.ts';
export { splitThinkTagEvents } from './think-tags-events.ts';
export { ThinkTagSplitter } from './think-tags.ts';
export type { ThinkTagMode } from './think-tags.ts';

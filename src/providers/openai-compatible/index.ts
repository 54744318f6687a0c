export { createOpenAICompatibleProvider } from './create-openai-compatible-provider.ts';

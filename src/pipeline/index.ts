export { closeRuntime, buildRuntime, hashApiKey } from './runtime.ts';
export type { Runtime } from './runtime.ts';
export type { Call, Endpoint, Outcome, Target } from './call.ts';
export { handleChatCompletions } from './handle-chat-completions.ts';
export { handleEmbeddings } from './handle-embeddings.ts';
export { authenticate } from './authenticate.ts';
export { recordOutcome } from './record-outcome.ts';
export { sendError } from './send-error.ts';

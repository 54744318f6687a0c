import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Usage } from '../canonical/index.ts';
import type { ModelConfig } from '../config/index.ts';
import type { Dialect } from '../dialects/types.ts';
import type { Provider } from '../providers/index.ts';
import type { GatewayMetrics, Logger } from '../telemetry/index.ts';
import type { Runtime } from './runtime.ts';

export type Endpoint = 'chat_completions' | 'messages' | 'count_tokens' | 'embeddings' | 'models' | 'health' | 'ready' | 'metrics' | 'unknown';

/** Where a request is going. */
export interface Target {
  provider: Provider;
  entry: ModelConfig;
  upstreamModel: string;
}

export interface Outcome {
  status: number;
  errorCode: string | null;
  usage: Usage | null;
  /** Milliseconds from arrival to the first token sent to the client (streams). */
  ttftMs: number | null;
  clientClosed: boolean;
}

/** One request's context, passed to every stage. */
export interface Call {
  readonly id: string;
  readonly startedAt: number;
  readonly endpoint: Endpoint;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly runtime: Runtime;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  /** The API the client speaks: its error bodies, stream frames and answers. */
  readonly dialect: Dialect;
  keyName: string | null;
  stream: boolean;
  target: Target | null;
  /** Options Moat dropped or changed; sent as `x-moat-warnings`. */
  readonly warnings: string[];
  readonly outcome: Outcome;
}

import type { BudgetGuard } from '../budgets/index.ts';
import type { CapacityRegistry } from '../capacity/index.ts';
import type { RateLimiter } from '../ratelimit/index.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Usage } from '../canonical/index.ts';
import type { ModelConfig } from '../config/index.ts';
import type { Dialect } from '../dialects/types.ts';
import type { Provider } from '../providers/index.ts';
import type { GatewayMetrics, Logger } from '../telemetry/index.ts';
import type { ResponseSink } from './response-sink.ts';
import type { Runtime } from './runtime.ts';

export type Endpoint = 'chat_completions' | 'messages' | 'count_tokens' | 'embeddings' | 'models' | 'health' | 'ready' | 'metrics' | 'admin' | 'unknown';

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
  /** What the request cost, in micro-USD, once metered; null when it was not priced. */
  costMicros: bigint | null;
}

/** Finds a usable stored key by the sha256 of what the client sent. */
export interface KeyLookup {
  lookup(keyHash: string, now: number): Promise<CallerKey | undefined>;
  /** Whether any stored key exists: with none (and none in config), loopback clients need no key. */
  readonly empty: boolean;
}

/** The status a request ended with; 499 (nginx's "client closed request") when the client left first. */
export function finalStatus(outcome: Outcome): number {
  return outcome.clientClosed ? 499 : outcome.status;
}

/** The client key a request was authenticated with. */
export interface CallerKey {
  id: string;
  tenantId: string;
  name: string;
  tier: string;
  class: 'internal' | 'external';
  /** null: every model. */
  allowedModels: readonly string[] | null;
}

/** One request's context, passed to every stage. */
export interface Call {
  /** Moat's id: `x-request-id`, the logs' `reqId`, the ledger's key. */
  readonly id: string;
  /** The caller's own trace id, echoed as `x-client-request-id` and logged beside Moat's. */
  readonly clientRequestId: string | null;
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
  key: CallerKey | null;
  /** Stored keys (src/keys), when storage is attached. */
  readonly keys: KeyLookup | null;
  /** Budgets (src/budgets), when storage is attached. */
  readonly budgets: BudgetGuard | null;
  /** The slots and queues of upstreams with `capacity` (src/capacity), kept across config reloads. */
  readonly capacity: CapacityRegistry;
  /** Rate limits (src/ratelimit): in this process, or in Redis across replicas. */
  readonly rateLimiter: RateLimiter;
  /** Meters the request once, just before its last bytes go out (see finalize.ts); null: not metered. */
  readonly meter: ((call: Call) => void) | null;
  /** The sink the upstream's answer goes through, once relaying starts: the meter asks it what to bill. */
  sink?: ResponseSink;
  finalized: boolean;
  stream: boolean;
  /** The model name the client asked for, once decoded. */
  requestedModel: string | null;
  target: Target | null;
  /** Options Moat dropped or changed; sent as `x-moat-warnings`. */
  readonly warnings: string[];
  readonly outcome: Outcome;
}

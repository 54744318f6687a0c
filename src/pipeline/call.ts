import type { BudgetGuard } from '../budgets/index.ts';
import type { CapacityRegistry } from '../capacity/index.ts';
import type { RateLimiter } from '../ratelimit/index.ts';
import type { SlaTracker } from '../sla/index.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Usage } from '../canonical/index.ts';
import type { FailureClass, ModelConfig, RetryConfig } from '../config/index.ts';
import type { MoatError } from '../errors/index.ts';
import type { UpstreamHealth } from '../routing/index.ts';
import type { Dialect } from '../dialects/types.ts';
import type { Provider } from '../providers/index.ts';
import type { GatewayMetrics, Logger } from '../telemetry/index.ts';
import type { EventFilterFactory } from './event-filter.ts';
import type { ResponseSink } from './response-sink.ts';
import type { Runtime } from './runtime.ts';

export type Endpoint = 'chat_completions' | 'messages' | 'count_tokens' | 'embeddings' | 'models' | 'health' | 'ready' | 'metrics' | 'admin' | 'unknown';

/** Where a request is going. */
export interface Target {
  provider: Provider;
  entry: ModelConfig;
  upstreamModel: string;
}

/** Where a request may go, decided once before the first attempt (src/pipeline/plan-route.ts). */
export interface RoutePlan {
  /** The route's name, or the model entry's for a plain model name. */
  readonly name: string;
  /** Why these targets, in this order: `x-moat-route` and the ledger's `route_reason`. */
  readonly reason: string;
  readonly candidates: readonly Target[];
  readonly retry: RetryConfig;
  readonly fallbackOn: ReadonlySet<FailureClass>;
  readonly maxAttempts: number;
}

/** One upstream attempt; times are milliseconds from the attempt's start. */
export interface AttemptRecord {
  readonly target: Target;
  /** When it was dispatched (after any capacity queue), so upstream latencies exclude Moat's wait. */
  startedAt: number;
  /** The upstream's HTTP status, once its headers came. */
  status: number | null;
  headersMs: number | null;
  firstTokenMs: number | null;
  endedMs: number | null;
  /** What the attempt failed with, whether or not the client saw it. */
  failure: MoatError | null;
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
  /** The stored key's metadata, which route rules may match on. */
  metadata?: Readonly<Record<string, unknown>> | null;
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
  /** The measured SLA (src/sla): one `sla.record(provider, sample)` per upstream attempt; null when `sla.enabled` is false. */
  readonly sla: SlaTracker | null;
  /** The sink the upstream's answer goes through, once relaying starts: the meter asks it what to bill. */
  sink?: ResponseSink;
  finalized: boolean;
  stream: boolean;
  /** The model name the client asked for, once decoded. */
  requestedModel: string | null;
  /** The target of the current (last) attempt. */
  target: Target | null;
  route: RoutePlan | null;
  readonly attempts: AttemptRecord[];
  /** Breakers, latency averages and probe verdicts of every upstream, kept across reloads. */
  readonly health: UpstreamHealth;
  /** Headers for the response, collected by the stages and written with the head (write-head.ts). */
  readonly headers: Record<string, string>;
  /** Options Moat dropped or changed; sent as `x-moat-warnings`. */
  readonly warnings: string[];
  /** Rewrite the answer on its way to the client (veil, privacy restore); any filter rules out passthrough. */
  readonly responseFilters: EventFilterFactory[];
  /** A stage rewrote the canonical request: the upstream body is encoded from it, not the client's bytes. */
  forceTranslation: boolean;
  /** Tags for the ledger row's `flags` (e.g. `reasoning_copied`, `pii:email`); never a detected value. */
  readonly flags: string[];
  /** Set by privacy: only targets of this tier may serve the request, or it fails closed. */
  requiredTier: 'local' | null;
  requiredTierReason: string | null;
  readonly outcome: Outcome;
}

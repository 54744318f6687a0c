import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics. Labels are bounded and operator-chosen: endpoint, provider name, the config
 * entry a model matched (`model_route`, never the client's raw string), status, error code, token
 * kind. No label ever carries prompt content or keys.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'endpoint' | 'provider' | 'model_route' | 'status'>;
  readonly errors: Counter<'endpoint' | 'code'>;
  readonly duration: Histogram<'endpoint' | 'provider' | 'model_route' | 'stream'>;
  readonly ttft: Histogram<'provider' | 'model_route'>;
  readonly tokens: Counter<'provider' | 'model_route' | 'kind'>;
  readonly inFlight: Gauge;
  /** Read when Prometheus scrapes, so a request costs no gauge update: the gateway sets it to its own count. */
  countInFlight: () => number = () => 0;
  readonly upstreamAttempts: Counter<'upstream' | 'result'>;
  readonly fallbacks: Counter<'route'>;
  readonly breakerState: Gauge<'upstream'>;
  readonly configReloads: Counter<'result'>;
  readonly capacityQueueDepth: Gauge<'provider'>;
  readonly capacitySlotsInUse: Gauge<'provider'>;
  readonly capacityWait: Histogram<'provider' | 'priority'>;
  readonly capacityShed: Counter<'provider' | 'reason'>;
  readonly capacityRedisErrors: Counter<'policy'>;
  readonly rateLimited: Counter<'kind'>;
  readonly rateLimitStoreFailures: Counter<'policy'>;
  readonly rateLimitStoreUp: Gauge;
  readonly costUsd: Counter<'tenant' | 'provider'>;
  readonly baselineCostUsd: Counter<'tenant'>;

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.requests = new Counter({ name: 'moat_requests_total', help: 'Requests answered, by final HTTP status.', labelNames: ['endpoint', 'provider', 'model_route', 'status'], registers });
    this.errors = new Counter({ name: 'moat_request_errors_total', help: 'Requests that ended in an error, by Moat error code.', labelNames: ['endpoint', 'code'], registers });
    this.duration = new Histogram({
      name: 'moat_request_duration_seconds',
      help: 'Time from request received to last byte sent.',
      labelNames: ['endpoint', 'provider', 'model_route', 'stream'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });
    this.ttft = new Histogram({
      name: 'moat_time_to_first_token_seconds',
      help: 'Streaming: time from request received to the first content or reasoning token sent.',
      labelNames: ['provider', 'model_route'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.tokens = new Counter({ name: 'moat_tokens_total', help: 'Tokens reported by upstream usage, by kind (input, output, reasoning, cached_input).', labelNames: ['provider', 'model_route', 'kind'], registers });
    const countInFlight = (): number => this.countInFlight();
    this.inFlight = new Gauge({
      name: 'moat_requests_in_flight',
      help: 'Requests being handled now.',
      registers,
      collect() {
        this.set(countInFlight());
      },
    });
    // Routing (docs/routing.md): upstream = provider name, route = a configured route or model name.
    this.upstreamAttempts = new Counter({ name: 'moat_upstream_attempts_total', help: 'Upstream attempts, by result: ok, or the failure class (server_error, rate_limited, timeout, connection, capacity, not_found, client_error).', labelNames: ['upstream', 'result'], registers });
    this.fallbacks = new Counter({ name: 'moat_fallbacks_total', help: 'Requests answered by another target than their first (after retries or fallbacks).', labelNames: ['route'], registers });
    this.breakerState = new Gauge({ name: 'moat_upstream_breaker_state', help: 'Circuit breaker per upstream: 0 closed, 1 half-open, 2 open.', labelNames: ['upstream'], registers });
    this.configReloads = new Counter({ name: 'moat_config_reloads_total', help: 'Config reloads, by result.', labelNames: ['result'], registers });
    this.rateLimited = new Counter({ name: 'moat_rate_limited_total', help: 'Requests refused by a rate limit, by the kind of limit (requests, tokens, concurrent).', labelNames: ['kind'], registers });
    this.rateLimitStoreFailures = new Counter({
      name: 'moat_ratelimit_store_failures_total',
      help: 'Admissions decided by the Redis outage policy (failOpen: counted in this process; failClosed: refused with 503).',
      labelNames: ['policy'],
      registers,
    });
    this.rateLimitStoreUp = new Gauge({ name: 'moat_ratelimit_store_up', help: 'Whether the rate-limit store (Redis) answers: 1 yes; 0 in an outage, or when none is configured.', registers });
    // Capacity protection (docs/capacity.md): labels are provider names and priority numbers from config.
    this.capacityQueueDepth = new Gauge({ name: 'moat_capacity_queue_depth', help: 'Requests waiting for an upstream slot on this replica.', labelNames: ['provider'], registers });
    this.capacitySlotsInUse = new Gauge({ name: 'moat_capacity_slots_in_use', help: 'Upstream slots held by this replica.', labelNames: ['provider'], registers });
    this.capacityWait = new Histogram({
      name: 'moat_capacity_queue_wait_seconds',
      help: 'Time from arrival to getting an upstream slot, by priority class (0 is served first).',
      labelNames: ['provider', 'priority'],
      buckets: [0.001, 0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.capacityShed = new Counter({ name: 'moat_capacity_shed_total', help: 'Requests answered 503 by the capacity queue: queue_full, timeout, unavailable (Redis down, fail-closed).', labelNames: ['provider', 'reason'], registers });
    this.capacityRedisErrors = new Counter({ name: 'moat_capacity_redis_errors_total', help: 'Failed Redis operations and connection attempts of the shared slot pool, by its onOutage policy.', labelNames: ['policy'], registers });
    // Savings (docs/router.md): labels are tenant ids and provider names, never prompts or keys.
    this.costUsd = new Counter({ name: 'moat_cost_usd_total', help: 'What metered requests cost, USD, by tenant id and provider name.', labelNames: ['tenant', 'provider'], registers });
    this.baselineCostUsd = new Counter({
      name: 'moat_baseline_cost_usd_total',
      help: 'What the same requests would have cost on the `savings.baseline` model, USD, by tenant id (requests with a baseline price only).',
      labelNames: ['tenant'],
      registers,
    });
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'moat_' });
  }
}

import type { BudgetGuard } from '../budgets/index.ts';
import { CapacityRegistry } from '../capacity/index.ts';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Env, MoatConfig } from '../config/index.ts';
import { anthropicMessagesDialect } from '../dialects/anthropic-messages/index.ts';
import { openAIChatDialect } from '../dialects/openai-chat/index.ts';
import type { Dialect } from '../dialects/types.ts';
import { MoatError, toMoatError } from '../errors/index.ts';
import {
  buildRuntime,
  closeRuntime,
  handleChatCompletions,
  handleCountTokens,
  handleEmbeddings,
  handleMessages,
  recordOutcome,
  finalize,
  sendError,
  type Call,
  type Endpoint,
  type KeyLookup,
  type Runtime,
} from '../pipeline/index.ts';
import { createRateLimiter, type RateLimiter } from '../ratelimit/index.ts';
import { HealthProber, UpstreamHealth } from '../routing/index.ts';
import { createSlaTracker, type SlaTracker } from '../sla/index.ts';
import { createLogger, GatewayMetrics, type Logger } from '../telemetry/index.ts';
import { clientRequestIdFor, newRequestId } from './request-id.ts';
import { handleHealth, handleMetrics, handleModels, handleReady } from './simple-endpoints.ts';

export interface GatewayOptions {
  config: MoatConfig;
  env?: Env;
  logger?: Logger;
  metrics?: GatewayMetrics;
  /** Meters each request just before its last bytes go out (src/metering). */
  meter?: (call: Call) => void;
  /** Stored keys (src/keys). */
  keys?: KeyLookup;
  /** Budgets (src/budgets): reservations before dispatch. */
  budgets?: BudgetGuard;
  /** The `/admin` API, when storage is attached. */
  admin?: (call: Call) => Promise<void>;
  /** Stored provider credentials in clear, by name, for providers with `credential:` (src/credentials). */
  secrets?: ReadonlyMap<string, string>;
}

type Handler = (call: Call, gateway: Gateway) => void | Promise<void>;

interface RouteSpec {
  endpoint: Endpoint;
  methods: Readonly<Partial<Record<string, Handler>>>;
  /** The API the endpoint belongs to; shared endpoints answer in the client's (see clientDialect). */
  dialect?: Dialect;
}

/** Anthropic's SDKs send `anthropic-version` on every request; OpenAI's never do. */
function clientDialect(req: IncomingMessage, route: RouteSpec | undefined): Dialect {
  if (route?.dialect) return route.dialect;
  return req.headers['anthropic-version'] !== undefined ? anthropicMessagesDialect : openAIChatDialect;
}

const ROUTES: ReadonlyMap<string, RouteSpec> = new Map<string, RouteSpec>([
  ['/v1/chat/completions', { endpoint: 'chat_completions', methods: { POST: handleChatCompletions }, dialect: openAIChatDialect }],
  ['/v1/messages', { endpoint: 'messages', methods: { POST: handleMessages }, dialect: anthropicMessagesDialect }],
  ['/v1/messages/count_tokens', { endpoint: 'count_tokens', methods: { POST: handleCountTokens }, dialect: anthropicMessagesDialect }],
  ['/v1/embeddings', { endpoint: 'embeddings', methods: { POST: handleEmbeddings }, dialect: openAIChatDialect }],
  ['/v1/models', { endpoint: 'models', methods: { GET: handleModels } }],
  ['/healthz', { endpoint: 'health', methods: { GET: handleHealth } }],
  ['/readyz', { endpoint: 'ready', methods: { GET: (call, gateway) => handleReady(call, gateway.draining) } }],
  ['/metrics', { endpoint: 'metrics', methods: { GET: handleMetrics } }],
]);

/** The HTTP server and the state it runs on: the current runtime, in-flight count, draining flag. */
const BREAKER_GAUGE = { closed: 0, 'half-open': 1, open: 2 } as const;

/** Probes the providers of this config that set `health`. */
function startProber(runtime: Runtime, health: UpstreamHealth, logger: Logger): HealthProber {
  const probes = new Map(Object.entries(runtime.config.providers).flatMap(([name, p]) => (p.health ? [[name, p.health] as const] : [])));
  const prober = new HealthProber(runtime.providers, probes, health, logger);
  prober.start();
  return prober;
}

export class Gateway {
  readonly server: Server;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  private runtime: Runtime;
  private readonly env: Env;
  private secrets: ReadonlyMap<string, string>;
  private inFlight = 0;
  /**
   * Requests running on each runtime. A replaced runtime's pools close when its last request ends, not
   * at the reload: a request may still be waiting to dispatch (a capacity queue, a budget reservation).
   */
  private readonly runtimeUsers = new Map<Runtime, number>();
  private readonly retiredRuntimes = new Set<Runtime>();
  private onIdle: (() => void) | null = null;
  draining = false;
  /** Meters each model request (ledger row and cost); null when no storage is attached. */
  private readonly meter: ((call: Call) => void) | null;
  private readonly keys: KeyLookup | null;
  private readonly budgets: BudgetGuard | null;
  /** Upstream slots and their queues; outlives config reloads, so slots held and requests waiting stay. */
  readonly capacity: CapacityRegistry;
  /** Outlives config reloads: counters persist, rules come from each request's runtime. */
  readonly rateLimiter: RateLimiter;
  /** Breakers, latency averages and probe verdicts per upstream; outlives reloads. */
  readonly health: UpstreamHealth;
  private prober: HealthProber;
  /** The measured SLA per upstream (src/sla); outlives config reloads, reads SLOs from the current config. */
  readonly sla: SlaTracker | null;
  private readonly admin: ((call: Call) => Promise<void>) | null;
  /** The admin API routes methods itself (405 and 404 in its own answers). */
  private readonly adminMethods: RouteSpec['methods'];

  constructor(options: GatewayOptions) {
    this.env = options.env ?? process.env;
    this.logger = options.logger ?? createLogger(options.config.log.level);
    this.metrics = options.metrics ?? new GatewayMetrics();
    this.metrics.countInFlight = () => this.inFlight;
    this.secrets = options.secrets ?? new Map();
    this.runtime = buildRuntime(options.config, this.env, this.secrets);
    this.meter = options.meter ?? null;
    this.keys = options.keys ?? null;
    this.budgets = options.budgets ?? null;
    this.capacity = new CapacityRegistry(options.config, { logger: this.logger, metrics: this.metrics });
    this.rateLimiter = createRateLimiter(options.config.rateLimits, this.logger, this.metrics);
    this.health = new UpstreamHealth(options.config.routing);
    this.health.onTransition = (upstream, from, to) => {
      this.metrics.breakerState.set({ upstream }, BREAKER_GAUGE[to]);
      this.logger.warn({ upstream, from, to }, 'circuit breaker');
    };
    this.prober = startProber(this.runtime, this.health, this.logger);
    this.sla = createSlaTracker(options.config, () => this.runtime.config, this.logger, this.metrics);
    this.admin = options.admin ?? null;
    const admin = this.admin;
    this.adminMethods = admin ? { GET: admin, POST: admin, DELETE: admin, PATCH: admin, PUT: admin } : {};
    this.server = createServer({ keepAliveTimeout: 75_000 }, (req, res) => this.onRequest(req, res));
  }

  get config(): MoatConfig {
    return this.runtime.config;
  }

  async listen(port = this.runtime.config.server.port, host = this.runtime.config.server.host): Promise<{ url: string; port: number }> {
    if (!(await this.rateLimiter.ready(2000))) {
      this.logger.warn({ policy: this.runtime.config.rateLimits.redis.onOutage }, 'rate-limit store (Redis) not reachable at start; its outage policy applies until it is');
    }
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return { url: `http://${hostForUrl}:${address.port}`, port: address.port };
  }

  /**
   * Swaps in a new config, and new stored credentials when given. Requests in flight finish on the
   * runtime they started with.
   */
  reload(config: MoatConfig, secrets: ReadonlyMap<string, string> = this.secrets): void {
    const next = buildRuntime(config, this.env, secrets);
    this.secrets = secrets;
    const previous = this.runtime;
    this.runtime = next;
    this.capacity.configure(config);
    this.health.configure(config.routing);
    this.prober.stop();
    this.prober = startProber(next, this.health, this.logger);
    this.logger.level = config.log.level;
    const { host, port } = previous.config.server;
    if (config.server.host !== host || config.server.port !== port) {
      this.logger.warn({ host: config.server.host, port: config.server.port }, 'server.host and server.port changes take effect on restart');
    }
    if (JSON.stringify(config.rateLimits.redis) !== JSON.stringify(previous.config.rateLimits.redis)) {
      this.logger.warn('rateLimits.redis changes take effect on restart');
    }
    if (this.runtimeUsers.has(previous)) this.retiredRuntimes.add(previous);
    else this.closeRetired(previous);
  }

  /**
   * Stops taking connections, lets requests in flight finish for up to `graceMs`, then cuts the rest,
   * releases upstream connections and flushes the log.
   */
  async shutdown(graceMs = this.runtime.config.server.shutdownGraceMs): Promise<{ cut: number }> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    let cut = 0;
    if (this.inFlight > 0) {
      const idle = new Promise<void>((resolve) => (this.onIdle = resolve));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)));
      if (await Promise.race([idle.then(() => false), timedOut])) cut = this.inFlight;
      clearTimeout(timer);
    }
    this.server.closeAllConnections();
    this.prober.stop();
    await closed;
    await closeRuntime(this.runtime);
    await this.capacity.close();
    await this.rateLimiter.close();
    await this.sla?.close();
    this.logger.info({ cut }, 'shutdown complete');
    await new Promise<void>((resolve) => this.logger.flush(() => resolve()));
    return { cut };
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const route = ROUTES.get(path) ?? (path.startsWith('/admin/') && this.admin ? { endpoint: 'admin' as const, methods: this.adminMethods } : undefined);
    const id = newRequestId();
    const call: Call = {
      id,
      clientRequestId: clientRequestIdFor(req.headers['x-client-request-id'], req.headers['x-request-id']),
      startedAt: performance.now(),
      endpoint: route?.endpoint ?? 'unknown',
      req,
      res,
      runtime: this.runtime,
      logger: this.logger,
      metrics: this.metrics,
      dialect: clientDialect(req, route),
      keyName: null,
      key: null,
      keys: this.keys,
      budgets: this.budgets,
      capacity: this.capacity,
      rateLimiter: this.rateLimiter,
      sla: this.sla,
      meter: this.meter,
      requestedModel: null,
      finalized: false,
      stream: false,
      target: null,
      route: null,
      attempts: [],
      health: this.health,
      headers: { 'x-request-id': id },
      warnings: [],
      responseFilters: [],
      forceTranslation: false,
      flags: [],
      requiredTier: null,
      requiredTierReason: null,
      outcome: { status: 0, errorCode: null, usage: null, ttftMs: null, clientClosed: false, costMicros: null },
    };
    if (call.clientRequestId !== null) call.headers['x-client-request-id'] = call.clientRequestId;
    // Anthropic's SDKs read the id from `request-id`.
    if (call.dialect.name === 'anthropic-messages') call.headers['request-id'] = call.id;
    this.inFlight++;
    this.runtimeUsers.set(call.runtime, (this.runtimeUsers.get(call.runtime) ?? 0) + 1);
    res.once('close', () => this.onResponseClosed(call));

    if (this.draining) {
      res.shouldKeepAlive = false;
      if (call.endpoint !== 'ready' && call.endpoint !== 'health') {
        sendError(call, new MoatError('shutting_down', 'Moat is shutting down; retry on another replica.', { retryAfter: '1' }));
        return;
      }
    }
    if (!route) {
      sendError(call, new MoatError('route_not_found', `No endpoint ${req.method ?? ''} ${path}.`));
      return;
    }
    const handler = route.methods[req.method ?? ''];
    if (!handler) {
      call.headers.allow = Object.keys(route.methods).join(', ');
      sendError(call, new MoatError('method_not_allowed', `${req.method ?? ''} is not allowed on ${path}.`));
      return;
    }
    try {
      const pending = handler(call, this);
      if (pending) pending.catch((error: unknown) => this.fail(call, error));
    } catch (error) {
      this.fail(call, error);
    }
  }

  private fail(call: Call, thrown: unknown): void {
    const error = toMoatError(thrown);
    if (error.code === 'internal_error') this.logger.error({ reqId: call.id, err: thrown }, 'internal error');
    sendError(call, error);
  }

  private closeRetired(runtime: Runtime): void {
    closeRuntime(runtime).catch((error: unknown) => this.logger.error({ err: error }, 'closing the previous runtime failed'));
  }

  private onResponseClosed(call: Call): void {
    this.inFlight--;
    const users = this.runtimeUsers.get(call.runtime)! - 1;
    if (users > 0) this.runtimeUsers.set(call.runtime, users);
    else {
      this.runtimeUsers.delete(call.runtime);
      if (this.retiredRuntimes.delete(call.runtime)) this.closeRetired(call.runtime);
    }
    if (!call.res.writableFinished) call.outcome.clientClosed = true;
    finalize(call);
    try {
      recordOutcome(call);
    } catch (error) {
      this.logger.error({ reqId: call.id, err: error }, 'recording the outcome failed');
    }
    if (this.inFlight === 0 && this.onIdle) this.onIdle();
  }
}

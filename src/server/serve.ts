import type { DestinationStream } from 'pino';
import { ConfigError, loadConfigFile, loadDefaultConfig, watchConfigFile, type Env, type LoadedConfig, type MoatConfig } from '../config/index.ts';
import { loadMasterKeys, loadProviderSecrets, SecretsRefresher, type ProviderSecrets } from '../credentials/index.ts';
import { createLogger, GatewayMetrics } from '../telemetry/index.ts';
import { createAdminEndpoint } from './admin-endpoint.ts';
import { Gateway } from './gateway.ts';
import { openServices } from './open-services.ts';

export interface ServeOptions {
  configPath?: string;
  port?: number;
  host?: string;
  env?: Env;
  /** Install SIGTERM/SIGINT handlers that shut down gracefully and exit (the CLI does). */
  handleSignals?: boolean;
  /** Where log lines go; default stdout. */
  logDestination?: DestinationStream;
}

export interface Serving {
  gateway: Gateway;
  url: string;
  stop(): Promise<void>;
}

function withOverrides(loaded: LoadedConfig, options: ServeOptions): LoadedConfig {
  const server = { ...loaded.config.server };
  if (options.port !== undefined) server.port = options.port;
  if (options.host !== undefined) server.host = options.host;
  return { ...loaded, config: { ...loaded.config, server } };
}

/** `moat serve`: load and validate config, listen, reload on change, drain on SIGTERM. */
export async function serve(options: ServeOptions = {}): Promise<Serving> {
  const env = options.env ?? process.env;
  const load = (): LoadedConfig =>
    withOverrides(options.configPath ? loadConfigFile(options.configPath, env) : loadDefaultConfig(env), options);
  const loaded = load();
  const masterKeys = loadMasterKeys(env);
  const logger = createLogger(loaded.config.log.level, options.logDestination);
  const services = await openServices(loaded.config, logger);
  // Stored provider credentials (decision 0011): one that is missing or does not decrypt stops the start.
  const loadSecrets = (config: MoatConfig): Promise<ProviderSecrets> => loadProviderSecrets(config.providers, services?.storage.credentials ?? null, masterKeys);
  let secrets: ProviderSecrets;
  try {
    secrets = await loadSecrets(loaded.config);
  } catch (error) {
    await services?.close();
    throw error;
  }
  const gateway = new Gateway({
    config: loaded.config,
    env,
    logger,
    metrics: new GatewayMetrics({ processMetrics: true }),
    ...(services ? { keys: services.keys, budgets: services.budgets, meter: services.meter, admin: createAdminEndpoint(services.storage, () => afterAdminWrite(services), masterKeys) } : {}),
    secrets,
  });
  const secretsRefresher = new SecretsRefresher({
    load: loadSecrets,
    current: () => gateway.config,
    apply: (config, next) => gateway.reload(config, next),
    initial: secrets,
    onError: (error) => logger.warn(error instanceof ConfigError ? { problems: error.problems } : { err: error }, 'provider credentials did not refresh; providers keep the values they have'),
    onChange: (names) => logger.info({ credentials: names }, 'provider credentials changed; providers rebuilt'),
  });
  // This replica applies its own admin changes at once; the others on their next refresh.
  function afterAdminWrite(attached: { afterAdminWrite(): void }): void {
    attached.afterAdminWrite();
    void secretsRefresher.refresh();
  }
  let url: string;
  try {
    ({ url } = await gateway.listen());
  } catch (error) {
    await services?.close();
    throw error;
  }
  secretsRefresher.start();
  logger.info(
    { url, config: loaded.source, models: loaded.config.models.length, providers: Object.keys(loaded.config.providers), storage: services?.storage.backend ?? 'off' },
    'moat listening',
  );
  if (loaded.config.auth.keys.length === 0 && (services === null || services.keys.empty)) {
    logger.warn('no client keys in config or storage: any local client may call this gateway (allowed on loopback only); create one with `moat keys create`');
  }

  let unwatch = (): void => {};
  if (options.configPath) {
    const path = options.configPath;
    // A change whose stored credentials are missing or do not decrypt is rejected like any invalid one.
    unwatch = watchConfigFile(path, () => {
      Promise.resolve()
        .then(() => secretsRefresher.reload(load().config))
        .then(
          () => {
            gateway.metrics.configReloads.inc({ result: 'ok' });
            logger.info({ config: path }, 'config reloaded');
          },
          (error: unknown) => {
            gateway.metrics.configReloads.inc({ result: 'rejected' });
            const problems = error instanceof ConfigError ? error.problems : [String(error)];
            logger.error({ config: path, problems }, 'config change rejected; still running on the previous config');
          },
        );
    });
  }

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      unwatch();
      secretsRefresher.stop();
      logger.info('shutting down: finishing requests in flight');
      await gateway.shutdown();
      await services?.close();
    })());

  if (options.handleSignals) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      });
    }
  }
  return { gateway, url, stop };
}

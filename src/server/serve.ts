import { ConfigError, loadConfigFile, loadDefaultConfig, watchConfigFile, type Env, type LoadedConfig } from '../config/index.ts';
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
  const logger = createLogger(loaded.config.log.level);
  const services = await openServices(loaded.config, logger);
  const gateway = new Gateway({
    config: loaded.config,
    env,
    logger,
    metrics: new GatewayMetrics({ processMetrics: true }),
    ...(services ? { keys: services.keys, meter: services.meter, admin: createAdminEndpoint(services.storage, () => services.afterAdminWrite()) } : {}),
  });
  let url: string;
  try {
    ({ url } = await gateway.listen());
  } catch (error) {
    await services?.close();
    throw error;
  }
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
    unwatch = watchConfigFile(path, () => {
      try {
        gateway.reload(load().config);
        gateway.metrics.configReloads.inc({ result: 'ok' });
        logger.info({ config: path }, 'config reloaded');
      } catch (error) {
        gateway.metrics.configReloads.inc({ result: 'rejected' });
        const problems = error instanceof ConfigError ? error.problems : [String(error)];
        logger.error({ config: path, problems }, 'config change rejected; still running on the previous config');
      }
    });
  }

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      unwatch();
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

import { rmSync } from 'node:fs';
import { serve, type Serving } from '../../src/server/index.ts';
import { FakeUpstream } from './fake-upstream.ts';
import { writeServeConfig } from './serve-config.ts';

export interface ServedOnFakeUpstream {
  upstream: FakeUpstream;
  serving: Serving;
  /** The config folder: `moat.db` and the journal are in it. */
  dir: string;
  /** Stops Moat and the upstream and removes the folder. */
  stop(): Promise<void>;
}

/**
 * `moat serve` on a fresh config folder (`writeServeConfig`) whose providers point at a started
 * `FakeUpstream`: `rest(url)` writes providers and models for the upstream at `url`, whose key they
 * read from `FAKE_UPSTREAM_KEY`; the admin key is `adminKey` (`MOAT_ADMIN_KEY`).
 */
export async function serveOnFakeUpstream(prefix: string, rest: (upstreamUrl: string) => string, adminKey: string): Promise<ServedOnFakeUpstream> {
  const upstream = new FakeUpstream();
  const written = writeServeConfig(prefix, rest(await upstream.start()));
  const serving = await serve({ configPath: written.file, port: 0, env: { FAKE_UPSTREAM_KEY: upstream.apiKey, MOAT_ADMIN_KEY: adminKey } });
  return {
    upstream,
    serving,
    dir: written.dir,
    async stop() {
      await serving.stop();
      await upstream.stop();
      rmSync(written.dir, { recursive: true, force: true });
    },
  };
}

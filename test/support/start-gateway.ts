import { Writable } from 'node:stream';
import { parseConfigText, type MoatConfig } from '../../src/config/index.ts';
import { Gateway } from '../../src/server/index.ts';
import { createLogger } from '../../src/telemetry/index.ts';
import { FakeAnthropicUpstream } from './fake-anthropic-upstream.ts';
import { FakeUpstream } from './fake-upstream.ts';

export const CLIENT_KEY = 'sk-moat-test-client-key-0001';

/** The config the end-to-end tests run on: one fake OpenAI upstream behind a few model names. */
export function testConfigYaml(upstreamUrl: string, anthropicUrl = 'http://127.0.0.1:9/v1'): string {
  return `
auth:
  keys:
    - { name: test-client, key: ${CLIENT_KEY} }
timeouts: { headersMs: 2000, idleMs: 300, keepAliveMs: 100 }
log: { level: info }
# These suites inject upstream failures one after another and check how each is answered; retries
# and the circuit breaker would change those answers, and have their own tests (test/routing.e2e.test.ts).
routing: { retry: { maxRetries: 0 }, breaker: { failureThreshold: 1000 } }
providers:
  fake:
    type: openai
    baseUrl: ${upstreamUrl}
    apiKeyEnv: FAKE_UPSTREAM_KEY
  limited:
    type: openai-compatible
    baseUrl: ${upstreamUrl}
    apiKeyEnv: FAKE_UPSTREAM_KEY
    unsupportedParams: [logprobs, n, response_format, user, metadata]
  ant:
    type: anthropic
    baseUrl: ${anthropicUrl}
    apiKeyEnv: FAKE_ANTHROPIC_KEY
models:
  - { name: "ant/*", provider: ant }
  - { name: "fx-*", provider: fake, model: "fx-*" }
  - { name: "alias-text", provider: fake, model: fx-chat-text }
  - { name: "reasoner", provider: fake, model: fx-chat-reasoning, reasoning: true }
  - { name: "limited-text", provider: limited, model: fx-chat-text }
  - { name: "*", provider: fake }
`;
}

export interface TestGateway {
  gateway: Gateway;
  upstream: FakeUpstream;
  anthropic: FakeAnthropicUpstream;
  /** e.g. http://127.0.0.1:1234/v1 */
  baseURL: string;
  origin: string;
  /** Every log line written so far. */
  logs(): string;
  close(): Promise<void>;
}

export const TEST_ENV = { FAKE_UPSTREAM_KEY: 'sk-upstream-test-key', FAKE_ANTHROPIC_KEY: 'sk-ant-upstream-test-key' };

export async function startTestGateway(
  options: { config?: (upstreamUrl: string, anthropicUrl: string) => MoatConfig } = {},
): Promise<TestGateway> {
  const upstream = new FakeUpstream(TEST_ENV.FAKE_UPSTREAM_KEY);
  const anthropic = new FakeAnthropicUpstream(TEST_ENV.FAKE_ANTHROPIC_KEY);
  const [upstreamUrl, anthropicUrl] = await Promise.all([upstream.start(), anthropic.start()]);
  const env = TEST_ENV;
  const config = options.config ? options.config(upstreamUrl, anthropicUrl) : parseConfigText(testConfigYaml(upstreamUrl, anthropicUrl), 'test', env);
  let logText = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logText += chunk.toString('utf8');
      done();
    },
  });
  const gateway = new Gateway({ config, env, logger: createLogger('info', sink) });
  const { url } = await gateway.listen(0, '127.0.0.1');
  return {
    gateway,
    upstream,
    anthropic,
    baseURL: `${url}/v1`,
    origin: url,
    logs: () => logText,
    async close() {
      await gateway.shutdown(200);
      await Promise.all([upstream.stop(), anthropic.stop()]);
    },
  };
}

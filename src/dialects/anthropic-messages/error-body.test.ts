import { readFileSync } from 'node:fs';
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ContentTooLargeError,
  GatewayTimeoutError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  ServiceUnavailableError,
} from '@anthropic-ai/sdk';
import { createParser } from 'eventsource-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, MoatError, type ErrorCode } from '../../errors/index.ts';
import { anthropicErrorBody, anthropicStreamErrorFrame } from './error-body.ts';
import { startSdkTestServer, type SdkTestServer } from './sdk-test-server.ts';

const fixtures = new URL('../../providers/anthropic/__fixtures__/', import.meta.url);
const recorded = (file: string) => JSON.parse(readFileSync(new URL(file, fixtures), 'utf8')) as { type: string; error: { type: string; message: string }; request_id: string };

// https://docs.anthropic.com/en/api/errors
const DOCUMENTED_TYPES = ['invalid_request_error', 'authentication_error', 'billing_error', 'permission_error', 'not_found_error', 'request_too_large', 'rate_limit_error', 'api_error', 'timeout_error', 'overloaded_error'];

const EXPECTED_TYPES: Record<ErrorCode, string> = {
  invalid_json: 'invalid_request_error',
  invalid_request: 'invalid_request_error',
  unsupported_parameter: 'invalid_request_error',
  body_too_large: 'request_too_large',
  model_not_found: 'not_found_error',
  route_not_found: 'not_found_error',
  no_capable_target: 'invalid_request_error',
  pii_blocked: 'invalid_request_error',
  context_length_exceeded: 'invalid_request_error',
  no_healthy_target: 'overloaded_error',
  no_local_target: 'overloaded_error',
  method_not_allowed: 'invalid_request_error',
  model_not_allowed: 'permission_error',
  missing_api_key: 'authentication_error',
  invalid_api_key: 'authentication_error',
  upstream_bad_request: 'invalid_request_error',
  upstream_not_found: 'not_found_error',
  upstream_auth_failed: 'api_error',
  upstream_rate_limited: 'rate_limit_error',
  upstream_overloaded: 'overloaded_error',
  upstream_error: 'api_error',
  upstream_unreachable: 'api_error',
  upstream_timeout: 'timeout_error',
  upstream_idle_timeout: 'timeout_error',
  upstream_invalid_response: 'api_error',
  provider_not_configured: 'api_error',
  admin_auth_required: 'authentication_error',
  admin_forbidden: 'permission_error',
  tenant_not_found: 'not_found_error',
  tenant_exists: 'invalid_request_error',
  key_not_found: 'not_found_error',
  key_revoked: 'invalid_request_error',
  credential_not_found: 'not_found_error',
  master_key_not_configured: 'api_error',
  insufficient_quota: 'billing_error',
  budget_not_found: 'not_found_error',
  sla_upstream_not_found: 'not_found_error',
  sla_disabled: 'api_error',
  rate_limit_exceeded: 'rate_limit_error',
  token_rate_limit_exceeded: 'rate_limit_error',
  concurrency_limit_exceeded: 'rate_limit_error',
  rate_limiter_unavailable: 'api_error',
  capacity_queue_full: 'overloaded_error',
  capacity_queue_timeout: 'overloaded_error',
  capacity_unavailable: 'overloaded_error',
  shutting_down: 'overloaded_error',
  reasoning_param_refused: 'invalid_request_error',
  reasoning_blob_invalid: 'invalid_request_error',
  internal_error: 'api_error',
};

const codes = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

describe('anthropicErrorBody', () => {
  it('has an expected type for every catalogued error, from the documented set', () => {
    expect(Object.keys(EXPECTED_TYPES).sort()).toEqual([...codes].sort());
    for (const code of codes) {
      const body = JSON.parse(anthropicErrorBody(new MoatError(code, `about ${code}`), 'req_1'));
      expect(body.error.type, code).toBe(EXPECTED_TYPES[code]);
      expect(DOCUMENTED_TYPES).toContain(body.error.type);
    }
  });

  it('has the shape of the recorded error bodies, plus the codes in `details`', () => {
    for (const [file, code] of [
      ['error-400-invalid-request.json', 'invalid_request'],
      ['error-401-authentication.json', 'invalid_api_key'],
      ['error-404-not-found.json', 'model_not_found'],
      ['error-413-request-too-large.json', 'body_too_large'],
      ['error-429-rate-limit.json', 'upstream_rate_limited'],
      ['error-500-api.json', 'internal_error'],
    ] as const) {
      const fixture = recorded(file);
      const body = JSON.parse(anthropicErrorBody(new MoatError(code, fixture.error.message), fixture.request_id));
      expect(body, file).toEqual({ ...fixture, error: { ...fixture.error, details: { error_code: code, moat_code: code } } });
    }
  });

  it("passes the upstream's own code on", () => {
    const error = new MoatError('upstream_bad_request', 'prompt is too long', { upstreamCode: 'context_length_exceeded' });
    expect(JSON.parse(anthropicErrorBody(error, 'r')).error.details).toEqual({ error_code: 'context_length_exceeded', moat_code: 'upstream_bad_request' });
  });

  it('frames the same object as an `error` SSE event', () => {
    const error = new MoatError('upstream_idle_timeout', 'no bytes for 30s');
    const frame = anthropicStreamErrorFrame(error, 'req_9');
    expect(frame.endsWith('\n\n')).toBe(true);
    const events: Array<{ event?: string; data: string }> = [];
    createParser({ onEvent: (e) => events.push(e) }).feed(frame);
    expect(events).toHaveLength(1);
    expect(events[0]!.event).toBe('error');
    expect(JSON.parse(events[0]!.data)).toEqual(JSON.parse(anthropicErrorBody(error, 'req_9')));
  });
});

describe('the Anthropic SDK reading these bodies', () => {
  let server: SdkTestServer;
  beforeAll(async () => {
    server = await startSdkTestServer();
  });
  afterAll(() => server.close());

  const params = { model: 'm', max_tokens: 10, messages: [{ role: 'user' as const, content: 'hi' }] };

  const cases: Array<[ErrorCode, new (...args: never[]) => Error]> = [
    ['invalid_request', BadRequestError],
    ['invalid_api_key', AuthenticationError],
    ['model_not_found', NotFoundError],
    ['body_too_large', ContentTooLargeError],
    ['upstream_rate_limited', RateLimitError],
    ['internal_error', InternalServerError],
    ['upstream_error', InternalServerError],
    ['shutting_down', ServiceUnavailableError],
    ['upstream_timeout', GatewayTimeoutError],
  ];

  for (const [code, errorClass] of cases) {
    it(`raises ${errorClass.name} for ${code} (${ERROR_CATALOGUE[code].status})`, async () => {
      const error = new MoatError(code, `failed: ${code}`);
      server.answer = () => ({ status: error.status, body: anthropicErrorBody(error, 'req_x') });
      const caught = await server.client.messages.create(params).then(
        () => null,
        (e: unknown) => e,
      );
      expect(caught).toBeInstanceOf(errorClass);
      const apiError = caught as APIError;
      expect(apiError.status).toBe(error.status);
      expect(apiError.type).toBe(EXPECTED_TYPES[code]);
      expect(apiError.errorCode).toBe(code);
      expect(apiError.apiMessage).toBe(`failed: ${code}`);
    });
  }

  it('raises an overloaded APIError for a stream that ends in an error frame', async () => {
    const start = 'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":0}}}\n\n';
    const error = new MoatError('upstream_overloaded', 'Overloaded');
    server.answer = () => ({ status: 200, stream: true, body: start + anthropicStreamErrorFrame(error, 'req_s') });
    const caught = await server.client.messages.stream(params).finalMessage().then(
      () => null,
      (e: unknown) => e,
    );
    expect(caught).toBeInstanceOf(APIError);
    expect((caught as APIError).type).toBe('overloaded_error');
    expect((caught as APIError).errorCode).toBe('upstream_overloaded');
  });
});

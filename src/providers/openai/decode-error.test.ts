import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MoatError } from '../../errors/index.ts';
import { decodeOpenAIError } from './decode-error.ts';

const fixture = (name: string): Buffer => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));
const fixtureMessage = (name: string): string => (JSON.parse(fixture(name).toString('utf8')) as { error: { message: string } }).error.message;

describe('decodeOpenAIError on the OpenAI error fixtures', () => {
  it('400 → upstream_bad_request, keeping the message, param and upstream code', () => {
    const error = decodeOpenAIError('openai', 400, {}, fixture('error-400-invalid-param.json'));
    expect(error).toBeInstanceOf(MoatError);
    expect(error.code).toBe('upstream_bad_request');
    expect(error.status).toBe(400);
    expect(error.type).toBe('invalid_request_error');
    expect(error.param).toBe('max_tokens');
    expect(error.upstreamCode).toBe('unsupported_parameter');
    expect(error.message).toBe(fixtureMessage('error-400-invalid-param.json'));
  });

  it('401 → upstream_auth_failed without the upstream message or code', () => {
    const error = decodeOpenAIError('openai', 401, {}, fixture('error-401-invalid-key.json'));
    expect(error.code).toBe('upstream_auth_failed');
    expect(error.status).toBe(502);
    expect(error.type).toBe('api_error');
    expect(error.upstreamCode).toBeNull();
    expect(error.message).toContain("'openai'");
    expect(error.message).toContain('401');
    // The upstream's message describes Moat's provider key (even a masked one must not reach the client).
    expect(error.message).not.toContain('Incorrect API key');
    expect(error.message).not.toContain('sk-proj');
    expect(error.message).not.toContain('abcd');
  });

  it('403 is treated as a credential failure too', () => {
    expect(decodeOpenAIError('openai', 403, {}, fixture('error-401-invalid-key.json')).code).toBe('upstream_auth_failed');
  });

  it('404 → upstream_not_found with the upstream message and code', () => {
    const error = decodeOpenAIError('openai', 404, {}, fixture('error-404-model.json'));
    expect(error.code).toBe('upstream_not_found');
    expect(error.status).toBe(404);
    expect(error.upstreamCode).toBe('model_not_found');
    expect(error.message).toBe(fixtureMessage('error-404-model.json'));
  });

  it('429 → upstream_rate_limited with Retry-After from the headers', () => {
    const error = decodeOpenAIError('openai', 429, { 'retry-after': '20', 'x-ratelimit-remaining-requests': '0' }, fixture('error-429-rate-limit.json'));
    expect(error.code).toBe('upstream_rate_limited');
    expect(error.status).toBe(429);
    expect(error.type).toBe('rate_limit_error');
    expect(error.retryAfter).toBe('20');
    expect(error.upstreamCode).toBe('rate_limit_exceeded');
    expect(error.message).toBe(fixtureMessage('error-429-rate-limit.json'));
    expect(decodeOpenAIError('openai', 429, {}, fixture('error-429-rate-limit.json')).retryAfter).toBeNull();
  });

  it('500 → upstream_error, naming the provider and status', () => {
    const error = decodeOpenAIError('openai', 500, {}, fixture('error-500.json'));
    expect(error.code).toBe('upstream_error');
    expect(error.status).toBe(502);
    expect(error.type).toBe('api_error');
    expect(error.upstreamCode).toBeNull();
    expect(error.message).toBe(`Upstream 'openai' failed with HTTP 500: ${fixtureMessage('error-500.json')}`);
  });

  it('503 → upstream_overloaded', () => {
    const error = decodeOpenAIError('openai', 503, { 'retry-after': '5' }, fixture('error-503-overloaded.json'));
    expect(error.code).toBe('upstream_overloaded');
    expect(error.status).toBe(503);
    expect(error.type).toBe('overloaded_error');
    expect(error.upstreamCode).toBeNull();
    expect(error.retryAfter).toBe('5');
    expect(error.message).toMatch(/^Upstream 'openai' failed with HTTP 503: That model is currently overloaded/);
  });

  it('maps the other statuses', () => {
    const body = Buffer.from('{}');
    expect(decodeOpenAIError('p', 422, {}, body).code).toBe('upstream_bad_request');
    expect(decodeOpenAIError('p', 408, {}, body).code).toBe('upstream_timeout');
    expect(decodeOpenAIError('p', 529, {}, body).code).toBe('upstream_overloaded');
    expect(decodeOpenAIError('p', 502, {}, body).code).toBe('upstream_error');
    expect(decodeOpenAIError('p', 418, {}, body).code).toBe('upstream_error');
  });
});

describe('decodeOpenAIError on bodies of OpenAI-compatible servers', () => {
  it('reads a vLLM-style top-level error, ignoring its numeric code', () => {
    const body = Buffer.from('{"object":"error","message":"m","type":"BadRequestError","param":null,"code":400}');
    const error = decodeOpenAIError('vllm', 400, {}, body);
    expect(error.code).toBe('upstream_bad_request');
    expect(error.message).toBe('m');
    expect(error.param).toBeNull();
    expect(error.upstreamCode).toBeNull();
  });

  it('reads an Ollama string error', () => {
    const error = decodeOpenAIError('ollama', 404, {}, Buffer.from('{"error":"model not found"}'));
    expect(error.code).toBe('upstream_not_found');
    expect(error.message).toBe('model not found');
    expect(error.upstreamCode).toBeNull();
  });

  it('falls back to a generic message for a body that is not JSON', () => {
    const html = Buffer.from('<html><body>Bad Gateway</body></html>');
    const bad = decodeOpenAIError('local', 400, {}, html);
    expect(bad.code).toBe('upstream_bad_request');
    expect(bad.message).toBe("Upstream 'local' answered HTTP 400.");
    expect(bad.param).toBeNull();
    const failed = decodeOpenAIError('local', 502, {}, html);
    expect(failed.message).toBe("Upstream 'local' failed with HTTP 502");
    expect(decodeOpenAIError('local', 500, {}, Buffer.from('')).message).toBe("Upstream 'local' failed with HTTP 500");
    expect(decodeOpenAIError('local', 400, {}, Buffer.from('"just a string"')).message).toBe("Upstream 'local' answered HTTP 400.");
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeAnthropicError } from './decode-error.ts';

const fixture = (name: string): Buffer => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));
const message = (name: string): string => (JSON.parse(fixture(name).toString('utf8')) as { error: { message: string } }).error.message;

describe('decodeAnthropicError on the error fixtures', () => {
  const kept: Array<[string, number, string, number, string]> = [
    ['error-400-invalid-request.json', 400, 'upstream_bad_request', 400, 'invalid_request_error'],
    ['error-404-not-found.json', 404, 'upstream_not_found', 404, 'not_found_error'],
    ['error-413-request-too-large.json', 413, 'body_too_large', 413, 'request_too_large'],
    ['error-429-rate-limit.json', 429, 'upstream_rate_limited', 429, 'rate_limit_error'],
  ];
  for (const [file, status, code, moatStatus, upstreamCode] of kept) {
    it(`${status} → ${code}, keeping the message and error type`, () => {
      const error = decodeAnthropicError('anthropic', status, {}, fixture(file));
      expect(error.code).toBe(code);
      expect(error.status).toBe(moatStatus);
      expect(error.message).toBe(message(file));
      expect(error.upstreamCode).toBe(upstreamCode);
      expect(error.param).toBeNull();
    });
  }

  it('429 passes Retry-After on', () => {
    expect(decodeAnthropicError('anthropic', 429, { 'retry-after': '7' }, fixture('error-429-rate-limit.json')).retryAfter).toBe('7');
    expect(decodeAnthropicError('anthropic', 429, {}, fixture('error-429-rate-limit.json')).retryAfter).toBeNull();
  });

  for (const [file, status] of [['error-401-authentication.json', 401], ['error-403-permission.json', 403]] as const) {
    it(`${status} → upstream_auth_failed without the upstream message or type`, () => {
      const error = decodeAnthropicError('anthropic', status, {}, fixture(file));
      expect(error.code).toBe('upstream_auth_failed');
      expect(error.status).toBe(502);
      expect(error.upstreamCode).toBeNull();
      expect(error.message).toContain("'anthropic'");
      expect(error.message).toContain(String(status));
      expect(error.message).not.toContain(message(file));
    });
  }

  it('500 → upstream_error naming the provider, status and message', () => {
    const error = decodeAnthropicError('anthropic', 500, {}, fixture('error-500-api.json'));
    expect(error.code).toBe('upstream_error');
    expect(error.status).toBe(502);
    expect(error.upstreamCode).toBeNull();
    expect(error.message).toBe("Upstream 'anthropic' failed with HTTP 500: Internal server error");
  });

  it('529 and 503 → upstream_overloaded', () => {
    const error = decodeAnthropicError('anthropic', 529, { 'retry-after': '3' }, fixture('error-529-overloaded.json'));
    expect(error.code).toBe('upstream_overloaded');
    expect(error.status).toBe(503);
    expect(error.type).toBe('overloaded_error');
    expect(error.retryAfter).toBe('3');
    expect(error.message).toBe("Upstream 'anthropic' failed with HTTP 529: Overloaded");
    expect(decodeAnthropicError('anthropic', 503, {}, fixture('error-529-overloaded.json')).code).toBe('upstream_overloaded');
  });

  it('reads bodies that are not Anthropic errors without throwing', () => {
    const html = Buffer.from('<html>Bad Gateway</html>');
    expect(decodeAnthropicError('a', 400, {}, html).message).toBe("Upstream 'a' answered HTTP 400.");
    expect(decodeAnthropicError('a', 400, {}, html).upstreamCode).toBeNull();
    expect(decodeAnthropicError('a', 502, {}, html).message).toBe("Upstream 'a' failed with HTTP 502");
    expect(decodeAnthropicError('a', 422, {}, Buffer.from('{"error":"x"}')).code).toBe('upstream_bad_request');
    expect(decodeAnthropicError('a', 408, {}, Buffer.from('')).code).toBe('upstream_timeout');
    expect(decodeAnthropicError('a', 418, {}, Buffer.from('null')).code).toBe('upstream_error');
  });
});

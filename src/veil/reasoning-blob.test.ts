import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../canonical/index.ts';
import { deriveVeilKeys, openReasoning, sealReasoning, tenantCacheSalt } from './reasoning-blob.ts';
import { ForeignBlobError, restoreReasoning } from './restore-reasoning.ts';

const master = { currentVersion: 2, keys: new Map([[1, Buffer.alloc(32, 1)], [2, Buffer.alloc(32, 2)]]) };
const keys = deriveVeilKeys(master);

describe('reasoning blobs', () => {
  it('round-trips signed, unsigned and redacted reasoning for the same tenant', () => {
    for (const part of [
      { type: 'reasoning', text: 'Let x be 1.', signature: 'EqQBCg' },
      { type: 'reasoning', text: 'unsigned' },
      { type: 'redacted-reasoning', data: 'EmwKAhgB' },
    ] as const) {
      const blob = sealReasoning(part, 'tenant-a', keys);
      expect(blob.startsWith('moatveil1.2.')).toBe(true);
      expect(blob).not.toContain('Let x');
      expect(openReasoning(blob, 'tenant-a', keys)).toEqual(part);
    }
  });

  it('refuses another tenant, an altered blob, and an unknown key version', () => {
    const blob = sealReasoning({ type: 'reasoning', text: 'secret', signature: 's' }, 'tenant-a', keys);
    expect(() => openReasoning(blob, 'tenant-b', keys)).toThrow(/another tenant/);
    const body = Buffer.from(blob.slice('moatveil1.2.'.length), 'base64url');
    body[20] = body[20]! ^ 1;
    expect(() => openReasoning(`moatveil1.2.${body.toString('base64url')}`, 'tenant-a', keys)).toThrow(/altered/);
    expect(() => openReasoning(blob.replace('moatveil1.2.', 'moatveil1.7.'), 'tenant-a', keys)).toThrow();
    expect(() => openReasoning('moatveil1.2.AAAA', 'tenant-a', keys)).toThrow();
    expect(() => openReasoning(blob, 'tenant-a', deriveVeilKeys(null))).toThrow();
  });

  it('opens blobs sealed under an older master key version after a rotation', () => {
    const old = deriveVeilKeys({ currentVersion: 1, keys: new Map([[1, Buffer.alloc(32, 1)]]) });
    const blob = sealReasoning({ type: 'reasoning', text: 'before rotation' }, 't', old);
    expect(openReasoning(blob, 't', keys)).toEqual({ type: 'reasoning', text: 'before rotation' });
  });

  it('salts the prompt cache per tenant, stably', () => {
    expect(tenantCacheSalt('a', keys)).toBe(tenantCacheSalt('a', deriveVeilKeys(master)));
    expect(tenantCacheSalt('a', keys)).not.toBe(tenantCacheSalt('b', keys));
    expect(tenantCacheSalt('a', keys)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('restoreReasoning', () => {
  const request = (data: string): CanonicalRequest => ({
    model: 'm',
    stream: false,
    includeUsage: false,
    options: {},
    messages: [
      { role: 'user', parts: [{ type: 'text', text: 'q' }] },
      { role: 'assistant', parts: [{ type: 'redacted-reasoning', data }, { type: 'tool-call', id: 't1', name: 'f', arguments: '{}' }] },
      { role: 'assistant', parts: [{ type: 'redacted-reasoning', data: 'EmwKAhgB-anthropic-own' }] },
    ],
  });

  it('puts the original thinking block, signature included, where the blob was', () => {
    const r = request(sealReasoning({ type: 'reasoning', text: 'think', signature: 'sig' }, 't', keys));
    expect(restoreReasoning(r, 't', keys)).toBe(1);
    expect(r.messages[1]!.parts).toEqual([{ type: 'reasoning', text: 'think', signature: 'sig' }, { type: 'tool-call', id: 't1', name: 'f', arguments: '{}' }]);
    // Anthropic's own redacted thinking is not Moat's: left alone.
    expect(r.messages[2]!.parts).toEqual([{ type: 'redacted-reasoning', data: 'EmwKAhgB-anthropic-own' }]);
  });

  it('throws ForeignBlobError naming the message of a foreign blob', () => {
    const r = request(sealReasoning({ type: 'reasoning', text: 'think' }, 'other', keys));
    expect(() => restoreReasoning(r, 't', keys)).toThrow(ForeignBlobError);
    try {
      restoreReasoning(request(sealReasoning({ type: 'reasoning', text: 'x' }, 'other', keys)), 't', keys);
    } catch (error) {
      expect((error as ForeignBlobError).messageIndex).toBe(1);
    }
  });
});

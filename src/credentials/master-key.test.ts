import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/index.ts';
import { loadMasterKeys, parseMasterKey } from './master-key.ts';

const raw = randomBytes(32);
const older = randomBytes(32);

function problems(env: Record<string, string>): string[] {
  try {
    loadMasterKeys(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('parseMasterKey', () => {
  it('reads 32 bytes as 64 hex digits, base64 or base64url, around whitespace', () => {
    expect(parseMasterKey(raw.toString('hex'))).toEqual(raw);
    expect(parseMasterKey(raw.toString('hex').toUpperCase())).toEqual(raw);
    expect(parseMasterKey(raw.toString('base64'))).toEqual(raw);
    expect(parseMasterKey(raw.toString('base64url'))).toEqual(raw);
    expect(parseMasterKey(`${raw.toString('base64')}\n`)).toEqual(raw);
  });

  it('refuses anything that is not exactly 32 bytes', () => {
    for (const text of ['', 'secret', randomBytes(16).toString('hex'), randomBytes(31).toString('base64'), randomBytes(33).toString('base64'), randomBytes(48).toString('base64'), `${raw.toString('hex')}00`, 'z'.repeat(64)]) {
      expect(parseMasterKey(text), text).toBeUndefined();
    }
  });
});

describe('loadMasterKeys', () => {
  it('is null when no master key is set', () => {
    expect(loadMasterKeys({})).toBeNull();
    expect(loadMasterKeys({ MOAT_MASTER_KEY: '' })).toBeNull();
  });

  it('takes MOAT_MASTER_KEY as version 1 by default', () => {
    const ring = loadMasterKeys({ MOAT_MASTER_KEY: raw.toString('base64') })!;
    expect(ring.currentVersion).toBe(1);
    expect([...ring.keys]).toEqual([[1, raw]]);
  });

  it('takes the version from MOAT_MASTER_KEY_VERSION and older keys from MOAT_MASTER_KEY_<n>', () => {
    const ring = loadMasterKeys({ MOAT_MASTER_KEY: raw.toString('hex'), MOAT_MASTER_KEY_VERSION: '2', MOAT_MASTER_KEY_1: older.toString('base64') })!;
    expect(ring.currentVersion).toBe(2);
    expect(ring.keys.get(2)).toEqual(raw);
    expect(ring.keys.get(1)).toEqual(older);
  });

  it('accepts MOAT_MASTER_KEY_<current> when it is the same key', () => {
    const ring = loadMasterKeys({ MOAT_MASTER_KEY: raw.toString('hex'), MOAT_MASTER_KEY_1: raw.toString('base64') })!;
    expect([...ring.keys.keys()]).toEqual([1]);
  });

  it('names the variable at fault, never its value', () => {
    const bad = 'not-a-key-0123456789';
    const lines = problems({ MOAT_MASTER_KEY: bad, MOAT_MASTER_KEY_3: 'short', MOAT_MASTER_KEY_VERSION: 'two' });
    expect(lines).toEqual([
      expect.stringMatching(/^MOAT_MASTER_KEY_VERSION: must be a whole number/),
      expect.stringMatching(/^MOAT_MASTER_KEY: must be a 32-byte key, as 64 hex digits or base64/),
      expect.stringMatching(/^MOAT_MASTER_KEY_3: must be a 32-byte key/),
    ]);
    expect(lines.join('\n')).not.toContain(bad);
    expect(lines.join('\n')).not.toContain('short');
  });

  it('refuses two different keys for one version, version 0, and older keys without a current one', () => {
    expect(problems({ MOAT_MASTER_KEY: raw.toString('hex'), MOAT_MASTER_KEY_1: older.toString('hex') })).toEqual([expect.stringContaining('both version 1 but differ')]);
    expect(problems({ MOAT_MASTER_KEY: raw.toString('hex'), MOAT_MASTER_KEY_VERSION: '0' })).toEqual([expect.stringContaining('MOAT_MASTER_KEY_VERSION')]);
    expect(problems({ MOAT_MASTER_KEY: raw.toString('hex'), MOAT_MASTER_KEY_0: older.toString('hex') })).toEqual([expect.stringContaining('versions start at 1')]);
    expect(problems({ MOAT_MASTER_KEY_1: older.toString('hex') })).toEqual([expect.stringContaining('MOAT_MASTER_KEY_1 is set but MOAT_MASTER_KEY is not')]);
  });
});

import { expect, it } from 'vitest';
import type { ContractContext } from './contract-context.ts';
import { unique } from './fixtures.ts';

export function describeCredentials(ctx: ContractContext): void {
  it('puts, replaces (keeping createdAt), lists and deletes ciphertext rows', async () => {
    const name = unique('openai');
    const sealed = { name, ciphertext: 'c2VjcmV0', iv: 'aXYxMjM0NTY3ODkw', authTag: 'dGFnMTIzNDU2Nzg5MA==', keyVersion: 1 };
    ctx.clock.now = Date.UTC(2030, 5, 1);
    const first = await ctx.storage.credentials.put(sealed);
    expect(first).toEqual({ ...sealed, createdAt: Date.UTC(2030, 5, 1), updatedAt: Date.UTC(2030, 5, 1) });
    expect(await ctx.storage.credentials.get(name)).toEqual(first);

    ctx.clock.now = Date.UTC(2030, 5, 2);
    const replaced = await ctx.storage.credentials.put({ ...sealed, ciphertext: 'bmV3', keyVersion: 2 });
    expect(replaced).toEqual({ ...sealed, ciphertext: 'bmV3', keyVersion: 2, createdAt: Date.UTC(2030, 5, 1), updatedAt: Date.UTC(2030, 5, 2) });
    expect((await ctx.storage.credentials.list()).filter((c) => c.name === name)).toEqual([replaced]);

    expect(await ctx.storage.credentials.delete(name)).toBe(true);
    expect(await ctx.storage.credentials.delete(name)).toBe(false);
    expect(await ctx.storage.credentials.get(name)).toBeUndefined();
  });

  it('lists by name', async () => {
    const [b, a] = [unique('zz-b'), unique('zz-a')];
    for (const name of [b, a]) await ctx.storage.credentials.put({ name, ciphertext: 'x', iv: 'y', authTag: 'z', keyVersion: 1 });
    const names = (await ctx.storage.credentials.list()).map((c) => c.name);
    expect(names.indexOf(a)).toBeLessThan(names.indexOf(b));
  });
}

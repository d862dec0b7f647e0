import { describe, expect, it, vi } from 'vitest';
import { VaultAuthStore } from './vault-auth-store.ts';

function vault() {
  const calls: string[] = [];
  return {
    calls,
    writer: {
      save: vi.fn(async (serialized: string) => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        calls.push(`save ${serialized}`);
      }),
      clear: vi.fn(async () => {
        calls.push('clear');
      }),
    },
  };
}

describe('VaultAuthStore', () => {
  it('restores a saved state without writing, and tells listeners', async () => {
    const { writer, calls } = vault();
    const store = new VaultAuthStore(writer);
    const seen: string[] = [];
    store.onChange((token) => seen.push(token));
    expect(store.restore(JSON.stringify({ token: 't1', record: { id: 'u1' } }))).toBe(true);
    await store.settled();
    expect(store.token).toBe('t1');
    expect(store.record).toEqual({ id: 'u1' });
    expect(seen).toEqual(['t1']);
    expect(calls).toEqual([]);
  });

  it('refuses what is not a saved state, keeping nothing', () => {
    const store = new VaultAuthStore(vault().writer);
    for (const junk of ['', '{', 'null', '"t1"', '{"token":""}', '{"token":42}', '[]']) {
      expect(store.restore(junk), junk).toBe(false);
      expect(store.token).toBe('');
    }
  });

  it('writes each change once, in the order made, and settles after the last', async () => {
    const { writer, calls } = vault();
    const store = new VaultAuthStore(writer);
    store.save('t1', null);
    store.save('t2', null);
    store.clear();
    await store.settled();
    expect(calls).toEqual(['save {"token":"t1","record":null}', 'save {"token":"t2","record":null}', 'clear']);
  });

  it('keeps writing after a failed write', async () => {
    const { writer, calls } = vault();
    writer.save.mockRejectedValueOnce(new Error('bridge gone'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const store = new VaultAuthStore(writer);
    store.save('t1', null);
    store.clear();
    await store.settled();
    expect(calls).toEqual(['clear']);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('bridge gone'));
    warn.mockRestore();
  });
});

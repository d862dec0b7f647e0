// What the session writes to the vault: the token at rest is touched only when it changes.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PalaverBridge, VaultLoadResult } from '../../../src-shared/ipc.ts';
import { Session } from './session.svelte.ts';

/** A token the SDK considers valid (it only reads the expiry), for a server that is not running. */
function unexpiredToken(): string {
  const part = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ id: 'u1', type: 'auth', exp: Math.floor(Date.now() / 1000) + 3600 })}.signature`;
}

/** Nothing listens on port 1: the session starts "offline", keeping what the vault had. */
const OFFLINE_SERVER = 'http://127.0.0.1:1';

function bridgeWith(loaded: VaultLoadResult) {
  const vault = {
    load: vi.fn(async () => loaded),
    save: vi.fn(async (_server: string, _serialized: string) => ({ persistent: true })),
    clear: vi.fn(async () => undefined),
  };
  const bridge = {
    kind: 'electron',
    vault,
    servers: { add: async () => undefined },
  } as unknown as PalaverBridge;
  return { bridge, vault };
}

function storage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    key: (i) => [...items.keys()][i] ?? null,
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => void items.set(k, String(v)),
    removeItem: (k) => void items.delete(k),
    clear: () => items.clear(),
  };
}

describe('Session and the vault', () => {
  beforeEach(() => vi.stubGlobal('sessionStorage', storage()));
  afterEach(() => vi.unstubAllGlobals());

  const saved = () =>
    JSON.stringify({ token: unexpiredToken(), record: { id: 'u1', username: 'alice', collectionName: 'users' } });

  it('restores a saved session without writing the same token back', async () => {
    const { bridge, vault } = bridgeWith({ value: saved(), status: { persistent: true } });
    const session = new Session(bridge, OFFLINE_SERVER);
    await session.start();
    expect(session.phase).toBe('signed-in');
    expect(session.user?.username).toBe('alice');
    // Let any queued store write reach the bridge before counting.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(vault.save).not.toHaveBeenCalled();
    expect(vault.clear).not.toHaveBeenCalled();
  });

  it('clears the vault once on sign-out, and has cleared it when sign-out returns', async () => {
    const { bridge, vault } = bridgeWith({ value: saved(), status: { persistent: true } });
    const session = new Session(bridge, OFFLINE_SERVER);
    await session.start();
    let cleared = false;
    vault.clear.mockImplementation(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      cleared = true;
    });
    await session.signOut();
    expect(cleared).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(vault.clear).toHaveBeenCalledTimes(1);
    expect(vault.save).not.toHaveBeenCalled();
    expect(session.phase).toBe('signed-out');
    expect(session.pb?.authStore.token).toBe('');
  });

  it('starts signed out with nothing saved without touching the vault', async () => {
    const { bridge, vault } = bridgeWith({ value: null, status: { persistent: true } });
    const session = new Session(bridge, OFFLINE_SERVER);
    await session.start();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(session.phase).toBe('signed-out');
    expect(vault.save).not.toHaveBeenCalled();
    expect(vault.clear).not.toHaveBeenCalled();
  });

  it('forgets a saved session that cannot be read, once', async () => {
    const { bridge, vault } = bridgeWith({ value: '{not json', status: { persistent: true } });
    const session = new Session(bridge, OFFLINE_SERVER);
    await session.start();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(session.phase).toBe('signed-out');
    expect(vault.clear).toHaveBeenCalledTimes(1);
    expect(vault.save).not.toHaveBeenCalled();
  });
});

describe('a saved profile', () => {
  beforeEach(() => vi.stubGlobal('sessionStorage', storage()));
  afterEach(() => vi.unstubAllGlobals());

  it('changes the signed-in record in place, so what holds it (the chat, its sender) sees the new name', async () => {
    const token = JSON.stringify({ token: unexpiredToken(), record: { id: 'u1', username: 'alice', name: '' } });
    const { bridge } = bridgeWith({ value: token, status: { persistent: true } });
    const session = new Session(bridge, OFFLINE_SERVER);
    await session.start();
    const held = session.user!;
    session.profileSaved({ ...held, name: 'Alice Liddell', avatar: 'me_abc.png' });
    expect(held.name).toBe('Alice Liddell');
    expect(session.user?.avatar).toBe('me_abc.png');
    // Someone else's record is never taken for the signed-in person's.
    session.profileSaved({ ...held, id: 'u2', name: 'Mallory' });
    expect(session.user?.name).toBe('Alice Liddell');
  });
});

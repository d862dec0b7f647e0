import { describe, expect, it } from 'vitest';
import { FileTokens, refreshMargin, tokenExpiry, tokenLifetime, type IssuedToken } from './file-tokens.ts';

/** An unsigned JWT-shaped token expiring at `exp` (seconds), tagged so tests can tell tokens apart. */
function jwt(exp: number | undefined, tag: string): string {
  const encode = (value: object) =>
    btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${encode({ alg: 'HS256' })}.${encode({ type: 'file', tag, ...(exp === undefined ? {} : { exp }) })}.sig`;
}

/** A server whose clock is `skew` ms ahead of this machine's and whose tokens live `lifetime` s. */
function fakeServer(clock: { now: number }, lifetime = 180, skew = 0) {
  let issued = 0;
  const waiting: (() => void)[] = [];
  return {
    get issued() {
      return issued;
    },
    /** Holds answers until `answer()` is called, to see several callers share one request. */
    held: false,
    answer() {
      for (const resume of waiting.splice(0)) resume();
    },
    async issue(this: { held: boolean }): Promise<IssuedToken> {
      issued += 1;
      const n = issued;
      if (this.held) await new Promise<void>((resolve) => waiting.push(resolve));
      const serverNow = clock.now + skew;
      return { token: jwt(Math.floor(serverNow / 1000) + lifetime, `t${n}`), serverDate: serverNow };
    },
  };
}

function setup(options: { lifetime?: number; skew?: number } = {}) {
  const clock = { now: 1_700_000_000_000 };
  const server = fakeServer(clock, options.lifetime, options.skew);
  let owner = 'alice-auth';
  const tokens = new FileTokens({
    issue: () => server.issue(),
    owner: () => owner,
    now: () => clock.now,
  });
  return {
    clock,
    server,
    tokens,
    signInAs(who: string) {
      owner = who;
    },
  };
}

const tag = (token: string) => (JSON.parse(atob(token.split('.')[1]!)) as { tag: string }).tag;

describe('tokenExpiry', () => {
  it('reads the exp claim, and null for anything unreadable', () => {
    expect(tokenExpiry(jwt(1234, 'a'))).toBe(1234);
    expect(tokenExpiry(jwt(undefined, 'a'))).toBeNull();
    expect(tokenExpiry('not a token')).toBeNull();
    expect(tokenExpiry('a.%%%.c')).toBeNull();
  });
});

describe('tokenLifetime', () => {
  it('is measured on the server clock, whatever this machine says the time is', () => {
    const serverDate = Date.UTC(2030, 0, 1);
    const token = jwt(serverDate / 1000 + 180, 'a');
    // This machine is an hour behind: by its clock the token would live 61 minutes.
    expect(tokenLifetime({ token, serverDate }, serverDate - 3_600_000)).toBe(180_000);
  });

  it('falls back to the local clock without a Date header, and to a short life without exp', () => {
    expect(tokenLifetime({ token: jwt(1000 + 60, 'a'), serverDate: null }, 1_000_000)).toBe(60_000);
    expect(tokenLifetime({ token: jwt(undefined, 'a'), serverDate: 0 }, 0)).toBe(60_000);
    expect(tokenLifetime({ token: jwt(10, 'a'), serverDate: 20_000 }, 0)).toBe(0);
  });

  it('leaves a quarter of a short life as margin, half a minute of a long one', () => {
    expect(refreshMargin(10_000)).toBe(2_500);
    expect(refreshMargin(180_000)).toBe(30_000);
  });
});

describe('FileTokens', () => {
  it('asks the server once for everyone who asks at the same moment', async () => {
    const { server, tokens } = setup();
    server.held = true;
    const asked = [tokens.get(), tokens.get(), tokens.get()];
    server.answer();
    const got = await Promise.all(asked);
    expect(server.issued).toBe(1);
    expect(new Set(got).size).toBe(1);
    expect(tokens.current()).toBe(got[0]);
  });

  it('reuses the token while it has time left and replaces it before it expires', async () => {
    const { clock, server, tokens } = setup({ lifetime: 180 });
    const first = await tokens.get();
    clock.now += 149_000; // 31 s left: still handed out
    expect(await tokens.get()).toBe(first);
    expect(server.issued).toBe(1);
    clock.now += 2_000; // 29 s left: inside the margin, replaced
    expect(tokens.current()).toBeNull();
    const second = await tokens.get();
    expect(second).not.toBe(first);
    expect(server.issued).toBe(2);
  });

  it('after an hour open, hands out a token that is still valid, not the first one', async () => {
    const { clock, tokens } = setup({ lifetime: 180 });
    const first = await tokens.get();
    clock.now += 3_600_000;
    const later = await tokens.get();
    expect(later).not.toBe(first);
    expect(tokenExpiry(later)! * 1000).toBeGreaterThan(clock.now + 30_000);
  });

  it('is not fooled by a machine clock far off the server: the token lives its real length', async () => {
    const { clock, server, tokens } = setup({ lifetime: 180, skew: -3_600_000 });
    const first = await tokens.get();
    // By this machine's clock the token expired an hour ago; it is still handed out, once.
    expect(tokens.current()).toBe(first);
    clock.now += 160_000;
    expect(tokens.current()).toBeNull();
    await tokens.get();
    expect(server.issued).toBe(2);
  });

  it('gives an image that failed a newer token, and never the same one twice', async () => {
    const { server, tokens } = setup();
    const first = await tokens.get();
    const renewed = await tokens.renew(first);
    expect(renewed).not.toBe(first);
    expect(server.issued).toBe(2);
    // Other images that failed with the first token get the one already renewed, without a request.
    expect(await tokens.renew(first)).toBe(renewed);
    expect(server.issued).toBe(2);
  });

  it('shares one renewal among images failing at once', async () => {
    const { server, tokens } = setup();
    const first = await tokens.get();
    server.held = true;
    const renewals = [tokens.renew(first), tokens.renew(first)];
    server.answer();
    const [a, b] = await Promise.all(renewals);
    expect(a).toBe(b);
    expect(tag(a!)).toBe('t2');
    expect(server.issued).toBe(2);
  });

  it('never hands out a token fetched for an earlier sign-in', async () => {
    const { server, tokens, signInAs } = setup();
    const alices = await tokens.get();
    signInAs('bob-auth');
    expect(tokens.current()).toBeNull();
    const bobs = await tokens.get();
    expect(bobs).not.toBe(alices);
    expect(server.issued).toBe(2);
  });

  it('does not keep a token that arrives after the sign-in changed', async () => {
    const { server, tokens, signInAs } = setup();
    server.held = true;
    const asked = tokens.get();
    signInAs('bob-auth');
    server.answer();
    await asked;
    expect(tokens.current()).toBeNull();
  });

  it('tries again on the next call after a failed request', async () => {
    let fail = true;
    const tokens = new FileTokens({
      issue: async () => {
        if (fail) throw new Error('offline');
        return { token: jwt(Math.floor(Date.now() / 1000) + 180, 'ok'), serverDate: Date.now() };
      },
      owner: () => 'alice',
    });
    await expect(tokens.get()).rejects.toThrow('offline');
    fail = false;
    expect(tag(await tokens.get())).toBe('ok');
  });
});

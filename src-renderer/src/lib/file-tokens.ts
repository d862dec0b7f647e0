// File tokens: a message's files are protected, so every <img>, <video> and download URL carries a
// short-lived token from the server (`POST /api/files/token`). One chat session shares one token: it is
// fetched once for everyone who asks at the same moment, reused while it has time left, and replaced a
// little before it runs out, so a URL made from it still works when the browser fetches it a moment
// later. A URL is made once, when its image mounts; a loaded image keeps its src when the token turns
// (the bytes are already here), and one that fails gets a single retry with a token newer than its own.
import type PocketBase from 'pocketbase';

/** A token as the server issued it, with the server's clock at that moment when the answer said it. */
export interface IssuedToken {
  token: string;
  /** The answer's Date header (epoch ms), to read the token's expiry without trusting this machine's clock. */
  serverDate: number | null;
}

/** The seconds-since-epoch `exp` claim of a JWT, or null when the token has none or cannot be read. */
export function tokenExpiry(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(
      payload
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(payload.length / 4) * 4, '='),
    );
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp : null;
  } catch {
    return null;
  }
}

/** Used when a token says nothing readable about its expiry: short, so it is soon replaced. */
const UNKNOWN_LIFETIME_MS = 60_000;
/** Replaced this long before its end at most: time for a URL made now to be fetched. */
const MAX_MARGIN_MS = 30_000;

/**
 * How long a token lives from the moment it arrived, in ms. Measured on the server's clock (its `exp`
 * against the answer's Date header), because this machine's clock may be minutes off; only without a
 * Date header is the local clock asked.
 */
export function tokenLifetime(issued: IssuedToken, localNow: number): number {
  const exp = tokenExpiry(issued.token);
  if (exp === null) return UNKNOWN_LIFETIME_MS;
  const lifetime = exp * 1000 - (issued.serverDate ?? localNow);
  return lifetime > 0 ? lifetime : 0;
}

/**
 * How long before its end a token is replaced: a quarter of its life, at most half a minute, so a
 * three-minute token is renewed with half a minute to spare and a ten-second test token with 2.5 s.
 */
export function refreshMargin(lifetime: number): number {
  return Math.min(MAX_MARGIN_MS, lifetime / 4);
}

interface Held {
  token: string;
  /** Local clock (ms) after which it is no longer handed out. */
  replaceAt: number;
  /** Whose sign-in it was fetched for: a token of someone else's sign-in is never handed out. */
  owner: string;
}

export interface FileTokenDeps {
  /** Asks the server for a new token. */
  issue(): Promise<IssuedToken>;
  /** The sign-in the token is for (the auth token): when it changes, the held file token is dropped. */
  owner(): string;
  now?: () => number;
}

export class FileTokens {
  private held: Held | null = null;
  private pending: Promise<string> | null = null;
  private readonly now: () => number;

  constructor(private readonly deps: FileTokenDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** A token with time left, without asking the server, or null when one must be fetched first. */
  current(): string | null {
    const held = this.held;
    if (!held || held.owner !== this.deps.owner() || this.now() >= held.replaceAt) return null;
    return held.token;
  }

  /** A token with time left: the one held, else a new one (one request however many ask at once). */
  get(): Promise<string> {
    const current = this.current();
    if (current !== null) return Promise.resolve(current);
    return this.fetchNew();
  }

  /**
   * A token other than `failed`, after a URL made with it did not load: the one held if it is already
   * newer (another image asked first), else a new one. Never the same token twice.
   */
  renew(failed: string): Promise<string> {
    const current = this.current();
    if (current !== null && current !== failed) return Promise.resolve(current);
    if (this.held?.token === failed) this.held = null;
    return this.fetchNew();
  }

  private fetchNew(): Promise<string> {
    if (this.pending) return this.pending;
    const owner = this.deps.owner();
    const pending = this.deps.issue().then(
      (issued) => {
        this.pending = null;
        const arrived = this.now();
        const lifetime = tokenLifetime(issued, arrived);
        // Kept only for the sign-in it was asked for: a sign-out meanwhile must not inherit it.
        if (owner === this.deps.owner())
          this.held = { token: issued.token, replaceAt: arrived + lifetime - refreshMargin(lifetime), owner };
        return issued.token;
      },
      (error: unknown) => {
        this.pending = null;
        throw error;
      },
    );
    this.pending = pending;
    return pending;
  }
}

/** Asks PocketBase for a file token, reading the answer's Date header on the way. */
export function pocketBaseIssuer(pb: PocketBase): () => Promise<IssuedToken> {
  return async () => {
    let serverDate: number | null = null;
    const token = await pb.files.getToken({
      fetch: async (url: RequestInfo | URL, init?: RequestInit) => {
        const response = await fetch(url, init);
        const date = Date.parse(response.headers.get('date') ?? '');
        if (Number.isFinite(date)) serverDate = date;
        return response;
      },
    });
    return { token, serverDate };
  };
}

const sessions = new WeakMap<PocketBase, FileTokens>();

/** The one token holder of a chat session (a PocketBase client), made on first use. */
export function fileTokensFor(pb: PocketBase): FileTokens {
  let tokens = sessions.get(pb);
  if (!tokens) {
    tokens = new FileTokens({ issue: pocketBaseIssuer(pb), owner: () => pb.authStore.token });
    sessions.set(pb, tokens);
  }
  return tokens;
}

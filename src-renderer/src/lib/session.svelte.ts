// Who is signed in to one server, and how the token is kept. A VaultAuthStore saves every token change
// through the bridge (the Electron vault, or sessionStorage in a browser), under this server's address.
// Several servers are several sessions (lib/servers.svelte.ts).
import PocketBase from 'pocketbase';
import type { PalaverBridge, VaultStatus } from '../../../src-shared/ipc.ts';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { describeError, type ProblemDescription } from './errors.ts';
import { serverUrlFromInput } from '../../../src-shared/server-address.ts';
import { suspensionOf, watchSuspension } from './suspension.ts';
import { VaultAuthStore } from './vault-auth-store.ts';

export type Phase = 'loading' | 'signed-out' | 'signed-in';

export interface SignUpInput {
  email: string;
  username: string;
  /** The display name; empty for none (the username is shown). */
  name?: string;
  password: string;
  passwordConfirm: string;
}

const RESUME_KEY = 'palaver:resume-sign-in';

/** Where the session's server is chosen: the sign-in form may name another address than the one it opened with. */
export interface ServerChoice {
  /** Adds `to` to the servers (in Electron the page reloads and this does not return); `from` may be ''. */
  choose(from: string, to: string): Promise<void>;
}

export class Session {
  phase = $state<Phase>('loading');
  user = $state<UsersRecord | null>(null);
  server = $state('');
  vaultStatus = $state<VaultStatus>({ persistent: true });
  /** A message for the sign-in screen: why the user is there. */
  notice = $state('');
  /** The identity to fill in after the window reloaded for a new server. */
  resumeIdentity = $state('');
  pb: PocketBase | null = null;
  /** The auth store of `pb`. */
  private store: VaultAuthStore | null = null;
  /** A sign-out for suspension is under way: the other refused requests of the moment add nothing. */
  private leaving = false;

  constructor(
    readonly bridge: PalaverBridge,
    /** The server's address; '' for a server still to be named in the sign-in form. */
    server: string,
    private readonly choice: ServerChoice = { choose: (_from, to) => bridge.servers.add(to).then(() => undefined) },
    /** False for an address the sign-in form offers but nobody signed in to yet: no token to look for. */
    private added = true,
  ) {
    this.server = server;
  }

  private connect(server: string): PocketBase {
    const bridge = this.bridge;
    const store = new VaultAuthStore({
      save: async (serialized) => {
        this.vaultStatus = await bridge.vault.save(server, serialized);
      },
      clear: () => bridge.vault.clear(server),
    });
    this.store = store;
    const pb = new PocketBase(server, store);
    // Paging and parallel loads must not cancel each other; we cancel on purpose where it matters.
    pb.autoCancellation(false);
    // A suspended account is refused on its next request of any kind (the realtime resubscribe after the
    // server closed the connection included): signed out, with the server's sentence on the sign-in screen.
    watchSuspension(pb, (message) => {
      if (this.pb !== pb || this.phase !== 'signed-in' || this.leaving) return;
      this.leaving = true;
      void this.signOut(message).finally(() => (this.leaving = false));
    });
    return pb;
  }

  /** Restores the server's session; `resume`: this is the server the page reloaded for (Electron), so the sign-in form is filled in. */
  async start(resume = false): Promise<void> {
    const identity = resume ? sessionStorage.getItem(RESUME_KEY) : null;
    if (identity) {
      sessionStorage.removeItem(RESUME_KEY);
      this.resumeIdentity = identity;
      this.notice = `Connected to ${this.server}. Enter your password to sign in.`;
    }
    if (!this.added || this.server === '') {
      this.phase = 'signed-out';
      return;
    }
    const loaded = await this.bridge.vault.load(this.server);
    this.vaultStatus = loaded.status;
    if (loaded.problem) this.notice = loaded.problem;
    this.pb = this.connect(this.server);
    // Restored before anything is decided, and not written back: the vault already holds it. Only a
    // token the server refreshes below is saved again.
    if (loaded.value) this.store?.restore(loaded.value);
    if (!this.pb.authStore.isValid) {
      if (loaded.value) {
        // Expired or unreadable: forgotten, with one write.
        this.notice ||= 'Your session has ended. Please sign in again.';
        this.pb.authStore.clear();
      }
      this.phase = 'signed-out';
      return;
    }
    try {
      const auth = await this.pb.collection('users').authRefresh<UsersRecord>();
      this.user = auth.record;
      this.phase = 'signed-in';
    } catch (error) {
      const problem = describeError(error, { server: this.server, action: 'restore your session' });
      if (problem.unreachable) {
        // Offline at start: keep the session and show what we have; the chat screen says we are offline.
        this.user = this.pb.authStore.record as unknown as UsersRecord;
        this.phase = 'signed-in';
      } else {
        this.pb.authStore.clear();
        this.notice = suspensionOf(error) ?? 'Your session has ended. Please sign in again.';
        this.phase = 'signed-out';
      }
    }
  }

  /**
   * Points this session at the server the form names, adding it to the servers. In Electron the page
   * reloads (the Content-Security-Policy names the servers), so the identity is kept for the sign-in
   * form and the call does not return.
   */
  private async switchServer(server: string, identity: string): Promise<PocketBase> {
    if (server === this.server && this.pb) return this.pb;
    if (this.bridge.kind === 'electron') sessionStorage.setItem(RESUME_KEY, identity);
    const before = this.server;
    // Named by its new address before the list changes, so the server's place in the rail finds it.
    this.server = server;
    try {
      await this.choice.choose(this.added ? before : '', server);
    } catch (error) {
      this.server = before;
      throw error;
    }
    this.added = true;
    sessionStorage.removeItem(RESUME_KEY);
    this.pb = this.connect(server);
    return this.pb;
  }

  /** Checks that a Palaver server answers at the address; returns a problem for the Server field. */
  private async reachable(pb: PocketBase, server: string): Promise<ProblemDescription | null> {
    try {
      await pb.health.check({ requestKey: null });
      return null;
    } catch (error) {
      const problem = describeError(error, { server, action: 'reach the server' });
      return {
        ...problem,
        fields: {
          server: problem.unreachable
            ? `Can't reach a Palaver server at ${server}. Check the address and your connection.`
            : problem.message,
        },
      };
    }
  }

  async signIn(serverInput: string, identity: string, password: string): Promise<ProblemDescription | null> {
    const server = serverUrlFromInput(serverInput);
    const pb = await this.switchServer(server, identity);
    const unreachable = await this.reachable(pb, server);
    if (unreachable) return unreachable;
    try {
      const auth = await pb.collection('users').authWithPassword<UsersRecord>(identity.trim(), password);
      this.user = auth.record;
      this.notice = '';
      this.phase = 'signed-in';
      return null;
    } catch (error) {
      const problem = describeError(error, { server, action: 'sign in' });
      // Said for the form as a whole: no field of it is wrong.
      const suspended = suspensionOf(error);
      if (suspended) {
        this.notice = ''; // the same sentence, said once
        return { ...problem, message: suspended, fields: {} };
      }
      if (problem.status === 400) return { ...problem, fields: { password: 'Wrong username, email or password.' } };
      if (problem.status === 429)
        return { ...problem, fields: { password: 'Too many sign-in attempts. Wait a minute, then try again.' } };
      return { ...problem, fields: problem.unreachable ? { server: problem.message } : { password: problem.message } };
    }
  }

  async signUp(serverInput: string, input: SignUpInput): Promise<ProblemDescription | null> {
    const server = serverUrlFromInput(serverInput);
    const pb = await this.switchServer(server, input.username);
    const unreachable = await this.reachable(pb, server);
    if (unreachable) return unreachable;
    try {
      await pb.collection('users').create({ ...input, email: input.email.trim(), username: input.username.trim() });
    } catch (error) {
      const problem = describeError(error, { server, action: 'create your account' });
      if (problem.status === 429)
        return { ...problem, fields: { username: 'Too many new accounts from here. Wait a minute, then try again.' } };
      return problem.unreachable ? { ...problem, fields: { server: problem.message } } : problem;
    }
    // By username: the email becomes the account's only once the link mailed to it is followed, and
    // until then the server treats a new account the same whether or not the address was taken.
    return this.signIn(server, input.username.trim(), input.password);
  }

  /** The signed-in person's profile as just saved, changed in place so every view of it follows. */
  profileSaved(record: UsersRecord): void {
    if (this.user?.id === record.id) Object.assign(this.user, record);
  }

  /**
   * The server no longer accepts the session (expired or revoked): back to the sign-in screen. Drafts
   * and unsent messages stay where they are, keyed by account, and go out after signing in again.
   */
  async expire(): Promise<void> {
    // Already signed out, or leaving because the account is suspended: that says more than this would.
    if (this.phase !== 'signed-in' || this.leaving) return;
    await this.signOut(
      'Your session has ended. Sign in again: your drafts and unsent messages are kept and will be sent.',
    );
  }

  async signOut(notice = ''): Promise<void> {
    const username = this.user?.username;
    // The store clears the vault (once); wait for it, so the token is gone from disk when this returns.
    if (this.pb && this.store) {
      this.pb.authStore.clear();
      await this.store.settled();
    } else if (this.added && this.server !== '') {
      await this.bridge.vault.clear(this.server);
    }
    if (notice && username) this.resumeIdentity = username;
    this.user = null;
    this.notice = notice;
    this.phase = 'signed-out';
  }
}

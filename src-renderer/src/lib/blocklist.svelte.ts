// The people the user blocked: who they are, blocking and unblocking. Their messages are hidden from
// histories and never count as unread or notify (the chat asks `has`); the server also stops
// delivering them live and refuses their invitations, without telling them why.
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import type { Block, BlocksApi } from './blocks-api.ts';

export interface BlocklistDeps {
  api: BlocksApi;
  /** What went wrong: words for the user, and the HTTP status. */
  problem(error: unknown, action: string): { message: string; status: number };
}

/** Nothing, or what went wrong in words for the user. */
export type Outcome = { ok: true } | { problem: string };

export class Blocklist {
  entries = $state.raw<Block[]>([]);
  /** The blocked people's ids, for the many "is this author blocked?" questions of a history. */
  readonly ids = $derived(new Set(this.entries.map((b) => b.blocked)));

  constructor(private readonly deps: BlocklistDeps) {}

  async load(): Promise<void> {
    this.entries = await this.deps.api.list();
  }

  has(userId: string): boolean {
    return this.ids.has(userId);
  }

  /** The blocked people, by name as read. */
  get people(): UsersRecord[] {
    return this.entries
      .map((b) => b.expand?.blocked)
      .filter((u): u is UsersRecord => !!u)
      .sort((a, b) => (a.name || a.username).localeCompare(b.name || b.username, undefined, { sensitivity: 'base' }));
  }

  async block(userId: string): Promise<Outcome> {
    if (this.has(userId)) return { ok: true };
    try {
      const block = await this.deps.api.create(userId);
      this.entries = [...this.entries, block];
      return { ok: true };
    } catch (error) {
      return { problem: this.deps.problem(error, 'block this person').message };
    }
  }

  async unblock(userId: string): Promise<Outcome> {
    const block = this.entries.find((b) => b.blocked === userId);
    if (!block) return { ok: true };
    try {
      await this.deps.api.remove(block.id);
    } catch (error) {
      const problem = this.deps.problem(error, 'unblock this person');
      // Already gone (another device lifted it): what the user wanted is true.
      if (problem.status !== 404) return { problem: problem.message };
    }
    this.entries = this.entries.filter((b) => b.id !== block.id);
    return { ok: true };
  }
}

// The room the user had open, so a reload or a restart returns there instead of the default room. Kept
// per account and server (one scope, as the outbox's), in local storage: a room id is no secret.
import type { DraftStorage } from './drafts.ts';

export class LastRoom {
  constructor(
    private readonly storage: DraftStorage,
    /** Whose: `userId@serverOrigin`, so two accounts or two servers in one browser never mix. */
    private readonly scope: string,
  ) {}

  private get key(): string {
    return `palaver:last-room:${this.scope}`;
  }

  /** The last room opened, or null; whether it still exists and may be opened is the caller's to check. */
  get(): string | null {
    try {
      return this.storage.getItem(this.key);
    } catch {
      return null;
    }
  }

  remember(roomId: string): void {
    try {
      this.storage.setItem(this.key, roomId);
    } catch {
      // Storage full or disabled: the app opens the default room next time, as it did before.
    }
  }
}

// Notices the user dismissed stay dismissed across reloads and restarts, until they say something new:
// each is remembered with the text it had, so a changed notice (another reason) shows again.
import type { DraftStorage } from './drafts.ts';

export class Dismissals {
  constructor(private readonly storage: DraftStorage) {}

  private key(notice: string): string {
    return `palaver:dismissed:${notice}`;
  }

  /** Whether `notice` was dismissed while it said `text`. */
  dismissed(notice: string, text: string): boolean {
    try {
      return this.storage.getItem(this.key(notice)) === text;
    } catch {
      return false;
    }
  }

  dismiss(notice: string, text: string): void {
    try {
      this.storage.setItem(this.key(notice), text);
    } catch {
      // Storage full or disabled: dismissed for this session only.
    }
  }
}

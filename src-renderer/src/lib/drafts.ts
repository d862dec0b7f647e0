// What the user was typing, per room, kept across room switches, failed sends and restarts. Drafts are
// not secrets, so they live in the renderer's local storage, keyed by user so accounts do not mix.

export interface DraftStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export class Drafts {
  constructor(
    private readonly storage: DraftStorage,
    private readonly userId: string,
  ) {}

  private key(roomId: string): string {
    return `palaver:draft:${this.userId}:${roomId}`;
  }

  get(roomId: string): string {
    try {
      return this.storage.getItem(this.key(roomId)) ?? '';
    } catch {
      return '';
    }
  }

  set(roomId: string, text: string): void {
    try {
      if (text.trim() === '') this.storage.removeItem(this.key(roomId));
      else this.storage.setItem(this.key(roomId), text);
    } catch {
      // Storage full or disabled: the draft still lives in the composer until the room changes.
    }
  }

  clear(roomId: string): void {
    this.set(roomId, '');
  }
}

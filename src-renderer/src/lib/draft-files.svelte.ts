// Files chosen for the next message of each room (Attach, a drop, a paste), before it is sent: checked
// against the server's limits as they are added, so a file the server would refuse is refused here,
// before a byte is uploaded, with the reason next to the composer. Kept in memory per room: they survive
// switching rooms; once sent, the outbox keeps them (across restarts too).
import type PocketBase from 'pocketbase';
import { formatBytes } from '../../../src-shared/attachments.ts';

export interface AttachmentLimits {
  maxBytes: number;
  maxFiles: number;
}

/** The server's defaults (pb_migrations/1795700060), used until it has said otherwise. */
export const DEFAULT_LIMITS: AttachmentLimits = { maxBytes: 25 * 1024 * 1024, maxFiles: 10 };

export interface DraftFile {
  /** Tells files of the same name apart in the list. */
  id: number;
  file: File;
}

/** Which of `added` fit next to `current` under the limits, and why each of the others does not. */
export function checkFiles(
  current: readonly File[],
  added: readonly File[],
  limits: AttachmentLimits,
): { accepted: File[]; problems: string[] } {
  const accepted: File[] = [];
  const problems: string[] = [];
  const tooMany: string[] = [];
  for (const file of added) {
    if (file.size > limits.maxBytes) {
      problems.push(`${file.name} is ${formatBytes(file.size)}: files can be at most ${formatBytes(limits.maxBytes)}.`);
    } else if (file.size === 0) {
      problems.push(`${file.name} is empty (a folder cannot be sent; zip it first).`);
    } else if (current.length + accepted.length >= limits.maxFiles) {
      tooMany.push(file.name);
    } else {
      accepted.push(file);
    }
  }
  if (tooMany.length > 0)
    problems.push(
      `A message takes at most ${limits.maxFiles} files: ${tooMany.join(', ')} not added. Send the rest in another message.`,
    );
  return { accepted, problems };
}

/** A pasted screenshot arrives as "image.png": give it a name that says what and when. */
export function namePasted(file: File, now = new Date()): File {
  if (file.name !== '' && file.name !== 'image.png') return file;
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}.${pad(now.getMinutes())}.${pad(now.getSeconds())}`;
  const extension = file.type.startsWith('image/')
    ? `.${file.type.slice(6).replace('jpeg', 'jpg').replace(/\W.*$/, '')}`
    : '';
  return new File([file], `Pasted image ${stamp}${extension}`, { type: file.type, lastModified: file.lastModified });
}

export class DraftFiles {
  private byRoom = $state<Record<string, DraftFile[]>>({});
  /** Why files were not added, per room, until the next change there. */
  problems = $state<Record<string, string[]>>({});
  limits = $state<AttachmentLimits>(DEFAULT_LIMITS);
  private nextId = 1;

  /** Asks the server for its limits; keeps the defaults when it cannot say (an older server, offline). */
  async loadLimits(pb: Pick<PocketBase, 'send'>): Promise<void> {
    try {
      const answer = await pb.send<{ attachmentMaxBytes?: unknown; attachmentMaxFiles?: unknown }>(
        '/api/palaver/limits',
        {
          requestKey: null,
        },
      );
      const { attachmentMaxBytes: maxBytes, attachmentMaxFiles: maxFiles } = answer;
      if (typeof maxBytes === 'number' && maxBytes > 0 && typeof maxFiles === 'number' && maxFiles > 0)
        this.limits = { maxBytes, maxFiles };
    } catch {
      // The server checks again anyway: its answer is the last word, this one only spares the upload.
    }
  }

  of(roomId: string): readonly DraftFile[] {
    return this.byRoom[roomId] ?? [];
  }

  add(roomId: string, files: readonly File[]): void {
    const current = this.of(roomId);
    const { accepted, problems } = checkFiles(
      current.map((d) => d.file),
      files,
      this.limits,
    );
    this.byRoom[roomId] = [...current, ...accepted.map((file) => ({ id: this.nextId++, file }))];
    this.problems[roomId] = problems;
  }

  remove(roomId: string, id: number): void {
    this.byRoom[roomId] = this.of(roomId).filter((d) => d.id !== id);
    this.problems[roomId] = [];
  }

  /** Takes the room's files for sending, leaving none. */
  take(roomId: string): File[] {
    const files = this.of(roomId).map((d) => d.file);
    this.byRoom[roomId] = [];
    this.problems[roomId] = [];
    return files;
  }

  /** Puts files back in front of what is there (a send that could not start, a message redrafted). */
  restore(roomId: string, files: readonly File[]): void {
    this.byRoom[roomId] = [...files.map((file) => ({ id: this.nextId++, file })), ...this.of(roomId)];
  }
}

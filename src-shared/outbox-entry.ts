// A message waiting in the outbox, as it is kept (main's store, the browser's storage) and crosses the
// bridge: its format and the one check of it, used by the IPC contract and by main reading entries back.
import { isRecordId } from './record-id.ts';

/**
 * A file of a message in the outbox. Its bytes are kept apart from the entry (by main in the app's data
 * folder, in IndexedDB on the web) under `key`, put there before the entry is saved. Saving the outbox
 * deletes the files of entries that left it (sent or discarded: nothing stays behind); files no entry
 * names (put, then the app stopped before the entry was saved) are swept once at start by main, when the
 * outbox is loaded in a browser. Saving never deletes a file no saved entry named yet: it may be one being
 * put for a message about to be added.
 */
export interface OutboxFile {
  /** Where its bytes are kept: a record-id-shaped name, so it is safe as a file name. */
  key: string;
  /** The file's name as the user picked it. */
  name: string;
  /** Its type as the browser reported it ('' when unknown). */
  type: string;
  size: number;
}

/**
 * A message waiting to be sent: written while offline, or whose send failed. It keeps the record id
 * chosen before the first attempt, so sending it again can never create a second copy.
 */
export interface OutboxEntry {
  id: string;
  room: string;
  text: string;
  /** Its files, in the order they are attached; absent for text only. */
  files?: OutboxFile[];
  /** When it was written (PocketBase date format), to show it in place and send in order. */
  created: string;
  /** pending: will be sent when possible; failed: the server refused it for good (validation, forbidden). */
  state: 'pending' | 'failed';
  /** Why it failed, in words for the user. */
  failure?: string;
  /** A reply: its thread's first message (the root), in the same room. Absent for a message in the room. */
  thread?: string;
  /** A reply its author also sent to the room's main list ("Also send to the room"); only with `thread`. */
  alsoInRoom?: boolean;
}

export const MAX_OUTBOX_ENTRIES = 500;
/** The most files a message takes (messages.attachments' maxSelect). */
export const MAX_OUTBOX_FILES = 10;
/** The largest file an operator can allow (PALAVER_ATTACHMENT_MAX_MB's ceiling in backend/attachments.go). */
export const MAX_ATTACHMENT_BYTES = 4096 * 1024 * 1024;
export const MAX_FILE_NAME = 1000;
const MAX_FILE_TYPE = 200;

function isText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max;
}

function isOutboxFile(value: unknown): value is OutboxFile {
  if (typeof value !== 'object' || value === null) return false;
  const file = value as Partial<OutboxFile>;
  return (
    isRecordId(file.key) &&
    isText(file.name, MAX_FILE_NAME) &&
    file.name !== '' &&
    isText(file.type, MAX_FILE_TYPE) &&
    Number.isInteger(file.size) &&
    (file.size as number) >= 0 &&
    (file.size as number) <= MAX_ATTACHMENT_BYTES
  );
}

/** True for a well-formed outbox entry (also used by main when it reads entries back from disk). */
export function isOutboxEntry(value: unknown): value is OutboxEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Partial<OutboxEntry>;
  return (
    isRecordId(entry.id) &&
    isRecordId(entry.room) &&
    isText(entry.text, 8000) &&
    isText(entry.created, 40) &&
    (entry.state === 'pending' || entry.state === 'failed') &&
    (entry.failure === undefined || isText(entry.failure, 500)) &&
    // Entries written before threads have neither field, and stay valid.
    (entry.thread === undefined || isRecordId(entry.thread)) &&
    (entry.alsoInRoom === undefined || (typeof entry.alsoInRoom === 'boolean' && entry.thread !== undefined)) &&
    (entry.files === undefined ||
      (Array.isArray(entry.files) && entry.files.length <= MAX_OUTBOX_FILES && entry.files.every(isOutboxFile)))
  );
}

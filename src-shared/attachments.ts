// What a message's files are, as the server described them (messages.attachmentInfo, written only by
// backend/attachment_info.go): shared by the room view, notifications and the outbox.

/** One file as the server saw it: the name it was sent with, bytes, sniffed type, an image's pixels. */
export interface AttachmentInfo {
  name: string;
  size: number;
  type: string;
  width?: number;
  height?: number;
}

export type AttachmentKind = 'image' | 'video' | 'audio' | 'file';

// Only the types PocketBase makes thumbnails of and browsers show in <img>: an SVG is a download, never
// an inline image (it is served as one, see backend/tests/attachments.rules.test.ts).
const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const INLINE_VIDEO = new Set(['video/mp4', 'video/webm', 'video/ogg']);
const INLINE_AUDIO = new Set([
  'audio/mpeg',
  'audio/ogg',
  'audio/wav',
  'audio/x-wav',
  'audio/webm',
  'audio/mp4',
  'audio/flac',
]);

/** How the room view shows a file of this type (a sniffed MIME type, parameters allowed). */
export function attachmentKind(type: string): AttachmentKind {
  const bare = type.split(';')[0]!.trim().toLowerCase();
  if (INLINE_IMAGES.has(bare)) return 'image';
  if (INLINE_VIDEO.has(bare)) return 'video';
  if (INLINE_AUDIO.has(bare)) return 'audio';
  return 'file';
}

/** The server's description of each of a message's files, in order; unknown ones get a plain one. */
export function describeAttachments(message: {
  attachments?: readonly string[];
  attachmentInfo?: unknown;
}): AttachmentInfo[] {
  const info =
    typeof message.attachmentInfo === 'object' && message.attachmentInfo !== null
      ? (message.attachmentInfo as Record<string, Partial<AttachmentInfo> | undefined>)
      : {};
  return (message.attachments ?? []).map((stored) => {
    const known = info[stored];
    return {
      name: typeof known?.name === 'string' && known.name !== '' ? known.name : stored,
      size: typeof known?.size === 'number' ? known.size : 0,
      type: typeof known?.type === 'string' ? known.type : 'application/octet-stream',
      ...(typeof known?.width === 'number' && typeof known.height === 'number'
        ? { width: known.width, height: known.height }
        : {}),
    };
  });
}

const UNITS = ['B', 'KB', 'MB', 'GB'] as const;

/** A size in words: "812 B", "1.4 MB", "25 MB" (1024-based, as the server's limit is set). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = unit === 0 || value >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${shown} ${UNITS[unit]}`;
}

/**
 * What a message of files says where its text would be (a notification, a reply preview): "sent an
 * image", "sent 3 files". Null when it has text or nothing.
 */
export function filesOnlySummary(text: string, files: readonly Pick<AttachmentInfo, 'type'>[]): string | null {
  if (text.trim() !== '' || files.length === 0) return null;
  const kinds = new Set(files.map((f) => attachmentKind(f.type)));
  const kind = kinds.size === 1 ? [...kinds][0]! : 'file';
  const noun = { image: 'image', video: 'video', audio: 'audio file', file: 'file' }[kind];
  if (files.length === 1) return `sent ${kind === 'image' || kind === 'audio' ? 'an' : 'a'} ${noun}`;
  return `sent ${files.length} ${noun === 'audio file' ? 'audio files' : `${noun}s`}`;
}

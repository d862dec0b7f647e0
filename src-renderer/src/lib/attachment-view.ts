// How a message's files are laid out in the room view, decided before anything is fetched: which are
// inline images (and the box each gets, so the list never jumps when they load), which play in place,
// which are cards; and where the lightbox's arrow keys go.
import {
  attachmentKind,
  describeAttachments,
  formatBytes,
  type AttachmentInfo,
  type AttachmentKind,
} from '../../../src-shared/attachments.ts';

/** The thumbnails the server makes (declared on messages.attachments): room view and lightbox. */
export const ROOM_THUMB = '480x360f';
export const LIGHTBOX_THUMB = '1600x1200f';
/** The room view's box for one image, in CSS px: half the room thumbnail, so it is sharp on 2x screens. */
export const IMAGE_BOX = { width: 240, height: 180 } as const;
/** A video's box when playing in the room view. */
export const VIDEO_BOX = { width: 360, height: 202 } as const;

export interface Size {
  width: number;
  height: number;
}

/**
 * The size an image is drawn at in a box: its own aspect, scaled down (never up) to fit, at least a
 * pixel each way; the whole box when its pixels are unknown (an old message, a file the server could
 * not read), where the image is then fitted inside with object-fit.
 */
export function fitInBox(pixels: Partial<Size> | undefined, box: Size = IMAGE_BOX): Size {
  const width = pixels?.width;
  const height = pixels?.height;
  if (!width || !height || width <= 0 || height <= 0) return { ...box };
  const scale = Math.min(1, box.width / width, box.height / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** One file of a sent message as the room view shows it. */
export interface AttachmentView extends AttachmentInfo {
  /** The stored file name on the server (what goes into its URL). */
  stored: string;
  kind: AttachmentKind;
  /** The reserved size of an inline image or a video. */
  box: Size;
}

export interface MessageFiles {
  images: AttachmentView[];
  /** Video and audio, played in place with the browser's controls. */
  media: AttachmentView[];
  cards: AttachmentView[];
}

/** A sent message's files, grouped as the room view draws them, each group in the order they were sent. */
export function messageFiles(message: { attachments?: readonly string[]; attachmentInfo?: unknown }): MessageFiles {
  const stored = message.attachments ?? [];
  const files: MessageFiles = { images: [], media: [], cards: [] };
  describeAttachments(message).forEach((info, index) => {
    const kind = attachmentKind(info.type);
    const view: AttachmentView = {
      ...info,
      stored: stored[index]!,
      kind,
      box: kind === 'video' ? { ...VIDEO_BOX } : fitInBox(info),
    };
    if (kind === 'image') files.images.push(view);
    else if (kind === 'video' || kind === 'audio') files.media.push(view);
    else files.cards.push(view);
  });
  return files;
}

/** What a card says under a file's name: "1.4 MB · PDF document". */
export function cardDetails(file: Pick<AttachmentInfo, 'size' | 'type'>): string {
  return `${formatBytes(file.size)} · ${typeLabel(file.type)}`;
}

const TYPE_LABELS: Record<string, string> = {
  'application/pdf': 'PDF document',
  'application/zip': 'ZIP archive',
  'application/gzip': 'Gzip archive',
  'application/x-tar': 'Tar archive',
  'application/json': 'JSON',
  'application/octet-stream': 'File',
  'image/svg+xml': 'SVG image',
  'text/plain': 'Text',
  'text/csv': 'CSV',
  'text/html': 'HTML',
};

/** A file type in words where there is a common one, else the MIME type as the server sniffed it. */
export function typeLabel(type: string): string {
  const bare = type.split(';')[0]!.trim().toLowerCase();
  return TYPE_LABELS[bare] ?? (bare || 'File');
}

/** The card's icon: a short tag for the kind of file, drawn in a square (no icon font, no image). */
export function fileBadge(name: string, type: string): string {
  const extension = /\.([a-z0-9]{1,4})$/i.exec(name)?.[1];
  if (extension) return extension.toUpperCase();
  const kind = attachmentKind(type);
  return kind === 'file' ? 'FILE' : kind.toUpperCase();
}

/** Where Left and Right move in the lightbox: around, from the last image back to the first. */
export function lightboxStep(current: number, count: number, key: string): number | null {
  if (count <= 1) return null;
  if (key === 'ArrowRight') return (current + 1) % count;
  if (key === 'ArrowLeft') return (current - 1 + count) % count;
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return null;
}

/** The lightbox's place in words, for the eye and for a screen reader: "2 of 3". */
export function positionLabel(index: number, count: number): string {
  return `${index + 1} of ${count}`;
}

import { describe, expect, it } from 'vitest';
import { attachmentKind, describeAttachments, filesOnlySummary, formatBytes } from './attachments.ts';

describe('attachmentKind', () => {
  it('shows inline only what browsers render safely and PocketBase thumbnails', () => {
    expect(attachmentKind('image/png')).toBe('image');
    expect(attachmentKind('image/jpeg')).toBe('image');
    expect(attachmentKind('video/mp4')).toBe('video');
    expect(attachmentKind('audio/mpeg')).toBe('audio');
    expect(attachmentKind('text/plain; charset=utf-8')).toBe('file');
    // An SVG can carry script: a card and a download, never an inline image.
    expect(attachmentKind('image/svg+xml')).toBe('file');
    expect(attachmentKind('text/html; charset=utf-8')).toBe('file');
  });
});

describe('describeAttachments', () => {
  it("follows the stored names' order and falls back to the stored name when the server said nothing", () => {
    const files = describeAttachments({
      attachments: ['b_123.png', 'a_456.pdf'],
      attachmentInfo: { 'b_123.png': { name: 'B.png', size: 10, type: 'image/png', width: 4, height: 3 } },
    });
    expect(files).toEqual([
      { name: 'B.png', size: 10, type: 'image/png', width: 4, height: 3 },
      { name: 'a_456.pdf', size: 0, type: 'application/octet-stream' },
    ]);
    expect(describeAttachments({ attachments: [], attachmentInfo: null })).toEqual([]);
  });
});

describe('formatBytes', () => {
  it('says sizes the way file managers do', () => {
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(25 * 1024 * 1024)).toBe('25 MB');
    expect(formatBytes(3.25 * 1024 * 1024 * 1024)).toBe('3.3 GB');
  });
});

describe('filesOnlySummary', () => {
  it('says what was sent when a message is only files', () => {
    expect(filesOnlySummary('', [{ type: 'image/png' }])).toBe('sent an image');
    expect(filesOnlySummary(' ', [{ type: 'image/png' }, { type: 'image/jpeg' }])).toBe('sent 2 images');
    expect(filesOnlySummary('', [{ type: 'application/pdf' }])).toBe('sent a file');
    expect(filesOnlySummary('', [{ type: 'image/png' }, { type: 'application/pdf' }])).toBe('sent 2 files');
    expect(filesOnlySummary('', [{ type: 'video/mp4' }])).toBe('sent a video');
    expect(filesOnlySummary('', [{ type: 'audio/mpeg' }])).toBe('sent an audio file');
    expect(filesOnlySummary('look', [{ type: 'image/png' }])).toBeNull();
    expect(filesOnlySummary('', [])).toBeNull();
  });
});

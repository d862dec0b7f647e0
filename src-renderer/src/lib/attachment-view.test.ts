import { describe, expect, it } from 'vitest';
import {
  cardDetails,
  fileBadge,
  fitInBox,
  lightboxStep,
  messageFiles,
  positionLabel,
  typeLabel,
} from './attachment-view.ts';

describe('fitInBox', () => {
  it('keeps the shape of an image, scaled down to fit 240x180', () => {
    expect(fitInBox({ width: 1200, height: 600 })).toEqual({ width: 240, height: 120 });
    expect(fitInBox({ width: 300, height: 600 })).toEqual({ width: 90, height: 180 });
    expect(fitInBox({ width: 4000, height: 3000 })).toEqual({ width: 240, height: 180 });
  });

  it('never scales a small image up, and keeps a sliver at least a pixel wide', () => {
    expect(fitInBox({ width: 16, height: 16 })).toEqual({ width: 16, height: 16 });
    expect(fitInBox({ width: 10000, height: 2 })).toEqual({ width: 240, height: 1 });
  });

  it('is the whole box when the pixels are unknown', () => {
    expect(fitInBox(undefined)).toEqual({ width: 240, height: 180 });
    expect(fitInBox({ width: 0, height: 10 })).toEqual({ width: 240, height: 180 });
    expect(fitInBox({}, { width: 1600, height: 1200 })).toEqual({ width: 1600, height: 1200 });
  });
});

describe('messageFiles', () => {
  it('groups files as the room view draws them, each group in the order sent', () => {
    const files = messageFiles({
      attachments: ['a_x.png', 'b_x.pdf', 'c_x.webm', 'd_x.jpg', 'e_x.svg', 'f_x.mp3'],
      attachmentInfo: {
        'a_x.png': { name: 'a.png', size: 10, type: 'image/png', width: 480, height: 360 },
        'b_x.pdf': { name: 'b.pdf', size: 2048, type: 'application/pdf' },
        'c_x.webm': { name: 'c.webm', size: 9, type: 'video/webm' },
        'd_x.jpg': { name: 'd.jpg', size: 9, type: 'image/jpeg' },
        'e_x.svg': { name: 'e.svg', size: 9, type: 'image/svg+xml' },
        'f_x.mp3': { name: 'f.mp3', size: 9, type: 'audio/mpeg' },
      },
    });
    expect(files.images.map((f) => [f.stored, f.name, f.box])).toEqual([
      ['a_x.png', 'a.png', { width: 240, height: 180 }],
      ['d_x.jpg', 'd.jpg', { width: 240, height: 180 }],
    ]);
    expect(files.media.map((f) => [f.name, f.kind])).toEqual([
      ['c.webm', 'video'],
      ['f.mp3', 'audio'],
    ]);
    // An SVG is a download, never an inline image.
    expect(files.cards.map((f) => f.name)).toEqual(['b.pdf', 'e.svg']);
  });

  it('shows a file the server did not describe as a card under its stored name', () => {
    const files = messageFiles({ attachments: ['old_x.bin'], attachmentInfo: null });
    expect(files.cards).toMatchObject([{ stored: 'old_x.bin', name: 'old_x.bin', kind: 'file' }]);
  });
});

describe('cards', () => {
  it('say size and type in words', () => {
    expect(cardDetails({ size: 1536, type: 'application/pdf' })).toBe('1.5 KB · PDF document');
    expect(typeLabel('text/plain; charset=utf-8')).toBe('Text');
    expect(typeLabel('application/vnd.ms-excel')).toBe('application/vnd.ms-excel');
  });

  it('badge a file by its extension, else by its kind', () => {
    expect(fileBadge('report.pdf', 'application/pdf')).toBe('PDF');
    expect(fileBadge('notes', 'application/octet-stream')).toBe('FILE');
    expect(fileBadge('archive.tar.gz', 'application/gzip')).toBe('GZ');
  });
});

describe('lightbox keys', () => {
  it('move around the images, from the last back to the first', () => {
    expect(lightboxStep(0, 3, 'ArrowRight')).toBe(1);
    expect(lightboxStep(2, 3, 'ArrowRight')).toBe(0);
    expect(lightboxStep(0, 3, 'ArrowLeft')).toBe(2);
    expect(lightboxStep(1, 3, 'Home')).toBe(0);
    expect(lightboxStep(1, 3, 'End')).toBe(2);
  });

  it('do nothing with one image or another key', () => {
    expect(lightboxStep(0, 1, 'ArrowRight')).toBeNull();
    expect(lightboxStep(0, 3, 'ArrowUp')).toBeNull();
  });

  it('say where one is', () => {
    expect(positionLabel(1, 3)).toBe('2 of 3');
  });
});

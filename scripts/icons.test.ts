// The committed installer icons (build/icon.*, build/icons/) are current, well formed, and what
// scripts/icons.ts renders from build/icon.svg and build/icon-small.svg.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDir,
  generateIcons,
  icnsEntries,
  icoPngMinSize,
  icoSizes,
  pngName,
  pngSizes,
  smallSourceSvg,
  sourceSvg,
  stampName,
  unpackBits,
} from './icons.ts';

const stale = 'build/icons are out of date with the SVGs: run npm run icons';
const read = (name: string): Buffer => readFileSync(join(buildDir, name));

/** Width, height, bit depth and colour type from the IHDR, and the chunk types in order. */
function pngInfo(png: Buffer): { width: number; height: number; depth: number; colourType: number; chunks: string[] } {
  expect(png.subarray(0, 8).toString('hex'), 'PNG signature').toBe('89504e470d0a1a0a');
  expect(png.toString('latin1', 12, 16), 'first chunk').toBe('IHDR');
  const chunks: string[] = [];
  for (let offset = 8; offset < png.length; offset += 12 + png.readUInt32BE(offset)) {
    chunks.push(png.toString('latin1', offset + 4, offset + 8));
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), depth: png[24]!, colourType: png[25]!, chunks };
}

const rgbaCache = new Map<number, Buffer>();
/** The decoded pixels of build/icons/<N>x<N>.png, straight RGBA. */
async function rgbaOf(size: number): Promise<Buffer> {
  let rgba = rgbaCache.get(size);
  if (!rgba) {
    const { data, info } = await sharp(read(pngName(size)))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([size, size, 4]);
    rgbaCache.set(size, (rgba = data));
  }
  return rgba;
}

it('is stamped with the current SVGs', () => {
  const lines = read(stampName).toString('utf8');
  for (const svg of [sourceSvg, smallSourceSvg]) {
    const hash = createHash('sha256').update(readFileSync(svg)).digest('hex');
    expect(lines, stale).toContain(`${hash}  ${relative(buildDir, svg)}\n`);
  }
});

it('has a PNG of each size, named for it, without metadata', () => {
  const names = readdirSync(join(buildDir, 'icons')).filter((name) => name.endsWith('.png'));
  expect(names.sort()).toEqual(pngSizes.map((size) => `${size}x${size}.png`).sort());
  for (const name of names) {
    const [, w, h] = /^(\d+)x(\d+)\.png$/.exec(name)!;
    const info = pngInfo(read(`icons/${name}`));
    expect([info.width, info.height], name).toEqual([Number(w), Number(h)]);
    expect([info.depth, info.colourType], `${name}: 8-bit RGBA`).toEqual([8, 6]);
    expect(
      info.chunks.filter((type) => type !== 'IDAT'),
      `${name}: chunks`,
    ).toEqual(['IHDR', 'IEND']);
  }
  expect(read('icon.png').equals(read(pngName(1024))), 'icon.png is the 1024 px icon').toBe(true);
});

it('has an ICO with every Windows size, each entry decoding to that size', async () => {
  const ico = read('icon.ico');
  expect([ico.readUInt16LE(0), ico.readUInt16LE(2)], 'reserved, type 1 (icon)').toEqual([0, 1]);
  const count = ico.readUInt16LE(4);
  const sizes: number[] = [];
  for (let i = 0; i < count; i++) {
    const entry = 6 + 16 * i;
    const size = ico[entry] || 256; // 0 means 256
    expect(ico[entry + 1] || 256, 'square').toBe(size);
    expect([ico.readUInt16LE(entry + 4), ico.readUInt16LE(entry + 6)], 'planes, bits per pixel').toEqual([1, 32]);
    const length = ico.readUInt32LE(entry + 8);
    const offset = ico.readUInt32LE(entry + 12);
    expect(offset + length, `${size} px entry inside the file`).toBeLessThanOrEqual(ico.length);
    const image = ico.subarray(offset, offset + length);
    sizes.push(size);

    if (size >= icoPngMinSize) {
      const info = pngInfo(image);
      expect([info.width, info.height]).toEqual([size, size]);
      expect(image.equals(read(pngName(size))), `${size} px PNG entry`).toBe(true);
      continue;
    }
    // 32-bit BMP: BITMAPINFOHEADER, BGRA rows bottom up, then the 1-bit AND mask.
    expect(image.readUInt32LE(0), 'BITMAPINFOHEADER').toBe(40);
    expect([image.readInt32LE(4), image.readInt32LE(8)], 'width, doubled height').toEqual([size, size * 2]);
    expect([image.readUInt16LE(12), image.readUInt16LE(14), image.readUInt32LE(16)]).toEqual([1, 32, 0]);
    const maskStride = Math.ceil(size / 32) * 4;
    expect(length, `${size} px BMP length`).toBe(40 + size * size * 4 + maskStride * size);
    const rgba = await rgbaOf(size);
    const decoded = Buffer.alloc(size * size * 4);
    for (let row = 0; row < size; row++) {
      for (let x = 0; x < size; x++) {
        const src = 40 + (row * size + x) * 4;
        const dst = ((size - 1 - row) * size + x) * 4;
        decoded[dst] = image[src + 2]!;
        decoded[dst + 1] = image[src + 1]!;
        decoded[dst + 2] = image[src]!;
        decoded[dst + 3] = image[src + 3]!;
        const masked = (image[40 + size * size * 4 + row * maskStride + (x >> 3)]! >> (7 - (x & 7))) & 1;
        if (masked !== (image[src + 3] === 0 ? 1 : 0))
          throw new Error(`${size} px: AND mask wrong at ${x},${size - 1 - row}`);
      }
    }
    expect(decoded.equals(rgba), `${size} px BMP pixels match ${pngName(size)}`).toBe(true);
  }
  expect(sizes).toEqual([...icoSizes]);
});

it('has an ICNS with the @1x and @2x types, each payload of its size', async () => {
  const icns = read('icon.icns');
  expect(icns.toString('latin1', 0, 4), 'magic').toBe('icns');
  expect(icns.readUInt32BE(4), 'total length').toBe(icns.length);
  const types: string[] = [];
  for (let offset = 8; offset < icns.length;) {
    const type = icns.toString('latin1', offset, offset + 4);
    const length = icns.readUInt32BE(offset + 4);
    expect(length, `${type} length`).toBeGreaterThan(8);
    expect(offset + length, `${type} inside the file`).toBeLessThanOrEqual(icns.length);
    const payload = icns.subarray(offset + 8, offset + length);
    offset += length;
    types.push(type);

    const expected = icnsEntries.find((entry) => entry.type === type);
    if (!expected) throw new Error(`unexpected ICNS type ${type}`);
    const { size, format } = expected;
    const rgba = await rgbaOf(size);
    const pixels = size * size;
    if (format === 'png') {
      const info = pngInfo(payload);
      expect([info.width, info.height], type).toEqual([size, size]);
      expect(payload.equals(read(pngName(size))), `${type} is ${pngName(size)}`).toBe(true);
    } else if (format === 'mask') {
      expect(payload.length, `${type}: one alpha byte a pixel`).toBe(pixels);
      for (let i = 0; i < pixels; i++)
        if (payload[i] !== rgba[i * 4 + 3]) throw new Error(`${type}: alpha differs at ${i}`);
    } else {
      // R, G and B each PackBits-compressed, then the one zero byte scripts/icons.ts appends.
      let next = 0;
      for (const c of [0, 1, 2]) {
        const decoded = unpackBits(payload, next, pixels);
        next = decoded.next;
        for (let i = 0; i < pixels; i++) {
          if (decoded.bytes[i] !== rgba[i * 4 + c]) throw new Error(`${type}: channel ${c} differs at ${i}`);
        }
      }
      expect([...payload.subarray(next)], `${type}: trailing zero byte`).toEqual([0]);
    }
  }
  expect(types).toEqual(icnsEntries.map((entry) => entry.type));
  // Every size macOS asks for, at 1x and 2x.
  expect(new Set(icnsEntries.map((entry) => entry.size))).toEqual(new Set([16, 32, 64, 128, 256, 512, 1024]));
});

describe('regenerating', () => {
  let outDir: string;
  let written: string[];
  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'palaver-icons-'));
    written = await generateIcons(outDir);
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('reproduces the committed files byte for byte', () => {
    const committed = readdirSync(join(buildDir, 'icons')).map((name) => `icons/${name}`);
    expect(committed.sort(), 'build/icons holds only generated files').toEqual(
      written.filter((name) => name.startsWith('icons/')).sort(),
    );
    for (const name of written) {
      const fresh = readFileSync(join(outDir, name));
      // After a sharp upgrade a pixel may come out differently: regenerating and committing fixes that too.
      expect(read(name).equals(fresh), `build/${name} differs from a fresh render: run npm run icons`).toBe(true);
    }
  });
});

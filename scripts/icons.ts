// `npm run icons` (or `npx tsx scripts/icons.ts [outDir]`): the installer icons for every platform,
// rendered from build/icon.svg (build/icon-small.svg for sizes up to 32 px) into outDir, by default build/:
//
//   icons/<N>x<N>.png   Linux: electron-builder's icon directory, N = 16 … 1024
//   icon.png            1024 px, the generic icon electron-builder falls back to
//   icon.ico            Windows: 16, 24, 32, 48, 64, 128, 256
//   icon.icns           macOS: 16, 32, 64, 128, 256, 512, 1024 (the @1x and @2x types)
//   icons/source.sha256 the SHA-256 of the SVGs, so scripts/icons.test.ts can tell stale icons
//
// Every size is rendered from the SVG at that size rather than scaled down from one big bitmap, so
// small sizes stay crisp. That is why the ICO and ICNS containers are written here: png2icons'
// createICO/createICNS take one PNG and scale it down for every size themselves.
//
// The output is deterministic: the same SVGs and the same sharp give the same bytes. The PNGs keep
// only their critical chunks (no pHYs, text or time), and nothing else carries a date. A sharp
// upgrade may render a pixel differently, so regenerate and commit after one. (Only Linux x64 has
// been checked; libvips on another platform is expected, not known, to give the same bytes.)
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const buildDir = join(repoRoot, 'build');

/** The artwork, and the version of it redrawn on a 16-pixel grid for the small sizes. */
export const sourceSvg = join(buildDir, 'icon.svg');
export const smallSourceSvg = join(buildDir, 'icon-small.svg');
/** Sizes up to this are rendered from icon-small.svg: icon.svg's three dots merge into a bar at 16 px. */
export const smallMaxSize = 32;

/** build/icons/<N>x<N>.png, electron-builder's Linux icon set; also every size the ICO and ICNS need. */
export const pngSizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
export const icoSizes = [16, 24, 32, 48, 64, 128, 256] as const;
/** Sizes below this are stored in the ICO as 32-bit BMPs, the rest as PNGs (see buildIco). */
export const icoPngMinSize = 256;

export type IcnsFormat = 'png' | 'rgb' | 'mask';
/**
 * The ICNS entries, in the order iconutil writes the PNG ones.
 *
 * The @1x 16 and 32 px entries are is32/il32 (PackBits RGB) with their s8mk/l8mk 8-bit masks and
 * not PNGs: macOS 11 to 26 show a PNG in is32/il32, icp4/icp5 or ic04/ic05 for a loose .icns file
 * but not for the icon of an .app bundle, whereas RGB with a mask works in both since 10.0.
 * (ic04/ic05 ARGB would work from macOS 11 on, adding nothing.) Everything from 32 px up, the
 * @2x types included, is PNG, which macOS reads since 10.7 (ic11 to ic14 since 10.8).
 * Source: the render tests of https://github.com/relikd/icns-analysis (results/).
 */
export const icnsEntries: ReadonlyArray<{ type: string; size: number; format: IcnsFormat }> = [
  { type: 'is32', size: 16, format: 'rgb' }, //   16x16
  { type: 's8mk', size: 16, format: 'mask' },
  { type: 'il32', size: 32, format: 'rgb' }, //   32x32
  { type: 'l8mk', size: 32, format: 'mask' },
  { type: 'ic11', size: 32, format: 'png' }, //   16x16@2x
  { type: 'ic12', size: 64, format: 'png' }, //   32x32@2x
  { type: 'ic07', size: 128, format: 'png' }, //  128x128
  { type: 'ic13', size: 256, format: 'png' }, //  128x128@2x
  { type: 'ic08', size: 256, format: 'png' }, //  256x256
  { type: 'ic14', size: 512, format: 'png' }, //  256x256@2x
  { type: 'ic09', size: 512, format: 'png' }, //  512x512
  { type: 'ic10', size: 1024, format: 'png' }, // 512x512@2x
];

export const pngName = (size: number): string => `icons/${size}x${size}.png`;
export const stampName = 'icons/source.sha256';

interface Rendered {
  size: number;
  /** Straight (not premultiplied) RGBA, top row first. */
  rgba: Buffer;
  png: Buffer;
}

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const criticalChunks = new Set(['IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND']);

/** The PNG without its ancillary chunks: libvips writes a pHYs from the render density. */
export function stripPng(png: Buffer): Buffer {
  if (!png.subarray(0, 8).equals(pngSignature)) throw new Error('not a PNG');
  const kept: Buffer[] = [pngSignature];
  for (let offset = 8; offset < png.length;) {
    const end = offset + 12 + png.readUInt32BE(offset);
    if (criticalChunks.has(png.toString('latin1', offset + 4, offset + 8))) kept.push(png.subarray(offset, end));
    offset = end;
  }
  return Buffer.concat(kept);
}

async function render(svg: Buffer, size: number): Promise<Rendered> {
  // Without a width and height attribute, the SVG's size at 72 dpi is its viewBox.
  const { width: intrinsic } = await sharp(svg).metadata();
  if (!intrinsic) throw new Error('cannot tell the size of the SVG');
  const { data: rgba, info } = await sharp(svg, { density: (72 * size) / intrinsic })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== size || info.height !== size || info.channels !== 4) {
    throw new Error(`rendering at ${size} px gave ${info.width}x${info.height}x${info.channels}`);
  }
  const png = await sharp(rgba, { raw: { width: size, height: size, channels: 4 } })
    .png({ compressionLevel: 9, adaptiveFiltering: false })
    .toBuffer();
  return { size, rgba, png: stripPng(png) };
}

export async function renderAll(): Promise<Map<number, Rendered>> {
  const large = readFileSync(sourceSvg);
  const small = readFileSync(smallSourceSvg);
  const renders = new Map<number, Rendered>();
  for (const size of pngSizes) renders.set(size, await render(size <= smallMaxSize ? small : large, size));
  return renders;
}

function get(renders: Map<number, Rendered>, size: number): Rendered {
  const rendered = renders.get(size);
  if (!rendered) throw new Error(`no ${size} px render`);
  return rendered;
}

/**
 * A 32-bit BMP ICO entry: BITMAPINFOHEADER (height doubled for the AND mask), BGRA rows bottom up
 * with straight alpha, then the 1-bit AND mask (rows padded to 32 bits), set where fully transparent.
 */
function icoBitmap({ size, rgba }: Rendered): Buffer {
  const maskStride = Math.ceil(size / 32) * 4;
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0); // biSize
  header.writeInt32LE(size, 4); // biWidth
  header.writeInt32LE(size * 2, 8); // biHeight: colour rows and mask rows
  header.writeUInt16LE(1, 12); // biPlanes
  header.writeUInt16LE(32, 14); // biBitCount
  header.writeUInt32LE(0, 16); // biCompression: BI_RGB
  header.writeUInt32LE(size * size * 4 + maskStride * size, 20); // biSizeImage
  const pixels = Buffer.alloc(size * size * 4);
  const mask = Buffer.alloc(maskStride * size);
  for (let row = 0; row < size; row++) {
    const y = size - 1 - row;
    for (let x = 0; x < size; x++) {
      const src = (y * size + x) * 4;
      const dst = (row * size + x) * 4;
      pixels[dst] = rgba[src + 2]!;
      pixels[dst + 1] = rgba[src + 1]!;
      pixels[dst + 2] = rgba[src]!;
      pixels[dst + 3] = rgba[src + 3]!;
      if (rgba[src + 3] === 0) mask[row * maskStride + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return Buffer.concat([header, pixels, mask]);
}

/**
 * The ICO: PNG for 256 px (Windows Vista and later read PNG entries; a 256 px BMP would be 256 KiB),
 * classic BMPs for the smaller sizes, which every reader of ICO files handles (older NSIS and
 * Windows versions, the Explorer properties dialog before Windows 10), at some 90 KiB.
 */
export function buildIco(renders: Map<number, Rendered>): Buffer {
  const images = icoSizes.map((size) => {
    const rendered = get(renders, size);
    return size >= icoPngMinSize ? rendered.png : icoBitmap(rendered);
  });
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  icoSizes.forEach((size, i) => {
    const entry = 6 + 16 * i;
    const image = images[i]!;
    header.writeUInt8(size >= 256 ? 0 : size, entry); // width, 0 meaning 256
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1); // height
    header.writeUInt8(0, entry + 2); // palette colours
    header.writeUInt8(0, entry + 3); // reserved
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(image.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += image.length;
  });
  return Buffer.concat([header, ...images]);
}

/**
 * ICNS PackBits: a byte n < 0x80 is followed by n + 1 literal bytes, a byte n >= 0x80 by one byte
 * repeated n - 0x80 + 3 times.
 */
export function packBits(data: Uint8Array): Buffer {
  const out: number[] = [];
  let i = 0;
  while (i < data.length) {
    let run = 1;
    while (i + run < data.length && run < 130 && data[i + run] === data[i]) run++;
    if (run >= 3) {
      out.push(0x80 + run - 3, data[i]!);
      i += run;
      continue;
    }
    const start = i;
    while (i < data.length && i - start < 128 && !(data[i] === data[i + 1] && data[i] === data[i + 2])) i++;
    out.push(i - start - 1, ...data.subarray(start, i));
  }
  return Buffer.from(out);
}

/** Inverse of packBits: `count` bytes decoded from `data` at `offset`, and the offset after them. */
export function unpackBits(data: Uint8Array, offset: number, count: number): { bytes: Buffer; next: number } {
  const out = Buffer.alloc(count);
  let n = 0;
  while (n < count) {
    if (offset >= data.length) throw new Error('PackBits data ends early');
    const head = data[offset++]!;
    if (head < 0x80) {
      const length = head + 1;
      if (n + length > count || offset + length > data.length) throw new Error('PackBits literal overruns');
      out.set(data.subarray(offset, offset + length), n);
      offset += length;
      n += length;
    } else {
      const length = head - 0x80 + 3;
      if (n + length > count || offset >= data.length) throw new Error('PackBits run overruns');
      out.fill(data[offset++]!, n, n + length);
      n += length;
    }
  }
  return { bytes: out, next: offset };
}

function channel(rgba: Buffer, index: number): Buffer {
  const out = Buffer.alloc(rgba.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = rgba[i * 4 + index]!;
  return out;
}

function icnsPayload({ rgba, png }: Rendered, format: IcnsFormat): Buffer {
  if (format === 'png') return png;
  if (format === 'mask') return channel(rgba, 3);
  // R, G and B each compressed on its own, then one zero byte: on Apple silicon macOS (12 to 26)
  // drops the last byte of RGB data in an app icon, and a trailing zero is harmless everywhere.
  return Buffer.concat([...[0, 1, 2].map((c) => packBits(channel(rgba, c))), Buffer.from([0])]);
}

/** The ICNS: 'icns' + u32 BE file length, then per entry a 4-char type + u32 BE length (with this 8-byte header) + data. */
export function buildIcns(renders: Map<number, Rendered>): Buffer {
  const parts: Buffer[] = [];
  for (const { type, size, format } of icnsEntries) {
    const payload = icnsPayload(get(renders, size), format);
    const header = Buffer.alloc(8);
    header.write(type, 0, 'latin1');
    header.writeUInt32BE(payload.length + 8, 4);
    parts.push(header, payload);
  }
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'latin1');
  header.writeUInt32BE(8 + parts.reduce((sum, part) => sum + part.length, 0), 4);
  return Buffer.concat([header, ...parts]);
}

/** `sha256sum` lines for the SVGs, relative to build/ (`cd build && sha256sum -c icons/source.sha256`). */
export function stamp(): string {
  return [sourceSvg, smallSourceSvg]
    .map((file) => `${createHash('sha256').update(readFileSync(file)).digest('hex')}  ${relative(buildDir, file)}\n`)
    .join('');
}

/** Renders every icon and writes them under outDir; returns the paths written, relative to outDir. */
export async function generateIcons(outDir: string = buildDir): Promise<string[]> {
  const renders = await renderAll();
  const files = new Map<string, Buffer | string>();
  for (const size of pngSizes) files.set(pngName(size), get(renders, size).png);
  files.set('icon.png', get(renders, 1024).png);
  files.set('icon.ico', buildIco(renders));
  files.set('icon.icns', buildIcns(renders));
  files.set(stampName, stamp());
  for (const [name, content] of files) {
    const path = join(outDir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return [...files.keys()];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = resolve(process.argv[2] ?? buildDir);
  const written = await generateIcons(outDir);
  const shown = relative(process.cwd(), outDir);
  console.log(
    `Wrote ${written.length} files to ${shown.startsWith('..') ? outDir : shown || '.'}: ${written.join(', ')}`,
  );
}

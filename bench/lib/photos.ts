// Photo-like JPEGs for benchmarks, made in the benchmark's own Chromium (canvas, no image library):
// soft gradients and blurred shapes under a fine grain, so that they compress like a camera photo
// (a few bits a pixel) rather than like a flat colour (nearly nothing) or pure noise (more than a photo).
import type { Browser } from '@playwright/test';

export interface PhotoSize {
  width: number;
  height: number;
}

/** "3000x2000" -> { width: 3000, height: 2000 }, with an error naming the variable otherwise. */
export function photoSize(name: string, raw: string): PhotoSize {
  const match = /^(\d+)x(\d+)$/.exec(raw);
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  if (!match || width < 16 || height < 16 || width * height > 50_000_000)
    throw new Error(
      `${name} must be WIDTHxHEIGHT, at least 16x16 and at most 50 megapixels, not ${JSON.stringify(raw)}`,
    );
  return { width, height };
}

/** `count` different JPEGs of `size`; each is drawn from its own seed, so a run makes the same ones. */
export async function makePhotos(browser: Browser, count: number, size: PhotoSize, quality = 0.9): Promise<Buffer[]> {
  const page = await browser.newPage();
  try {
    // tsx keeps function names with a __name helper that the page does not have.
    await page.addInitScript({ content: 'window.__name = (f) => f;' });
    await page.goto('about:blank');
    const encoded = await page.evaluate(
      async ([count, width, height, quality]) => {
        const photos: string[] = [];
        for (let k = 0; k < count; k++) {
          let seed = 7919 * (k + 1);
          const random = () => {
            seed = (seed * 1103515245 + 12345) & 0x7fffffff;
            return seed / 0x7fffffff;
          };
          const canvas = new OffscreenCanvas(width, height);
          const g = canvas.getContext('2d')!;
          const hue = random() * 360;
          const sky = g.createLinearGradient(0, 0, 0, height);
          sky.addColorStop(0, `hsl(${hue}, 55%, 70%)`);
          sky.addColorStop(0.55, `hsl(${hue + 40}, 35%, 55%)`);
          sky.addColorStop(1, `hsl(${hue + 120}, 40%, 25%)`);
          g.fillStyle = sky;
          g.fillRect(0, 0, width, height);
          const unit = Math.min(width, height);
          for (let s = 0; s < 24; s++) {
            g.filter = `blur(${Math.round(unit * (0.005 + random() * 0.03))}px)`;
            g.fillStyle = `hsla(${hue + random() * 200}, ${30 + random() * 50}%, ${20 + random() * 60}%, 0.7)`;
            g.beginPath();
            g.ellipse(
              random() * width,
              random() * height,
              unit * (0.05 + random() * 0.3),
              unit * (0.03 + random() * 0.2),
              random() * Math.PI,
              0,
              2 * Math.PI,
            );
            g.fill();
          }
          g.filter = 'none';
          // Grain, as a sensor gives: what makes a photo's JPEG a few bits a pixel.
          const image = g.getImageData(0, 0, width, height);
          const data = image.data;
          for (let i = 0; i < data.length; i += 4) {
            seed = (seed * 1103515245 + 12345) & 0x7fffffff;
            const n = ((seed >> 16) % 17) - 8;
            data[i]! += n;
            data[i + 1]! += n + ((seed >> 8) & 3) - 1;
            data[i + 2]! += n;
          }
          g.putImageData(image, 0, 0);
          const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality });
          const bytes = new Uint8Array(await blob.arrayBuffer());
          let binary = '';
          for (let i = 0; i < bytes.length; i += 0x8000)
            binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
          photos.push(btoa(binary));
        }
        return photos;
      },
      [count, size.width, size.height, quality] as const,
    );
    return encoded.map((base64) => Buffer.from(base64, 'base64'));
  } finally {
    await page.close();
  }
}

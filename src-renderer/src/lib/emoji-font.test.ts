import { describe, expect, it } from 'vitest';

// The app's emoji faces (src-renderer/src/emoji-font.css) are the package's, WOFF only: an update of
// @fontsource/noto-color-emoji that changes its subsets must change them too.

// Read from disk: Vitest hands CSS imports (even `?raw`) over empty, and the renderer's types know no
// Node modules, hence the loosely typed import.
const fs = (await import(/* @vite-ignore */ 'node:fs' as string)) as {
  readFileSync(path: string, encoding: 'utf8'): string;
  existsSync(path: string): boolean;
};
const ours = fs.readFileSync('src-renderer/src/emoji-font.css', 'utf8');
const theirs = fs.readFileSync('node_modules/@fontsource/noto-color-emoji/400.css', 'utf8');

const faces = (css: string) =>
  [...css.matchAll(/noto-color-emoji-(\w+)-400-normal\.woff[^;]*;\s*unicode-range:\s*([^;]+);/g)].map(
    ([, subset, range]) => `${subset} ${range!.replace(/\s+/g, '')}`,
  );

describe('the shipped emoji font', () => {
  it('has the same faces and ranges as the package, each a WOFF file that exists', () => {
    expect(faces(ours).length).toBeGreaterThan(5);
    // Less the characters that are text first (digits, #, *, ©, ®, ™): letters' fonts draw those.
    const text = /U\+(23|2a|30-39|a9|ae|2122),\s*/g;
    expect(faces(ours)).toEqual(faces(theirs.replace(text, '')));
    expect(ours).not.toMatch(text);
    expect(ours).not.toContain('woff2');
    const files = [...ours.matchAll(/url\('\.\.\/\.\.\/(node_modules\/[^']+)'\)/g)].map(([, file]) => file!);
    expect(files).toHaveLength(faces(ours).length);
    for (const file of files) expect(fs.existsSync(file), file).toBe(true);
  });
});

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The app's emoji faces (src-renderer/src/emoji-font.css) are the package's, WOFF only: an update of
// @fontsource/noto-color-emoji that changes its subsets must change them too.
const faces = (css: string) =>
  [...css.matchAll(/noto-color-emoji-(\w+)-400-normal\.woff[^;]*;\s*unicode-range:\s*([^;]+);/g)].map(
    ([, subset, range]) => `${subset} ${range!.replace(/\s+/g, '')}`,
  );

describe('the shipped emoji font', () => {
  it('has the same faces and ranges as the package, each a WOFF file that exists', () => {
    const ours = readFileSync(resolve('src-renderer/src/emoji-font.css'), 'utf8');
    const theirs = readFileSync(resolve('node_modules/@fontsource/noto-color-emoji/400.css'), 'utf8');
    expect(faces(ours).length).toBeGreaterThan(5);
    // Less the characters that are text first (digits, #, *, ©, ®, ™): letters' fonts draw those.
    const text = /U\+(23|2a|30-39|a9|ae|2122),\s*/g;
    expect(faces(ours)).toEqual(faces(theirs.replace(text, '')));
    expect(ours).not.toMatch(text);
    expect(ours).not.toContain('woff2');
    for (const [, file] of ours.matchAll(/url\('([^']+)'\)/g)) {
      expect(() => readFileSync(resolve('src-renderer/src', file!))).not.toThrow();
    }
  });
});

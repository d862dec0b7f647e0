import { describe, expect, it } from 'vitest';
import { AVATAR_MAX_BYTES, avatarProblem, NAME_MAX, nameProblem, tidyName } from './profile-form.ts';

describe('a display name', () => {
  it('is tidied to one trimmed line', () => {
    expect(tidyName('  Ann\tLee\r\nJr. ')).toBe('Ann Lee Jr.');
  });

  it('may be empty, or as long as the server allows, counted in characters', () => {
    expect(nameProblem('')).toBe('');
    expect(nameProblem('é'.repeat(NAME_MAX))).toBe('');
    expect(nameProblem('👋'.repeat(NAME_MAX))).toBe('');
  });

  it('is refused when longer, saying how long it is', () => {
    expect(nameProblem('x'.repeat(NAME_MAX + 1))).toBe(`Use at most ${NAME_MAX} characters (this name has 65).`);
  });

  it('is refused with control or direction characters, which could disguise it', () => {
    for (const name of ['admin\u0000', 'evil\u202Egnp.exe', 'a\u2066b', 'esc\u001b[31m']) {
      expect(nameProblem(name), JSON.stringify(name)).toMatch(
        /control characters or characters that change the text direction/,
      );
    }
  });
});

describe('a picture file', () => {
  const file = (name: string, type: string, size = 1000) => ({ name, type, size });

  it('may be a JPEG, PNG, GIF or WebP up to the limit', () => {
    for (const type of ['image/jpeg', 'image/png', 'image/gif', 'image/webp']) {
      expect(avatarProblem(file('me', type, AVATAR_MAX_BYTES))).toBe('');
    }
  });

  it('is refused, named, when of another type, SVG included', () => {
    expect(avatarProblem(file('logo.svg', 'image/svg+xml'))).toBe(
      '“logo.svg” is not a JPEG, PNG, GIF or WebP picture. Choose one of those.',
    );
    expect(avatarProblem(file('notes.txt', ''))).toMatch(/not a JPEG/);
  });

  it('is refused, with its size, when too large', () => {
    expect(avatarProblem(file('big.png', 'image/png', 3.5 * 1024 * 1024))).toBe(
      '“big.png” is 3.5 MB; a picture can be at most 2 MB. Choose a smaller one.',
    );
  });
});

// Checked against WebCrypto's SHA-256 (OpenSSL's, in Node), without Node's types: this file is type
// checked with the renderer's.
import { describe, expect, it } from 'vitest';
import { isRecordId } from './record-id.ts';
import { reactionId, sha256 } from './reaction-id.ts';

const hex = (bytes: Uint8Array) => [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
const webSha256 = async (bytes: Uint8Array<ArrayBuffer>) =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
const randomBytes = (length: number) => {
  const bytes = new Uint8Array(length);
  for (let at = 0; at < length; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return bytes;
};

describe('sha256', () => {
  it('gives the standard digests (FIPS 180-4 examples)', () => {
    const text = (s: string) => hex(sha256(new TextEncoder().encode(s)));
    expect(text('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(text('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(text('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('agrees with WebCrypto on every length around the block edges and on random data', async () => {
    for (let length = 0; length <= 200; length++) {
      const bytes = randomBytes(length);
      expect(hex(sha256(bytes)), `length ${length}`).toBe(hex(await webSha256(bytes)));
    }
    const large = randomBytes(100_000);
    expect(hex(sha256(large))).toBe(hex(await webSha256(large)));
  });
});

describe('reactionId', () => {
  it('is a PocketBase record id, the same every time for the same message, person and emoji', () => {
    const id = reactionId('message00000001', 'user00000000001', '👍');
    expect(isRecordId(id)).toBe(true);
    expect(reactionId('message00000001', 'user00000000001', '👍')).toBe(id);
  });

  it('is fixed across versions: a change here would strand every reaction already made', async () => {
    const digest = await webSha256(new TextEncoder().encode('message00000001\nuser00000000001\n👍'));
    const expected = (BigInt(`0x${hex(digest.subarray(0, 16))}`) % 36n ** 15n).toString(36).padStart(15, '0');
    expect(reactionId('message00000001', 'user00000000001', '👍')).toBe(expected);
    expect(reactionId('message00000001', 'user00000000001', '👍')).toBe('wzk2dofmbdt9wyj');
  });

  it('differs for another message, person or emoji, skin tones and presentation selectors included', () => {
    const ids = new Set([
      reactionId('message00000001', 'user00000000001', '👍'),
      reactionId('message00000002', 'user00000000001', '👍'),
      reactionId('message00000001', 'user00000000002', '👍'),
      reactionId('message00000001', 'user00000000001', '👍🏽'),
      reactionId('message00000001', 'user00000000001', '❤️'),
      reactionId('message00000001', 'user00000000001', '❤'),
    ]);
    expect(ids.size).toBe(6);
  });

  it('spreads over the whole alphabet, leading zeros kept', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = reactionId(`m${i}`.padEnd(15, '0'), 'user00000000001', '🎉');
      expect(id).toMatch(/^[a-z0-9]{15}$/);
      for (const char of id) seen.add(char);
    }
    expect(seen.size).toBe(36);
  });
});

// Checked against WebCrypto's SHA-256, and pinned: backend/read_markers_test.go holds the same ids, so the
// server and every client compute one marker id per person and room.
import { describe, expect, it } from 'vitest';
import { isRecordId } from './record-id.ts';
import { readMarkerId } from './read-marker-id.ts';
import { reactionId } from './reaction-id.ts';

const hex = (bytes: Uint8Array) => [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');

describe('readMarkerId', () => {
  it('is a PocketBase record id, the same every time for the same person and room', () => {
    const id = readMarkerId('user00000000001', 'room00000000001');
    expect(isRecordId(id)).toBe(true);
    expect(readMarkerId('user00000000001', 'room00000000001')).toBe(id);
  });

  it('is the first 128 bits of SHA-256("user\\nroom") modulo 36^15, as WebCrypto computes it', async () => {
    const digest = new Uint8Array(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode('user00000000001\nroom00000000001')),
    );
    const expected = (BigInt(`0x${hex(digest.subarray(0, 16))}`) % 36n ** 15n).toString(36).padStart(15, '0');
    expect(readMarkerId('user00000000001', 'room00000000001')).toBe(expected);
  });

  it('is fixed across versions and the same as the server’s (read_markers_test.go)', () => {
    expect(readMarkerId('user00000000001', 'room00000000001')).toBe('nnazxmiya9q9ixq');
    expect(readMarkerId('abcdefghijklmno', 'pqrstuvwxyz0123')).toBe('ye0n4guc1pv0pzm');
    expect(readMarkerId('zzzzzzzzzzzzzzz', '000000000000000')).toBe('nl9e8r0ebwbh518');
    expect(readMarkerId('u00000000000001', 'r00000000000002')).toBe('nftr2jusf0bi9j3');
  });

  it('differs when person and room swap, and for another person or room', () => {
    const ids = new Set([
      readMarkerId('aaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbb'),
      readMarkerId('bbbbbbbbbbbbbbb', 'aaaaaaaaaaaaaaa'),
      readMarkerId('aaaaaaaaaaaaaaa', 'ccccccccccccccc'),
      readMarkerId('ccccccccccccccc', 'bbbbbbbbbbbbbbb'),
    ]);
    expect(ids.size).toBe(4);
  });

  it('spreads over the whole alphabet, and is not a reaction id', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = readMarkerId('user00000000001', `r${i}`.padEnd(15, '0'));
      expect(id).toMatch(/^[a-z0-9]{15}$/);
      for (const char of id) seen.add(char);
    }
    expect(seen.size).toBe(36);
    expect(readMarkerId('user00000000001', 'room00000000001')).not.toBe(
      reactionId('user00000000001', 'room00000000001', ''),
    );
  });
});

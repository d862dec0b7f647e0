import { describe, expect, it } from 'vitest';
import { ReadMarkerWriter } from './read-marker-writer.ts';

const marker = { message: 'm1', readAt: '2026-12-02 05:00:00.000Z' };
const refused = (status: number) => Object.assign(new Error(`refused ${status}`), { status });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ReadMarkerWriter', () => {
  it('keeps a marker whose write failed on the way (offline, 5xx, 429) for the next occasion', async () => {
    for (const error of [new TypeError('Failed to fetch'), refused(503), refused(429)]) {
      const writes: string[] = [];
      let fail = true;
      const writer = new ReadMarkerWriter(async (_room, message) => {
        writes.push(message);
        if (fail) throw error;
      });
      writer.want('r1', marker, true);
      await settle();
      expect(writer.pending('r1')).toEqual(marker);
      fail = false;
      writer.want('r1', marker, true);
      await settle();
      expect(writes).toEqual(['m1', 'm1']);
      expect(writer.pending('r1')).toBeUndefined();
    }
  });

  // Kept, a marker the server will never take (its message deleted, the room left) would hold the
  // room's count at zero on this device while the others showed the real one.
  it('drops a marker the server refused for good', async () => {
    const writer = new ReadMarkerWriter(async () => {
      throw refused(400);
    });
    writer.want('r1', marker, true);
    await settle();
    expect(writer.pending('r1')).toBeUndefined();
  });
});

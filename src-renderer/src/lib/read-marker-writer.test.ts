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

  // Dropped, what was read in the last second before the window closed or the person signed out stayed
  // unread on their other devices and at the next start.
  it('writes a marker still waiting for its second when stopped, and resolves once it is written', async () => {
    const writes: string[] = [];
    let now = 0;
    let answer: () => void = () => undefined;
    const writer = new ReadMarkerWriter(
      (_room, message) => {
        writes.push(message);
        return new Promise<void>((resolve) => (answer = resolve));
      },
      () => now,
    );
    writer.want('r1', marker);
    answer();
    await settle();
    now = 200; // within the second: the next marker waits for it
    writer.want('r1', { ...marker, message: 'm2' });
    expect(writes).toEqual(['m1']);
    let stopped = false;
    const stopping = writer.stop().then(() => (stopped = true));
    expect(writes).toEqual(['m1', 'm2']);
    await settle();
    expect(stopped).toBe(false); // the write is still on its way
    answer();
    await stopping;
    expect(writer.pending('r1')).toBeUndefined();
    // Nothing decided after the chat ended is written.
    writer.want('r1', { ...marker, message: 'm3' });
    await settle();
    expect(writes).toEqual(['m1', 'm2']);
  });
});

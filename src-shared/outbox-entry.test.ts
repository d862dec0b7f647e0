import { describe, expect, it } from 'vitest';
import { isOutboxEntry } from './outbox-entry.ts';

const entry = {
  id: 'abcdefghijklmno',
  room: 'roomroomroomroo',
  text: 'hi',
  created: '2026-12-02 01:00:00.000Z',
  state: 'pending',
};

describe('outbox entries and threads', () => {
  it('keeps entries written before threads valid', () => {
    expect(isOutboxEntry(entry)).toBe(true);
  });

  it('takes a reply with its root, also sent to the room or not', () => {
    expect(isOutboxEntry({ ...entry, thread: 'rootrootrootroo' })).toBe(true);
    expect(isOutboxEntry({ ...entry, thread: 'rootrootrootroo', alsoInRoom: true })).toBe(true);
    expect(isOutboxEntry({ ...entry, thread: 'rootrootrootroo', alsoInRoom: false })).toBe(true);
  });

  it('refuses a root that is no record id, a non-boolean choice, and "also in the room" without a thread', () => {
    expect(isOutboxEntry({ ...entry, thread: '../../etc' })).toBe(false);
    expect(isOutboxEntry({ ...entry, thread: '' })).toBe(false);
    expect(isOutboxEntry({ ...entry, thread: 42 })).toBe(false);
    expect(isOutboxEntry({ ...entry, thread: 'rootrootrootroo', alsoInRoom: 'yes' })).toBe(false);
    expect(isOutboxEntry({ ...entry, alsoInRoom: true })).toBe(false);
  });
});

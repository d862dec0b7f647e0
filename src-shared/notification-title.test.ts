import { describe, expect, it } from 'vitest';
import { notificationTitle } from './notification-title.ts';

it('names the room and the author', () => {
  expect(notificationTitle({ roomLabel: '#general', author: 'alice', direct: false })).toBe('#general — alice');
  expect(notificationTitle({ roomLabel: 'Team — Ops', author: 'Alice (@alice)', direct: false })).toBe(
    'Team — Ops — Alice (@alice)',
  );
});

it('names only the person in a direct conversation, and when the room has no name', () => {
  expect(notificationTitle({ roomLabel: 'Bob (@bob)', author: 'Bob (@bob)', direct: true })).toBe('Bob (@bob)');
  expect(notificationTitle({ roomLabel: ' ', author: 'carol', direct: false })).toBe('carol');
});

it('keeps a direction override in a room name or an author from turning the title around', () => {
  // Shown as is, U+202E would draw "— Bob (@mallory)" mirrored after the room name.
  expect(notificationTitle({ roomLabel: '#general\u202e', author: 'Bob\u2067 (@mallory)\u2069', direct: false })).toBe(
    '#general — Bob (@mallory)',
  );
  expect(notificationTitle({ roomLabel: 'x', author: '\u202eBob (@mallory)', direct: true })).toBe('Bob (@mallory)');
});

describe('notificationTitle with several servers', () => {
  it('names the server of the message, by host', () => {
    expect(
      notificationTitle({
        roomLabel: '#general',
        author: 'Bob (@bob)',
        direct: false,
        server: 'https://chat.example.com/pb',
      }),
    ).toBe('#general — Bob (@bob) · chat.example.com');
    expect(
      notificationTitle({ roomLabel: 'Bob', author: 'Bob (@bob)', direct: true, server: 'http://127.0.0.1:8091' }),
    ).toBe('Bob (@bob) · 127.0.0.1:8091');
  });
});

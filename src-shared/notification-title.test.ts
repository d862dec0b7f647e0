import { expect, it } from 'vitest';
import { notificationTitle } from './notification-title.ts';

it('names the room and the author', () => {
  expect(notificationTitle({ roomLabel: '#general', author: 'alice', direct: false })).toBe('#general — alice');
  expect(notificationTitle({ roomLabel: 'Team — Ops', author: 'alice', direct: false })).toBe('Team — Ops — alice');
});

it('names only the person in a direct conversation, and when the room has no name', () => {
  expect(notificationTitle({ roomLabel: 'bob', author: 'bob', direct: true })).toBe('bob');
  expect(notificationTitle({ roomLabel: ' ', author: 'carol', direct: false })).toBe('carol');
});

import { expect, it } from 'vitest';
import { messageLink, roomLink } from './room-link.ts';

it('roomLink writes palaver://room/<id>', () => {
  expect(roomLink('a1b2c3d4e5f6g7h')).toBe('palaver://room/a1b2c3d4e5f6g7h');
});

it('messageLink writes palaver://room/<id>/message/<id>', () => {
  expect(messageLink('a1b2c3d4e5f6g7h', 'z9y8x7w6v5u4t3s')).toBe(
    'palaver://room/a1b2c3d4e5f6g7h/message/z9y8x7w6v5u4t3s',
  );
});

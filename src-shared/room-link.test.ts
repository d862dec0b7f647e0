import { expect, it } from 'vitest';
import { roomLink } from './room-link.ts';

it('roomLink writes palaver://room/<id>', () => {
  expect(roomLink('a1b2c3d4e5f6g7h')).toBe('palaver://room/a1b2c3d4e5f6g7h');
});

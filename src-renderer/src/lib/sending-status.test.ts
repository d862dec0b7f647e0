import { expect, it } from 'vitest';
import { SLOWED_ANNOUNCEMENT, sendingStatus } from './sending-status.ts';

it('says Sending… when nothing holds the message back', () => {
  expect(sendingStatus(undefined, 1_000)).toBe('Sending…');
});

it('says why and counts down in whole seconds while the server asked to slow down', () => {
  expect(sendingStatus(9_000, 1_000)).toBe('The server asked to slow down — sending in 8 s');
  expect(sendingStatus(9_000, 1_001)).toBe('The server asked to slow down — sending in 8 s');
  expect(sendingStatus(9_000, 7_999)).toBe('The server asked to slow down — sending in 2 s');
  expect(sendingStatus(9_000, 8_500)).toBe('The server asked to slow down — sending in 1 s');
});

it('is back to Sending… once the moment has come (the attempt is on its way)', () => {
  expect(sendingStatus(9_000, 9_000)).toBe('Sending…');
  expect(sendingStatus(9_000, 12_000)).toBe('Sending…');
});

it('gives screen readers the reason in one line with no number in it, so it never changes while the wait runs', () => {
  expect(SLOWED_ANNOUNCEMENT).toMatch(/slow down/);
  expect(SLOWED_ANNOUNCEMENT).not.toMatch(/\d/);
});

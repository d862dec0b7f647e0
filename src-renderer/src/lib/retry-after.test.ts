import { ClientResponseError } from 'pocketbase';
import { expect, it } from 'vitest';
import { retryAfterMs } from './retry-after.ts';

const refusal = (status: number, data: unknown) =>
  new ClientResponseError({ status, response: { status, message: 'Too Many Requests.', data } });

it('reads the wait a 429 names, in ms', () => {
  expect(retryAfterMs(refusal(429, { retryAfter: 3 }))).toBe(3000);
});

it('names none when the server gave none, so the caller falls back to its back-off', () => {
  expect(retryAfterMs(refusal(429, {}))).toBeUndefined();
  expect(retryAfterMs(refusal(429, undefined))).toBeUndefined();
  expect(retryAfterMs(new Error('boom'))).toBeUndefined();
});

it('ignores a wait on anything but a 429, and waits that are no waits (zero, negative, text)', () => {
  expect(retryAfterMs(refusal(400, { retryAfter: 3 }))).toBeUndefined();
  for (const retryAfter of [0, -5, '3', Number.NaN, Number.POSITIVE_INFINITY]) {
    expect(retryAfterMs(refusal(429, { retryAfter }))).toBeUndefined();
  }
});

import { ClientResponseError } from 'pocketbase';
import { describe, expect, it } from 'vitest';
import { describeError } from './errors.ts';

const responseError = (status: number, data: Record<string, unknown> = {}, message = 'Failed.') =>
  new ClientResponseError({ url: 'http://x', status, response: { status, message, data } });

describe('describeError', () => {
  it('names the server when it cannot be reached', () => {
    const problem = describeError(new ClientResponseError({ status: 0, response: {} }), {
      server: 'http://127.0.0.1:9',
    });
    expect(problem).toMatchObject({ unreachable: true, permanent: false });
    expect(problem.message).toContain('http://127.0.0.1:9');
  });

  it('turns field errors into sentences for each field', () => {
    const problem = describeError(
      responseError(400, {
        username: { code: 'validation_not_unique', message: 'Value must be unique.' },
        email: { code: 'validation_not_unique', message: 'Value must be unique.' },
        password: { code: 'validation_length_out_of_range', message: 'x', params: { min: 8, max: 71 } },
        text: { code: 'validation_something_new', message: 'The server explains.' },
      }),
      { action: 'create your account' },
    );
    expect(problem.fields).toEqual({
      username: 'This username is taken.',
      email: 'This is already taken.',
      password: 'Use 8 to 71 characters.',
      text: 'The server explains.',
    });
    expect(problem.permanent).toBe(true);
  });

  it('has words for forbidden, gone, rate limited and server errors', () => {
    expect(describeError(responseError(403), { action: 'post here' }).message).toBe(
      'You are not allowed to post here.',
    );
    expect(describeError(responseError(404)).permanent).toBe(true);
    expect(describeError(responseError(429))).toMatchObject({ permanent: false });
    expect(describeError(responseError(429)).message).toMatch(/wait/i);
    expect(describeError(responseError(503)).message).toContain('503');
  });

  it('describes non-HTTP errors too', () => {
    expect(describeError(new Error('boom'), { action: 'load rooms' }).message).toBe('Could not load rooms: boom');
  });
});

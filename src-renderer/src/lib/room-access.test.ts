import { ClientResponseError } from 'pocketbase';
import { describe, expect, it } from 'vitest';
import { describeError } from './errors.ts';
import { roomUnavailableMessage } from './room-access.ts';

const ROOM = 'a1b2c3d4e5f6g7h';
const problem = (status: number) =>
  describeError(
    new ClientResponseError({
      url: 'http://x',
      status,
      response: status === 0 ? {} : { status, message: 'Failed.', data: {} },
    }),
    {
      server: 'http://127.0.0.1:8090',
      action: 'open that room',
    },
  );

describe('roomUnavailableMessage', () => {
  it('says the room is not available, naming its link, when the server does not show it', () => {
    for (const status of [404, 403, 400]) {
      expect(roomUnavailableMessage(ROOM, problem(status)), String(status)).toBe(
        `That room is not available to you (palaver://room/${ROOM}). It may have been deleted, or you are not one of its members.`,
      );
    }
  });

  it('says what went wrong when the server could not answer, so the user knows to try again', () => {
    expect(roomUnavailableMessage(ROOM, problem(0))).toBe(
      `Could not open palaver://room/${ROOM}. Can't reach the server at http://127.0.0.1:8090. Check the address and your connection.`,
    );
    expect(roomUnavailableMessage(ROOM, problem(503))).toBe(
      `Could not open palaver://room/${ROOM}. The server had a problem (503) and could not open that room. Try again in a moment.`,
    );
  });

  it('passes on an ended session as it is', () => {
    expect(roomUnavailableMessage(ROOM, problem(401))).toBe('Your session has ended. Please sign in again.');
  });

  it('never repeats an id that is not a record id', () => {
    const message = roomUnavailableMessage('<img src=x onerror=alert(1)>', problem(404));
    expect(message).toBe(
      'That room is not available to you (that link). It may have been deleted, or you are not one of its members.',
    );
  });
});

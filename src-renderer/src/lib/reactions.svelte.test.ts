import { ClientResponseError } from 'pocketbase';
import { describe, expect, it } from 'vitest';
import type { ReactionsApi } from './reactions-api.ts';
import { Reactions, type ReactableMessage } from './reactions.svelte.ts';

/** An API whose answers the test gives, one request at a time. */
function fakeApi() {
  const calls: string[] = [];
  const answers: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  const request = (what: string) =>
    new Promise<void>((resolve, reject) => {
      calls.push(what);
      answers.push({ resolve, reject });
    });
  const api: ReactionsApi = {
    add: (message, emoji) => request(`add ${message} ${emoji}`),
    remove: (message, emoji) => request(`remove ${message} ${emoji}`),
  };
  return { api, calls, next: () => answers.shift()! };
}

const refusal = (status: number, response: Record<string, unknown>) =>
  new ClientResponseError({ status, response, url: 'http://x/api/collections/reactions/records' });

function message(reactionInfo: unknown, updated = 'v1'): ReactableMessage {
  return { id: 'm1', updated, reactionInfo };
}

describe('Reactions', () => {
  it('shows a new reaction at once, keeps it once answered, then follows the server’s update', async () => {
    const { api, calls, next } = fakeApi();
    const remembered: string[] = [];
    const reactions = new Reactions(api, 'me', (emoji) => remembered.push(emoji));
    let current = message([{ emoji: '👍', count: 1, users: ['alice'] }]);

    const done = reactions.toggle(() => current, '👍');
    expect(calls).toEqual(['add m1 👍']);
    expect(remembered).toEqual(['👍']);
    expect(reactions.shown(current)).toEqual([{ emoji: '👍', count: 2, users: ['alice', 'me'] }]);
    next().resolve();
    await done;
    // Answered, the update not here yet: still shown as made.
    expect(reactions.shown(current)[0]?.count).toBe(2);
    // The server's word (here: Bob reacted too) replaces the overlay entirely.
    current = message([{ emoji: '👍', count: 3, users: ['alice', 'me', 'bob'] }], 'v2');
    expect(reactions.shown(current)).toEqual([{ emoji: '👍', count: 3, users: ['alice', 'me', 'bob'] }]);
    current = message([{ emoji: '👍', count: 2, users: ['alice', 'bob'] }], 'v3');
    expect(reactions.shown(current)[0]?.count).toBe(2);
  });

  it('takes a reaction back by a click on the chip, and the emoji goes when nobody is left', async () => {
    const { api, calls, next } = fakeApi();
    const reactions = new Reactions(api, 'me');
    const current = message([{ emoji: '🎉', count: 1, users: ['me'] }]);
    const done = reactions.toggle(() => current, '🎉');
    expect(calls).toEqual(['remove m1 🎉']);
    expect(reactions.shown(current)).toEqual([]);
    next().resolve();
    await done;
  });

  it('a double click sends once; the second click only counts once the first is answered', async () => {
    const { api, calls, next } = fakeApi();
    const reactions = new Reactions(api, 'me');
    const current = message([]);
    const first = reactions.toggle(() => current, '👍');
    await reactions.toggle(() => current, '👍');
    expect(calls).toEqual(['add m1 👍']);
    expect(reactions.shown(current)[0]?.count).toBe(1);
    next().resolve();
    await first;
    void reactions.toggle(() => current, '👍');
    expect(calls).toEqual(['add m1 👍', 'remove m1 👍']);
    expect(reactions.shown(current)).toEqual([]);
  });

  it('rolls back a refused reaction and says why beside the message, until the next try', async () => {
    const { api, next } = fakeApi();
    const reactions = new Reactions(api, 'me');
    const current = message([{ emoji: '👍', count: 1, users: ['alice'] }]);
    const done = reactions.toggle(() => current, '🦄');
    expect(reactions.shown(current)).toHaveLength(2);
    next().reject(refusal(400, { message: 'A message can have at most 20 different emoji.', data: {} }));
    await done;
    expect(reactions.shown(current)).toEqual([{ emoji: '👍', count: 1, users: ['alice'] }]);
    expect(reactions.problem('m1')).toBe('Could not react with 🦄: A message can have at most 20 different emoji.');

    const retry = reactions.toggle(() => current, '👍');
    expect(reactions.problem('m1')).toBe('');
    next().reject(refusal(0, {}));
    await retry;
    expect(reactions.shown(current)[0]?.count).toBe(1);
    expect(reactions.problem('m1')).toMatch(/^Can't reach the server/);
  });

  it('a pick adds (never takes back); nothing is sent for what is already there or a message not sent yet', async () => {
    const { api, calls } = fakeApi();
    const reactions = new Reactions(api, 'me');
    await reactions.add(() => message([{ emoji: '👍', count: 1, users: ['me'] }]), '👍');
    await reactions.toggle(() => ({ ...message([]), delivery: 'pending' }), '👍');
    await reactions.add(() => ({ ...message([]), delivery: 'failed' }), '👍');
    expect(calls).toEqual([]);
  });
});

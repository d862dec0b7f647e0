import { describe, expect, it } from 'vitest';
import type { ChatMessage } from './history.ts';
import { EditRequest, lastEditable } from './edit-request.svelte.ts';

const message = (id: string, user: string, delivery?: ChatMessage['delivery']) =>
  ({ id, user, delivery }) as ChatMessage;

describe('lastEditable', () => {
  it('is the newest sent message of the person, past others and unsent ones', () => {
    const messages = [
      message('a', 'me'),
      message('b', 'me'),
      message('c', 'pal'),
      message('d', 'me', 'pending'),
      message('e', 'me', 'failed'),
    ];
    expect(lastEditable(messages, 'me')?.id).toBe('b');
    expect(lastEditable(messages, 'nobody')).toBeUndefined();
    expect(lastEditable([], 'me')).toBeUndefined();
  });
});

describe('EditRequest', () => {
  it('is taken once, by the message it names', () => {
    const request = new EditRequest();
    expect(request.last([message('a', 'me'), message('b', 'pal')], 'me')).toBe(true);
    expect(request.take('b')).toBe(false);
    expect(request.take('a')).toBe(true);
    expect(request.take('a')).toBe(false);
  });

  it('asks nothing when the person has nothing to edit', () => {
    const request = new EditRequest();
    expect(request.last([message('b', 'pal')], 'me')).toBe(false);
    expect(request.id).toBeNull();
  });
});

import { describe, expect, it, vi } from 'vitest';
import { PendingLink } from './pending-link.ts';

describe('PendingLink', () => {
  it('keeps what arrives before it is open and delivers it on opening', () => {
    const pending = new PendingLink<string>();
    pending.push('aaaaaaaaaaaaaaa');
    expect(pending.peek()).toBe('aaaaaaaaaaaaaaa');
    expect(pending.isOpen).toBe(false);
    const handler = vi.fn();
    pending.open(handler);
    expect(handler).toHaveBeenCalledExactlyOnceWith('aaaaaaaaaaaaaaa');
    expect(pending.peek()).toBeUndefined();
    expect(pending.isOpen).toBe(true);
  });

  it('keeps only the newest', () => {
    const pending = new PendingLink<string>();
    pending.push('first');
    pending.push('second');
    const handler = vi.fn();
    pending.open(handler);
    expect(handler.mock.calls).toEqual([['second']]);
  });

  it('delivers at once once open, each one, in order', () => {
    const pending = new PendingLink<string>();
    const handler = vi.fn();
    pending.open(handler);
    expect(handler).not.toHaveBeenCalled();
    pending.push('a');
    pending.push('b');
    expect(handler.mock.calls).toEqual([['a'], ['b']]);
    expect(pending.peek()).toBeUndefined();
  });

  it('opening again hands later ones to the new handler, and does not repeat earlier ones', () => {
    const pending = new PendingLink<string>();
    const first = vi.fn();
    const second = vi.fn();
    pending.push('a');
    pending.open(first);
    pending.open(second);
    pending.push('b');
    expect(first.mock.calls).toEqual([['a']]);
    expect(second.mock.calls).toEqual([['b']]);
  });
});

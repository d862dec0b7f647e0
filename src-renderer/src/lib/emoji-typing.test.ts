import { describe, expect, it, vi } from 'vitest';
import { shortcodeTyped, shortcodesAtSend } from './emoji-typing.ts';

describe('shortcodes while typing', () => {
  it('leaves text as typed until the table arrives, then asks the composer to look again', async () => {
    expect(shortcodesAtSend(':tada:')).toBe(':tada:');
    const retry = vi.fn();
    expect(shortcodeTyped('hi :tada:', 9, retry)).toBeNull();
    await vi.waitFor(() => expect(retry).toHaveBeenCalledOnce());
    expect(shortcodeTyped('hi :tada:', 9, retry)).toEqual({ text: 'hi 🎉', caret: 5 });
    expect(shortcodesAtSend(':tada: `:tada:`')).toBe('🎉 `:tada:`');
  });

  it('does nothing when the character before the caret is not a colon', () => {
    const retry = vi.fn();
    expect(shortcodeTyped('hi :tada', 8, retry)).toBeNull();
    expect(retry).not.toHaveBeenCalled();
  });
});

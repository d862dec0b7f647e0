import { expect, it } from 'vitest';
import { WindowAttention, type DocumentLike, type WindowLike } from './window-attention.svelte.ts';

function fakeWindow() {
  const win = Object.assign(new EventTarget(), { navigator: { onLine: true } }) as WindowLike;
  let focus = true;
  let visibility = 'visible';
  const doc = Object.defineProperties(new EventTarget(), {
    hasFocus: { value: () => focus },
    visibilityState: { get: () => visibility },
  }) as DocumentLike;
  return {
    win,
    doc,
    set(next: { focus?: boolean; visibility?: string }) {
      focus = next.focus ?? focus;
      visibility = next.visibility ?? visibility;
    },
  };
}

it('follows focus, visibility and the network, and stops when told', () => {
  const page = fakeWindow();
  const attention = new WindowAttention(page.win, page.doc);
  const calls: string[] = [];
  const stop = attention.watch({
    focusChanged: () => calls.push('focus'),
    networkChanged: (online) => calls.push(online ? 'online' : 'offline'),
  });
  expect(attention.focused).toBe(true);

  page.set({ focus: false });
  page.win.dispatchEvent(new Event('blur'));
  expect(attention.focused).toBe(false);
  page.set({ focus: true, visibility: 'hidden' });
  page.doc.dispatchEvent(new Event('visibilitychange'));
  expect(attention.focused).toBe(false); // focused but minimised: nobody is looking
  page.set({ visibility: 'visible' });
  page.win.dispatchEvent(new Event('focus'));
  expect(attention.focused).toBe(true);

  page.win.dispatchEvent(new Event('offline'));
  expect(attention.online).toBe(false);
  page.win.dispatchEvent(new Event('online'));
  expect(attention.online).toBe(true);
  expect(calls).toEqual(['focus', 'focus', 'focus', 'offline', 'online']);

  stop();
  page.win.dispatchEvent(new Event('offline'));
  expect(attention.online).toBe(true);
  expect(calls).toHaveLength(5);
});

it('counts the conversation going out of view and back (a narrow window’s room list) as a change of attention', () => {
  const page = fakeWindow();
  const attention = new WindowAttention(page.win, page.doc);
  let changes = 0;
  const stop = attention.watch({ focusChanged: () => (changes += 1), networkChanged: () => undefined });
  expect(attention.conversationVisible).toBe(true);
  attention.showingConversation(false);
  expect([attention.conversationVisible, changes]).toEqual([false, 1]);
  attention.showingConversation(false);
  expect(changes).toBe(1);
  attention.showingConversation(true);
  expect([attention.conversationVisible, changes]).toEqual([true, 2]);
  stop();
  attention.showingConversation(false);
  expect(changes).toBe(2);
});

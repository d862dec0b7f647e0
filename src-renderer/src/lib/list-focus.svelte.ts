// The message list's keyboard focus (components/MessageList.svelte): its messages are one tab stop
// (roving tabindex): the message last focused, else the newest; Up and Down, Home and End move between
// them; Tab goes on into the focused message's tools, then out. A focused message that goes away hands
// the focus on rather than letting it fall to the page. Made while the list is made (it has effects).
import { tick } from 'svelte';
import type { ChatMessage } from './history.ts';
import { stepIndex, survivorOf } from './keyboard-roving.ts';

export class ListFocus {
  /** The message that last had the keyboard, whether or not it still has it. */
  focusedId = $state<string | null>(null);
  /** The list's one tab stop: the message focused last while it is still shown, else the newest. */
  readonly tabStopId = $derived.by(() => {
    const messages = this.messages();
    const focused = this.focusedId;
    return focused && messages.some((m) => m.id === focused) ? focused : messages.at(-1)?.id;
  });
  private shownIds: string[] = [];

  constructor(
    private readonly messages: () => readonly ChatMessage[],
    private readonly scroller: () => HTMLElement | undefined,
  ) {
    // A focused message that goes away (deleted here or elsewhere) hands the focus to the next message,
    // else the previous one. Only when the focus did fall: someone else's delete must not pull the
    // keyboard out of the composer.
    $effect(() => {
      const ids = this.messages().map((m) => m.id);
      const before = this.shownIds;
      this.shownIds = ids;
      const gone = this.focusedId;
      if (!gone || ids.includes(gone)) return;
      const survivor = survivorOf(before, gone, new Set(ids));
      void tick().then(() => {
        const fell = !document.activeElement || document.activeElement === document.body;
        if (survivor && fell) this.articleOf(survivor)?.focus();
      });
    });
  }

  articleOf(id: string): HTMLElement | null {
    return this.scroller()?.querySelector<HTMLElement>(`article[data-id="${CSS.escape(id)}"]`) ?? null;
  }

  readonly onFocusIn = (event: FocusEvent) => {
    const id = (event.target as HTMLElement).closest<HTMLElement>('article[data-id]')?.dataset.id;
    if (id) this.focusedId = id;
  };

  readonly onKeyDown = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement;
    // Only from a message itself: inside it, arrow keys belong to its edit box and buttons.
    if (!target.matches('article[data-id]') || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const articles = [...(this.scroller()?.querySelectorAll<HTMLElement>('article[data-id]') ?? [])];
    const next = stepIndex(articles.indexOf(target), articles.length, event.key);
    if (next === null) return;
    event.preventDefault();
    articles[next]!.focus();
  };
}

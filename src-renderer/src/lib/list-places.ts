// What the message list (components/MessageList.svelte) works out about its messages and its scroll
// position, apart from the component: each message's time and day, parsed once, and the reader's place
// (the first message in view) kept while pages come and go above or below.
import { fromServerDate } from '../../../src-shared/dates.ts';
import { dayKey } from './time.ts';

/** `compute` with its answers kept (forgotten all at once past `limit`, so a long session stays small). */
export function remembered<T>(compute: (key: string) => T, limit = 5_000): (key: string) => T {
  const kept = new Map<string, T>();
  return (key) => {
    let value = kept.get(key);
    if (value === undefined) {
      value = compute(key);
      if (kept.size > limit) kept.clear();
      kept.set(key, value);
    }
    return value;
  };
}

/** A server time as milliseconds, and the local day it falls on: asked for every message at every render. */
export const timeOf = () => remembered((created) => fromServerDate(created).getTime());
export const dayOf = () => remembered(dayKey);

/** Where the reader is: a message, and how far from the top of the view it stands. */
export interface Anchor {
  id: string;
  offset: number;
}

/** The first message at least partly in view, and how far from the top of the view it stands. */
export function visibleAnchor(container: HTMLElement): Anchor | null {
  for (const article of container.querySelectorAll<HTMLElement>('article[data-id]')) {
    if (article.offsetTop + article.offsetHeight > container.scrollTop) {
      return { id: article.dataset.id!, offset: article.offsetTop - container.scrollTop };
    }
  }
  return null;
}

/** Scrolls so that the anchor's message stands where it stood (when it is still there). */
export function restoreAnchor(container: HTMLElement, anchor: Anchor | null): void {
  const article = anchor && container.querySelector<HTMLElement>(`article[data-id="${CSS.escape(anchor.id)}"]`);
  if (anchor && article) container.scrollTop = article.offsetTop - anchor.offset;
}

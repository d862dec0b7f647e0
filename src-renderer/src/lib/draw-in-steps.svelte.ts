// Opening a room (components/MessageList.svelte) draws first only its newest messages, as many as fill
// the list and a margin, each formatted as it is drawn; the rest of the page comes in the task after
// that frame is painted, with the view kept where it was (at the bottom). A page of 50 rich messages
// is thousands of DOM nodes: drawing, formatting and laying out all of them before the first frame was
// most of a room's opening time (bench/README.md, Renderer), for messages above the screen.
import { flushSync, untrack } from 'svelte';
import type { ChatMessage } from './history.ts';
import { formatNow } from './markdown.ts';

/**
 * The height a message is guessed to take before any is measured: a rich message's (formatted, with a
 * thread summary or reactions). Too few for a room of one-line messages; those are counted then from what
 * the first ones measured (moreToFill), which costs a second, small layout.
 */
export const GUESS_PX = 96;
/** Drawn beyond the list's height at first, so a first scroll up finds messages rather than blank space. */
export const MARGIN = 0.5;

/** How many of the newest messages to draw first in a list `listPx` high (all of them when that is most). */
export function firstDrawCount(listPx: number, total: number, guessPx = GUESS_PX): number {
  const wanted = Math.ceil((Math.max(listPx, 0) * (1 + MARGIN)) / guessPx);
  return Math.min(total, Math.max(wanted, 1));
}

/** True when what is drawn fills the list and its margin (so drawing more now would be for off screen). */
export function filled(drawnPx: number, listPx: number): boolean {
  return drawnPx >= listPx * (1 + MARGIN);
}

/** How many more to draw when `drawn` messages took `drawnPx` and did not fill the list: at their average, and two. */
export function moreToFill(drawn: number, drawnPx: number, listPx: number): number {
  const each = drawnPx / Math.max(drawn, 1);
  return Math.ceil((listPx * (1 + MARGIN) - drawnPx) / Math.max(each, 1)) + 2;
}

export class DrawInSteps {
  /** The oldest message drawn, while the older ones of the page wait for the next step; null: all drawn. */
  private fromId = $state<string | null>(null);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private frame = 0;

  /**
   * `messages`: what the list would show; `keepPlace` grows the drawn part with `grow` while keeping the
   * reader's view where it was (at the bottom, or on the message they look at).
   */
  constructor(
    private readonly messages: () => readonly ChatMessage[],
    private readonly keepPlace: (grow: () => void) => void,
  ) {
    $effect(() => () => this.cancel());
  }

  /** What to draw now, and where it starts in `messages` (for the list's days and groups). */
  readonly drawn = $derived.by(() => {
    const all = this.messages();
    const from = this.fromId === null ? 0 : all.findIndex((m) => m.id === this.fromId);
    return from <= 0 ? { offset: 0, list: all } : { offset: from, list: all.slice(from) };
  });

  /** Older messages of the page are still to be drawn. */
  get pending(): boolean {
    return this.drawn.offset > 0;
  }

  /** A room (re)opened at its newest: only the newest that fill `listPx` are drawn (call before drawing). */
  open(listPx: number): void {
    untrack(() => {
      this.cancel();
      const all = this.messages();
      const count = firstDrawCount(listPx, all.length);
      this.setFrom(all, all.length - count, all.length);
    });
  }

  /**
   * After the first part is laid out: more at once while it does not fill the list (the guess was too
   * few), then the rest after the frame that shows it.
   */
  fill(scroller: HTMLElement): void {
    while (this.pending && !filled(scroller.scrollHeight, scroller.clientHeight)) {
      const all = this.messages();
      const from = this.drawn.offset;
      const more = moreToFill(all.length - from, scroller.scrollHeight, scroller.clientHeight);
      this.keepPlace(() => {
        this.setFrom(all, from - more, from);
        flushSync();
      });
    }
    if (!this.pending) return;
    // The frame's own callback comes before it is painted; a task queued from it runs after.
    this.frame = requestAnimationFrame(() => {
      this.timer = setTimeout(() => this.drawRest(), 0);
    });
  }

  /** Everything drawn now (another change came: a page above or below, a jump). */
  all(): void {
    this.cancel();
    this.fromId = null;
  }

  private drawRest(): void {
    if (!this.pending) return;
    const all = this.messages();
    const from = this.drawn.offset;
    this.keepPlace(() => {
      this.setFrom(all, 0, from);
      flushSync();
    });
  }

  /** Draws from index `from` on, formatting first (in one pass) what was not drawn yet: up to `drawnFrom`. */
  private setFrom(all: readonly ChatMessage[], from: number, drawnFrom: number): void {
    const start = Math.max(0, from);
    formatNow(all.slice(start, drawnFrom).map((m) => m.text));
    this.fromId = start > 0 ? all[start]!.id : null;
  }

  private cancel(): void {
    cancelAnimationFrame(this.frame);
    clearTimeout(this.timer);
  }
}

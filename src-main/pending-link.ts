// A link can arrive before the app can act on it: macOS sends 'open-url' before 'ready' when a link
// starts Palaver, and the first instance's own argv is read before there is a window. It waits here
// until the app is started, then goes the way every later link goes.
//
// Only the newest waits: opening several rooms one after the other ends in the last one anyway, and
// the last link clicked is the one the user wants to see.

export class PendingLink<T> {
  private waiting: { value: T } | null = null;
  private handler: ((value: T) => void) | null = null;

  /** Delivers at once when open, else keeps it (replacing one kept before). */
  push(value: T): void {
    if (this.handler !== null) this.handler(value);
    else this.waiting = { value };
  }

  /** From now on delivers to `handler`, starting with what was kept. Opening again replaces the handler. */
  open(handler: (value: T) => void): void {
    this.handler = handler;
    const kept = this.waiting;
    this.waiting = null;
    if (kept !== null) handler(kept.value);
  }

  get isOpen(): boolean {
    return this.handler !== null;
  }

  /** What is kept, if anything (for tests and logs). */
  peek(): T | undefined {
    return this.waiting?.value;
  }
}

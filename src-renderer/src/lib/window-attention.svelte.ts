// Whether the person can see the app (the window has focus and is visible, and the conversation is on
// screen rather than the room list a narrow window shows instead) and whether the browser thinks it is
// online: what decides unread counts, notifications and the offline banner.

/** The parts of `window` and `document` watched; tests pass EventTargets of their own. */
export interface WindowLike extends EventTarget {
  readonly navigator: { readonly onLine: boolean };
}
export interface DocumentLike extends EventTarget {
  hasFocus(): boolean;
  readonly visibilityState: string;
}

export interface AttentionHandlers {
  /** Focus, visibility or whether the conversation is on screen changed (read `focused`, `conversationVisible`). */
  focusChanged(): void;
  networkChanged(online: boolean): void;
}

export class WindowAttention {
  focused = $state(false);
  online = $state(true);
  /** The screen shows the open room's conversation (a narrow window shows the room list or it). */
  conversationVisible = $state(true);
  private changed: (() => void) | null = null;

  constructor(
    private readonly win: WindowLike = window,
    private readonly doc: DocumentLike = document,
  ) {
    this.focused = this.readFocus();
    this.online = win.navigator.onLine;
  }

  private readFocus(): boolean {
    return this.doc.hasFocus() && this.doc.visibilityState === 'visible';
  }

  /** The screen says whether the conversation is in view; going back to it counts as looking again. */
  showingConversation(visible: boolean): void {
    if (visible === this.conversationVisible) return;
    this.conversationVisible = visible;
    this.changed?.();
  }

  /** Starts watching; returns a function that stops. */
  watch(handlers: AttentionHandlers): () => void {
    const focus = () => {
      this.focused = this.readFocus();
      handlers.focusChanged();
    };
    const online = () => {
      this.online = true;
      handlers.networkChanged(true);
    };
    const offline = () => {
      this.online = false;
      handlers.networkChanged(false);
    };
    const { win, doc } = this;
    this.changed = handlers.focusChanged;
    win.addEventListener('focus', focus);
    win.addEventListener('blur', focus);
    doc.addEventListener('visibilitychange', focus);
    win.addEventListener('online', online);
    win.addEventListener('offline', offline);
    return () => {
      this.changed = null;
      win.removeEventListener('focus', focus);
      win.removeEventListener('blur', focus);
      doc.removeEventListener('visibilitychange', focus);
      win.removeEventListener('online', online);
      win.removeEventListener('offline', offline);
    };
  }
}

// Which pane a narrow (or zoomed) window shows: the room list, or the open conversation with a way back,
// and where the keyboard lands when one replaces the other. A side panel (a thread, search results)
// takes the messages' place there, so the room is not in view while one is open. Call while the chat
// screen is being set up: the effects live as long as it does.
import { tick, untrack } from 'svelte';
import type { Pane } from './layout.ts';

export interface PanesDeps {
  narrow: { readonly current: boolean };
  sidebar(): HTMLElement | undefined;
  conversation(): HTMLElement | undefined;
  openRoomId(): string | null;
  /** A thread or search results stand in the room's place in a narrow window. */
  sidePanelOpen(): boolean;
  /** Whether the open room's messages are in view (they badge and notify when not). */
  showingConversation(visible: boolean): void;
  /** A notification or a link asks for a room: called back on every such request. */
  onOpenRoom(listener: () => void): () => void;
}

export class ChatPanes {
  pane = $state<Pane>('conversation');

  constructor(private readonly deps: PanesDeps) {
    // Whatever opens a room shows it; with no room open there is only the list to show.
    $effect(() => {
      // Untracked: showing reads the pane, and going back to the list must not re-run this.
      if (deps.openRoomId()) untrack(() => void this.showConversation());
      else this.pane = 'rooms';
    });
    // On the room list, the room still open is not being read: it badges and notifies (lib/window-attention).
    $effect(() => {
      const visible = !deps.narrow.current || (this.pane === 'conversation' && !deps.sidePanelOpen());
      untrack(() => deps.showingConversation(visible));
    });
    // A notification or a link for the room already open still brings its conversation back into view.
    $effect(() => deps.onOpenRoom(() => void this.showConversation()));
  }

  /** A room was chosen (list, dialog, notification, link): its conversation comes into view, focus in its composer. */
  async showConversation(): Promise<void> {
    if (this.pane === 'conversation') return;
    this.pane = 'conversation';
    await tick();
    const conversation = this.deps.conversation();
    if (!this.deps.narrow.current || !conversation) return;
    // The composer where there is one (a public room not joined has a Join bar instead), else the heading.
    const composer = conversation.querySelector<HTMLElement>('textarea');
    const heading = conversation.querySelector<HTMLElement>('h1');
    if (composer) composer.focus();
    else if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  }

  /** Back to the list, on the room the person came from, so arrows and Enter carry on from there. */
  async showRooms(): Promise<void> {
    this.pane = 'rooms';
    await tick();
    const nav = this.deps.sidebar()?.querySelector('nav');
    (nav?.querySelector<HTMLElement>('[aria-current="page"]') ?? nav?.querySelector<HTMLElement>('button'))?.focus();
  }
}

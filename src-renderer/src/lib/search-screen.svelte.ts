// The chat screen's search: the running search (search-state.svelte.ts) wired to the chat. One side
// panel at a time: search results opening close the thread, and a thread opening closes the results.
// Offline nothing is sent, and what was asked runs when the connection is back. Choosing a result opens
// its conversation at it (chat.openMessage); the results stay beside it for the next one, except in a
// narrow window, where they give the room its place back (as they do when a room is chosen, or opened
// by a notification or a link). Call while the chat screen is being set up.
import { tick, untrack } from 'svelte';
import { describeError } from './errors.ts';
import type { MessageTarget } from './message-jump.ts';
import type { RoomDirectory } from './room-directory.svelte.ts';
import { PocketBaseSearchApi, type SearchRoom } from './search-api.ts';
import { fallbackRoomLabel } from './search-results.ts';
import { SearchState } from './search-state.svelte.ts';
import type PocketBase from 'pocketbase';

/** What the search needs of the chat (lib/chat.svelte.ts). */
export interface ChatForSearch {
  pb: PocketBase;
  directory: Pick<RoomDirectory, 'find' | 'label'>;
  attention: { readonly online: boolean };
  threads: { readonly rootId: string | null; close(): void };
  bridge: { onOpenRoom(listener: () => void): () => void };
  openMessage(target: MessageTarget): Promise<boolean>;
}

export interface ChatSearch {
  state: SearchState;
  /** Ctrl/Cmd+K, Ctrl/Cmd+F: the keyboard into the field, its text selected to type over, results shown. */
  focus(): Promise<void>;
  /** A room's name for a group of results: as the sidebar names it, else from the result. */
  roomLabel(roomId: string, room: SearchRoom | undefined): string;
  /** A result chosen. */
  open(target: MessageTarget): void;
  /** The results closed (their close or back button): the keyboard back in the field. */
  close(): void;
  /** Escape in the field with no results open: back to the room's composer. */
  leave(): void;
}

export function chatSearch(
  chat: ChatForSearch,
  narrow: { readonly current: boolean },
  panes: { showConversation(): Promise<void> },
): ChatSearch {
  const state = new SearchState({
    api: new PocketBaseSearchApi(chat.pb),
    online: () => chat.attention.online,
    problem: (error) => {
      const problem = describeError(error, { server: chat.pb.baseURL, action: 'search' });
      // A query the server refused: its own sentence about the field (q, before, from…), said once.
      return Object.values(problem.fields)[0] ?? problem.message;
    },
  });
  $effect(() => {
    const online = chat.attention.online;
    untrack(() => state.networkChanged(online));
  });
  // One side panel at a time. The thread is let go without moving the keyboard: it is in the field.
  $effect(() => {
    if (state.open) untrack(() => chat.threads.rootId !== null && chat.threads.close());
  });
  $effect(() => {
    if (chat.threads.rootId !== null) untrack(() => state.close());
  });
  // In a narrow window the results stand in the room's place: a notification or a link for a room
  // gives the room its place back (as a room chosen from the list does: ChatScreen's openRoom).
  $effect(() => chat.bridge.onOpenRoom(() => narrow.current && state.close()));

  return {
    state,
    async focus() {
      await panes.showConversation();
      await tick();
      const field = document.getElementById('search-messages') as HTMLInputElement | null;
      field?.focus();
      field?.select();
      state.show();
    },
    roomLabel(roomId, room) {
      const known = chat.directory.find(roomId);
      return known ? chat.directory.label(known) : fallbackRoomLabel(room);
    },
    open(target) {
      if (narrow.current) state.close();
      void chat.openMessage(target);
    },
    close() {
      state.close();
      void tick().then(() => document.getElementById('search-messages')?.focus());
    },
    leave() {
      document.querySelector<HTMLElement>('form.composer textarea')?.focus();
    },
  };
}

// The host (and port) of the server the chat screen shows, for what it writes that must name the server:
// a message's palaver:// link opens on that server, whichever is open when it is clicked (issue 19).
import { getContext, setContext } from 'svelte';

const KEY = Symbol('palaver:server-host');

/** Call while the chat screen is being set up. */
export function provideServerHost(serverUrl: string): void {
  setContext(KEY, new URL(serverUrl).host);
}

/** The host, or undefined outside a chat screen (a link then opens on the server open at the time). */
export function useServerHost(): string | undefined {
  return getContext<string | undefined>(KEY);
}

// Which server a palaver:// link opens on. A link from before several servers (no host) opens on the
// server open now; a link naming an added server opens on it; a link naming a server not added opens
// nothing by itself: the person is asked whether to add that server (a link can come from anyone).
import { serverUrlFromInput } from '../src-shared/server-address.ts';
import type { ServerList } from '../src-shared/server-list.ts';
import type { DeepLink } from './deep-link.ts';

export type LinkServer =
  /** Open the link's room on this server (its address); null: on the server open now. */
  | { kind: 'open'; server: string | null }
  /** Ask whether to add the server at this address, then open the room on it. */
  | { kind: 'offer'; server: string };

export function linkServer(link: DeepLink, list: ServerList): LinkServer {
  if (link.server === undefined) return { kind: 'open', server: null };
  const added = list.servers.find((entry) => new URL(entry.url).host.toLowerCase() === link.server);
  if (added) return { kind: 'open', server: added.url };
  // https:// unless the host is on this computer or its network, as the sign-in form guesses.
  return { kind: 'offer', server: serverUrlFromInput(link.server) };
}

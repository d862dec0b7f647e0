// palaver:// links, as the system hands them over: macOS in 'open-url', Windows and Linux as a
// command-line argument of the first instance or (through 'second-instance') of a later one. Anything
// can be behind a link (a web page, a chat message, a shortcut someone else made), so exactly these
// forms are accepted and everything else is refused:
//
//   palaver://room/<room id>                         <room id> is a PocketBase id: exactly 15 of a-z0-9
//   palaver://room/<room id>/                        Windows and some browsers add a trailing slash
//   palaver://room/<room id>/message/<message id>    the room opened at one of its messages (issue 17)
//   palaver://room/<room id>/message/<message id>/
//   palaver://<host>[:<port>]/room/<room id>[/message/<message id>][/]   the same on the server at <host>
//
// A link without a host is from before several servers (or written for the server open now) and opens
// on the server open now; one with a host opens on the added server of that host, and for a host not
// added main offers to add it (src-main/link-server.ts). "room" as a host is the old form, never a server.
//
// "palaver" and "room" are compared without regard to case, as URL schemes and hosts are; the ids and
// "message" (a path) are not: ids are lower case, and an upper-case one names nothing. Refused:
// palaver:room/<id> and palaver:///room/<id> (no link Palaver writes looks like that, so such a link was
// made by hand or by mistake), credentials, ports, queries, fragments, percent-encoding, whitespace,
// further path parts.
import { isRecordId } from '../src-shared/record-id.ts';
import { LINK_SCHEME } from '../src-shared/room-link.ts';
import { isServerHost } from '../src-shared/server-address.ts';

/** `server` is the host (and port) the link names, lower case; absent for a link without one. */
export type DeepLink = ({ kind: 'room'; roomId: string } | { kind: 'message'; roomId: string; messageId: string }) & {
  server?: string;
};

/** The longest accepted link is 55 characters plus a host; anything far longer is refused before it is looked at. */
export const MAX_LINK_LENGTH = 512;

// The id part is taken loosely here ([^/]*) and checked strictly by isRecordId, so that '?', '#', '%',
// '@', ':' and whitespace anywhere after "room/" end up in the id and fail that check. The host part is
// taken loosely too ([^/]*) and checked by isServerHost and a port of digits.
const ROOM_LINK = new RegExp(`^${LINK_SCHEME}://(?:([^/]*)/)?room/([^/]*)(?:/(message)/([^/]*))?/?$`, 'i');
const HOST_AND_PORT = /^(.+?)(?::(\d{1,5}))?$/;

/** The host[:port] of a link, lower case, or null when it is not one a server can have. */
function linkHost(raw: string): string | null {
  const match = HOST_AND_PORT.exec(raw);
  if (!match) return null;
  const [, host = '', port] = match;
  if (!isServerHost(host) || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) return null;
  return (port === undefined ? host : `${host}:${port}`).toLowerCase();
}

/** The room (and message, and server) a palaver:// link opens, or null for anything that is not exactly such a link. */
export function parseDeepLink(input: unknown): DeepLink | null {
  if (typeof input !== 'string' || input.length > MAX_LINK_LENGTH) return null;
  const match = ROOM_LINK.exec(input);
  if (!match) return null;
  const [, rawHost, roomId, message, messageId] = match;
  if (!isRecordId(roomId)) return null;
  let server: { server: string } | Record<string, never> = {};
  if (rawHost !== undefined) {
    // "palaver://room/room/<id>" is neither form; a host called "room" would read as the old form anyway.
    const host = linkHost(rawHost);
    if (host === null || host === 'room') return null;
    server = { server: host };
  }
  if (message === undefined) return { kind: 'room', roomId, ...server };
  return message === 'message' && isRecordId(messageId) ? { kind: 'message', roomId, messageId, ...server } : null;
}

/**
 * The first argument that is a palaver: link (valid or not, so that an invalid one can be reported),
 * or null. Switches are skipped: Chromium and Electron add their own (--allow-file-access-from-files,
 * --original-process-start-time=…) to a second instance's argv, and a switch whose value happens to be
 * a link (--foo=palaver://…) is not a link someone opened.
 */
export function linkInArgv(argv: readonly unknown[]): string | null {
  const prefix = `${LINK_SCHEME}:`;
  for (const arg of argv) {
    if (typeof arg !== 'string' || arg.startsWith('-')) continue;
    if (arg.slice(0, prefix.length).toLowerCase() === prefix) return arg;
  }
  return null;
}

/**
 * A link as it may appear in a log line: quoted, cut short, and with everything outside printable
 * ASCII escaped, so that a crafted link cannot forge log lines or reorder them with bidi controls.
 */
export function linkForLog(input: string): string {
  const shown = input.length > 200 ? `${input.slice(0, 200)}...` : input;
  return JSON.stringify(shown).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

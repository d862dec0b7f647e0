// Links to a room, palaver://room/<id>, and to a message in it, palaver://room/<id>/message/<id>: main parses the ones the system hands it (src-main/deep-link.ts),
// the renderer writes them into what it tells the user. One spelling of the format for both; the id
// is a record id as src-shared/record-id.ts defines it.

/** The URL scheme the installers register for Palaver. */
export const LINK_SCHEME = 'palaver';

/**
 * The link that opens a room, e.g. palaver://chat.example.com/room/a1b2c3d4e5f6g7h on the server at
 * that host (its URL's `host`, port included), or palaver://room/a1b2c3d4e5f6g7h on the server open.
 */
export function roomLink(roomId: string, serverHost?: string): string {
  return serverHost ? `${LINK_SCHEME}://${serverHost.toLowerCase()}/room/${roomId}` : `${LINK_SCHEME}://room/${roomId}`;
}

/** The link that opens a room at one message, e.g. palaver://room/a1b2c3d4e5f6g7h/message/h7g6f5e4d3c2b1a. */
export function messageLink(roomId: string, messageId: string, serverHost?: string): string {
  return `${roomLink(roomId, serverHost)}/message/${messageId}`;
}

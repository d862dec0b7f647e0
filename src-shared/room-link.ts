// Links to a room, palaver://room/<id>: main parses the ones the system hands it (src-main/deep-link.ts),
// the renderer writes them into what it tells the user. One spelling of the format for both.

/** The URL scheme the installers register for Palaver. */
export const LINK_SCHEME = 'palaver';

// PocketBase's default record id, which rooms use (backend/pb_migrations/1795700002_rooms.js): exactly
// 15 characters of a-z0-9, the same alphabet and length the renderer uses for ids it picks itself
// (src-renderer/src/lib/record-id.ts).
const RECORD_ID = /^[a-z0-9]{15}$/;

/** True for a PocketBase record id in the default format: 15 characters of a-z0-9, nothing else. */
export function isRecordId(value: unknown): value is string {
  return typeof value === 'string' && RECORD_ID.test(value);
}

/** The link that opens a room, e.g. palaver://room/a1b2c3d4e5f6g7h. */
export function roomLink(roomId: string): string {
  return `${LINK_SCHEME}://room/${roomId}`;
}

// The id of one person's read marker in one room (the `read_markers` collection), the same on every device
// and in the server: a hash of the two ids in PocketBase's default id format. A client moves its marker by
// updating this id and creates it on a 404, without looking it up first; the server refuses any other id on
// create (backend/read_markers.go), so nobody can take the id someone else's marker will need.
//
// The same SHA-256 and reduction as reaction-id.ts (whose comment says why SHA-256 is written out there).
import { RECORD_ID_LENGTH } from './record-id.ts';
import { sha256 } from './reaction-id.ts';

const ID_SPACE = 36n ** BigInt(RECORD_ID_LENGTH);

/**
 * The marker's record id: 15 characters of a-z0-9 from the SHA-256 of "user\nroom" (ids are a-z0-9, so the
 * newline keeps the two apart), its first 128 bits taken modulo 36^15.
 */
export function readMarkerId(userId: string, roomId: string): string {
  const digest = sha256(new TextEncoder().encode(`${userId}\n${roomId}`));
  let value = 0n;
  for (const byte of digest.subarray(0, 16)) value = (value << 8n) | BigInt(byte);
  return (value % ID_SPACE).toString(36).padStart(RECORD_ID_LENGTH, '0');
}

// What to tell the user when a room asked for by id (a palaver:// link, a notification) cannot be
// opened. PocketBase answers 404 both for a room that does not exist and for one the user may not see
// (its view rule hides it), so the two are one message; the link is repeated so the user can tell which
// one it was, or pass it back to whoever sent it.
import { isRecordId } from '../../../src-shared/record-id.ts';
import { roomLink } from '../../../src-shared/room-link.ts';
import type { ProblemDescription } from './errors.ts';

export function roomUnavailableMessage(roomId: string, problem: ProblemDescription): string {
  // Main only sends ids it checked, but this is shown to the user: never repeat anything else.
  const link = isRecordId(roomId) ? roomLink(roomId) : 'that link';
  if (problem.status === 404 || problem.status === 403 || problem.status === 400) {
    return `That room is not available to you (${link}). It may have been deleted, or you are not one of its members.`;
  }
  if (problem.status === 401) return problem.message;
  // Offline, server trouble: the room may well be there; say what happened and that it can be tried again.
  return `Could not open ${link}. ${problem.message}`;
}

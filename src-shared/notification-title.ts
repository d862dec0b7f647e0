// The title of a message notification, from the request's fields: main's batcher and the web bridge
// show the same words. The room and author travel as their own fields (NotificationRequest), so no
// one ever has to cut a title apart again, whatever a room is called. The author is a person's label
// ("Bob (@bob)", person-name.ts), so a copied name still shows whose message it is.
import type { NotificationRequest } from './ipc.ts';
import { withoutBidiControls } from './person-name.ts';
import { serverLabel } from './server-list.ts';

/**
 * "#general — Bob (@bob)" for a room; the person alone for a direct conversation (the room is them);
 * "… · chat.example.com" when the request names its server (several are added).
 */
export function notificationTitle(
  request: Pick<NotificationRequest, 'roomLabel' | 'author' | 'direct' | 'server'>,
): string {
  // The system draws the title as one line of text: a direction override in a room name or a name
  // would turn the rest of it around, and there is no element to isolate it in.
  const room = withoutBidiControls(request.roomLabel).trim();
  const author = withoutBidiControls(request.author).trim();
  const title = request.direct || room === '' ? author : `${room} — ${author}`;
  return request.server === undefined ? title : `${title} · ${serverLabel(request.server)}`;
}

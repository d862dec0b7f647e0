// The title of a message notification, from the request's fields: main's batcher and the web bridge
// show the same words. The room and author travel as their own fields (NotificationRequest), so no
// one ever has to cut a title apart again, whatever a room is called.
import type { NotificationRequest } from './ipc.ts';

/** "#general — alice" for a room; the person alone for a direct conversation (the room is them). */
export function notificationTitle(request: Pick<NotificationRequest, 'roomLabel' | 'author' | 'direct'>): string {
  const room = request.roomLabel.trim();
  return request.direct || room === '' ? request.author : `${room} — ${request.author}`;
}

/**
 * Realtime topics the Palaver server broadcasts on besides PocketBase's own collection topics.
 * backend/room_broadcast.go defines the same name; backend/tests/realtime.test.ts subscribes with this
 * constant, so the two cannot drift apart unnoticed.
 */

/** Every message event the signed-in account may read, with `expand.user`, encoded once per message. */
export const MESSAGES_TOPIC = 'palaver/messages';

/** `{user, status}` whenever a person's presence changes (backend/presence.go), to signed-in subscribers. */
export const PRESENCE_TOPIC = 'palaver/presence';

/** Typing signals `{ room, user, name }` for rooms the account can read (backend/typing.go); never stored. */
export const TYPING_TOPIC = 'palaver/typing';

/** `{ room, message, readAt, unread, mentions }` when a read marker moves (backend/read_markers.go), to its owner only. */
export const READS_TOPIC = 'palaver/reads';

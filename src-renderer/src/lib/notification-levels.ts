// How much a room may claim the person's attention (README "Notifications"): every message, only those
// that mention them, or nothing. Levels are stored on the server per person and room
// (`notification_levels`), so every device obeys them; a room with none stored has its kind's default.
import type { NotificationLevelsLevelOptions, RoomsRecord } from '../../../src-shared/pocketbase-types.ts';

export type NotificationLevel = NotificationLevelsLevelOptions;

/** A room's stored levels by room id: what the person chose; rooms missing from it have their default. */
export type NotificationLevels = ReadonlyMap<string, NotificationLevel>;

/**
 * A direct conversation is written to the person, so every message counts; in a room people talk among
 * themselves, so only what names them interrupts (as Slack and Mattermost do).
 */
export function defaultLevel(kind: RoomsRecord['kind']): NotificationLevel {
  return kind === 'direct' ? 'all' : 'mentions';
}

export function levelOf(
  room: Pick<RoomsRecord, 'id' | 'kind'>,
  levels: NotificationLevels | undefined,
): NotificationLevel {
  return levels?.get(room.id) ?? defaultLevel(room.kind);
}

/** The server worked out who a message mentions (backend/mentions.go); the client never reads names itself. */
export function mentions(message: { mentions?: readonly string[] | null }, personId: string): boolean {
  return message.mentions?.includes(personId) ?? false;
}

/** Whether a message from someone else may interrupt at that level (do-not-disturb and focus aside). */
export function levelAllows(level: NotificationLevel, mentioned: boolean): boolean {
  return level === 'all' || (level === 'mentions' && mentioned);
}

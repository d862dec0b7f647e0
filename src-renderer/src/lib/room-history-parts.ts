// The plain parts of a room's history (lib/room-history.svelte.ts): what last changed it, where a jump
// landed, and what keeps a jump from landing. No state here, so the history's module keeps to its job.
import type { ChatMessage } from './history.ts';

/**
 * What last changed a history, so the list knows whether to keep the reader's place, follow, or show
 * one message (`around`: `landed` names it).
 */
export type HistoryChange = 'reset' | 'older' | 'newer' | 'live' | 'around';

/** Where a jump landed: a message of the list, or the root of the reply asked for (kept to its thread). */
export interface Landing {
  id: string;
  reply?: string;
}

/** The message asked for is in another room than this history's (a link or a caller mixed them up). */
export class NotInRoom extends Error {
  constructor() {
    super('that message is in another room');
  }
}

/** The user's own message not (yet) confirmed by the server: pending or failed. */
export const isUnsent = (m: ChatMessage): boolean => !!m.delivery && m.delivery !== 'sent';

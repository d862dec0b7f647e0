// The requests behind reacting to a message, each with a name. A reaction is a record of the
// `reactions` collection (message, user, emoji; one per person, emoji and message) whose id is worked
// out from those three (src-shared/reaction-id.ts): adding one twice, from a double click or another
// device, is answered "not unique" and counts as done, and taking one back deletes by that id without
// asking first. The server keeps each message's summary (messages.reactionInfo) and sends it to every
// reader as the message's update event; nothing here reads reactions back to count them.
// Tested against a real PocketBase in reactions-api.server.test.ts.
import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import { reactionId } from '../../../src-shared/reaction-id.ts';

export interface ReactionsApi {
  /** Reacts to a message with an emoji as the signed-in person; done already counts as done. */
  add(messageId: string, emoji: string): Promise<void>;
  /** Takes the person's reaction back; one that is already gone counts as taken back. */
  remove(messageId: string, emoji: string): Promise<void>;
}

/** True for the server's "already exists" answer: the id, or the one-per-person-and-emoji index. */
function alreadyThere(error: unknown): boolean {
  if (!(error instanceof ClientResponseError) || error.status !== 400) return false;
  const fields = Object.values((error.response?.data ?? {}) as Record<string, { code?: string } | undefined>);
  return fields.length > 0 && fields.every((field) => field?.code === 'validation_not_unique');
}

const notFound = (error: unknown) => error instanceof ClientResponseError && error.status === 404;

export class PocketBaseReactionsApi implements ReactionsApi {
  constructor(private readonly pb: PocketBase) {}

  private get self(): string {
    return this.pb.authStore.record?.id ?? '';
  }

  async add(messageId: string, emoji: string): Promise<void> {
    const id = reactionId(messageId, this.self, emoji);
    try {
      await this.pb
        .collection('reactions')
        .create({ id, message: messageId, user: this.self, emoji }, { requestKey: null });
    } catch (error) {
      if (!alreadyThere(error)) throw error;
    }
  }

  async remove(messageId: string, emoji: string): Promise<void> {
    try {
      await this.pb.collection('reactions').delete(reactionId(messageId, this.self, emoji), { requestKey: null });
      return;
    } catch (error) {
      if (!notFound(error)) throw error;
    }
    // Not found under its id: taken back already (on another device), or stored before the server held
    // reactions to this id (backend/reactions.go). One lookup tells which.
    const found = await this.pb.collection('reactions').getList(1, 1, {
      filter: this.pb.filter('message = {:message} && user = {:user} && emoji = {:emoji}', {
        message: messageId,
        user: this.self,
        emoji,
      }),
      skipTotal: true,
      requestKey: null,
    });
    const reaction = found.items[0];
    if (!reaction) return;
    try {
      await this.pb.collection('reactions').delete(reaction.id, { requestKey: null });
    } catch (error) {
      if (!notFound(error)) throw error;
    }
  }
}

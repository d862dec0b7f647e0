// Up in an empty composer edits your last message (as in Slack and Element). The composer cannot reach
// a message's edit box, so it leaves a request here, which the message it names takes and opens.
import type { ChatMessage } from './history.ts';

/** The newest message of `selfId`'s that can be edited (sent, not waiting or failed), if any. */
export function lastEditable(messages: readonly ChatMessage[], selfId: string): ChatMessage | undefined {
  return messages.findLast((message) => message.user === selfId && !message.delivery);
}

export class EditRequest {
  /** The message asked to open its edit box, until it does. */
  id: string | null = $state(null);

  /** Asks the person's newest editable message among `messages` to open for editing; false if none can. */
  last(messages: readonly ChatMessage[], selfId: string): boolean {
    this.id = lastEditable(messages, selfId)?.id ?? null;
    return this.id !== null;
  }

  /** True once for the message asked: the request is used up. */
  take(id: string): boolean {
    if (this.id !== id) return false;
    this.id = null;
    return true;
  }
}

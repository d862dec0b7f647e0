// What can be done to a message from the list, as one object the list hands to each message, instead
// of a callback prop per action threaded through every component.
export interface MessageActions {
  /** Saves an edit; null when saved, else the problem in words. */
  edit(id: string, text: string): Promise<string | null>;
  /** Deletes a sent message; null when deleted, else the problem in words. */
  remove(id: string): Promise<string | null>;
  /** Sends a failed message again. */
  retry(id: string): void;
  /** Drops an unsent message. */
  discard(id: string): void;
  /** Drops an unsent message and puts its text back into the composer. */
  redraft(id: string): void;
  /** Opens a link from a message (outside the app, after the checks main makes). */
  openLink(href: string): void;
}

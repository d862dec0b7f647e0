// What can be done to a message from the list, as one object the list hands to each message, instead
// of a callback prop per action threaded through every component.
export interface MessageActions {
  /** Saves an edit; null when saved, else the problem in words. */
  edit(id: string, text: string): Promise<string | null>;
  /** Deletes a sent message; null when deleted, else the problem in words. */
  remove(id: string): Promise<string | null>;
  /** Sends a failed message again. */
  retry(id: string): void;
  /** Stops the upload of a message's files; the message stays, failed, to retry or discard. */
  cancel(id: string): void;
  /** Drops an unsent message. */
  discard(id: string): void;
  /** Drops an unsent message and puts its text back into the composer. */
  redraft(id: string): void;
  /** Opens a link from a message (outside the app, after the checks main makes). */
  openLink(href: string): void;
  /** Saves a message's file through the desktop app (a save dialog into Downloads); null in a browser, where a link does it. */
  download: SaveFile | null;
}

/** Saves a file from its URL (with its file token) under a name; rejects naming what went wrong. */
export type SaveFile = (url: string, name: string) => Promise<unknown>;

/** What a file URL is made from: the record that holds the file. */
export interface FileRecord {
  id: string;
  collectionId: string;
  collectionName: string;
}

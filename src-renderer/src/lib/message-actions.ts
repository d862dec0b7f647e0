import type { PalaverBridge } from '../../../src-shared/ipc.ts';
import type { DraftFiles } from './draft-files.svelte.ts';
import { EditRequest } from './edit-request.svelte.ts';
import type { Sender } from './sender.svelte.ts';
// What can be done to a message from the list, as one object the list hands to each message, instead
// of a callback prop per action threaded through every component.
export interface MessageActions {
  /** Saves an edit; null when saved, else the problem in words. */
  edit(id: string, text: string): Promise<string | null>;
  /** Deletes a sent message (`moderated`: someone else's); null when deleted, else the problem in words. */
  remove(id: string, moderated?: boolean): Promise<string | null>;
  /** Whether the user deletes others' messages in this room: its owner or a moderator (lib/moderation.ts). */
  moderates(roomId: string): boolean;
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
  /** Which message should open its edit box (Up in an empty composer asks for the person's last one). */
  editRequest: EditRequest;
}

/** Saves a file from its URL (with its file token) under a name; rejects naming what went wrong. */
export type SaveFile = (url: string, name: string) => Promise<unknown>;

/** What a file URL is made from: the record that holds the file. */
export interface FileRecord {
  id: string;
  collectionId: string;
  collectionName: string;
}

/** What the actions act through: the chat's writing and drafts, and the bridge to main (or the browser's). */
export interface ActionTargets {
  sender: Pick<Sender, 'edit' | 'remove' | 'retry' | 'discard' | 'cancel'>;
  draftFiles: Pick<DraftFiles, 'restore'>;
  openRoomId(): string | null;
  bridge: Pick<PalaverBridge, 'kind' | 'openExternal' | 'downloadFile'>;
  /** Text handed back to the composer (Edit as draft). */
  redrafted(text: string): void;
  /** Whether the user moderates this room (lib/moderation.ts). */
  moderates(roomId: string): boolean;
}

/** The actions of the chat screen's message list. */
export function messageActions(to: ActionTargets): MessageActions {
  return {
    edit: (id, text) => to.sender.edit(id, text),
    remove: (id, moderated) => to.sender.remove(id, moderated),
    moderates: (roomId) => to.moderates(roomId),
    retry: (id) => void to.sender.retry(id),
    discard: (id) => void to.sender.discard(id),
    cancel: (id) => to.sender.cancel(id),
    // The text goes back to the composer and the files back to its chips: nothing of the message is lost.
    redraft: (id) => {
      const roomId = to.openRoomId();
      void to.sender.discard(id).then(({ text, files }) => {
        to.redrafted(text);
        if (roomId) to.draftFiles.restore(roomId, files);
      });
    },
    openLink: (href) => void to.bridge.openExternal(href),
    // In a browser a link with download=1 saves a file (components/DownloadFile.svelte); the desktop app asks main.
    download: to.bridge.kind === 'electron' ? (url, name) => to.bridge.downloadFile(url, name) : null,
    editRequest: new EditRequest(),
  };
}

// The requests behind read state, each with a name. Where a person has read up to in a room is a record
// of `read_markers` whose id is worked out from the person and the room (src-shared/read-marker-id.ts),
// so moving it is an update by that id, and a create only the first time (the update answers 404).
// The server sets `readAt` from the message, and sends every change to all of the person's devices on
// `palaver/reads` with the room's counts recomputed (backend, issue 16). Tested against a real
// PocketBase in read-markers-api.server.test.ts.
import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import { readMarkerId } from '../../../src-shared/read-marker-id.ts';

/** Where a person has read up to in one room: a message (by its created time and id), or '' for nothing. */
export interface ReadMarker {
  message: string;
  readAt: string;
}

/** One room's read state as the server counts it (GET /api/palaver/unread, and each `palaver/reads` event). */
export interface RoomReadState extends ReadMarker {
  unread: number;
  mentions: number;
}

/** A `palaver/reads` event: one room's marker moved on one of the person's devices. */
export interface ReadsEvent extends RoomReadState {
  room: string;
}

export interface ReadMarkersApi {
  /** Every joined room's counts and marker, in one request. */
  unread(): Promise<Record<string, RoomReadState>>;
  /** Moves the person's marker in a room to a message ('' for nothing read), creating it the first time. */
  write(roomId: string, messageId: string): Promise<void>;
  /** The newest message of a room in any of its lists (replies kept to threads too), to read up to. */
  newestIn(roomId: string): Promise<{ id: string; created: string } | undefined>;
}

const notFound = (error: unknown) => error instanceof ClientResponseError && error.status === 404;
/** Another device created the marker between our update and our create: update it after all. */
const taken = (error: unknown) =>
  error instanceof ClientResponseError && error.status === 400 && !!error.response?.data?.id;

export class PocketBaseReadMarkersApi implements ReadMarkersApi {
  constructor(private readonly pb: PocketBase) {}

  private get self(): string {
    return this.pb.authStore.record?.id ?? '';
  }

  async unread(): Promise<Record<string, RoomReadState>> {
    const body = await this.pb.send<{ rooms?: Record<string, RoomReadState> }>('/api/palaver/unread', {
      method: 'GET',
      requestKey: null,
    });
    return body.rooms ?? {};
  }

  async newestIn(roomId: string): Promise<{ id: string; created: string } | undefined> {
    const page = await this.pb.collection('messages').getList<{ id: string; created: string }>(1, 1, {
      filter: this.pb.filter('room = {:room}', { room: roomId }),
      sort: '-created,-id',
      fields: 'id,created',
      skipTotal: true,
      requestKey: null,
    });
    return page.items[0];
  }

  async write(roomId: string, messageId: string): Promise<void> {
    const id = readMarkerId(this.self, roomId);
    const markers = this.pb.collection('read_markers');
    try {
      await markers.update(id, { message: messageId }, { requestKey: null, fields: 'id' });
      return;
    } catch (error) {
      if (!notFound(error)) throw error;
    }
    try {
      await markers.create(
        { id, user: this.self, room: roomId, message: messageId },
        { requestKey: null, fields: 'id' },
      );
    } catch (error) {
      if (!taken(error)) throw error;
      await markers.update(id, { message: messageId }, { requestKey: null, fields: 'id' });
    }
  }
}

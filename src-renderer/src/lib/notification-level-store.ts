// The person's notification levels as the server keeps them (`notification_levels`, README
// "Notifications"): read once the chat starts and kept current from the collection's realtime events, so
// a level chosen on another device is obeyed here too. Rooms missing from it have their kind's default.
import type PocketBase from 'pocketbase';
import { ClientResponseError, type RecordSubscription } from 'pocketbase';
import type { NotificationLevelsRecord, RoomsRecord } from '../../../src-shared/pocketbase-types.ts';
import { defaultLevel, type NotificationLevel, type NotificationLevels } from './notification-levels.ts';

export class NotificationLevelStore {
  private levels = new Map<string, NotificationLevel>();
  /** Record id to room id, for delete events (which still carry the record). */
  private readonly rooms = new Map<string, string>();

  /** Called when the levels changed: the badge may count differently now. */
  private changed: () => void = () => undefined;
  /** Choices are saved one after another: a quick second choice must not create the record twice. */
  private saving: Promise<unknown> = Promise.resolve();

  constructor(private readonly pb: Pick<PocketBase, 'collection' | 'realtime' | 'filter'>) {}

  get current(): NotificationLevels {
    return this.levels;
  }

  /**
   * Loads the levels and follows their changes; returns the way to stop. Without them (an older server,
   * a failed request) every room keeps its default, which is what a person who never chose one has.
   * Every (re)connection reads them again: a change made while this device was offline sent it no event.
   */
  start(changed: () => void = () => undefined): () => void {
    this.changed = changed;
    let stopped = false;
    const stops: Array<() => Promise<void>> = [];
    const keep = (stop: () => Promise<void>) => (stopped ? void stop().catch(() => undefined) : stops.push(stop));
    void this.pb
      .collection('notification_levels')
      .subscribe<NotificationLevelsRecord>('*', (event) => this.apply(event))
      .then(keep)
      .catch(() => undefined);
    void this.pb.realtime
      .subscribe('PB_CONNECT', () => void this.load())
      .then(keep)
      .catch(() => undefined);
    void this.load();
    return () => {
      stopped = true;
      for (const stop of stops.splice(0)) void stop().catch(() => undefined);
    };
  }

  /**
   * Saves the person's level for a room and obeys it here at once; their other devices hear of it
   * through the collection's events. Choosing the kind's default removes the stored level, so the room
   * simply has its default again. Rejects with the server's error (nothing changed then).
   */
  choose(room: Pick<RoomsRecord, 'id' | 'kind'>, level: NotificationLevel, userId: string): Promise<void> {
    const saved = this.saving.then(() => this.save(room, level, userId));
    this.saving = saved.catch(() => undefined);
    return saved;
  }

  private async save(room: Pick<RoomsRecord, 'id' | 'kind'>, level: NotificationLevel, userId: string) {
    const collection = this.pb.collection('notification_levels');
    const options = { requestKey: null };
    let recordId = this.recordOf(room.id);
    if (level === defaultLevel(room.kind)) {
      if (!recordId) return;
      await collection.delete(recordId, options).catch((error: unknown) => {
        // Removed on another device meanwhile: what was wanted.
        if (!(error instanceof ClientResponseError && error.status === 404)) throw error;
      });
      return this.apply({ action: 'delete', record: { id: recordId, room: room.id } as NotificationLevelsRecord });
    }
    if (!recordId) {
      try {
        const created = await collection.create<NotificationLevelsRecord>(
          { user: userId, room: room.id, level },
          options,
        );
        return this.apply({ action: 'create', record: created });
      } catch (error) {
        // Stored on another device a moment ago (one level per person and room): change that one.
        if (!(error instanceof ClientResponseError && error.status === 400)) throw error;
        const filter = this.pb.filter('room = {:room}', { room: room.id });
        const stored = await collection.getFirstListItem<NotificationLevelsRecord>(filter, options).catch(() => null);
        if (!stored) throw error;
        recordId = stored.id;
      }
    }
    const updated = await collection.update<NotificationLevelsRecord>(recordId, { level }, options);
    this.apply({ action: 'update', record: updated });
  }

  private recordOf(roomId: string): string | undefined {
    for (const [recordId, room] of this.rooms) if (room === roomId) return recordId;
    return undefined;
  }

  private async load(): Promise<void> {
    try {
      const records = await this.pb
        .collection('notification_levels')
        .getFullList<NotificationLevelsRecord>({ requestKey: null });
      this.rooms.clear();
      this.levels = new Map();
      for (const record of records) this.set(record);
      this.changed();
    } catch {
      // Kept as they were: the defaults, or what was read before.
    }
  }

  apply(event: Pick<RecordSubscription<NotificationLevelsRecord>, 'action' | 'record'>): void {
    if (event.action === 'delete') {
      const room = this.rooms.get(event.record.id) ?? event.record.room;
      this.rooms.delete(event.record.id);
      this.levels = new Map(this.levels);
      this.levels.delete(room);
    } else {
      this.set(event.record);
    }
    this.changed();
  }

  private set(record: NotificationLevelsRecord): void {
    this.rooms.set(record.id, record.room);
    this.levels = new Map(this.levels).set(record.room, record.level);
  }
}

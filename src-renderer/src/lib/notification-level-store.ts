// The person's notification levels as the server keeps them (`notification_levels`, README
// "Notifications"): read once the chat starts and kept current from the collection's realtime events, so
// a level chosen on another device is obeyed here too. Rooms missing from it have their kind's default.
import type PocketBase from 'pocketbase';
import type { RecordSubscription } from 'pocketbase';
import type { NotificationLevelsRecord } from '../../../src-shared/pocketbase-types.ts';
import type { NotificationLevel, NotificationLevels } from './notification-levels.ts';

export class NotificationLevelStore {
  private levels = new Map<string, NotificationLevel>();
  /** Record id to room id, for delete events (which still carry the record). */
  private readonly rooms = new Map<string, string>();

  /** Called when the levels changed: the badge may count differently now. */
  private changed: () => void = () => undefined;

  constructor(private readonly pb: Pick<PocketBase, 'collection' | 'realtime'>) {}

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

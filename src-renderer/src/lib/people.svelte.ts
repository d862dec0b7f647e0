// The people the chat names by id alone: who replied in a thread (the faces under its first message),
// who reacted with an emoji. The server keeps those summaries as user ids (one encode for every reader),
// so the client learns the people once: from the authors its messages arrive with, and, for anyone not
// met yet, from one request for all the ids asked for in the same moment.
import { createContext } from 'svelte';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';

/** Fetches people by id; those who are gone (or cannot be seen) are simply missing from the answer. */
export type FetchPeople = (ids: readonly string[]) => Promise<UsersRecord[]>;

/** The most ids one request asks for: a filter of this many stays well under PocketBase's limits. */
export const PEOPLE_PER_REQUEST = 50;

export class People {
  /** Everyone known so far, by id; replaced as a whole so that readers of `get` update. */
  private byId = $state.raw<ReadonlyMap<string, UsersRecord>>(new Map());
  /** Asked for and not answered yet, or asked and not found: never asked again in this session. */
  private readonly asked = new Set<string>();
  private wanted: string[] = [];
  private scheduled = false;

  constructor(private readonly fetchPeople: FetchPeople) {}

  get(id: string): UsersRecord | undefined {
    return this.byId.get(id);
  }

  /** Learns people met elsewhere (a message's expanded author): newer copies replace older ones. */
  met(people: Iterable<UsersRecord | undefined>): void {
    let next: Map<string, UsersRecord> | undefined;
    for (const person of people) {
      if (!person) continue;
      const known = this.byId.get(person.id);
      if (known && known.updated >= person.updated) continue;
      next ??= new Map(this.byId);
      next.set(person.id, person);
    }
    if (next) this.byId = next;
  }

  /**
   * Asks for the people not known yet. Calls in the same moment (every message of a page rendering)
   * become one request per PEOPLE_PER_REQUEST ids. A failed request is forgotten, so a later want asks again.
   */
  want(ids: Iterable<string>): void {
    for (const id of ids) {
      if (this.byId.has(id) || this.asked.has(id)) continue;
      this.asked.add(id);
      this.wanted.push(id);
    }
    if (this.wanted.length === 0 || this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.fetchWanted());
  }

  private fetchWanted(): void {
    this.scheduled = false;
    const ids = this.wanted.splice(0);
    for (let start = 0; start < ids.length; start += PEOPLE_PER_REQUEST) {
      const batch = ids.slice(start, start + PEOPLE_PER_REQUEST);
      this.fetchPeople(batch).then(
        (people) => this.met(people),
        () => {
          for (const id of batch) this.asked.delete(id);
        },
      );
    }
  }
}

/** The chat screen's People, for any message part below it (thread faces, who reacted). */
export const [usePeople, providePeople] = createContext<People>();

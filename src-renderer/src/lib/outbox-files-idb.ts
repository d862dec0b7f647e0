// The web build's keeping of outbox files: IndexedDB, which holds large binary values across reloads
// and closed tabs (localStorage holds strings of a few MB at most). One object store keyed by
// [scope, key], so each account's files are listed and deleted apart. The rules of what is deleted when
// are the contract's (src-shared/ipc.ts, OutboxFile).

const STORE = 'files';

export class IdbOutboxFiles {
  private db: Promise<IDBDatabase> | null = null;

  constructor(
    private readonly factory: IDBFactory,
    private readonly name = 'palaver-outbox-files',
  ) {}

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const request = this.factory.open(this.name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => {
        this.db = null;
        reject(
          new Error(
            `Could not open the browser's file storage (IndexedDB): ${request.error?.message ?? 'unknown error'}`,
          ),
        );
      };
    });
    return this.db;
  }

  private async run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T> | void): Promise<T> {
    const db = await this.open();
    return new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request ? request.result : (undefined as T));
      transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
      transaction.onabort = () =>
        reject(transaction.error ?? new Error('IndexedDB transaction aborted (is the disk full?)'));
    });
  }

  async put(scope: string, key: string, bytes: Uint8Array): Promise<void> {
    // A Blob, not the array: the browser may keep it on disk instead of in the database's memory.
    await this.run('readwrite', (store) => store.put(new Blob([bytes as Uint8Array<ArrayBuffer>]), [scope, key]));
  }

  async get(scope: string, key: string): Promise<Uint8Array | null> {
    const value: unknown = await this.run('readonly', (store) => store.get([scope, key]));
    return value instanceof Blob ? new Uint8Array(await value.arrayBuffer()) : null;
  }

  /** The keys kept for a scope. */
  async keys(scope: string): Promise<string[]> {
    const keys = await this.run('readonly', (store) =>
      store.getAllKeys(IDBKeyRange.bound([scope, ''], [scope, '\uffff'])),
    );
    return (keys as unknown as [string, string][]).map(([, key]) => key);
  }

  async delete(scope: string, keys: Iterable<string>): Promise<void> {
    const list = [...keys];
    if (list.length === 0) return;
    await this.run('readwrite', (store) => {
      for (const key of list) store.delete([scope, key]);
    });
  }
}

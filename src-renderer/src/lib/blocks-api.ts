// The requests about the people the user blocked, each with a name. Blocks are plain records in the
// `blocks` collection that only their owner can list, create or delete: nobody else, the blocked
// person included, can tell a block exists. Tested against a real PocketBase in blocks-api.server.test.ts.
import type PocketBase from 'pocketbase';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';

export interface Block {
  id: string;
  /** The one who blocks: always the signed-in user. */
  user: string;
  blocked: string;
  expand?: { blocked?: UsersRecord };
}

export interface BlocksApi {
  /** Everyone the user blocked, each person expanded. */
  list(): Promise<Block[]>;
  /** Blocks a person (400 when already blocked). */
  create(userId: string): Promise<Block>;
  /** Lifts a block by its id. */
  remove(blockId: string): Promise<void>;
}

export class PocketBaseBlocksApi implements BlocksApi {
  constructor(private readonly pb: PocketBase) {}

  list(): Promise<Block[]> {
    // The rules show only one's own blocks; the filter says so too, so an operator's token lists theirs.
    return this.pb.collection('blocks').getFullList<Block>({
      filter: this.pb.filter('user = {:self}', { self: this.pb.authStore.record?.id ?? '' }),
      expand: 'blocked',
      requestKey: null,
    });
  }

  create(userId: string): Promise<Block> {
    return this.pb
      .collection('blocks')
      .create<Block>(
        { user: this.pb.authStore.record?.id ?? '', blocked: userId },
        { expand: 'blocked', requestKey: null },
      );
  }

  async remove(blockId: string): Promise<void> {
    await this.pb.collection('blocks').delete(blockId, { requestKey: null });
  }
}

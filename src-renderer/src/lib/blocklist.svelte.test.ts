import { ClientResponseError } from 'pocketbase';
import { describe, expect, it } from 'vitest';
import type { UsersRecord } from '../../../src-shared/pocketbase-types.ts';
import { Blocklist } from './blocklist.svelte.ts';
import type { Block, BlocksApi } from './blocks-api.ts';
import { describeError } from './errors.ts';

const person = (id: string, name = '') => ({ id, username: id, name }) as UsersRecord;

/** Blocks in memory, answering as the server would: one block per person, 404 for one that is gone. */
class MemoryBlocks implements BlocksApi {
  blocks: Block[] = [];
  refuse: ClientResponseError | null = null;
  async list() {
    return this.blocks;
  }
  async create(userId: string) {
    if (this.refuse) throw this.refuse;
    const block = { id: `b-${userId}`, user: 'self', blocked: userId, expand: { blocked: person(userId) } };
    this.blocks.push(block);
    return block;
  }
  async remove(blockId: string) {
    if (this.refuse) throw this.refuse;
    if (!this.blocks.some((b) => b.id === blockId)) throw new ClientResponseError({ status: 404, response: {} });
    this.blocks = this.blocks.filter((b) => b.id !== blockId);
  }
}

function blocklist() {
  const api = new MemoryBlocks();
  return { api, blocks: new Blocklist({ api, problem: (error, action) => describeError(error, { action }) }) };
}

describe('Blocklist', () => {
  it('blocks once, answers who is blocked, lists people by name, and unblocks', async () => {
    const { api, blocks } = blocklist();
    expect(await blocks.block('zed')).toEqual({ ok: true });
    expect(await blocks.block('amy')).toEqual({ ok: true });
    expect(await blocks.block('amy')).toEqual({ ok: true });
    expect(api.blocks).toHaveLength(2);
    expect(blocks.has('amy')).toBe(true);
    expect(blocks.people.map((p) => p.id)).toEqual(['amy', 'zed']);
    expect(await blocks.unblock('amy')).toEqual({ ok: true });
    expect(blocks.has('amy')).toBe(false);
  });

  it('says why a block failed, and counts a block already lifted elsewhere as lifted', async () => {
    const { api, blocks } = blocklist();
    api.refuse = new ClientResponseError({ status: 500, response: {} });
    expect(await blocks.block('amy')).toMatchObject({ problem: expect.stringContaining('block this person') });
    expect(blocks.has('amy')).toBe(false);
    api.refuse = null;
    await blocks.block('amy');
    api.blocks = [];
    expect(await blocks.unblock('amy')).toEqual({ ok: true });
    expect(blocks.has('amy')).toBe(false);
  });
});

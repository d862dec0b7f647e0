// The bytes of outbox messages' files, kept by main beside the outbox so a message with files survives a
// restart: <root>/<sha256(scope) hex>/<key>. The scope ("userId@origin") is hashed rather than used as a
// folder name because it holds characters no file system agrees on (':', '/', '@'); the key is a checked
// record id, never a path. Files and folders are private to the user, as the outbox file is.
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isRecordId } from '../src-shared/record-id.ts';

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/** What the outbox store needs to drop the files its entries stopped naming. */
export interface OutboxFileRemover {
  remove(scope: string, keys: Iterable<string>): Promise<void>;
}

export class OutboxFiles implements OutboxFileRemover {
  /** @param root the folder of all scopes' files (`<userData>/outbox-files`). */
  constructor(private readonly root: string) {}

  /** The folder of one scope's files. */
  scopeDir(scope: string): string {
    return join(this.root, createHash('sha256').update(scope, 'utf8').digest('hex'));
  }

  private path(scope: string, key: string): string {
    // The IPC contract checked the key already; this keeps the module safe for any other caller.
    if (!isRecordId(key))
      throw new Error(`outbox file key ${JSON.stringify(String(key).slice(0, 40))} is not a record id`);
    return join(this.scopeDir(scope), key);
  }

  /**
   * Keeps the bytes under the key, replacing earlier ones. Written to a temporary file first and renamed
   * over the key, so a crash leaves either the old bytes or the new ones, never half a file.
   */
  async put(scope: string, key: string, bytes: Uint8Array): Promise<void> {
    const target = this.path(scope, key);
    const dir = this.scopeDir(scope);
    await mkdir(dir, { recursive: true, mode: DIR_MODE });
    // mkdir's mode applies only to folders it creates, and a umask can narrow it further: set it.
    await chmodPrivate(this.root, DIR_MODE);
    await chmodPrivate(dir, DIR_MODE);
    const temp = join(dir, `.${key}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx', FILE_MODE);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    try {
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  /** The bytes kept under the key, or null when there are none. */
  async get(scope: string, key: string): Promise<Uint8Array | null> {
    try {
      const buffer = await readFile(this.path(scope, key));
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async remove(scope: string, keys: Iterable<string>): Promise<void> {
    for (const key of keys) {
      if (isRecordId(key)) await rm(this.path(scope, key), { force: true });
    }
  }

  /**
   * Deletes every kept file no saved entry names: files put just before a crash (put-file comes before
   * the save that names it), temporary files of an interrupted put, and the folders of scopes whose
   * outbox is gone. Runs at start, before any window can put a file, so it never races a put.
   * @param named the keys each scope's saved entries name
   */
  async sweep(named: ReadonlyMap<string, ReadonlySet<string>>): Promise<void> {
    const byDir = new Map<string, ReadonlySet<string>>();
    for (const [scope, keys] of named) byDir.set(this.scopeDir(scope), keys);
    let dirs: string[];
    try {
      dirs = await readdir(this.root);
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const name of dirs) {
      const dir = join(this.root, name);
      const keep = byDir.get(dir);
      if (keep === undefined || keep.size === 0) {
        await rm(dir, { recursive: true, force: true });
        continue;
      }
      for (const file of await readdir(dir)) {
        if (!keep.has(file)) await rm(join(dir, file), { recursive: true, force: true });
      }
    }
  }
}

async function chmodPrivate(path: string, mode: number): Promise<void> {
  // Windows has no POSIX modes; the user's profile folder is private there already.
  if (process.platform !== 'win32') await chmod(path, mode);
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}

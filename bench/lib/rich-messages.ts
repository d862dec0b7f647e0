// The rich room of bench/renderer.ts: messages shaped as people write them once formatting, threads and
// reactions exist (issue 15), so the renderer's first page and its heap over a long room are measured
// with every part a message can show, beside the plain-text room.
//
// Message i (0 = the oldest):
// - every message is markdown: bold, inline code and a link on its first line, which starts with
//   `rich message <i>:` (the bench reads how far back it is from there); every 4th adds a list, every
//   6th (from the 2nd) a fenced code block, every 10th (from the 8th) a numbered list with emphasis;
// - every 3rd is a thread root: `threadInfo` with 1-40 replies and up to 5 repliers' faces;
// - every 2nd has `reactionInfo`: 2-6 emoji chips, counts 1-9, some including the reader.
// The summaries are the server's (clients can never set them), so they are written into the stopped-or-
// running server's SQLite after the messages are created through the API, in the exact shapes the
// server keeps (common contract: backend/threads.go, backend/reactions.go); the replies and reactions
// they summarise are not stored, as the room's list never reads them.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const EMOJI = ['👍', '❤️', '😂', '🎉', '👀', '🚀', '🙏', '✅'];

export function richText(i: number): string {
  const parts = [
    `rich message ${i}: **the release notes** are ready, see \`npm run build:web\` and [the docs](https://palaver.example/docs/${i})`,
  ];
  if (i % 4 === 0) parts.push('- first, the *migrations*\n- then `backend:build`\n- last, the web build');
  if (i % 6 === 1)
    parts.push(
      '```ts\nconst room = await pb.collection("rooms").getOne(id);\nconsole.log(room.name, room.members.length);\n```',
    );
  if (i % 10 === 7) parts.push('1. read the _thread_\n2. react\n3. reply with **one** line');
  return parts.join('\n\n');
}

export const ROOT_EVERY = 3;
export const REACT_EVERY = 2;
export const isThreadRoot = (i: number) => i % ROOT_EVERY === 0;
export const hasReactions = (i: number) => i % REACT_EVERY === 0;

/** PocketBase's date format: '2026-11-26 13:54:37.559Z'. */
const pbDate = (ms: number) => new Date(ms).toISOString().replace('T', ' ');

export function threadInfo(i: number, people: string[], now: number): object {
  const repliers = Array.from({ length: Math.min(5, 1 + (i % 7)) }, (_, k) => people[(i + k) % people.length]!);
  const distinct = [...new Set(repliers)];
  return {
    replies: 1 + (i % 40),
    lastReplyAt: pbDate(now - (i % 90) * 60_000),
    repliers: distinct,
    followers: [...new Set([...distinct, people[0]!])],
  };
}

/** `reader` is among the people of some chips, so some are drawn as "you reacted". */
export function reactionInfo(i: number, people: string[], reader: string): object[] {
  const chips = 2 + (i % 5);
  return Array.from({ length: chips }, (_, c) => {
    const count = 1 + ((i + c * 3) % Math.min(9, people.length));
    const users = Array.from({ length: count }, (_, k) => people[(i + c + k) % people.length]!);
    if (c === 0 && i % 4 === 0 && !users.includes(reader)) users[0] = reader;
    return { emoji: EMOJI[(i + c) % EMOJI.length]!, count: new Set(users).size, users: [...new Set(users)] };
  });
}

const sqlText = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * Writes the summaries of message i (ids[i]) into the server's database, for the columns that exist
 * (a server without threads or reactions yet keeps the other); returns the columns written.
 */
export function writeSummaries(
  dataDir: string,
  ids: string[],
  people: string[],
  reader: string,
): { columns: string[]; roots: number; reacted: number } {
  const db = join(dataDir, 'data.db');
  const run = (sql: string, json = false) => {
    const result = spawnSync('sqlite3', ['-bail', ...(json ? ['-json'] : []), db], {
      input: `.timeout 20000\n${sql}`,
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
    });
    if (result.error) throw new Error(`sqlite3 could not run (apt-get install -y sqlite3): ${result.error.message}`);
    if (result.status !== 0) throw new Error(`sqlite3 failed on ${db}: ${result.stderr}`);
    return result.stdout;
  };
  const columns = (JSON.parse(run('PRAGMA table_info(messages);', true) || '[]') as Array<{ name: string }>)
    .map((c) => c.name)
    .filter((name) => name === 'threadInfo' || name === 'reactionInfo');
  const now = Date.now();
  const statements: string[] = [];
  let roots = 0;
  let reacted = 0;
  ids.forEach((id, i) => {
    const set: string[] = [];
    if (columns.includes('threadInfo') && isThreadRoot(i)) {
      set.push(`threadInfo = ${sqlText(JSON.stringify(threadInfo(i, people, now)))}`);
      roots++;
    }
    if (columns.includes('reactionInfo') && hasReactions(i)) {
      set.push(`reactionInfo = ${sqlText(JSON.stringify(reactionInfo(i, people, reader)))}`);
      reacted++;
    }
    if (set.length) statements.push(`UPDATE messages SET ${set.join(', ')} WHERE id = ${sqlText(id)};`);
  });
  if (statements.length) run(`BEGIN;\n${statements.join('\n')}\nCOMMIT;\n`);
  return { columns, roots, reacted };
}

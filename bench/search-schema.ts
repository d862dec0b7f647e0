// What the search migration made in a data.db, read from SQLite itself rather than from names written
// here (the names are the server's to choose): the FTS5 tables and their shadow tables, the tables the
// triggers on `messages` write to (the side table of row numbers), those triggers, and how much space
// each takes (sqlite3's dbstat) against the messages table and its indexes.
import { sqliteExec, sqliteJson } from './history-seed.ts';

export interface SearchSchema {
  /** FTS5 virtual tables. */
  fts: string[];
  /** Every table of the search index: the FTS5 tables, their shadow tables, the side tables. */
  tables: string[];
  /** The triggers on messages that keep the index (those naming a search table). */
  triggers: Array<{ name: string; sql: string }>;
}

const quoteSql = (value: string) => `'${value.replaceAll("'", "''")}'`;

export function searchSchema(db: string): SearchSchema {
  const all = sqliteJson<{ type: string; name: string; tbl_name: string; sql: string | null }>(
    db,
    'SELECT type, name, tbl_name, sql FROM sqlite_master;',
  );
  const fts = all
    .filter((o) => o.type === 'table' && /^CREATE\s+VIRTUAL\s+TABLE[\s\S]*USING\s+fts5/i.test(o.sql ?? ''))
    .map((o) => o.name);
  const shadow = all.filter((o) => o.type === 'table' && isShadow(o.name, fts)).map((o) => o.name);
  const onMessages = all.filter((o) => o.type === 'trigger' && o.tbl_name === 'messages');
  const tableNames = all.filter((o) => o.type === 'table' && o.name !== 'messages').map((o) => o.name);
  const mentions = (sql: string, name: string) =>
    new RegExp(`[\\s\`"'\\[(.,]${name.replace(/[^a-zA-Z0-9_]/g, '\\$&')}[\\s\`"'\\](.,]`).test(` ${sql} `);
  const triggers = onMessages
    .filter((t) => tableNames.some((name) => mentions(t.sql ?? '', name)))
    .map((t) => ({ name: t.name, sql: t.sql ?? '' }));
  const written = tableNames.filter((name) => triggers.some((t) => mentions(t.sql, name)));
  const tables = [...new Set([...fts, ...shadow, ...written])];
  return { fts, tables, triggers };
}

export type SpaceRow = {
  part: string;
  MiB: number;
  pages: number;
  objects: string;
};

/** Bytes and pages of every b-tree in the file (dbstat), grouped: messages and its indexes, the search index. */
export function space(db: string, schema: SearchSchema): { rows: SpaceRow[]; fileMiB: number } {
  const owners = new Map(
    sqliteJson<{ name: string; tbl_name: string; type: string }>(
      db,
      "SELECT name, tbl_name, type FROM sqlite_master WHERE type IN ('table', 'index');",
    ).map((o) => [o.name, o]),
  );
  const stats = sqliteJson<{ name: string; bytes: number; pages: number }>(
    db,
    'SELECT name, SUM(pgsize) AS bytes, COUNT(*) AS pages FROM dbstat GROUP BY name;',
  );
  const pageSize = sqliteJson<{ page_size: number }>(db, 'PRAGMA page_size;')[0]!.page_size;
  const pageCount = sqliteJson<{ page_count: number }>(db, 'PRAGMA page_count;')[0]!.page_count;
  const group = (label: string, pick: (name: string, table: string, type: string) => boolean): SpaceRow => {
    const chosen = stats.filter((s) => {
      const owner = owners.get(s.name);
      return owner ? pick(s.name, owner.tbl_name, owner.type) : false;
    });
    const bytes = chosen.reduce((sum, s) => sum + s.bytes, 0);
    return {
      part: label,
      MiB: Math.round((bytes / 2 ** 20) * 10) / 10,
      pages: chosen.reduce((sum, s) => sum + s.pages, 0),
      objects: chosen.map((s) => s.name).join(', '),
    };
  };
  const inSearch = (table: string) => schema.tables.includes(table);
  const rows = [
    group('messages table', (name) => name === 'messages'),
    group('messages indexes', (name, table, type) => table === 'messages' && type === 'index'),
    group('search: FTS5 tables', (name) => schema.tables.includes(name) && !isSide(name, schema)),
    group('search: side tables and their indexes', (name, table) => inSearch(table) && isSide(table, schema)),
  ];
  return { rows, fileMiB: Math.round(((pageSize * pageCount) / 2 ** 20) * 10) / 10 };
}

/** FTS5's own tables for a virtual table X: X_data, X_idx, X_content, X_docsize, X_config. */
const SHADOW = ['data', 'idx', 'content', 'docsize', 'config'];
function isShadow(name: string, fts: string[]): boolean {
  return fts.some((f) => SHADOW.some((suffix) => name === `${f}_${suffix}`));
}

/** A search table that is neither an FTS5 table nor one of their shadow tables. */
function isSide(name: string, schema: SearchSchema): boolean {
  return !schema.fts.includes(name) && !isShadow(name, schema.fts);
}

export function dropTriggers(db: string, schema: SearchSchema): void {
  sqliteExec(db, schema.triggers.map((t) => `DROP TRIGGER IF EXISTS \`${t.name}\`;`).join('\n'));
}

export function restoreTriggers(db: string, schema: SearchSchema): void {
  sqliteExec(db, schema.triggers.map((t) => `${t.sql};`).join('\n'));
}

export function triggerCount(db: string, schema: SearchSchema): number {
  const names = schema.triggers.map((t) => quoteSql(t.name)).join(',');
  if (!names) return 0;
  return sqliteJson<{ n: number }>(
    db,
    `SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name IN (${names});`,
  )[0]!.n;
}

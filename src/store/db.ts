/**
 * The SQLite store (better-sqlite3, WAL, versioned migrations). A file at the store path that is not a wxfeed
 * store, or is corrupt, is refused with a clear error and never written to.
 */
import Database from 'better-sqlite3';
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { htmlBody } from '../content/body.js';

/** A connection to the store. */
export type DB = Database.Database;

/** `PRAGMA application_id` of a wxfeed store: "wxfd". */
export const APPLICATION_ID = 0x77786664;

/** A store that cannot be used (not a wxfeed store, corrupt, too new, unopenable), with the path and why. */
export class StoreError extends Error {
  override name = 'StoreError';
}

type Migration = string | ((db: DB) => void);

/** Schema steps, oldest first (exported for the migration test). */
export const MIGRATIONS: readonly Migration[] = [
  // v1: dump files, observations of articles (one per file), merged articles, per-feed bookkeeping.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ms INTEGER NOT NULL,
    problem TEXT, detail TEXT
  ) WITHOUT ROWID;
  CREATE TABLE observations (
    origin TEXT PRIMARY KEY, key TEXT NOT NULL, source TEXT NOT NULL,
    id TEXT NOT NULL, link TEXT NOT NULL, biz TEXT, mid INTEGER, idx INTEGER, sn TEXT, short_token TEXT,
    title TEXT NOT NULL, author TEXT, date INTEGER NOT NULL, date_precision TEXT NOT NULL, captured_at INTEGER,
    state TEXT NOT NULL, content_html TEXT NOT NULL, text_length INTEGER NOT NULL, summary TEXT NOT NULL, cover TEXT,
    seen_at INTEGER NOT NULL
  );
  CREATE INDEX observations_key ON observations(key);
  CREATE INDEX observations_source ON observations(source, key);
  CREATE TABLE articles (
    key TEXT PRIMARY KEY, id TEXT NOT NULL, link TEXT NOT NULL, title TEXT NOT NULL, author TEXT,
    biz TEXT, mid INTEGER, idx INTEGER, sn TEXT,
    date INTEGER NOT NULL, date_precision TEXT NOT NULL, state TEXT NOT NULL, notice TEXT,
    best_origin TEXT NOT NULL, summary TEXT NOT NULL, cover TEXT, content_hash TEXT NOT NULL,
    first_seen INTEGER NOT NULL, last_changed INTEGER NOT NULL
  );
  CREATE INDEX articles_order ON articles(date DESC, mid DESC, idx ASC);
  CREATE TABLE pending_keys (key TEXT PRIMARY KEY) WITHOUT ROWID;
  CREATE TABLE dirty_sources (source TEXT PRIMARY KEY) WITHOUT ROWID;
  CREATE TABLE feeds (
    slug TEXT PRIMARY KEY, title TEXT NOT NULL, signature TEXT NOT NULL, items INTEGER NOT NULL,
    newest_title TEXT, newest_link TEXT, newest_date INTEGER, written_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  // v2: URLs followed (listed, or from dumps that are not the article) with their fetch state; key aliases
  // (a short link's token once its page revealed the sn).
  `
  CREATE TABLE urls (
    url TEXT PRIMARY KEY, key TEXT, source TEXT, listed INTEGER NOT NULL DEFAULT 0, from_dump INTEGER NOT NULL DEFAULT 0,
    added_at INTEGER NOT NULL, last_fetch_at INTEGER, last_result TEXT, last_reason TEXT,
    fail_count INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX urls_key ON urls(key);
  CREATE TABLE aliases (alias TEXT PRIMARY KEY, key TEXT NOT NULL) WITHOUT ROWID;
  `,
  // v3: a dump's body stays in its file, read again when a feed shows it. Observations keep a body only for fetched
  // pages (HTML), and every body's format and hash; HTML already kept for a dump stays valid as format 'html' and is
  // dropped when the file is next read.
  (db) => {
    db.exec(`
      ALTER TABLE observations RENAME COLUMN content_html TO body;
      ALTER TABLE observations ADD COLUMN body_format TEXT NOT NULL DEFAULT 'html';
      ALTER TABLE observations ADD COLUMN body_hash TEXT NOT NULL DEFAULT '';
      CREATE INDEX observations_source_biz ON observations(source, key, biz);
      DROP INDEX observations_source;
      CREATE INDEX urls_fetched ON urls(key) WHERE last_fetch_at IS NOT NULL;
    `);
    db.function('wxfeed_html_body_hash', { deterministic: true }, (text: unknown) => htmlBody(String(text)).hash);
    db.exec('UPDATE observations SET body_hash = wxfeed_html_body_hash(body)');
  },
  // v4: the rendered HTML of dump bodies a feed showed, by body hash (and renderer version): a feed rendered again
  // renders only the bodies it did not show before.
  `
  CREATE TABLE rendered (key TEXT PRIMARY KEY, html TEXT NOT NULL);
  `,
  // v5: albums (合集) followed, unfollowed or discovered, with their polls; which articles each lists; URLs queued
  // because an album lists them.
  `
  CREATE TABLE albums (
    album_id TEXT PRIMARY KEY, biz TEXT NOT NULL, title TEXT, account TEXT, account_id TEXT,
    followed INTEGER NOT NULL DEFAULT 1, listed INTEGER NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 0,
    via TEXT NOT NULL, found_from TEXT, added_at INTEGER NOT NULL,
    page_read_at INTEGER, polled_at INTEGER, walked INTEGER NOT NULL DEFAULT 0,
    last_attempt_at INTEGER, last_result TEXT, last_reason TEXT, fail_count INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;
  CREATE TABLE album_items (
    album_id TEXT NOT NULL, key TEXT NOT NULL, msgid TEXT NOT NULL, itemidx TEXT NOT NULL, create_time INTEGER NOT NULL,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (album_id, key)
  ) WITHOUT ROWID;
  CREATE INDEX album_items_key ON album_items(key);
  ALTER TABLE urls ADD COLUMN from_album INTEGER NOT NULL DEFAULT 0;
  `,
  // v6: sites' page templates, learned from their dumps (dumps/templates.ts): per source and host the template, per
  // dump the fingerprints of its first and last lines. Dumps of other sites than WeChat are read again once (they
  // give their fingerprints, and a page that names its WeChat original joins that article): the walk's fingerprint
  // and the folder index are forgotten, so the next build compares every file.
  `
  CREATE TABLE template_groups (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, template TEXT NOT NULL DEFAULT '', prints BLOB,
    stale INTEGER NOT NULL DEFAULT 1
  );
  CREATE INDEX template_groups_stale ON template_groups(id) WHERE stale = 1;
  CREATE TABLE dump_blocks (
    path TEXT PRIMARY KEY, grp INTEGER NOT NULL, lines INTEGER NOT NULL, blocks BLOB NOT NULL,
    middle INTEGER NOT NULL, flags INTEGER NOT NULL, decided TEXT NOT NULL DEFAULT '', pending INTEGER NOT NULL DEFAULT 1
  );
  CREATE INDEX dump_blocks_grp ON dump_blocks(grp, pending);
  UPDATE files SET mtime_ms = -1
    WHERE path IN (SELECT substr(origin, 6) FROM observations WHERE origin LIKE 'file:%' AND key LIKE 'url:%');
  UPDATE meta SET value = '' WHERE key = 'walk';
  DELETE FROM meta WHERE key = 'folders';
  `,
  // v7: lists of two kinds in \`albums\`: an album (合集, \`album_id\` its digits) or an account's homepage (主页,
  // \`album_id\` \`home-<account number>-<hid>[-<cid>]\`); per list when a poll last found a new article (the activity
  // schedule), since when its polls fail (7 days: probably deleted), where an unfinished first read continues (JSON),
  // and whether a page read in this build named it (polled in the same build). Account names by account number, as
  // fetched pages and album pages give them (\`nickname\`).
  `
  ALTER TABLE albums ADD COLUMN kind TEXT NOT NULL DEFAULT 'album';
  ALTER TABLE albums ADD COLUMN found_at INTEGER;
  ALTER TABLE albums ADD COLUMN failing_since INTEGER;
  ALTER TABLE albums ADD COLUMN walk_cursor TEXT;
  ALTER TABLE albums ADD COLUMN poll_soon INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE accounts (number TEXT PRIMARY KEY, name TEXT NOT NULL, seen_at INTEGER NOT NULL) WITHOUT ROWID;
  `,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * The secondary indexes a first build drops while it files every dump and builds once at the end (`buildIndexes`):
 * one sort costs far less than a row-by-row insert at a random place of each. As the migrations create them.
 */
const BULK_INDEXES: ReadonlyArray<readonly [name: string, on: string]> = [
  ['observations_key', 'observations(key)'],
  ['observations_source_biz', 'observations(source, key, biz)'],
  ['articles_order', 'articles(date DESC, mid DESC, idx ASC)'],
  ['dump_blocks_grp', 'dump_blocks(grp, pending)'],
];

/** Drop the indexes a bulk insert builds at its end (`buildIndexes`); call on a store with no observation. */
export function dropIndexes(db: DB): void {
  db.transaction(() => {
    for (const [name] of BULK_INDEXES) db.exec(`DROP INDEX IF EXISTS ${name}`);
  })();
}

/** Build the indexes `dropIndexes` dropped, if missing: after the bulk insert, or at open after one was killed. */
export function buildIndexes(db: DB): void {
  db.transaction(() => {
    for (const [name, on] of BULK_INDEXES) db.exec(`CREATE INDEX IF NOT EXISTS ${name} ON ${on}`);
  })();
}

function looksLikeSqlite(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(16);
    const n = readSync(fd, header, 0, 16, 0);
    return n === 16 && header.toString('latin1') === 'SQLite format 3\u0000';
  } finally {
    closeSync(fd);
  }
}

function refuse(path: string, why: string): never {
  throw new StoreError(`store ${path}: ${why}; refusing to use it (the file is left as it is)`);
}

/** A user's name by uid, from /etc/passwd; `uid <n>` when it has none there. */
function userName(uid: number): string {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.split(':')[2] === String(uid));
    const name = line?.split(':')[0];
    if (name) return `${name} (uid ${uid})`;
  } catch {
    // No passwd file (Windows, a bare container): the number alone says it.
  }
  return `uid ${uid}`;
}

/** This process's user, as `name (uid n)`. */
function processUser(): string {
  const uid = process.getuid?.();
  if (uid === undefined) return userInfo().username;
  return userName(uid);
}

/**
 * Why this process cannot write `target` (the store, its WAL files or its folder), naming the owner and this
 * process's user; undefined when it can.
 */
function notWritable(target: string, folder: boolean): string | undefined {
  try {
    accessSync(target, folder ? constants.W_OK | constants.X_OK : constants.W_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EROFS') return `${target} is on a read-only file system`;
    if (code !== 'EACCES' && code !== 'EPERM') return undefined;
    const owner = userName(statSync(target).uid);
    const what = folder ? 'its folder' : 'the file';
    return `not writable by this process (user ${processUser()}): ${what} ${target} belongs to ${owner}${code === 'EPERM' ? ' and is immutable' : ''}; give it to the user that runs wxfeed (chown -R), or run wxfeed as its owner`;
  }
}

/**
 * Refuse a store this process cannot write: SQLite would open it read-only and fail on the first write, which looks
 * like corruption. The file, its WAL files and its folder (where SQLite makes them) are checked.
 */
function checkWritable(path: string): void {
  for (const [target, folder] of [
    [path, false],
    [`${path}-wal`, false],
    [`${path}-shm`, false],
    [dirname(path), true],
  ] as const) {
    const why = notWritable(target, folder);
    if (why) refuse(path, why);
  }
}

/** True for SQLite's "this database is read-only" errors (a file or folder this process may not write). */
function isReadOnly(error: unknown): boolean {
  return String((error as { code?: string }).code).startsWith('SQLITE_READONLY');
}

/** The reason for a read-only failure: the check above when it finds why, else SQLite's message. */
function readOnlyReason(path: string, error: unknown): string {
  for (const [target, folder] of [
    [path, false],
    [dirname(path), true],
  ] as const) {
    const why = notWritable(target, folder);
    if (why) return why;
  }
  return `not writable by this process (user ${processUser()}): ${(error as Error).message}`;
}

/**
 * Open an existing SQLite file to read it. A write killed before a new store was in WAL mode leaves a hot rollback
 * journal that a read-only connection may not roll back: the file is then opened for writing, which rolls it back.
 */
export function openForReading(path: string): DB {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('schema_version', { simple: true });
    return db;
  } catch (error) {
    db.close();
    if (!String((error as { code?: string }).code).startsWith('SQLITE_READONLY_')) throw error;
    return new Database(path, { fileMustExist: true });
  }
}

/** Check an existing file before anything may write to it. */
function verifyExisting(path: string): void {
  if (statSync(path).size === 0) return;
  if (!looksLikeSqlite(path)) refuse(path, 'not a wxfeed store (not an SQLite database)');
  let probe: DB | undefined;
  try {
    probe = openForReading(path);
    const appId = probe.pragma('application_id', { simple: true }) as number;
    const version = probe.pragma('user_version', { simple: true }) as number;
    // An empty database is ours to use: a first build killed before its schema was written leaves one.
    const empty =
      appId === 0 && version === 0 && probe.prepare('SELECT COUNT(*) FROM sqlite_schema').pluck().get() === 0;
    if (appId !== APPLICATION_ID && !empty) refuse(path, "not a wxfeed store (another application's SQLite database)");
    if (version > SCHEMA_VERSION)
      refuse(path, `written by a newer wxfeed (schema ${version}, this one knows ${SCHEMA_VERSION})`);
  } catch (error) {
    if (error instanceof StoreError) throw error;
    if (isReadOnly(error)) refuse(path, readOnlyReason(path, error));
    refuse(path, `unreadable or corrupt (${(error as Error).message})`);
  } finally {
    probe?.close();
  }
}

/** Stores created by this process: written without waiting for the disk until they are closed (see openStore). */
const fresh = new WeakSet<DB>();

/**
 * Open (creating if needed) and migrate the store. A store created now is written without fsyncs until a complete
 * run closes it: a first build writes the most, and a crash of the process loses nothing either way.
 */
export function openStore(path: string): DB {
  const existed = existsSync(path) && statSync(path).size > 0;
  if (existsSync(path)) {
    checkWritable(path);
    verifyExisting(path);
  } else {
    mkdirSync(dirname(path), { recursive: true });
    checkWritable(path);
  }
  let db: DB;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // An 8 MB page cache (a large build asks for more: store/articles.ts), and a checkpoint (an fsync) every 64 MB
    // of WAL rather than every 4 MB: a large build writes many index pages, and checkpoints are a costly part of it.
    db.pragma('cache_size = -8192');
    db.pragma('wal_autocheckpoint = 16384');
    if (!existed) {
      // A power cut during a first build can leave a store the next build refuses as corrupt: delete it, build again.
      db.pragma('synchronous = OFF');
      fresh.add(db);
    }
    migrate(db);
    // A first build killed before it built its indexes again.
    buildIndexes(db);
    // A store closed cleanly was consistent then; after a crash, check it before anything writes to it.
    const lastState = db.prepare("SELECT value FROM meta WHERE key = 'state'").pluck().get() as string | undefined;
    if (lastState === 'open') {
      const check = db.pragma('quick_check(1)', { simple: true }) as string;
      if (check !== 'ok') refuse(path, `corrupt (${check})`);
    }
    db.prepare('SELECT COUNT(*) FROM files').get();
    db.prepare(
      "INSERT INTO meta (key, value) VALUES ('state', 'open') ON CONFLICT(key) DO UPDATE SET value = 'open'",
    ).run();
  } catch (error) {
    if (error instanceof StoreError) throw error;
    if (isCorruption(error)) refuse(path, `corrupt (${(error as Error).message})`);
    if (isReadOnly(error)) refuse(path, readOnlyReason(path, error));
    throw new StoreError(`store ${path}: cannot open (${(error as Error).message})`);
  }
  return db;
}

/** The store if its file exists, opened as openStore does; undefined when there is none yet (nothing is created). */
export function openStoreIfExists(path: string): DB | undefined {
  return existsSync(path) ? openStore(path) : undefined;
}

/**
 * `INSERT … ON CONFLICT(key) DO UPDATE` of `columns` with positional parameters in that order (quicker to bind than
 * named ones, for the tables a build writes a row per file to); every column but `key` and `keep` takes the new value.
 */
export function upsertSql(
  table: string,
  columns: readonly string[],
  key: string,
  keep: readonly string[] = [],
): string {
  const updated = columns.filter((c) => c !== key && !keep.includes(c));
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
    ON CONFLICT(${key}) DO UPDATE SET ${updated.map((c) => `${c} = excluded.${c}`).join(', ')}`;
}

/** True for SQLite's "this file is damaged" errors. */
function isCorruption(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return (
    code === 'SQLITE_CORRUPT' ||
    code === 'SQLITE_NOTADB' ||
    code === 'SQLITE_CORRUPT_INDEX' ||
    code === 'SQLITE_CORRUPT_SEQUENCE'
  );
}

/** Turn a corruption or read-only error met while using the store into a StoreError that says so. */
export function storeFailure(path: string, error: unknown): unknown {
  if (isReadOnly(error))
    return new StoreError(
      `store ${path}: ${readOnlyReason(path, error)}; refusing to use it (the file is left as it is)`,
    );
  return isCorruption(error)
    ? new StoreError(
        `store ${path}: corrupt (${(error as Error).message}); refusing to use it (the file is left as it is)`,
      )
    : error;
}

/** Close after a complete run: the next open skips the consistency check. */
export function closeStore(db: DB, clean: boolean): void {
  try {
    if (clean && db.open && fresh.has(db)) {
      // The first complete run of a new store: everything it wrote goes to disk now.
      db.pragma('synchronous = FULL');
      db.pragma('wal_checkpoint(TRUNCATE)');
    }
    if (clean && db.open) db.prepare("UPDATE meta SET value = 'closed' WHERE key = 'state'").run();
  } finally {
    if (db.open) db.close();
  }
}

function migrate(db: DB): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      const step = MIGRATIONS[v]!;
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

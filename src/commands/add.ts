/**
 * `wxfeed follow URL…` (alias `add`): check, normalise and append article, album and homepage URLs to the first URL
 * file; a URL (or account) unfollowed before is followed again. Read, check and append run under a lock so that
 * simultaneous adds never write a URL twice: a queue per URL file in this process
 * (the daemon's `POST /api/urls`), and `<file>.lock` across processes (O_EXCL; pid, host, time), taken over when its
 * process is gone or it is older than LOCK_STALE_MS, else waited for up to `lockWaitMs`.
 */
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Config, ParsedUrl } from '../types.js';
import { appendUrls, checkFollowUrl, readUrlInputs } from '../io/url-files.js';
import { processRunning } from '../io/pid.js';
import { closeStore, openStoreIfExists } from '../store/db.js';
import { Store } from '../store/store.js';
import { shortKey, snKey } from '../keys.js';
import { followedAgain, parseUnfollowMarks, serializeUnfollowMarks } from '../fetch/unfollowed.js';
import { bizToNumber } from '../wechat/url.js';

export interface AddResult {
  lines: string[];
  added: string[];
  refused: number;
  /** What became of each input, in order: `url` is its canonical form (for the API's answer). */
  results: AddOutcome[];
}

/** One input of an add: followed now (`added`), followed already, or refused, and why. */
interface AddOutcome {
  input: string;
  outcome: 'added' | 'already' | 'refused';
  reason?: string;
  url?: string;
}

/** A lock file older than this is left over by a crash (an add holds it only briefly). */
const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 10_000;

export interface AddOptions {
  /** How long to wait for another process's lock on the URL file. */
  lockWaitMs?: number;
  /**
   * How a name from outside (a URL as given, the URL file) is written into a line: the command line quotes it for a
   * terminal (report.ts quoteName); the API's JSON answer takes it as it is.
   */
  quote?: (name: string) => string;
}

/** Adds the new URLs among `raws` to the first URL file, under its lock; `lines` says what became of each. */
export async function addUrls(config: Config, raws: readonly string[], opts: AddOptions = {}): Promise<AddResult> {
  const file = config.urlFiles[0];
  if (!file) throw new Error('add: the config lists no urlFiles to write to');
  const quote = opts.quote ?? ((name: string) => name);
  return withUrlFileLock(file, opts.lockWaitMs ?? LOCK_WAIT_MS, () => addLocked(config, file, raws, quote));
}

/** URL file (absolute) → the end of the queue of adds to it in this process. */
const queues = new Map<string, Promise<unknown>>();

/** Run `fn` alone: after every earlier add to this file in this process, and holding the file's lock file. */
function withUrlFileLock<T>(file: string, waitMs: number, fn: () => Promise<T>): Promise<T> {
  const key = resolve(file);
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(async () => {
    const release = await acquireLockFile(`${key}.lock`, waitMs);
    try {
      return await fn();
    } finally {
      await release();
    }
  });
  const tail = run.catch(() => {});
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

interface LockOwner {
  pid?: number;
  host?: string;
  at?: string;
}

async function acquireLockFile(lock: string, waitMs: number): Promise<() => Promise<void>> {
  await mkdir(dirname(lock), { recursive: true });
  const me = JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() });
  const deadline = Date.now() + waitMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    try {
      const handle = await open(lock, 'wx');
      try {
        await handle.writeFile(me);
      } finally {
        await handle.close();
      }
      // Released only if it is still ours (a lock held past the stale limit may have been taken over).
      return async () => {
        if ((await readFile(lock, 'utf8').catch(() => undefined)) === me) await rm(lock, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw lockError(lock, error);
    }
    const held = await readLock(lock);
    if (held === undefined) continue; // released meanwhile
    if (held.stale) {
      await takeOver(lock, held.text);
      continue;
    }
    if (Date.now() >= deadline) {
      const o = held.owner;
      throw new Error(
        `add: ${lock} is held${o.pid ? ` by pid ${o.pid}` : ''}${o.host ? ` on ${o.host}` : ''}${o.at ? ` since ${o.at}` : ''}` +
          `; waited ${waitMs} ms. If no wxfeed follow (add) or daemon is adding URLs now, remove that file.`,
      );
    }
    await new Promise((r) => setTimeout(r, delay));
  }
}

function lockError(lock: string, error: unknown): Error {
  return new Error(`add: cannot create the lock file ${lock}: ${(error as Error).message}`);
}

/** The lock file as it is now, and whether it is stale: its process gone (this host), or older than the limit. */
async function readLock(lock: string): Promise<{ text: string; owner: LockOwner; stale: boolean } | undefined> {
  let text: string;
  let mtimeMs: number;
  try {
    [text, mtimeMs] = await Promise.all([readFile(lock, 'utf8'), stat(lock).then((s) => s.mtimeMs)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw lockError(lock, error);
  }
  let owner: LockOwner = {};
  try {
    owner = JSON.parse(text) as LockOwner;
  } catch {
    // Written by nothing we know, or caught between create and write: only its age tells.
  }
  const old = Date.now() - mtimeMs > LOCK_STALE_MS;
  const gone = typeof owner.pid === 'number' && owner.host === hostname() && !processRunning(owner.pid);
  return { text, owner, stale: old || gone };
}

/**
 * Remove a stale lock, and only that one: it is moved aside first (atomic), and if what was moved is not the stale
 * lock we judged (another process took the lock over in between and made a fresh one), it is put back.
 */
async function takeOver(lock: string, staleText: string): Promise<void> {
  const aside = `${lock}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await rename(lock, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw lockError(lock, error);
  }
  const moved = await readFile(aside, 'utf8').catch(() => staleText);
  if (moved !== staleText) {
    // Not ours to remove: put it back unless the lock was taken again meanwhile (then its holder is alone anyway).
    const handle = await open(lock, 'wx').catch(() => undefined);
    if (handle) {
      await handle.writeFile(moved).finally(() => handle.close());
    }
  }
  await rm(aside, { force: true });
}

/**
 * An article URL followed again: its own unfollowed mark cleared, and its account's (fetch/unfollowed.ts) with the
 * albums that account's unfollowing stopped. The lines saying so; none when nothing was unfollowed.
 */
function followAgain(store: Store, p: ParsedUrl): string[] {
  const key = p.sn ? snKey(p.sn) : p.shortToken ? shortKey(p.shortToken) : undefined;
  const biz = p.biz ?? (key ? store.articles.get(store.aliases.resolve(key))?.biz : undefined);
  const number = biz ? bizToNumber(biz) : undefined;
  const lines: string[] = [];
  // Read first: most URLs were never unfollowed, and a write would wait for a build writing the store.
  const before = parseUnfollowMarks(store.meta.unfollowed.get());
  if (followedAgain(before, { url: p.canonical, number }).marks === before) return lines;
  store.db
    .transaction(() => {
      const marks = parseUnfollowMarks(store.meta.unfollowed.get());
      const urlMarked = Object.hasOwn(marks.urls, p.canonical);
      const again = followedAgain(marks, { url: p.canonical, number });
      if (again.marks === marks) return;
      store.meta.unfollowed.set(serializeUnfollowMarks(again.marks));
      if (urlMarked) lines.push(`following again (it was unfollowed)  ${p.canonical}`);
      if (!again.account) return;
      // Its feeds, if removed, are planned and published again by the next build.
      if (again.account.removed) store.meta.published.clear();
      const albums = again.account.albums.filter((id) => store.albums.get(id)?.followed === false);
      for (const id of albums) store.albums.setFollowed(id, true);
      lines.push(
        `following again account ${number} (it was unfollowed)${albums.length ? `, and its ${albums.length} albums and homepages` : ''}`,
      );
    })
    .immediate();
  return lines;
}

async function addLocked(
  config: Config,
  file: string,
  raws: readonly string[],
  quote: (name: string) => string,
): Promise<AddResult> {
  const inputs = await readUrlInputs(config.urls, config.urlFiles);
  const followed = new Set(
    inputs.entries.flatMap((e) => [e.parsed.canonical, ...(e.parsed.sn ? [snKey(e.parsed.sn)] : [])]),
  );
  const albums = new Set(inputs.albums.map((a) => a.album.albumId));
  const db = openStoreIfExists(config.store);
  const result: AddResult = { lines: [], added: [], refused: 0, results: [] };
  const told = (input: string, outcome: AddOutcome['outcome'], url?: string, reason?: string) =>
    result.results.push({ input, outcome, ...(reason ? { reason } : {}), ...(url ? { url } : {}) });
  try {
    const store = db ? new Store(db) : undefined;
    for (const raw of raws) {
      const checked = checkFollowUrl(raw);
      if (!checked.ok) {
        result.refused++;
        result.lines.push(`refused  ${quote(raw)}: ${checked.reason}`);
        told(raw, 'refused', undefined, checked.reason);
        continue;
      }
      if (checked.kind !== 'article') {
        const { albumId, canonical } = checked.album;
        const known = store?.albums.get(albumId);
        if (known && !known.followed) {
          store!.albums.setFollowed(albumId, true);
          result.lines.push(`following again (it was unfollowed)  ${canonical}`);
        }
        if (albums.has(albumId)) {
          if (known?.followed !== false) result.lines.push(`already followed  ${canonical}`);
          if (known?.followed === false) told(raw, 'added', canonical, 'following again (it was unfollowed)');
          else told(raw, 'already', canonical);
          continue;
        }
        albums.add(albumId);
        result.added.push(canonical);
        result.lines.push(`added ${checked.kind}  ${canonical}`);
        told(raw, 'added', canonical);
        continue;
      }
      const p = checked.parsed;
      const bySn = p.sn ? snKey(p.sn) : undefined;
      const again = store ? followAgain(store, p) : [];
      result.lines.push(...again);
      if (followed.has(p.canonical) || (bySn && followed.has(bySn))) {
        if (again.length === 0) result.lines.push(`already followed  ${p.canonical}`);
        if (again.length === 0) told(raw, 'already', p.canonical);
        else told(raw, 'added', p.canonical, 'following again (it was unfollowed)');
        continue;
      }
      const storedKey = bySn ?? (p.shortToken && store ? store.aliases.resolve(shortKey(p.shortToken)) : undefined);
      if (storedKey && store?.observations.hasKey(storedKey)) {
        result.lines.push(`already known (${storedKey})  ${p.canonical}`);
        told(raw, 'already', p.canonical, `already known (${storedKey})`);
        continue;
      }
      followed.add(p.canonical);
      if (bySn) followed.add(bySn);
      result.added.push(p.canonical);
      result.lines.push(`added  ${p.canonical}`);
      told(raw, 'added', p.canonical);
    }
    await appendUrls(file, result.added);
    if (result.added.length > 0)
      result.lines.push(`${result.added.length} added to ${quote(file)}; the next build fetches them.`);
  } finally {
    if (db) closeStore(db, true);
  }
  return result;
}

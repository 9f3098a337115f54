/**
 * The catalog: observations in, merged articles out (the rules: merge.ts). A changed observation marks its key pending,
 * and a merge marks its sources dirty, in the same transaction, so a run killed at any point resumes where it stopped.
 */
import { albumLabel, albumOrigin } from '../keys.js';
import { mergeObservations, mergeOutcome } from '../merge.js';
import type { Store } from '../store/store.js';
import type { Observation, StoredObservation } from '../types.js';
import type { AlbumItem } from '../wechat/album.js';
import { bizToNumber, numberToBiz } from '../wechat/url.js';
import { capTitle, cleanText } from '../content/text.js';

/**
 * The time this build files what it sees at (`first_seen`, which orders a day's articles): its start, or that of the
 * killed build it resumes, so that the two file everything as one build would have.
 */
export function beginBuild(store: Store, now: number): number {
  const unfinished = store.meta.buildStarted.get();
  if (unfinished !== undefined && unfinished > 0 && unfinished <= now) return unfinished;
  store.meta.buildStarted.set(now);
  return now;
}

/** A build finished: the next one starts its own time. */
export function endBuild(store: Store): void {
  store.meta.buildStarted.clear();
}

/** Article keys merged per store transaction. */
const MERGE_BATCH = 1024;

/**
 * Puts (or, with none, removes) the observation from one origin: `file:<path>`, `page:<url>`, `notice:<url>` (the
 * latest notice a live page showed) or `album:<key>`. Call inside a transaction.
 */
export function putObservation(
  store: Store,
  origin: string,
  obs: Observation | undefined,
  now: number,
  isNew = false,
): StoredObservation | undefined {
  const old = isNew ? undefined : store.observations.keyAndSource(origin);
  // An article joining or leaving a source changes that source's feed.
  if (old && old.source !== obs?.source) store.pending.markSource(old.source);
  if (obs && old?.source !== obs.source) store.pending.markSource(obs.source);
  const key = obs ? store.aliases.resolve(obs.key) : undefined;
  let stored: StoredObservation | undefined;
  if (obs && key) {
    stored = store.observations.put(origin, key, obs, now);
    store.pending.markKey(key);
  } else if (old) store.observations.delete(origin);
  if (old && old.key !== key) store.pending.markKey(old.key);
  return stored;
}

/** How a dump file's outcome is recorded (`recordFile`). */
export interface RecordAs {
  /** The store holds no observation (and so no blocks) from this file: a first build. */
  isNew?: boolean;
  /** The dump was read again with its site's template (that template's id) and gives the blocks the store holds. */
  decided?: string | undefined;
}

/**
 * Record one dump file's outcome: its observation (returned as stored), or none with the problem. Blocks read again
 * unchanged (`decided`) stay, marked read with that template.
 */
export function recordFile(
  store: Store,
  file: { path: string; size: number; mtimeMs: number },
  outcome: { observation: Observation } | { problem: string; detail?: string | undefined },
  now: number,
  { isNew = false, decided }: RecordAs = {},
): StoredObservation | undefined {
  const problem = 'problem' in outcome ? outcome : undefined;
  store.files.put(file, problem?.problem ?? null, problem?.detail ?? null);
  const observation = 'observation' in outcome ? outcome.observation : undefined;
  const stored = putObservation(store, `file:${file.path}`, observation, now, isNew);
  // A dump of another site than WeChat: what it gives its site's template (learned again at the end of the stage).
  if (observation?.blocks) {
    if (decided !== undefined) store.templates.setDecided(file.path, decided);
    else store.templates.putBlocks(file.path, observation.blocks, isNew);
  } else if (!isNew) store.templates.deleteBlocks(file.path);
  return stored;
}

/** A dump file is gone: forget it and its observation. */
export function forgetFile(store: Store, path: string): void {
  store.files.delete(path);
  putObservation(store, `file:${path}`, undefined, 0);
  store.templates.deleteBlocks(path);
}

/** A dump file no longer holds what the store knows of it: read it again on the next build. */
export function markFileStale(store: Store, path: string): void {
  store.files.markStale(path);
  store.meta.walk.set('');
  store.meta.folders.clear();
}

/**
 * A short link's page revealed the article's sn: the short key becomes an alias and every observation filed under
 * it moves to the real key, so a dump and a live page of the same article are one item.
 */
export function aliasKey(store: Store, alias: string, key: string): void {
  if (alias === key) return;
  store.aliases.put(alias, key);
  if (store.observations.rekey(alias, key) > 0) {
    store.pending.markKey(alias);
    store.pending.markKey(key);
  }
}

/** An article an album lists, as one poll found it: what the list says, and whether to read its page. */
export interface AlbumEntry {
  item: AlbumItem;
  /** The observation the list gives (state `listed`), kept when no album gave one for this article yet. */
  observation: Observation;
  /** Queue its page for reading (the store does not have the article yet). */
  queue: boolean;
}

/**
 * Files one poll of an album (inside a transaction): each newly listed article joins it, gets its album observation if
 * it has none (one per article, whatever albums list it) and its page queued. Returns how many joined.
 */
export function recordAlbumItems(store: Store, albumId: string, entries: readonly AlbumEntry[], now: number): number {
  let added = 0;
  for (const { item, observation, queue } of entries) {
    if (!store.albumItems.add(albumId, { ...item }, now)) continue;
    added++;
    store.pending.markSource(albumLabel(albumId));
    const origin = albumOrigin(item.key);
    if (!store.observations.keyAndSource(origin)) putObservation(store, origin, observation, now);
    if (queue) store.urls.addAlbumItem(item.url, item.key, observation.source, now);
  }
  return added;
}

/** An album's title or account changed: its feed is rendered again. Call inside a transaction. */
export function markAlbumChanged(store: Store, albumId: string): void {
  store.pending.markSource(albumLabel(albumId));
}

/**
 * Merge up to `limit` pending keys, in key order; call inside a transaction. Returns how many keys were merged
 * (0: none was pending). Sources whose feeds show something new are marked dirty.
 */
export function mergePending(store: Store, limit: number, now: number): number {
  const batch = store.pending.batch(limit);
  for (const { key, observations } of batch) mergeKey(store, key, observations, now, store.articles.hash(key));
  const last = batch[batch.length - 1];
  if (last) store.pending.clearUpTo(last.key);
  return batch.length;
}

/**
 * What a read into a store with no observation (a first build) filed, batch by batch: the keys of this batch with
 * their observations, and the rowids of those one earlier batch filed, so that merging a key reads back only those
 * rows (by rowid: the read looks nothing up by key) and nothing of its article. A key met by a third batch is left
 * pending, for the merge after the read: a key of many copies is read back once, not once per batch.
 */
export class FreshRead {
  /** By key: the rowids of the copies the one earlier batch that met it filed; null once two batches met it. */
  private readonly met = new Map<string, number | number[] | null>();
  private batch = new Map<string, Array<{ stored: StoredObservation; rowid: number }>>();

  /** An observation filed in this batch, with the rowid the store gave it (`observations.lastInserted`). */
  add(stored: StoredObservation | undefined, rowid: number): void {
    if (!stored) return;
    const list = this.batch.get(stored.key);
    if (list) list.push({ stored, rowid });
    else this.batch.set(stored.key, [{ stored, rowid }]);
  }

  /**
   * Every observation of `key` (in the order filed, as the store lists them: those of an earlier batch read back by
   * rowid, then this batch's), when this batch filed one and at most one batch did before; else undefined.
   */
  all(store: Store, key: string): StoredObservation[] | undefined {
    const mine = this.batch.get(key);
    const earlier = this.met.get(key);
    if (!mine || earlier === null) return undefined;
    if (earlier === undefined) return mine.map((m) => m.stored);
    const out: StoredObservation[] = [];
    for (const rowid of typeof earlier === 'number' ? [earlier] : earlier) {
      const o = store.observations.atRowid(rowid);
      // Not the copy filed there (a row put over an origin stored before keeps its own rowid): the key is left
      // pending, to be merged from the store.
      if (o?.key !== key) return undefined;
      out.push(o);
    }
    for (const m of mine) out.push(m.stored);
    return out;
  }

  /** True when an earlier batch filed a copy of `key` (its article is stored). */
  metBefore(key: string): boolean {
    return this.met.has(key);
  }

  /** The batch is merged: its keys are met. */
  next(): void {
    for (const [key, mine] of this.batch) {
      if (this.met.has(key)) this.met.set(key, null);
      else this.met.set(key, mine.length === 1 ? mine[0]!.rowid : mine.map((m) => m.rowid));
    }
    this.batch = new Map();
  }
}

/**
 * Merges the keys marked pending since the last call, those of the files just recorded (their rows still in the page
 * cache; in a first build, `fresh` holds them, and what an earlier batch filed of them is read back by rowid).
 * Call inside a transaction.
 */
export function mergeRecent(store: Store, now: number, fresh?: FreshRead): number {
  const keys = store.pending.takeRecent();
  for (const key of keys) {
    if (!fresh) {
      mergeKey(store, key, store.observations.ofKey(key), now, store.articles.hash(key));
      store.pending.clear(key);
      continue;
    }
    const all = fresh.all(store, key);
    // Left pending, for `mergeAllPending`: a key met by a third batch (or, not in a first build, one this batch filed
    // no copy of).
    if (all) mergeKey(store, key, all, now, fresh.metBefore(key) ? store.articles.hash(key) : undefined);
    else store.pending.keep(key);
  }
  fresh?.next();
  return keys.length;
}

/**
 * Merge one key's observations into its article (whose content hash was `oldHash`); the sources of a changed article
 * are marked dirty.
 */
function mergeKey(
  store: Store,
  key: string,
  observations: StoredObservation[],
  now: number,
  oldHash: string | undefined,
): void {
  const merged = mergeObservations(observations);
  const outcome = mergeOutcome(oldHash, merged);
  if (outcome === 'unchanged') return;
  if (merged) store.articles.put(merged, now);
  else store.articles.delete(key);
  for (const o of observations) store.pending.markSource(o.source);
  for (const albumId of store.albumItems.albumsOf(key)) store.pending.markSource(albumLabel(albumId));
}

/**
 * Merge every pending key, in transactions of MERGE_BATCH keys, yielding between batches so the server and signals
 * stay responsive; stops at a batch boundary when aborted (the keys left stay pending in the store).
 */
export async function mergeAllPending(store: Store, now: number, signal?: AbortSignal): Promise<void> {
  for (;;) {
    signal?.throwIfAborted();
    if (store.transaction(() => mergePending(store, MERGE_BATCH, now)) === 0) return;
    await new Promise<void>((r) => setImmediate(r));
  }
}

/** An account's name is cut to this many characters (WeChat's own are at most 30). */
const MAX_ACCOUNT_NAME = 100;

/**
 * Records an account's name from a fetched page (`nickname`) and, when new or changed, marks dirty every feed showing
 * its articles so the next publish credits that name. True when new or changed. Call inside a transaction.
 */
export function nameAccount(store: Store, biz: string, name: string, now: number): boolean {
  const number = bizToNumber(biz);
  const clean = capTitle(cleanText(name).trim(), MAX_ACCOUNT_NAME);
  if (!number || !clean) return false;
  if (!store.accounts.record(number, clean, now)) return false;
  // Every spelling the store may hold of the account's biz: base64 with and without its padding, and the number.
  const padded = numberToBiz(number);
  const spellings = [...new Set([padded, padded.replace(/=+$/, ''), number, biz.trim()])];
  for (const source of store.accounts.sourcesOf(spellings)) store.pending.markSource(source);
  for (const album of store.albums.all())
    if (bizToNumber(album.biz) === number) store.pending.markSource(albumLabel(album.albumId));
  return true;
}

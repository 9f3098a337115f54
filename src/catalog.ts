/**
 * The catalog: observations in, merged articles out. Every write that changes an observation marks its key pending
 * in the same transaction, and merging a key marks the sources of its copies dirty in the same transaction, so a run
 * killed at any point resumes where it stopped. The merge rules themselves are pure (merge.ts).
 */
import { mergeObservations, mergeOutcome } from './merge.js';
import type { Store } from './store/store.js';
import type { Observation } from './types.js';

/** Meta key of the dump folders' walk fingerprint as last read in full (dumps/stage.ts). */
export const WALK_KEY = 'walk';

/** Article keys merged per store transaction. */
export const MERGE_BATCH = 1024;

/**
 * Put (or, with none, remove) the observation from one origin: `file:<path>`, `page:<url>` (a live page that is the
 * article) or `notice:<url>` (the latest notice a live page showed). Call inside a transaction.
 */
export function putObservation(store: Store, origin: string, obs: Observation | undefined, now: number): void {
  const old = store.observations.keyAndSource(origin);
  // An article joining or leaving a source changes that source's feed.
  if (old && old.source !== obs?.source) store.pending.markSource(old.source);
  if (obs && old?.source !== obs.source) store.pending.markSource(obs.source);
  const key = obs ? store.aliases.resolve(obs.key) : undefined;
  if (obs && key) {
    store.observations.put(origin, key, obs, now);
    store.pending.markKey(key);
  } else if (old) store.observations.delete(origin);
  if (old && old.key !== key) store.pending.markKey(old.key);
}

/** Record one dump file's outcome: its observation, or none with the problem. */
export function recordFile(
  store: Store,
  file: { path: string; size: number; mtimeMs: number },
  outcome: { observation: Observation } | { problem: string; detail?: string | undefined },
  now: number,
): void {
  const problem = 'problem' in outcome ? outcome : undefined;
  store.files.put(file, problem?.problem ?? null, problem?.detail ?? null);
  const observation = 'observation' in outcome ? outcome.observation : undefined;
  putObservation(store, `file:${file.path}`, observation, now);
  // A dump of another site than WeChat: what it gives its site's template (learned again at the end of the stage).
  if (observation?.blocks) store.templates.putBlocks(file.path, observation.blocks);
  else store.templates.deleteBlocks(file.path);
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
  store.meta.set(WALK_KEY, '');
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

/**
 * Merge up to `limit` pending keys, in key order; call inside a transaction. Returns how many keys were merged
 * (0: none was pending). Sources whose feeds show something new are marked dirty.
 */
export function mergePending(store: Store, limit: number, now: number): number {
  const batch = store.pending.batch(limit);
  for (const { key, observations } of batch) {
    const merged = mergeObservations(observations);
    const oldHash = store.articles.hash(key);
    const outcome = mergeOutcome(oldHash, merged);
    if (outcome === 'unchanged') continue;
    if (merged) store.articles.put(merged, now);
    else store.articles.delete(key);
    for (const o of observations) store.pending.markSource(o.source);
  }
  const last = batch[batch.length - 1];
  if (last) store.pending.clearUpTo(last.key);
  return batch.length;
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

/**
 * Pure merging of every observation of one article (dump files, fetched pages, notices) into the one record feeds
 * show. The fuller copy wins (full text over a cut copy over a shell or notice), then a live page over a dump, then
 * the longer text, then the later capture; an exact time from a live page beats the kept copy's; a notice seen
 * after the kept copy is recorded beside it.
 */
import { type ContentState, isLaterNotice, stateRank } from './states.js';
import { sha256 } from './keys.js';
import type { Article, StoredObservation } from './types.js';

const isPage = (o: StoredObservation): boolean => o.origin.startsWith('page:');

function better(a: StoredObservation, b: StoredObservation): StoredObservation {
  const ra = stateRank(a.state);
  const rb = stateRank(b.state);
  if (ra !== rb) return ra > rb ? a : b;
  if (isPage(a) !== isPage(b)) return isPage(a) ? a : b;
  if (a.textLength !== b.textLength) return a.textLength > b.textLength ? a : b;
  const ca = a.capturedAt ?? 0;
  const cb = b.capturedAt ?? 0;
  if (ca !== cb) return ca > cb ? a : b;
  return a.origin <= b.origin ? a : b;
}

function firstDefined<T>(
  obs: StoredObservation[],
  pick: (o: StoredObservation) => T | null | undefined,
): T | undefined {
  for (const o of obs) {
    const v = pick(o);
    if (v !== null && v !== undefined && v !== '') return v;
  }
  return undefined;
}

/** A notice captured after the kept copy, when the kept copy holds text. */
function laterNotice(best: StoredObservation, observations: StoredObservation[]): ContentState | undefined {
  if (stateRank(best.state) < 2) return undefined;
  const later = observations
    .filter((o) => isLaterNotice(o.state) && (o.capturedAt ?? 0) > (best.capturedAt ?? 0))
    .sort((a, b) => (b.capturedAt ?? 0) - (a.capturedAt ?? 0))[0];
  return later?.state;
}

/** Merges every observation of one article into the record feeds show; undefined when there is none. */
export function mergeObservations(observations: StoredObservation[]): Article | undefined {
  if (observations.length === 0) return undefined;
  const best = observations.reduce(better);
  const ordered = [best, ...observations.filter((o) => o !== best)];
  const dated = ordered.find((o) => o.datePrecision === 'exact' && isPage(o)) ?? best;
  const optional = {
    author: firstDefined(ordered, (o) => o.author),
    biz: firstDefined(ordered, (o) => o.biz),
    mid: firstDefined(ordered, (o) => o.mid),
    idx: firstDefined(ordered, (o) => o.idx),
    sn: firstDefined(ordered, (o) => o.sn),
    notice: laterNotice(best, observations),
    cover: firstDefined(ordered, (o) => o.cover),
  };
  const merged: Article = {
    key: best.key,
    id: best.id,
    link: best.link,
    title: best.title,
    date: dated.date,
    datePrecision: dated.datePrecision,
    state: best.state,
    summary: best.summary,
    bestOrigin: best.origin,
    contentHash: '',
  };
  for (const [k, v] of Object.entries(optional))
    if (v !== undefined) (merged as unknown as Record<string, unknown>)[k] = v;
  merged.contentHash = hashArticle(merged, best.bodyHash);
  return merged;
}

/** Hash of everything a feed shows of an article: equal hashes render to equal bytes. */
function hashArticle(a: Article, bodyHash: string): string {
  return sha256(
    JSON.stringify([
      a.id,
      a.link,
      a.title,
      a.author,
      a.date,
      a.datePrecision,
      a.mid,
      a.idx,
      a.state,
      a.notice,
      bodyHash,
      a.summary,
      a.cover,
    ]),
  ).slice(0, 32);
}

/** What merging did to a key's article, from its content hash before and the merged article. */
export type MergeOutcome = 'added' | 'changed' | 'removed' | 'unchanged';

/** Whether a merge added, changed, removed or kept a key's article. */
export function mergeOutcome(oldHash: string | undefined, merged: Article | undefined): MergeOutcome {
  if (!merged) return oldHash === undefined ? 'unchanged' : 'removed';
  if (oldHash === undefined) return 'added';
  return merged.contentHash === oldHash ? 'unchanged' : 'changed';
}

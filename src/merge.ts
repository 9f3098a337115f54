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

/** The optional fields an article takes from the first copy that has them. */
const OPTIONAL = ['author', 'biz', 'mid', 'idx', 'sn', 'cover'] as const;

/** Gives `merged` the first value of `field` a copy holds (`ordered`: the kept copy first). */
function takeFirst<K extends (typeof OPTIONAL)[number]>(merged: Article, ordered: StoredObservation[], field: K): void {
  for (const o of ordered) {
    const v = o[field];
    if (v !== null && v !== undefined && v !== '') {
      // A copy holds these as an article does, or null for none (skipped above).
      merged[field] = v as unknown as Article[K];
      return;
    }
  }
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
  const one = observations.length === 1;
  const best = one ? observations[0]! : observations.reduce(better);
  // One copy: it is the kept copy, its own date, and no notice is later than itself.
  const ordered = one ? observations : [best, ...observations.filter((o) => o !== best)];
  const dated = one ? best : (ordered.find((o) => o.datePrecision === 'exact' && isPage(o)) ?? best);
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
  for (const field of OPTIONAL) takeFirst(merged, ordered, field);
  const notice = one ? undefined : laterNotice(best, observations);
  if (notice !== undefined) merged.notice = notice;
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

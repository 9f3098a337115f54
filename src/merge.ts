/**
 * Pure merging of every observation of one article (dump files now, fetched pages later) into the one record feeds
 * show. The fuller copy wins (full text over a cut copy over a shell or notice), then the longer text, then the
 * later capture; an exact time beats a date-only one; a notice seen after the kept copy is recorded beside it.
 */
import type { ContentState, DatePrecision, FeedArticle } from './types.js';
import { stateRank } from './dumps/state.js';
import { sha256 } from './keys.js';

/** An observation as the store keeps it. */
export interface Observation {
  origin: string;
  key: string;
  source: string;
  id: string;
  link: string;
  biz: string | null;
  mid: number | null;
  idx: number | null;
  sn: string | null;
  title: string;
  author: string | null;
  date: number;
  datePrecision: DatePrecision;
  capturedAt: number | null;
  state: ContentState;
  /** Hash of the observation's body (`StoredBody.hash`); the body itself is read only when a feed shows it. */
  bodyHash: string;
  textLength: number;
  summary: string;
  cover: string | null;
}

export interface MergedArticle extends Omit<FeedArticle, 'mid' | 'idx' | 'contentHtml'> {
  /** The observation whose content is shown, and its body's hash. */
  bestOrigin: string;
  bodyHash: string;
  biz?: string;
  mid?: number;
  idx?: number;
  sn?: string;
}

const NOTICE_STATES = new Set<ContentState>(['deleted', 'blocked', 'migrated']);

function better(a: Observation, b: Observation): Observation {
  const ra = stateRank(a.state);
  const rb = stateRank(b.state);
  if (ra !== rb) return ra > rb ? a : b;
  // A live page that is the article wins over a dump of it.
  const pa = a.origin.startsWith('page:');
  const pb = b.origin.startsWith('page:');
  if (pa !== pb) return pa ? a : b;
  if (a.textLength !== b.textLength) return a.textLength > b.textLength ? a : b;
  const ca = a.capturedAt ?? 0;
  const cb = b.capturedAt ?? 0;
  if (ca !== cb) return ca > cb ? a : b;
  return a.origin <= b.origin ? a : b;
}

function firstDefined<T>(obs: Observation[], pick: (o: Observation) => T | null | undefined): T | undefined {
  for (const o of obs) {
    const v = pick(o);
    if (v !== null && v !== undefined && v !== '') return v;
  }
  return undefined;
}

export function mergeObservations(observations: Observation[]): MergedArticle | undefined {
  if (observations.length === 0) return undefined;
  const best = observations.reduce(better);
  const ordered = [best, ...observations.filter((o) => o !== best)];
  const exact = ordered.find((o) => o.datePrecision === 'exact' && o.origin.startsWith('page:'));
  const dated = exact ?? best;
  let notice: ContentState | undefined;
  if (stateRank(best.state) >= 2) {
    const later = observations
      .filter((o) => NOTICE_STATES.has(o.state) && (o.capturedAt ?? 0) > (best.capturedAt ?? 0))
      .sort((a, b) => (b.capturedAt ?? 0) - (a.capturedAt ?? 0))[0];
    notice = later?.state;
  }
  const merged: MergedArticle = {
    key: best.key,
    bestOrigin: best.origin,
    id: best.id,
    link: best.link,
    title: best.title,
    author: firstDefined(ordered, (o) => o.author),
    date: dated.date,
    datePrecision: dated.datePrecision,
    biz: firstDefined(ordered, (o) => o.biz),
    mid: firstDefined(ordered, (o) => o.mid),
    idx: firstDefined(ordered, (o) => o.idx),
    sn: firstDefined(ordered, (o) => o.sn),
    state: best.state,
    notice,
    bodyHash: best.bodyHash,
    summary: best.summary,
    cover: firstDefined(ordered, (o) => o.cover),
    contentHash: '',
  };
  merged.contentHash = hashArticle(merged);
  return merged;
}

/** Hash of everything a feed shows of an article: equal hashes render to equal bytes. */
export function hashArticle(a: MergedArticle): string {
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
      a.bodyHash,
      a.summary,
      a.cover,
    ]),
  ).slice(0, 32);
}

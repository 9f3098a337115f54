/**
 * Polling followed lists (albums 合集, homepages 主页) newest first, within the build's budget of list requests. The
 * **head** reads down to the first known article and is filed whole (one cut short would leave a gap the next head,
 * stopping at what it filed, never reads); the **walk**, the first read, goes towards the oldest, filed page by page
 * with where it continues. A refusal of the client stops the build (run.ts); anything else that is not a list
 * (`ret -2 "invalid args"` for an album that does not exist, a 404, the wrong shape) fails that list alone.
 */
import { type AlbumEntry, markAlbumChanged, nameAccount, recordAlbumItems } from '../../catalog/catalog.js';
import type { Logger } from '../../log.js';
import { needsArticle } from '../../states.js';
import type { Store } from '../../store/store.js';
import type { AlbumRecord, Config, InputProblem } from '../../types.js';
import type { FetchOutcome, LiveFetch } from '../../fetch/fetcher.js';
import type { AlbumItem } from '../../wechat/album.js';
import { VERIFY_PATH } from '../../wechat/refusal.js';
import { type ListDriver, type ListPosition, driverOf } from '../../fetch/list-drivers.js';
import { albumObservation } from '../../fetch/observe.js';
import type { FetchRun } from './run.js';

/** What polling albums (and homepages) did in one build. */
export interface AlbumFetchSummary {
  /** Albums polled under the config (listed, or discovered as `follow.albums` allows). */
  active: number;
  due: number;
  polled: number;
  /** Polls that failed: an answer about the list (it does not exist, the wrong shape, too big, a network error). */
  failed: number;
  /** Polls WeChat refused (the client is refused: every request of the build stopped). */
  blocked: number;
  /** List and list-page requests made. */
  listRequests: number;
  pageRequests: number;
  /** Articles first seen in an album list. */
  newItems: number;
  /** Albums first followed in this build because a page named them. */
  discovered: number;
  /** Due polls and first reads the budget left for later builds (`follow.maxRequestsPerRun`, `maxNewAlbumsPerRun`). */
  deferred: number;
  /** Albums pages named that were not followed: their account has `follow.maxAlbumsPerAccount` followed already. */
  overCap: number;
  /** The build's budget of list and list-page requests (`follow.maxRequestsPerRun`). */
  budget: number;
}

export interface AlbumPollContext {
  config: Config;
  store: Store;
  live: LiveFetch;
  run: FetchRun;
  summary: AlbumFetchSummary;
  /** Failures to report (where, reason, detail). */
  failures: InputProblem[];
  log: Logger;
  now: () => number;
}

/** The album summary of a build that has polled nothing yet. */
export function emptyAlbumSummary(active: number, budget: number): AlbumFetchSummary {
  return {
    active,
    due: 0,
    polled: 0,
    failed: 0,
    blocked: 0,
    listRequests: 0,
    pageRequests: 0,
    newItems: 0,
    discovered: 0,
    deferred: 0,
    overCap: 0,
    budget,
  };
}

/** Articles a list's first read takes at most: `follow.maxPages` pages of 20. */
const itemCap = (config: Config): number => config.follow.maxPages * 20;

/** Why a read ended before it was done. */
type Ended = { kind: 'refused' } | { kind: 'failed'; reason: string } | { kind: 'deferred' } | { kind: 'stopped' };

/** What one read of a list gave: the articles it found, and where a walk goes on (null: the walk is done). */
interface Read {
  found: AlbumItem[];
  pages: number;
  /** For a walk: where it continues, or null when it reached the end or the item cap. */
  next?: ListPosition | null;
  /** How the read ended early, if it did (what it found before stays valid for a walk). */
  ended?: Ended;
}

/** One request of a list page, or why there is no body to read. */
async function request(url: string, method: 'GET' | 'POST', ctx: AlbumPollContext): Promise<{ body: string } | Ended> {
  const { run } = ctx;
  if (!run.takeListRequest()) return { kind: 'deferred' };
  const r: FetchOutcome = await ctx.live.fetcher.fetchOne(url, { redirects: false, method }, run.signal);
  ctx.summary.listRequests++;
  // This answer stopped the build (a refusal, WeChat out of reach), or another request's did meanwhile.
  if (run.note(r, ctx.now())) return run.refusal ? { kind: 'refused' } : { kind: 'stopped' };
  if (run.signal.aborted) return { kind: 'stopped' };
  if (r.kind === 'ok') return { body: r.html };
  if (r.kind === 'error' && r.status === 403) {
    // A list is public: WeChat forbidding it forbids the client (an article page may be forbidden alone).
    const wait = r.retryAfterMs;
    run.refused({
      at: ctx.now(),
      kind: 'refused',
      reason: 'HTTP 403 on a list',
      ...(wait !== undefined ? { retryAfterMs: wait } : {}),
    });
    return { kind: 'refused' };
  }
  if (r.kind === 'captcha') {
    // Lists follow no redirect: a redirect to the verification page refuses the client; any other fails the list.
    if (VERIFY_PATH.test(pathOf(r.location))) {
      run.refused({ at: ctx.now(), kind: 'captcha', reason: `redirected to ${r.location}` });
      return { kind: 'refused' };
    }
    return { kind: 'failed', reason: `redirected to ${r.location}` };
  }
  return { kind: 'failed', reason: r.reason };
}

function pathOf(location: string): string {
  try {
    return new URL(location, 'https://mp.weixin.qq.com/').pathname;
  } catch {
    return location;
  }
}

/** A position's identity, to notice a list whose cursor comes back to where it was. */
const positionKey = (p: ListPosition | undefined): string => JSON.stringify(p ?? null);

/**
 * Read a list from `from` (undefined: the top). `head`: stop at the first page holding an article already known
 * (unless the list answers oldest first); else a walk, to the end or the item cap. Stores nothing.
 */
async function read(
  a: AlbumRecord,
  driver: ListDriver,
  ctx: AlbumPollContext,
  opts: { head: boolean; from: ListPosition | undefined; known: Set<string> },
): Promise<Read> {
  const { config } = ctx;
  const cap = opts.head ? Number.POSITIVE_INFINITY : Math.max(0, itemCap(config) - a.items);
  const seen = new Set<string>();
  const positions = new Set<string>([positionKey(opts.from)]);
  const found: AlbumItem[] = [];
  let position = opts.from;
  let pages = 0;
  let oldestFirst = false;
  while (pages < config.follow.maxPages) {
    const target = driver.request(a, position);
    const answer = await request(target.url, target.method, ctx);
    if (!('body' in answer)) return { found, pages, next: position ?? null, ended: answer };
    const page = driver.parse(answer.body, a, position, ctx.now());
    if (!page.ok) {
      if (page.refused) {
        ctx.run.refused({ at: ctx.now(), kind: page.refused, reason: page.reason });
        return { found, pages, next: position ?? null, ended: { kind: 'refused' } };
      }
      return { found, pages, next: position ?? null, ended: { kind: 'failed', reason: page.reason } };
    }
    pages++;
    if (pages === 1 && page.order === 'oldest-first') oldestFirst = true;
    let knownSeen = false;
    for (const item of page.items) {
      if (seen.has(item.key)) continue;
      seen.add(item.key);
      if (opts.known.has(item.key)) knownSeen = true;
      else if (found.length < cap) found.push(item);
    }
    if (!page.more || page.next === undefined) return { found, pages, next: null };
    if (found.length >= cap) return { found, pages, next: null };
    // Newest first, an article already known means every older one is known too (the first read walked them).
    if (opts.head && knownSeen && !oldestFirst) return { found, pages };
    const key = positionKey(page.next);
    if (positions.has(key)) {
      const reason = `the list's cursor came back to a position it had (${key.slice(0, 60)}): it does not move on`;
      return { found, pages, next: position ?? null, ended: { kind: 'failed', reason } };
    }
    positions.add(key);
    position = page.next;
  }
  return { found, pages, next: position ?? null };
}

/** The list's HTML page (title, account), or undefined to read it at the next poll; a refusal stops the build. */
async function readPage(a: AlbumRecord, driver: ListDriver, ctx: AlbumPollContext): Promise<PageInfo | undefined> {
  const { run } = ctx;
  if (!run.takeListRequest()) return undefined;
  const url = driver.pageUrl(a);
  const r = await ctx.live.fetcher.fetchOne(url, { redirects: true }, run.signal);
  ctx.summary.pageRequests++;
  if (run.note(r, ctx.now()) || run.signal.aborted) return undefined;
  if (r.kind === 'captcha') {
    run.refused({ at: ctx.now(), kind: 'captcha', reason: `${driver.noun} page: redirected to ${r.location}` });
    return undefined;
  }
  if (r.kind === 'error') return undefined;
  const parsed = await driver.parsePage(ctx.live, r.html, url, ctx.now());
  if (parsed.ok) return parsed.page;
  if (parsed.refused) run.refused({ at: ctx.now(), kind: 'captcha', reason: `${driver.noun} page: ${parsed.reason}` });
  return undefined;
}

/** What a list's HTML page gave. */
type PageInfo = { title?: string; account?: string; accountId?: string };

/**
 * Files a read in one transaction: the list's page if read now, its articles, the poll. Only a head that finds
 * articles counts as activity (`found_at`): a walk finds old ones, which would make a long-quiet album look active.
 */
function file(
  a: AlbumRecord,
  page: PageInfo | undefined,
  found: readonly AlbumItem[],
  record: { result: 'ok' | 'failed'; reason: string | null; walked: boolean; walkCursor?: string | null },
  ctx: AlbumPollContext,
  head = false,
): number {
  const { store } = ctx;
  const t = ctx.now();
  const source = page?.account ?? a.account ?? a.biz;
  return store.transaction(() => {
    if (page) filePage(a, page, ctx);
    const entries: AlbumEntry[] = found.map((item) => {
      const stored = store.articles.get(item.key);
      return {
        item,
        observation: albumObservation(item, source, t),
        queue: stored === undefined || needsArticle(stored.state),
      };
    });
    const added = recordAlbumItems(store, a.albumId, entries, t);
    store.albums.recordPoll(a.albumId, { at: t, ...record, found: head && added > 0 });
    return added;
  });
}

/** What the list's HTML page said: its title and account (its feed is rendered again), the account's name. */
function filePage(a: AlbumRecord, page: PageInfo, ctx: AlbumPollContext): void {
  const { store } = ctx;
  const t = ctx.now();
  store.transaction(() => {
    store.albums.recordPage(a.albumId, page, t);
    if ((page.title && page.title !== a.title) || (page.account && page.account !== a.account))
      markAlbumChanged(store, a.albumId);
    if (page.account) nameAccount(store, a.biz, page.account, t);
  });
}

/** Note a refused or failed poll (nothing else of the list changes). */
function noteEnded(a: AlbumRecord, driver: ListDriver, ended: Ended, ctx: AlbumPollContext): void {
  const where = driver.canonical(a);
  const t = ctx.now();
  if (ended.kind === 'refused') {
    ctx.summary.blocked++;
    const reason = ctx.run.refusal?.reason ?? 'WeChat refused the client';
    ctx.store.albums.recordPoll(a.albumId, { at: t, result: 'blocked', reason, walked: a.walked, found: false });
    ctx.failures.push({ kind: 'list-refused', where, reason: `${driver.noun} list refused`, detail: reason });
  } else if (ended.kind === 'failed') {
    ctx.summary.failed++;
    ctx.failures.push({ kind: 'list-failed', where, reason: `${driver.noun} poll failed`, detail: ended.reason });
  } else if (ended.kind === 'deferred') ctx.summary.deferred++;
}

/** What polling one list did, for the stage: whether it was read (or is to be read again). */
export type PollOutcome = 'polled' | 'failed' | 'refused' | 'deferred' | 'stopped';

/**
 * The head of a list whose first read has begun: its new articles, filed whole. The page is read when it never was.
 */
export async function pollHead(a: AlbumRecord, ctx: AlbumPollContext): Promise<PollOutcome> {
  const driver = driverOf(a);
  const page = await pageOnce(a, driver, ctx);
  if (page && 'kind' in page) return page.kind;
  const known = ctx.store.albumItems.keysOf(a.albumId);
  const r = await read(a, driver, ctx, { head: true, from: undefined, known });
  if (r.ended) {
    noteEnded(a, driver, r.ended, ctx);
    if (r.ended.kind === 'failed')
      file(a, page, [], { result: 'failed', reason: r.ended.reason, walked: a.walked }, ctx);
    else if (page) filePage(a, page, ctx);
    return outcomeOf(r.ended);
  }
  ctx.summary.polled++;
  ctx.summary.newItems += file(a, page, r.found, { result: 'ok', reason: null, walked: a.walked }, ctx, true);
  ctx.log.debug({ list: a.albumId, pages: r.pages, found: r.found.length }, 'list head read');
  return 'polled';
}

/**
 * The first read of a list, or its continuation: filed with where it goes on. A failure files what was read before
 * it (valid articles, and the position to go on from) and the failure.
 */
export async function pollWalk(a: AlbumRecord, ctx: AlbumPollContext): Promise<PollOutcome> {
  const driver = driverOf(a);
  const page = await pageOnce(a, driver, ctx);
  if (page && 'kind' in page) return page.kind;
  const from = a.walkCursor === null ? undefined : driver.decode(a.walkCursor);
  const known = ctx.store.albumItems.keysOf(a.albumId);
  const r = await read(a, driver, ctx, { head: false, from, known });
  const next = r.next === undefined || r.next === null ? null : driver.encode(r.next);
  const walked = r.next === null && r.ended === undefined;
  const ended = r.ended;
  if (ended && ended.kind !== 'failed') {
    // Refused, deferred or stopped: what the walk read is valid, filed with where it goes on; the list's own record
    // says nothing more (a refusal is noted as such).
    const record = { result: 'ok' as const, reason: null, walked: false, walkCursor: next };
    if (r.pages > 0) ctx.summary.newItems += file(a, page, r.found, record, ctx);
    else if (page) filePage(a, page, ctx);
    noteEnded(a, driver, ended, ctx);
    return outcomeOf(ended);
  }
  if (ended) {
    noteEnded(a, driver, ended, ctx);
    const record = { result: 'failed' as const, reason: ended.reason, walked, walkCursor: next };
    ctx.summary.newItems += file(a, page, r.found, record, ctx);
    return 'failed';
  }
  ctx.summary.polled++;
  ctx.summary.newItems += file(a, page, r.found, { result: 'ok', reason: null, walked, walkCursor: next }, ctx);
  ctx.log.debug({ list: a.albumId, pages: r.pages, found: r.found.length, walked }, 'list walked');
  return 'polled';
}

const outcomeOf = (ended: Ended): PollOutcome => ended.kind;

/**
 * The list's HTML page when it was never read (its title and account), or undefined (already read, or it did not
 * answer as a page: read again at the next poll); a refusal, or the budget spent, ends the poll before its list.
 */
async function pageOnce(
  a: AlbumRecord,
  driver: ListDriver,
  ctx: AlbumPollContext,
): Promise<PageInfo | { kind: 'refused' | 'deferred' | 'stopped' } | undefined> {
  if (a.pageReadAt !== null) return undefined;
  if (ctx.run.listRequests <= 0) {
    ctx.summary.deferred++;
    return { kind: 'deferred' };
  }
  const page = await readPage(a, driver, ctx);
  if (!ctx.run.stopped() && !ctx.run.signal.aborted) return page;
  if (ctx.run.refusal) {
    noteEnded(a, driver, { kind: 'refused' }, ctx);
    return { kind: 'refused' };
  }
  return { kind: 'stopped' };
}

/**
 * Polling followed albums (合集), part of the fetch stage. Each due album's JSON list is read newest first
 * (`is_reverse=1`, 20 items a page, the exclusive cursor of the page before), through the same page client as
 * articles (origin, pacing, retries), following no redirect. The first read walks the list to its end or
 * `follow.maxPages` pages; later ones stop at the first page holding an article already known (unless the server
 * answers oldest first: then the whole list, up to `follow.maxPages`). The album's HTML page is read once, for its
 * title and account.
 *
 * A poll is filed whole or not at all: a redirect, a non-200 answer, an HTML or non-JSON body, `base_resp.ret` ≠ 0
 * or `verify_status` ≠ "0" means WeChat refuses for now: nothing stored changes for that album (only its last
 * attempt is noted), and fetching stops for the build as after a captcha. A malformed answer is a failed poll,
 * recorded; the build goes on.
 */
import { type AlbumEntry, markAlbumChanged, recordAlbumItems } from '../catalog.js';
import type { Logger } from '../log.js';
import { needsArticle } from '../states.js';
import type { Store } from '../store/store.js';
import type {
  AlbumCursor,
  AlbumFetchSummary,
  AlbumItem,
  AlbumOrder,
  AlbumRecord,
  Config,
  LiveFetch,
} from '../types.js';
import { albumListUrl, canonicalAlbumUrl, parseAlbumList, parseAlbumPage } from '../wechat/album.js';
import { albumObservation } from './observe.js';
import type { FetchRun } from './run.js';

export interface AlbumPollContext {
  config: Config;
  store: Store;
  live: LiveFetch;
  run: FetchRun;
  summary: AlbumFetchSummary;
  /** Failures to report (where, reason, detail). */
  failures: Array<{ where: string; reason: string; detail?: string }>;
  log: Logger;
  now: () => number;
}

export function emptyAlbumSummary(active: number): AlbumFetchSummary {
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
  };
}

/** What the album's HTML page gave. */
interface PageInfo {
  title?: string | undefined;
  account?: string | undefined;
  accountId?: string | undefined;
}

type Poll =
  | { kind: 'ok'; page: PageInfo | undefined; found: AlbumItem[]; pages: number }
  | { kind: 'blocked'; reason: string }
  | { kind: 'failed'; reason: string; completed: boolean }
  | { kind: 'stopped' };

const sameCursor = (a: AlbumCursor | undefined, b: AlbumCursor | undefined): boolean =>
  a !== undefined && b !== undefined && a.msgid === b.msgid && a.itemidx === b.itemidx;

/** A request that did not give a body: why the poll ends. */
function requestEnd(
  r: Exclude<Awaited<ReturnType<LiveFetch['fetcher']['fetchOne']>>, { kind: 'ok' }>,
  run: FetchRun,
): Poll {
  if (run.signal.aborted) return { kind: 'stopped' };
  if (r.kind === 'captcha') return { kind: 'blocked', reason: `redirected to ${r.location}` };
  if (r.status !== undefined) return { kind: 'blocked', reason: r.reason };
  return { kind: 'failed', reason: r.reason, completed: false };
}

/** The album's HTML page, read once: its title and account. A verification page blocks; anything else goes on without. */
async function readPage(album: AlbumRecord, ctx: AlbumPollContext): Promise<PageInfo | Poll | undefined> {
  const url = canonicalAlbumUrl(album.biz, album.albumId);
  const r = await ctx.live.fetcher.fetchOne(url, { redirects: true }, ctx.run.signal);
  ctx.summary.pageRequests++;
  ctx.run.note(r, ctx.now());
  if (r.kind === 'captcha') return { kind: 'blocked', reason: `album page: redirected to ${r.location}` };
  if (r.kind === 'error') return ctx.run.signal.aborted ? { kind: 'stopped' } : undefined;
  const parsed = parseAlbumPage(r.html, url);
  if (!parsed.ok) return parsed.blocked ? { kind: 'blocked', reason: `album page: ${parsed.reason}` } : undefined;
  const { title, account, accountId } = parsed.page;
  return { title, account, accountId };
}

/** One poll of one album: its page when never read, then its list from the newest item. Stores nothing. */
async function poll(album: AlbumRecord, ctx: AlbumPollContext): Promise<Poll> {
  const { config, run } = ctx;
  let page: PageInfo | undefined;
  if (album.pageReadAt === null) {
    const read = await readPage(album, ctx);
    if (read && 'kind' in read) return read;
    page = read;
  }
  const known = ctx.store.albumItems.keysOf(album.albumId);
  const seen = new Set<string>();
  const found: AlbumItem[] = [];
  let cursor: AlbumCursor | undefined;
  let order: AlbumOrder = 'unknown';
  let pages = 0;
  while (pages < config.follow.maxPages) {
    const r = await ctx.live.fetcher.fetchOne(albumListUrl(album, cursor), { redirects: false }, run.signal);
    ctx.summary.listRequests++;
    run.note(r, ctx.now());
    if (r.kind !== 'ok') return requestEnd(r, run);
    const list = parseAlbumList(r.html, album);
    if (!list.ok)
      return list.blocked
        ? { kind: 'blocked', reason: list.reason }
        : { kind: 'failed', reason: list.reason, completed: true };
    pages++;
    if (order === 'unknown') order = list.order;
    let knownSeen = false;
    for (const item of list.items) {
      if (seen.has(item.key)) continue;
      seen.add(item.key);
      if (known.has(item.key)) knownSeen = true;
      else found.push(item);
    }
    if (!list.more) return { kind: 'ok', page, found, pages };
    // Newest first, an article already known means every older one is known too (the first read walked them).
    if (knownSeen && order !== 'oldest-first') return { kind: 'ok', page, found, pages };
    if (sameCursor(list.cursor, cursor))
      return {
        kind: 'failed',
        reason: 'the list answered the same page again (its cursor does not move)',
        completed: true,
      };
    cursor = list.cursor;
  }
  return { kind: 'ok', page, found, pages };
}

/** File a poll: whole, in one transaction (or, blocked or failed, only its attempt). */
function file(album: AlbumRecord, result: Poll, ctx: AlbumPollContext): void {
  const { store, summary } = ctx;
  const t = ctx.now();
  const where = canonicalAlbumUrl(album.biz, album.albumId);
  if (result.kind === 'stopped') return;
  if (result.kind === 'blocked') {
    summary.blocked++;
    store.albums.recordPoll(album.albumId, {
      at: t,
      result: 'blocked',
      reason: result.reason,
      completed: false,
      walked: false,
    });
    ctx.failures.push({ where, reason: 'album list blocked', detail: result.reason });
    ctx.run.blocked(t);
    return;
  }
  if (result.kind === 'failed') {
    summary.failed++;
    store.albums.recordPoll(album.albumId, {
      at: t,
      result: 'failed',
      reason: result.reason,
      completed: result.completed,
      walked: false,
    });
    ctx.failures.push({ where, reason: 'album poll failed', detail: result.reason });
    return;
  }
  summary.polled++;
  const source = result.page?.account ?? album.account ?? album.biz;
  store.transaction(() => {
    if (result.page) {
      store.albums.recordPage(album.albumId, result.page, t);
      if (
        (result.page.title && result.page.title !== album.title) ||
        (result.page.account && result.page.account !== album.account)
      )
        markAlbumChanged(store, album.albumId);
    }
    const entries: AlbumEntry[] = result.found.map((item) => {
      const stored = store.articles.get(item.key);
      return {
        item,
        observation: albumObservation(item, source, t),
        queue: stored === undefined || needsArticle(stored.state),
      };
    });
    const added = recordAlbumItems(store, album.albumId, entries, t);
    summary.newItems += added;
    // The first read is done, to the end of the list or to follow.maxPages pages.
    store.albums.recordPoll(album.albumId, { at: t, result: 'ok', reason: null, completed: true, walked: true });
    ctx.log.debug({ album: album.albumId, pages: result.pages, added }, 'album polled');
  });
}

/** Poll the given albums, `fetch.concurrency` at a time (each album's pages one after another). */
export async function pollAlbums(albums: readonly AlbumRecord[], ctx: AlbumPollContext): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < albums.length && !ctx.run.stopped() && !ctx.run.signal.aborted) {
      const album = albums[next++]!;
      file(album, await poll(album, ctx), ctx);
    }
  };
  await Promise.all(Array.from({ length: Math.min(ctx.config.fetch.concurrency, albums.length) }, worker));
}

/**
 * The live-fetching stage: poll the due lists (albums 合集, homepages 主页) and fetch the due URLs politely, filing
 * what each is; albums a page names are followed and polled in later rounds of the build. WeChat refusing the client
 * stops all fetching for a cool-down (run.ts, fetch/pace.ts); an error changes nothing stored. Offline, the URL
 * inputs are still read, so the build reports what is followed.
 */
import { aliasKey, markAlbumChanged, nameAccount, putObservation } from '../../catalog/catalog.js';
import { shortKey, wechatKey } from '../../keys.js';
import type { Logger } from '../../log.js';
import { pageContentState } from '../../states.js';
import type { Store } from '../../store/store.js';
import type { AlbumRecord, Config, FollowedUrl, InputProblem } from '../../types.js';
import type { FetchOutcome, LiveFetch } from '../../fetch/fetcher.js';
import type { ParsedPage } from '../../wechat/article-page.js';
import { readUrlInputs } from '../../io/url-files.js';
import { parseUrl } from '../../wechat/url.js';
import { type AlbumFetchSummary, emptyAlbumSummary } from './albums.js';
import { discoveryVia, isAlbumActive, strongerVia } from '../../fetch/follow.js';
import { accountUnfollowed, parseUnfollowMarks, urlUnfollowed } from '../../fetch/unfollowed.js';
import { type ListRoundContext, pollLists } from './lists.js';
import { noticeObservation, pageObservation } from '../../fetch/observe.js';
import { FetchRun } from './run.js';
import { dueOrder, isDue } from '../../fetch/schedule.js';
import {
  type PaceCooldown,
  type PaceState,
  paceNow,
  paceOnBlock,
  paceOnCleanBuild,
  storedPaceState,
} from '../../fetch/pace.js';

/** What live fetching did in one build. */
export interface FetchSummary {
  listed: number;
  due: number;
  fetched: number;
  unchanged: number;
  deleted: number;
  blocked: number;
  failed: number;
  skippedByCooldown: number;
  /** WeChat could not be reached (several connection failures in a row): the rest waited for a later build. */
  unreachable?: boolean;
  deferred: number;
  cooldownUntil?: number;
  failures: InputProblem[];
  offline: boolean;
  /** Time spent fetching and filing pages. */
  elapsedMs: number;
  /** Albums followed and polled in this build. */
  albums?: AlbumFetchSummary;
}

export interface FetchStageOptions {
  /** Live fetching; undefined: offline. */
  live: LiveFetch | undefined;
  /** Dump files changed this build: look again for dumps that are not the article. */
  dumpsChanged: boolean;
  log: Logger;
  now: () => number;
  /** Told as pages are handled: done, total. */
  progress?: ((done: number, total: number) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/** The fetch summary of a build that has fetched nothing yet. */
export function emptyFetchSummary(offline: boolean): FetchSummary {
  return {
    listed: 0,
    due: 0,
    fetched: 0,
    unchanged: 0,
    deleted: 0,
    blocked: 0,
    failed: 0,
    skippedByCooldown: 0,
    deferred: 0,
    failures: [],
    offline,
    elapsedMs: 0,
  };
}

function setPace(store: Store, state: PaceState | undefined, before: PaceState | undefined): void {
  if (state === before && store.meta.legacyCooldown.get() === undefined) return;
  if (state) store.meta.pace.set(JSON.stringify(state));
  else store.meta.pace.clear();
  store.meta.legacyCooldown.clear();
}

/** Syncs the URL inputs (articles, albums) into the store; how many are listed. Problems name the file and line. */
async function syncInputs(
  config: Config,
  store: Store,
  opts: FetchStageOptions,
  problems: InputProblem[],
): Promise<{ urls: number; albums: number }> {
  const inputs = await readUrlInputs(config.urls, config.urlFiles);
  problems.push(...inputs.problems);
  // A URL the user unfollowed, or one of an account unfollowed, stays listed in its file but is not read.
  const marks = parseUnfollowMarks(store.meta.unfollowed.get());
  const entries = inputs.entries
    .filter((e) => !urlUnfollowed(marks, e.parsed))
    .map((e) => {
      const key = wechatKey(e.parsed);
      return { url: e.parsed.canonical, key: key ? store.aliases.resolve(key) : null };
    });
  store.urls.setListed(entries, opts.now());
  const albums = new Map(inputs.albums.map((a) => [a.album.albumId, { ...a.album, kind: a.kind }]));
  // A store that never knew an album, and a config that lists none, need no write.
  if (albums.size > 0 || store.albums.count() > 0) store.albums.setListed([...albums.values()], opts.now());
  // The dumps' URLs are followed (a pass over every observation) by the first build that may fetch.
  const dumpsChanged = opts.dumpsChanged || store.meta.dumpUrls.get() !== 'synced';
  if (opts.live) {
    if (config.fetch.dumps && dumpsChanged) store.urls.addDumpUrls(opts.now());
    store.meta.dumpUrls.set('synced');
  } else if (opts.dumpsChanged) store.meta.dumpUrls.set('pending');
  return { urls: new Set(entries.map((e) => e.url)).size, albums: albums.size };
}

/** File one fetched page: the article, a notice, or a failure; in one transaction. */
function filePage(store: Store, followed: FollowedUrl, page: ParsedPage, summary: FetchSummary, t: number): void {
  const fail = (reason: string, detail?: string): void => {
    summary.failed++;
    summary.failures.push({ kind: 'page-failed', where: followed.url, reason, ...(detail ? { detail } : {}) });
    store.urls.recordResult(followed.url, 'error', reason, true, null, t);
  };
  store.transaction(() => {
    if (page.state === 'captcha') return;
    if (page.state === 'ok') {
      const obs = pageObservation(page, followed.url, followed.source, t);
      if (obs && obs.textLength === 0 && !/<img\b/.test(page.contentHtml ?? '')) {
        // A page with nothing to read is a broken response, not the article: keep what is stored.
        return fail('page without article content');
      }
      if (!obs) return fail('page without identity', 'no sn in the URL or the page');
      const parsed = parseUrl(followed.url);
      if (parsed?.shortToken) aliasKey(store, shortKey(parsed.shortToken), obs.key);
      const before = store.observations.get(`page:${obs.link}`);
      putObservation(store, `page:${obs.link}`, obs, t);
      // The page names its account: feeds that credit the carrying source for want of a name now have one.
      const biz = page.biz ?? obs.ref.biz;
      if (biz && page.account) nameAccount(store, biz, page.account, t);
      putObservation(store, `notice:${followed.url}`, undefined, t);
      const same =
        before && before.bodyHash === obs.body.hash && before.title === obs.title && before.date === obs.date;
      if (same) summary.unchanged++;
      else summary.fetched++;
      store.urls.recordResult(followed.url, 'ok', null, false, obs.key, t);
      return;
    }
    const state = pageContentState(page.state);
    const known = followed.key ? store.articles.get(store.aliases.resolve(followed.key)) : undefined;
    const notice = noticeObservation(state, followed, page, known, t);
    if (notice) putObservation(store, `notice:${followed.url}`, notice, t);
    if (state === 'deleted') summary.deleted++;
    else summary.blocked++;
    store.urls.recordResult(followed.url, page.state, page.reason ?? null, false, notice?.key ?? null, t);
  });
}

/** Rounds of polling and reading in one build: a page read may name an album whose articles are read next. */
const MAX_ROUNDS = 4;

/** The albums polled under the config in force: marked in the store (their articles' URLs are candidates). */
function activateAlbums(config: Config, store: Store): AlbumRecord[] {
  const all = store.albums.all();
  if (all.length === 0) return [];
  const active = all.filter((a) => isAlbumActive(a, config.follow.albums));
  store.albums.setActive(active.map((a) => a.albumId));
  return active;
}

/**
 * Follows the albums a page names when its URL allows (`follow.albums`), up to `follow.maxAlbumsPerAccount` each; a
 * first read makes the followed albums it names due now. One transaction; returns how many were followed or made due.
 */
function discover(ctx: PageContext, followed: FollowedUrl, page: ParsedPage, t: number): number {
  const { config, store, albums: summary } = ctx;
  if (!page.albums?.length) return 0;
  const firstRead = followed.lastFetchAt === null;
  const listing =
    followed.fromAlbum && followed.key
      ? store.albumItems
          .albumsOf(followed.key)
          .map((id) => store.albums.get(id))
          .filter((a) => a !== undefined)
      : [];
  const via = discoveryVia(followed, listing, config.follow.albums);
  if (!via) return 0;
  let more = 0;
  let overCap = 0;
  const marks = parseUnfollowMarks(store.meta.unfollowed.get());
  store.transaction(() => {
    for (const named of page.albums!) {
      const known = store.albums.get(named.albumId);
      if (!known) {
        if (accountUnfollowed(marks, named.biz)) continue;
        if (store.albums.followedOf(named.biz) >= config.follow.maxAlbumsPerAccount) {
          overCap++;
          continue;
        }
        store.albums.insert(named, via, followed.url, true, t);
        store.albums.activate(named.albumId);
        summary.discovered++;
        more++;
        continue;
      }
      if (firstRead && known.active && !ctx.polled.has(named.albumId) && !known.pollSoon) {
        store.albums.pollSoon(named.albumId);
        more++;
      }
      if (named.title && known.title === null) {
        store.albums.setFallbackTitle(named.albumId, named.title);
        markAlbumChanged(store, named.albumId);
      }
      const next = strongerVia(known.via, via);
      if (next !== known.via) store.albums.setVia(named.albumId, next);
      if (!known.active && isAlbumActive({ ...known, via: next }, config.follow.albums)) {
        store.albums.activate(named.albumId);
        more++;
      }
    }
  });
  if (overCap > 0) {
    summary.overCap += overCap;
    const detail = `${overCap} albums not followed: the account has ${config.follow.maxAlbumsPerAccount} followed (follow.maxAlbumsPerAccount)`;
    ctx.summary.failures.push({ kind: 'over-cap', where: followed.url, reason: 'albums over the cap', detail });
  }
  return more;
}

/** Sync the inputs, then poll the due lists and read the due pages, unless offline or in a cool-down. */
export async function fetchStage(config: Config, store: Store, opts: FetchStageOptions): Promise<FetchSummary> {
  const { live } = opts;
  const summary = emptyFetchSummary(!live);
  const problems: InputProblem[] = [];
  const listed = await syncInputs(config, store, opts, problems);
  summary.listed = listed.urls;
  summary.failures.push(...problems);
  const active = activateAlbums(config, store);
  const albums = emptyAlbumSummary(active.length, config.follow.maxRequestsPerRun);
  // Offline: nothing will be fetched, so the due list (a pass over every followed URL) is not worth computing.
  if (!live) return withAlbums(store, summary, albums);
  const now = opts.now();
  const firstUrls = dueUrls(config, store, live, now, new Set());
  summary.due = firstUrls.length;
  const paceState = storedPaceState(store.meta, config.fetch);
  const pace = paceNow(paceState, now, config.fetch.delayMs);
  if (pace.cooldown) {
    skipForCooldown(summary, pace.cooldown, firstUrls.length);
    return withAlbums(store, summary, albums);
  }
  // After a refusal, fetching resumes slowed (fetch/pace.ts).
  live.fetcher.setPace(pace.multiplier);
  const run = new FetchRun(opts.signal, {
    listRequests: config.follow.maxRequestsPerRun,
    firstReads: config.follow.maxNewAlbumsPerRun,
  });
  const ctx: PageContext = { config, store, live, run, summary, albums, opts, polled: new Set() };
  const asked = await fetchRounds(ctx, firstUrls, now);
  endOfFetching(ctx, paceState, asked);
  return withAlbums(store, summary, albums);
}

/** The summary, with the albums' part once the store knows an album (a store without albums says nothing of them). */
function withAlbums(store: Store, summary: FetchSummary, albums: AlbumFetchSummary): FetchSummary {
  if (albums.discovered > 0 || store.albums.count() > 0) {
    albums.active = store.albums.activeIds().length;
    summary.albums = albums;
  }
  return summary;
}

/** The followed URLs due at `now` (every one on `--refetch`) but those in `skip`, in the order they are read. */
function dueUrls(config: Config, store: Store, live: LiveFetch, now: number, skip: ReadonlySet<string>): FollowedUrl[] {
  return store.urls
    .candidates(config.fetch.dumps)
    .filter((r) => !skip.has(r.url) && (live.refetch || isDue(r, now, config.fetch.maxAgeDays)))
    .sort(dueOrder);
}

/** A cool-down in force: every due URL waits for its end. */
function skipForCooldown(summary: FetchSummary, cooldown: PaceCooldown, due: number): void {
  summary.skippedByCooldown = due;
  summary.cooldownUntil = cooldown.until;
  if (cooldown.reason === 'unreachable') summary.unreachable = true;
}

/**
 * Rounds of polling the due lists and reading the due pages, within `fetch.maxPerRun` pages: a round whose pages
 * made no album followed or due is the last. Returns how many requests were asked of WeChat (pages, lists).
 */
async function fetchRounds(ctx: PageContext, firstUrls: FollowedUrl[], now: number): Promise<number> {
  const { config, store, live, run, summary, albums, opts } = ctx;
  const lists = listRoundContext(ctx);
  /** URLs due in some round, and those put in a batch. */
  const due = new Set<string>();
  const attempted = new Set<string>();
  const started = performance.now();
  for (let round = 0; round < MAX_ROUNDS && !run.stopped() && !opts.signal?.aborted; round++) {
    const polledLists = await pollLists(lists);
    if (run.stopped()) break;
    const urls = round === 0 && polledLists === 0 ? firstUrls : dueUrls(config, store, live, now, attempted);
    for (const u of urls) due.add(u.url);
    const batch = urls.slice(0, Math.max(0, config.fetch.maxPerRun - attempted.size));
    for (const u of batch) attempted.add(u.url);
    const found = await fetchPages(batch, ctx);
    if (found === 0) break;
  }
  summary.elapsedMs = performance.now() - started;
  summary.due = due.size;
  summary.deferred = due.size - attempted.size;
  return attempted.size + albums.listRequests + albums.pageRequests;
}

/** What polling the lists is told: the page context's run and budgets, its failures, the lists polled so far. */
function listRoundContext(ctx: PageContext): ListRoundContext {
  const { config, store, live, run, summary, albums, opts } = ctx;
  return {
    config,
    store,
    live,
    run,
    summary: albums,
    failures: summary.failures,
    log: opts.log,
    now: opts.now,
    polled: ctx.polled,
    refetch: live.refetch,
    deferred: new Set<string>(),
  };
}

/**
 * Files how fetching ended (fetch/pace.ts): after a refusal or WeChat out of reach, the cool-down and the pace to
 * resume at; after an unrefused build that asked WeChat anything, what of them no longer matters is forgotten.
 */
function endOfFetching(
  ctx: Pick<PageContext, 'config' | 'store' | 'opts' | 'run' | 'summary'>,
  before: PaceState | undefined,
  /** Requests asked of WeChat in this build (pages, lists). */
  asked: number,
): void {
  const { config, store, opts, run } = ctx;
  const pausedAt = run.pausedAt();
  if (pausedAt === undefined) {
    if (asked > 0) setPace(store, paceOnCleanBuild(before, opts.now()), before);
    return;
  }
  const reason = run.unreachableAt !== undefined ? 'unreachable' : (run.refusal?.kind ?? 'captcha');
  const { cooldownMinutes, cooldownMaxMinutes } = config.fetch;
  const retryAfterMs = run.refusal?.retryAfterMs;
  const next = paceOnBlock(before, pausedAt, { cooldownMinutes, cooldownMaxMinutes, reason, retryAfterMs });
  setPace(store, next, before);
  reportPause(ctx, next);
}

/** Report a pause of fetching: the URLs it leaves waiting, why it began, and when fetching resumes. */
function reportPause(ctx: Pick<PageContext, 'config' | 'opts' | 'run' | 'summary'>, next: PaceState): void {
  const { config, opts, run, summary } = ctx;
  const cooldown = next.cooldown!;
  summary.cooldownUntil = cooldown.until;
  const done = summary.fetched + summary.unchanged + summary.deleted + summary.blocked + summary.failed;
  summary.skippedByCooldown = Math.max(0, summary.due - summary.deferred - done);
  const until = new Date(cooldown.until).toISOString();
  if (cooldown.reason === 'unreachable') {
    summary.unreachable = true;
    const wait = summary.skippedByCooldown + summary.deferred;
    const detail = `fetching skipped, ${wait} URLs wait; next try after ${until}`;
    summary.failures.push({
      kind: 'wechat-unreachable',
      where: config.fetch.origin,
      reason: 'WeChat unreachable',
      detail,
    });
    opts.log.warn(
      { origin: config.fetch.origin, until, waiting: wait },
      `WeChat unreachable: fetching skipped, ${wait} URLs wait`,
    );
  } else {
    const why = run.refusal?.reason ?? 'captcha page';
    const resume = `resuming ${next.multiplier}× slower`;
    const detail = `${why}; fetching paused until ${until}, ${resume}`;
    summary.failures.push({
      kind: 'wechat-refused',
      where: config.fetch.origin,
      reason: 'captcha / rate limit',
      detail,
    });
    opts.log.warn(
      { origin: config.fetch.origin, until, level: cooldown.level, why, pace: next.multiplier },
      'WeChat refused: fetching paused',
    );
  }
}

interface PageContext {
  config: Config;
  store: Store;
  live: LiveFetch;
  run: FetchRun;
  summary: FetchSummary;
  albums: AlbumFetchSummary;
  opts: FetchStageOptions;
  /** Lists polled in this build. */
  polled: Set<string>;
}

/** Read a batch of due pages and file each; how many albums their pages made followed. */
async function fetchPages(batch: FollowedUrl[], ctx: PageContext): Promise<number> {
  const { store, live, run, summary, opts } = ctx;
  if (batch.length === 0) return 0;
  const byUrl = new Map(batch.map((r) => [r.url, r]));
  let handled = 0;
  let found = 0;
  const onResult = async (r: FetchOutcome): Promise<void> => {
    const followed = byUrl.get(r.url);
    if (!followed || run.stopped()) return;
    const page = r.kind === 'ok' ? await safeParse(live.parsePage, r.html, r.url) : undefined;
    if (run.stopped()) return;
    opts.progress?.(++handled, batch.length);
    const t = opts.now();
    // An answer that refuses the client (429, 403s in a row) is not this URL's failure: nothing of it is recorded.
    if (run.note(r, t) && run.refusal) return;
    if (page instanceof Error) {
      summary.failed++;
      summary.failures.push({ kind: 'page-failed', where: r.url, reason: 'page parser failure', detail: page.message });
      store.urls.recordResult(followed.url, 'error', `page parser failure: ${page.message}`, true, null, t);
      return;
    }
    if (r.kind === 'captcha' || page?.state === 'captcha') {
      // A condition of the client, not of the URL: the URL keeps its schedule, read first when the cool-down ends.
      const reason = r.kind === 'captcha' ? `redirected to ${r.location}` : `captcha page at ${r.url}`;
      run.refused({ at: t, kind: 'captcha', reason });
      return;
    }
    if (r.kind === 'error') {
      summary.failed++;
      summary.failures.push({ kind: 'page-failed', where: r.url, reason: 'fetch failed', detail: r.reason });
      store.urls.recordResult(followed.url, 'error', r.reason, true, null, t);
      return;
    }
    filePage(store, followed, page!, summary, t);
    if (page?.state === 'ok') found += discover(ctx, followed, page, t);
  };
  await live.fetcher.fetchAll(
    batch.map((r) => r.url),
    onResult,
    run.signal,
  );
  return found;
}

async function safeParse(parse: LiveFetch['parsePage'], html: string, url: string): Promise<ParsedPage | Error> {
  try {
    return await parse(html, url);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

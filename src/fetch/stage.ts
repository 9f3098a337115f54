/**
 * The live-fetching stage of a build: which URLs are due, fetch them politely, and file what each page is.
 * Only a page that is the article changes stored content; a deleted or blocked page adds a notice beside what is
 * stored; a captcha page stops all fetching for a cool-down; an error changes nothing stored.
 * Offline (no `live`), the URL inputs are still read, so the build reports what is followed.
 */
import { aliasKey, putObservation } from '../catalog.js';
import { shortKey, wechatKey } from '../keys.js';
import type { Logger } from '../log.js';
import { pageContentState } from '../states.js';
import type { Store } from '../store/store.js';
import type {
  Config,
  Cooldown,
  FetchOutcome,
  FetchSummary,
  FollowedUrl,
  InputProblem,
  LiveFetch,
  ParsedPage,
} from '../types.js';
import { readUrlInputs } from '../urls/list.js';
import { parseUrl } from '../wechat/url.js';
import { noticeObservation, pageObservation } from './observe.js';
import { cooldownAfterSuccess, dueOrder, isDue, nextCooldown, UNREACHABLE_AFTER } from './schedule.js';

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

/** Meta keys: the captcha cool-down, and whether the dumps' URLs were last synced by a build that could fetch. */
const COOLDOWN_KEY = 'cooldown';
const DUMP_URLS_KEY = 'dump-urls';

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

function cooldownOf(store: Store): Cooldown | undefined {
  const raw = store.meta.get(COOLDOWN_KEY);
  return raw ? (JSON.parse(raw) as Cooldown) : undefined;
}

function setCooldown(store: Store, c: Cooldown | undefined): void {
  if (c) store.meta.set(COOLDOWN_KEY, JSON.stringify(c));
  else store.meta.delete(COOLDOWN_KEY);
}

/** Sync the URL inputs into the store and say how many are listed. Problems name the file and line. */
async function syncInputs(
  config: Config,
  store: Store,
  opts: FetchStageOptions,
  problems: InputProblem[],
): Promise<number> {
  const inputs = await readUrlInputs(config.urls, config.urlFiles);
  problems.push(...inputs.problems);
  const entries = inputs.entries.map((e) => {
    const key = wechatKey(e.parsed);
    return { url: e.parsed.canonical, key: key ? store.aliases.resolve(key) : null };
  });
  store.urls.setListed(entries, opts.now());
  // The dumps' URLs are followed (a pass over every observation) by the first build that may fetch.
  const dumpsChanged = opts.dumpsChanged || store.meta.get(DUMP_URLS_KEY) !== 'synced';
  if (opts.live) {
    if (config.fetch.dumps && dumpsChanged) store.urls.addDumpUrls(opts.now());
    store.meta.set(DUMP_URLS_KEY, 'synced');
  } else if (opts.dumpsChanged) store.meta.set(DUMP_URLS_KEY, 'pending');
  return new Set(entries.map((e) => e.url)).size;
}

/** File one fetched page: the article, a notice, or a failure; in one transaction. */
function filePage(store: Store, followed: FollowedUrl, page: ParsedPage, summary: FetchSummary, t: number): void {
  const fail = (reason: string, detail?: string): void => {
    summary.failed++;
    summary.failures.push({ where: followed.url, reason, ...(detail ? { detail } : {}) });
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

export async function fetchStage(config: Config, store: Store, opts: FetchStageOptions): Promise<FetchSummary> {
  const { live } = opts;
  const summary = emptyFetchSummary(!live);
  const problems: InputProblem[] = [];
  summary.listed = await syncInputs(config, store, opts, problems);
  summary.failures.push(...problems);
  // Offline: nothing will be fetched, so the due list (a pass over every followed URL) is not worth computing.
  if (!live) return summary;
  const now = opts.now();
  const due = store.urls
    .candidates(config.fetch.dumps)
    .filter((r) => live.refetch || isDue(r, now, config.fetch.maxAgeDays))
    .sort(dueOrder);
  summary.due = due.length;
  if (due.length === 0) return summary;
  const cooldown = cooldownOf(store);
  if (cooldown && cooldown.until > now) {
    summary.skippedByCooldown = due.length;
    summary.cooldownUntil = cooldown.until;
    if (cooldown.reason === 'unreachable') summary.unreachable = true;
    return summary;
  }
  const batch = due.slice(0, config.fetch.maxPerRun);
  summary.deferred = due.length - batch.length;
  const byUrl = new Map(batch.map((r) => [r.url, r]));
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  let captchaAt: number | undefined;
  /** Connection-level failures in a row, and when they made WeChat count as unreachable. */
  let unreachableRun = 0;
  let unreachableAt: number | undefined;
  let handled = 0;
  const stopped = () => captchaAt !== undefined || unreachableAt !== undefined;
  const onResult = async (r: FetchOutcome): Promise<void> => {
    const followed = byUrl.get(r.url);
    if (!followed || stopped()) return;
    const page = r.kind === 'ok' ? await safeParse(live.parsePage, r.html, r.url) : undefined;
    if (stopped()) return;
    opts.progress?.(++handled, batch.length);
    const t = opts.now();
    unreachableRun = r.kind === 'error' && r.unreachable ? unreachableRun + 1 : 0;
    if (page instanceof Error) {
      summary.failed++;
      summary.failures.push({ where: r.url, reason: 'page parser failure', detail: page.message });
      store.urls.recordResult(followed.url, 'error', `page parser failure: ${page.message}`, true, null, t);
      return;
    }
    if (r.kind === 'captcha' || page?.state === 'captcha') {
      captchaAt = t;
      const reason = r.kind === 'captcha' ? `redirected to ${r.location}` : 'captcha page';
      store.urls.recordResult(followed.url, 'captcha', reason, true, null, t);
      stop.abort();
      return;
    }
    if (r.kind === 'error') {
      summary.failed++;
      summary.failures.push({ where: r.url, reason: 'fetch failed', detail: r.reason });
      store.urls.recordResult(followed.url, 'error', r.reason, true, null, t);
      if (unreachableRun >= UNREACHABLE_AFTER) {
        unreachableAt = t;
        stop.abort();
      }
      return;
    }
    filePage(store, followed, page!, summary, t);
  };
  const started = performance.now();
  await live.fetcher.fetchAll(
    batch.map((r) => r.url),
    onResult,
    signal,
  );
  summary.elapsedMs = performance.now() - started;
  const pausedAt = unreachableAt ?? captchaAt;
  if (pausedAt !== undefined) {
    const why = unreachableAt !== undefined ? 'unreachable' : 'captcha';
    const { cooldownMinutes, cooldownMaxMinutes } = config.fetch;
    const next = nextCooldown(cooldownOf(store), pausedAt, cooldownMinutes, cooldownMaxMinutes, why);
    setCooldown(store, next);
    summary.cooldownUntil = next.until;
    const done = summary.fetched + summary.unchanged + summary.deleted + summary.blocked + summary.failed;
    summary.skippedByCooldown = batch.length - done;
    const until = new Date(next.until).toISOString();
    if (why === 'unreachable') {
      summary.unreachable = true;
      const wait = summary.skippedByCooldown + summary.deferred;
      const detail = `fetching skipped, ${wait} URLs wait; next try after ${until}`;
      summary.failures.push({ where: config.fetch.origin, reason: 'WeChat unreachable', detail });
      opts.log.warn(
        { origin: config.fetch.origin, until, waiting: wait },
        `WeChat unreachable: fetching skipped, ${wait} URLs wait`,
      );
    } else {
      const detail = `fetching paused until ${until}`;
      summary.failures.push({ where: config.fetch.origin, reason: 'captcha / rate limit', detail });
      opts.log.warn({ origin: config.fetch.origin, until, level: next.level }, 'captcha page: fetching paused');
    }
  } else {
    setCooldown(store, cooldownAfterSuccess(cooldownOf(store), opts.now()));
  }
  return summary;
}

async function safeParse(parse: LiveFetch['parsePage'], html: string, url: string): Promise<ParsedPage | Error> {
  try {
    return await parse(html, url);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

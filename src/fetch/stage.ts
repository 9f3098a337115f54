/**
 * The live-fetching stage of a build: which URLs are due, fetch them politely, and file what each page is.
 * Only a page that is the article changes stored content; a deleted or blocked page adds a notice beside what is
 * stored; a captcha page stops all fetching for a cool-down; an error changes nothing stored.
 */
import type {
  Config,
  FetchOutcome,
  FetchSummary,
  InputProblem,
  PageFetcher,
  ParsedPage,
  RawArticle,
} from '../types.js';
import type { Logger } from '../log.js';
import type { ArticleStore } from '../store/articles.js';
import type { UrlStore, UrlRow } from '../store/urls.js';
import { readUrlInputs } from '../urls/list.js';
import { cooldownAfterSuccess, dueOrder, isDue, nextCooldown } from './schedule.js';
import { canonicalArticleUrl, parseUrl } from '../wechat/url.js';
import { cleanText, htmlToText, summarise } from '../content/text.js';
import { EMPTY_BODY, htmlBody } from '../content/body.js';

export interface FetchStageOptions {
  offline: boolean;
  refetch: boolean;
  /** Dump files changed this build: look again for dumps that are not the article. */
  dumpsChanged: boolean;
  fetcher: PageFetcher | undefined;
  parsePage: (html: string, url: string) => ParsedPage;
  log: Logger;
  now: () => number;
  signal?: AbortSignal;
}

const NOTICE_STATE: Partial<Record<ParsedPage['state'], RawArticle['state']>> = {
  deleted: 'deleted',
  blocked: 'blocked',
  unavailable: 'blocked',
  migrated: 'migrated',
  expired: 'expired',
};

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

/** A page that is the article → the observation it gives. */
export function pageToArticle(
  page: ParsedPage,
  url: string,
  source: string | null,
  now: number,
): RawArticle | undefined {
  const parsed = parseUrl(url);
  const sn = page.sn ?? parsed?.sn;
  if (!sn) return undefined;
  const biz = page.biz ?? parsed?.biz;
  const mid = page.mid ?? parsed?.mid;
  const idx = page.idx ?? parsed?.idx;
  const canonical =
    biz && mid && idx ? canonicalArticleUrl(biz, mid, idx, sn) : (page.canonical ?? parsed?.canonical ?? url);
  const html = cleanText(page.contentHtml ?? '');
  const text = htmlToText(html);
  return {
    key: `sn:${sn}`,
    id: canonical,
    link: canonical,
    ref: { biz, mid, idx, sn },
    title: cleanText(page.title?.trim() || canonical),
    source: source ?? page.account?.trim() ?? biz ?? 'unsorted',
    author: page.author?.trim() || undefined,
    date: page.publishedAt ?? now,
    datePrecision: 'exact',
    capturedAt: now,
    state: 'full',
    body: htmlBody(html),
    textLength: page.textLength ?? text.length,
    summary: summarise(cleanText(page.description?.trim() || text)),
    cover: page.cover,
  };
}

/** A notice page → an observation that carries only the notice (and what is known of the article). */
function noticeArticle(
  state: RawArticle['state'],
  url: string,
  row: UrlRow,
  page: ParsedPage,
  known: ReturnType<ArticleStore['article']>,
  now: number,
): RawArticle | undefined {
  const parsed = parseUrl(url);
  const key = row.key ?? (page.sn ? `sn:${page.sn}` : undefined) ?? (parsed?.sn ? `sn:${parsed.sn}` : undefined);
  if (!key) return undefined;
  const link = known?.link ?? parsed?.canonical ?? url;
  return {
    key,
    id: known?.id ?? link,
    link,
    ref: { biz: parsed?.biz, mid: parsed?.mid, idx: parsed?.idx, sn: parsed?.sn },
    title: known?.title ?? page.title ?? link,
    source: row.source ?? page.account ?? parsed?.biz ?? 'unsorted',
    date: known?.date ?? now,
    datePrecision: known?.datePrecision ?? 'exact',
    capturedAt: now,
    state,
    body: EMPTY_BODY,
    textLength: 0,
    summary: page.reason ?? state,
  };
}

/** Sync the URL inputs into the store and say which are listed. Problems name the file and line. */
async function syncInputs(
  config: Config,
  urls: UrlStore,
  articles: ArticleStore,
  opts: FetchStageOptions,
  problems: InputProblem[],
): Promise<number> {
  const inputs = await readUrlInputs(config.urls, config.urlFiles);
  problems.push(...inputs.problems);
  const entries = inputs.entries.map((e) => ({
    url: e.parsed.canonical,
    key: e.parsed.sn
      ? articles.resolveKey(`sn:${e.parsed.sn}`)
      : e.parsed.shortToken
        ? articles.resolveKey(`short:${e.parsed.shortToken}`)
        : null,
  }));
  urls.setListed(entries, opts.now());
  // Offline, the dumps' URLs wait for the first build that may fetch (a pass over every observation).
  if (config.fetch.dumps && opts.dumpsChanged && !opts.offline) urls.addDumpUrls(opts.now());
  return new Set(entries.map((e) => e.url)).size;
}

export async function fetchStage(
  config: Config,
  articles: ArticleStore,
  urls: UrlStore,
  opts: FetchStageOptions,
): Promise<FetchSummary> {
  const summary = emptyFetchSummary(opts.offline);
  const problems: InputProblem[] = [];
  summary.listed = await syncInputs(config, urls, articles, opts, problems);
  summary.failures.push(...problems);
  // Offline: nothing will be fetched, so the due list (a pass over every followed URL) is not worth computing.
  if (opts.offline || !opts.fetcher) return summary;
  const now = opts.now();
  const due = urls
    .candidates(config.fetch.dumps)
    .filter((r) => opts.refetch || isDue(r, now, config.fetch.maxAgeDays))
    .sort(dueOrder);
  summary.due = due.length;
  if (due.length === 0) return summary;
  const cooldown = urls.cooldown();
  if (cooldown && cooldown.until > now) {
    summary.skippedByCooldown = due.length;
    summary.cooldownUntil = cooldown.until;
    return summary;
  }
  const batch = due.slice(0, config.fetch.maxPerRun);
  summary.deferred = due.length - batch.length;
  const byUrl = new Map(batch.map((r) => [r.url, r]));
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  let captchaAt: number | undefined;
  const onResult = (r: FetchOutcome): void => {
    const row = byUrl.get(r.url);
    if (!row || captchaAt !== undefined) return;
    const t = opts.now();
    const page = r.kind === 'ok' ? safeParse(opts.parsePage, r.html, r.url) : undefined;
    if (page instanceof Error) {
      summary.failed++;
      summary.failures.push({ where: r.url, reason: 'page parser failure', detail: page.message });
      urls.recordResult(row.url, 'error', `page parser failure: ${page.message}`, true, null, t);
      return;
    }
    if (r.kind === 'captcha' || page?.state === 'captcha') {
      captchaAt = t;
      urls.recordResult(
        row.url,
        'captcha',
        r.kind === 'captcha' ? `redirected to ${r.location}` : 'captcha page',
        true,
        null,
        t,
      );
      stop.abort();
      return;
    }
    if (r.kind === 'error') {
      summary.failed++;
      summary.failures.push({ where: r.url, reason: 'fetch failed', detail: r.reason });
      urls.recordResult(row.url, 'error', r.reason, true, null, t);
      return;
    }
    fileResult(row, page!, t);
  };
  const fileResult = (row: UrlRow, page: ParsedPage, t: number): void => {
    articles.transaction(() => {
      if (page.state === 'ok') {
        const article = pageToArticle(page, row.url, row.source, t);
        if (article && article.textLength === 0 && !/<img\b/.test(page.contentHtml ?? '')) {
          // A page with nothing to read is a broken response, not the article: keep what is stored.
          summary.failed++;
          summary.failures.push({ where: row.url, reason: 'page without article content' });
          urls.recordResult(row.url, 'error', 'page without article content', true, null, t);
          return;
        }
        if (!article) {
          summary.failed++;
          summary.failures.push({
            where: row.url,
            reason: 'page without identity',
            detail: 'no sn in the URL or the page',
          });
          urls.recordResult(row.url, 'error', 'page without identity', true, null, t);
          return;
        }
        const parsed = parseUrl(row.url);
        if (parsed?.shortToken) articles.alias(`short:${parsed.shortToken}`, article.key);
        const before = articles.observation(`page:${article.link}`);
        articles.putObservation(`page:${article.link}`, article, t);
        articles.putObservation(`notice:${row.url}`, undefined, t);
        const same =
          before &&
          before.bodyHash === article.body.hash &&
          before.title === article.title &&
          before.date === article.date;
        if (same) summary.unchanged++;
        else summary.fetched++;
        urls.recordResult(row.url, 'ok', null, false, article.key, t);
        return;
      }
      const state = NOTICE_STATE[page.state] ?? 'blocked';
      const known = row.key ? articles.article(articles.resolveKey(row.key)) : undefined;
      const notice = noticeArticle(state, row.url, row, page, known, t);
      if (notice) articles.putObservation(`notice:${row.url}`, notice, t);
      if (state === 'deleted') summary.deleted++;
      else summary.blocked++;
      urls.recordResult(row.url, page.state, page.reason ?? null, false, notice?.key ?? null, t);
    });
  };
  const started = performance.now();
  await opts.fetcher.fetchAll(
    batch.map((r) => r.url),
    onResult,
    signal,
  );
  summary.elapsedMs = performance.now() - started;
  if (captchaAt !== undefined) {
    const next = nextCooldown(
      urls.cooldown(),
      captchaAt,
      config.fetch.cooldownMinutes,
      config.fetch.cooldownMaxMinutes,
    );
    urls.setCooldown(next);
    summary.cooldownUntil = next.until;
    const handled = summary.fetched + summary.unchanged + summary.deleted + summary.blocked + summary.failed;
    summary.skippedByCooldown = batch.length - handled;
    summary.failures.push({
      where: config.fetch.origin,
      reason: 'captcha / rate limit',
      detail: `fetching paused until ${new Date(next.until).toISOString()}`,
    });
    opts.log.warn(
      { origin: config.fetch.origin, until: new Date(next.until).toISOString(), level: next.level },
      'captcha page: fetching paused',
    );
  } else {
    urls.setCooldown(cooldownAfterSuccess(urls.cooldown(), opts.now()));
  }
  return summary;
}

function safeParse(parse: FetchStageOptions['parsePage'], html: string, url: string): ParsedPage | Error {
  try {
    return parse(html, url);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

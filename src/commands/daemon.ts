/**
 * The daemon: a cycle at start, then on `schedule.cron` (node-cron); never two cycles at once; the config re-read
 * before each cycle when it changed (an invalid one is reported and the previous stays in force); the feed server
 * alongside; SIGINT/SIGTERM stop scheduling, abort the running cycle at a safe point, and exit.
 *
 * Each problem of the inputs (a dump that cannot be read, a bad line in a URL file, a failed fetch) is logged with
 * its path and reason once, when it first appears, not on every cycle while it persists; the current ones are in
 * /healthz for the token holder. Anyone else sees the state and counts only (`Health.summary`, `publicCycle`).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { schedule as cronSchedule, type ScheduledTask } from 'node-cron';
import type { AlbumStatus, BuildSummary, Config, InputProblem, LiveFetch, PaceStatus } from '../types.js';
import type { Logger } from '../log.js';
import { ConfigError, loadConfig } from '../config.js';
import { build } from '../stages/cycle.js';
import { createApp, listen, type Health } from '../server/app.js';
import { imageProxyRoute } from '../server/image-proxy.js';
import { apiRoute } from '../server/api.js';
import { addUrls } from './add.js';
import { closeStore, openStore } from '../store/db.js';
import { MetaTable } from '../store/meta.js';
import { imageSecret } from '../store/secret.js';

export interface CycleRecord {
  start: string;
  end?: string;
  result: 'running' | 'ok' | 'failed' | 'stopped';
  error?: string;
  summary?: Omit<BuildSummary, 'problems' | 'filesWritten'> & { problems: number; filesWritten: number };
}

export interface DaemonOptions {
  configPath: string | undefined;
  log: Logger;
  /** Live-fetch dependencies for a config (the CLI wires the real fetcher and page parser). */
  live: (config: Config) => LiveFetch | undefined;
}

export interface Daemon {
  /** Resolves when the daemon has stopped. */
  stopped: Promise<void>;
  stop(reason: string): Promise<void>;
  /** Start a cycle now; false when one is running. */
  runNow(): boolean;
  address(): { host: string; port: number } | undefined;
  health(): Health;
}

const CACHE_ERROR = 'image cache error: images are served without the cache';

function fileHash(path: string | undefined): string | undefined {
  if (!path) return undefined;
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return undefined;
  }
}

function brief(s: BuildSummary): CycleRecord['summary'] {
  const { feeds: _feeds, albums: _albums, pace: _pace, ...rest } = s;
  return { ...rest, problems: s.problems.length, filesWritten: s.filesWritten.length };
}

/** The problems of a finished cycle: of the inputs, and of the URL lists and fetches. */
function problemsOf(s: BuildSummary): InputProblem[] {
  return [...s.problems, ...(s.fetch?.failures ?? [])];
}

const problemKey = (p: InputProblem): string => `${p.where}\u0000${p.reason}`;

/** A cycle as anyone may see it: its times, result and counts (no error text, no path, no URL). */
function publicCycle(r: CycleRecord) {
  const s = r.summary;
  const f = s?.fetch;
  const fetch = f && {
    offline: f.offline,
    listed: f.listed,
    due: f.due,
    fetched: f.fetched,
    unchanged: f.unchanged,
    deleted: f.deleted,
    blocked: f.blocked,
    failed: f.failed,
    skippedByCooldown: f.skippedByCooldown,
    deferred: f.deferred,
  };
  const a = f?.albums;
  const albums = a && {
    active: a.active,
    due: a.due,
    polled: a.polled,
    failed: a.failed,
    blocked: a.blocked,
    newItems: a.newItems,
    discovered: a.discovered,
  };
  const summary = s && {
    filesSeen: s.filesSeen,
    filesRead: s.filesRead,
    filesUnchanged: s.filesUnchanged,
    filesRemoved: s.filesRemoved,
    problems: s.problems,
    articles: s.articles,
    duplicatesMerged: s.duplicatesMerged,
    sources: s.sources,
    feedsWritten: s.feedsWritten,
    feedsUnchanged: s.feedsUnchanged,
    filesWritten: s.filesWritten,
    elapsedMs: Math.round(s.elapsedMs),
    ...(fetch ? { fetch: { ...fetch, ...(albums ? { albums } : {}) } } : {}),
  };
  return { start: r.start, ...(r.end ? { end: r.end } : {}), result: r.result, ...(summary ? { summary } : {}) };
}

/**
 * Each followed album or homepage as anyone may see it: its feed, title, articles known, last poll time and result
 * (no reason), next poll, since when its polls fail and whether it is probably deleted (not the command: its URL is
 * the token holder's).
 */
function publicAlbums(albums: AlbumStatus[]) {
  return albums
    .filter((a) => a.followed)
    .map((a) => ({
      slug: a.slug,
      ...(a.kind === 'homepage' ? { kind: a.kind } : {}),
      ...(a.title ? { title: a.title } : {}),
      ...(a.account ? { account: a.account } : {}),
      items: a.items,
      ...(a.lastPoll ? { lastPoll: { at: a.lastPoll.at, result: a.lastPoll.result } } : {}),
      ...(a.nextPoll ? { nextPoll: a.nextPoll.at } : {}),
      ...(a.failing ? { failing: a.failing } : {}),
      ...(a.probablyDeleted ? { probablyDeleted: true } : {}),
    }));
}

/**
 * The image proxy (in proxy mode) and the admin API (with a token), for the server. Image cache failures go to `log`
 * (once, until the cache works again), or to a process warning without one.
 */
export function serverRoutes(config: Config, refresh: () => boolean, log?: Logger) {
  const basePath = new URL(config.baseUrl).pathname.replace(/\/?$/, '/');
  const routes = [];
  if (config.images === 'proxy') {
    let secret = config.imageProxy.secret;
    if (!secret) {
      const db = openStore(config.store);
      try {
        secret = imageSecret(new MetaTable(db));
      } finally {
        closeStore(db, true);
      }
    }
    const onCacheError = (error: Error): void => {
      if (log) log.warn({ cacheDir: config.imageProxy.cacheDir, error: error.message }, CACHE_ERROR);
      else process.emitWarning(`${CACHE_ERROR}: ${error.message}`);
    };
    routes.push(imageProxyRoute({ ...config.imageProxy, basePath, secret, onCacheError }));
  }
  if (config.server.token) {
    routes.push(apiRoute({ basePath, token: config.server.token, addUrls: (urls) => addUrls(config, urls), refresh }));
  }
  return routes;
}

export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  const { log } = opts;
  let config = loadConfig(opts.configPath);
  let configHash = fileHash(config.file);
  let running: Promise<void> | undefined;
  let abort = new AbortController();
  let last: CycleRecord | undefined;
  let feeds: BuildSummary['feeds'] = [];
  let albums: AlbumStatus[] = [];
  /** The request pace and cool-down after the last finished cycle: numbers and times, shown to anyone. */
  let pace: PaceStatus | undefined;
  /** The problems of the last finished cycle, by where and reason. */
  let problems = new Map<string, InputProblem>();
  let current: CycleRecord | undefined;
  let stopping = false;
  let task: ScheduledTask | undefined;
  let server: Server | undefined;
  let bound: { host: string; port: number } | undefined;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));

  const health = (): Health => {
    const ok = last?.result !== 'failed';
    const now = [...problems.values()].sort(
      (a, b) => a.where.localeCompare(b.where) || a.reason.localeCompare(b.reason),
    );
    return {
      ok,
      summary: {
        ok,
        running: current !== undefined,
        lastCycle: last ? publicCycle(last) : null,
        feeds: feeds?.length ?? 0,
        problems: now.length,
        ...(albums.length > 0 ? { albums: publicAlbums(albums) } : {}),
        ...(pace ? { pace } : {}),
      },
      body: {
        ok,
        running: current !== undefined,
        current,
        lastCycle: last ?? null,
        config: config.file ?? null,
        schedule: config.schedule,
        sources: feeds,
        ...(albums.length > 0 ? { albums } : {}),
        ...(pace ? { pace } : {}),
        problems: now,
      },
    };
  };

  /** Log the problems that were not there after the previous cycle (and those gone since); keep the new set. */
  function noteProblems(found: InputProblem[]): void {
    const next = new Map(found.map((p) => [problemKey(p), p]));
    for (const [key, p] of next)
      if (!problems.has(key))
        log.warn({ where: p.where, reason: p.reason, ...(p.detail ? { detail: p.detail } : {}) }, 'problem');
    for (const [key, p] of problems) if (!next.has(key)) log.info({ where: p.where, reason: p.reason }, 'problem gone');
    problems = next;
  }

  /** Re-read the config if its file changed; keep the previous one when the new one is invalid. */
  function reload(): void {
    const hash = fileHash(config.file);
    if (!config.file || hash === configHash) return;
    configHash = hash;
    try {
      const next = loadConfig(opts.configPath);
      const rescheduled =
        next.schedule.cron !== config.schedule.cron || next.schedule.timezone !== config.schedule.timezone;
      config = next;
      log.info({ config: config.file }, 'config reloaded');
      if (rescheduled) schedule();
    } catch (error) {
      const message = error instanceof ConfigError ? error.message : (error as Error).message;
      log.error({ config: config.file, error: message }, 'config invalid: the previous config stays in force');
    }
  }

  function cycle(reason: string): boolean {
    if (stopping) return false;
    if (running) {
      log.info({ reason }, 'tick skipped: a cycle is still running');
      return false;
    }
    reload();
    abort = new AbortController();
    const record: CycleRecord = { start: new Date().toISOString(), result: 'running' };
    current = record;
    running = (async () => {
      try {
        const live = opts.live(config);
        // A refresh asked for (POST /api/refresh) polls every list and reads every followed URL now, as
        // `build --refetch` does, within the same budgets; the schedule's cycles follow the activity schedule.
        if (live && reason === 'api') live.refetch = true;
        const summary = await build(config, { log, signal: abort.signal, live });
        record.result = 'ok';
        record.summary = brief(summary);
        feeds = summary.feeds ?? [];
        albums = summary.albums ?? [];
        pace = summary.pace;
        noteProblems(problemsOf(summary));
        const f = summary.fetch;
        log.info(
          {
            reason,
            ms: Math.round(summary.elapsedMs),
            read: summary.filesRead,
            articles: summary.articles,
            feedsWritten: summary.feedsWritten,
            problems: summary.problems.length,
            ...(f ? { fetched: f.fetched, failed: f.failed, cooldown: f.skippedByCooldown } : {}),
          },
          'cycle done',
        );
      } catch (error) {
        record.result = abort.signal.aborted ? 'stopped' : 'failed';
        record.error = (error as Error).message.split('\n')[0];
        if (record.result === 'failed') log.error({ reason, error: record.error }, 'cycle failed');
        else log.info({ reason }, 'cycle stopped');
      } finally {
        record.end = new Date().toISOString();
        last = record;
        current = undefined;
        running = undefined;
      }
    })();
    return true;
  }

  function schedule(): void {
    void task?.destroy();
    task = cronSchedule(config.schedule.cron, () => void cycle('schedule'), {
      timezone: config.schedule.timezone,
      name: 'wxfeed-cycle',
    });
    log.info({ cron: config.schedule.cron, timezone: config.schedule.timezone }, 'scheduled');
  }

  async function stop(reason: string): Promise<void> {
    if (stopping) return stopped;
    stopping = true;
    log.info({ reason }, 'stopping');
    await task?.destroy();
    abort.abort();
    const inFlight = running;
    if (inFlight) await Promise.race([inFlight, new Promise((r) => setTimeout(r, 8000).unref())]);
    if (server)
      await new Promise<void>((r) => {
        server!.close(() => r());
        server!.closeAllConnections();
      });
    log.info('stopped');
    resolveStopped();
    return stopped;
  }

  if (config.server.enabled) {
    server = createApp({
      output: config.output,
      baseUrl: config.baseUrl,
      health,
      token: config.server.token,
      routes: serverRoutes(config, () => cycle('api'), log),
    });
    const addr = await listen(server, config.server.host, config.server.port);
    bound = { host: addr.address, port: addr.port };
    log.info({ url: `http://${addr.address}:${addr.port}/` }, 'serving feeds');
  }
  schedule();
  cycle('start');
  return { stopped, stop, runNow: () => cycle('request'), address: () => bound, health };
}

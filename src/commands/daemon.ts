/**
 * The daemon: a cycle at start, then on `schedule.cron`, never two at once, the config re-read when it changed (an
 * invalid one leaves the previous in force); the feed server alongside. Each problem is logged once, when it appears;
 * /healthz lists the current ones to the token holder, and only the state and counts to anyone else.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { schedule as cronSchedule, type ScheduledTask } from 'node-cron';
import type { Config, InputProblem } from '../types.js';
import type { PaceStatus } from '../catalog/status.js';
import type { LiveFetch } from '../fetch/fetcher.js';
import type { AlbumStatus } from '../fetch/follow.js';
import type { BuildSummary } from '../stages/summary.js';
import type { Logger } from '../log.js';
import { ConfigError, loadConfig, type Overrides } from '../config.js';
import { build } from '../stages/cycle.js';
import { createApp, listen, type Health, type Route } from '../server/app.js';
import { imageProxyRoute } from '../server/image-proxy.js';
import { apiRoute, type Cycles, type ManageOps } from '../server/api.js';
import { follows } from '../server/follows.js';
import { addUrls } from './add.js';
import { listFollowed } from './list.js';
import { resumeFetching } from './resume.js';
import { unfollowAccount, unfollowAlbums, unfollowUrl } from './unfollow.js';
import { closeTeller, newTeller, type Teller, tellAfterCycle } from './alerts.js';
import { closeStore, openStore } from '../store/db.js';
import { MetaTable } from '../store/meta.js';
import { imageSecret } from '../store/secret.js';

interface CycleRecord {
  start: string;
  end?: string;
  result: 'running' | 'ok' | 'failed' | 'stopped';
  error?: string;
  summary?: Omit<BuildSummary, 'problems' | 'filesWritten'> & { problems: number; filesWritten: number };
}

export interface DaemonOptions {
  configPath: string | undefined;
  /** The command line's settings over the config file's (`--port`), kept across reloads. */
  overrides?: Overrides;
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
 * Each followed album or homepage as anyone may see it: no poll's reason, and whether it is probably deleted but not
 * the command to unfollow it (its URL is the token holder's).
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

/** The work of the management API, on the config in force when each request comes. */
function manageOps(config: () => Config): ManageOps {
  return {
    follows: async (cycle) => follows(config(), await listFollowed(config()), cycle),
    add: (urls) => addUrls(config(), urls),
    unfollowAlbum: async (id) => {
      const r = await unfollowAlbums(config(), [id]);
      return { ...r, ok: r.refused === 0, ...(r.refused > 0 ? { reason: r.lines[0] } : {}) };
    },
    unfollowUrl: (url) => unfollowUrl(config(), url),
    unfollowAccount: (target, remove) => unfollowAccount(config(), target, { remove }),
    resume: async () => resumeFetching(config()).resumed,
  };
}

/**
 * The image proxy (in proxy mode) and the management API (it answers while `server.token` is set), for the server.
 * `cycles`: the daemon's, or a function that starts a cycle now (false: none starts); `current`: the config in force
 * (the daemon reloads it). Image cache failures go to `log` (once, until the cache works again), or to a process
 * warning without one.
 */
export function serverRoutes(
  config: Config,
  cycles?: Cycles | (() => boolean),
  opts: { log?: Logger | undefined; current?: () => Config } = {},
): Route[] {
  const { log } = opts;
  const basePath = new URL(config.baseUrl).pathname.replace(/\/?$/, '/');
  const routes: Route[] = [];
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
    // Tests only: a local server stands in for WeChat's image hosts.
    const upstream = process.env.WXFEED_IMAGE_UPSTREAM || undefined;
    routes.push(imageProxyRoute({ ...config.imageProxy, basePath, secret, onCacheError, upstream }));
  }
  const start = typeof cycles === 'function' ? cycles : undefined;
  const given: Cycles | undefined = start
    ? { request: () => (start() ? 'started' : 'none'), state: () => ({ running: false }) }
    : (cycles as Cycles | undefined);
  const current = opts.current ?? (() => config);
  routes.push(apiRoute({ ops: manageOps(current), cycles: given, token: () => current().server.token }));
  return routes;
}

/**
 * The daemon's cycles as the API asks for them: one now, or one after the running one (a refresh asked for wins over
 * an add's: it reads more).
 */
function cyclesOf(d: DaemonState): Cycles {
  return {
    request: (why) => {
      if (d.stopping) return 'none';
      const reason = why === 'refresh' ? 'api' : 'added';
      if (!d.running && startCycle(d, reason)) return 'started';
      d.queued = d.queued === 'api' ? 'api' : reason;
      return 'queued';
    },
    state: () => ({ running: d.current !== undefined, ...(d.last?.end ? { lastEnded: d.last.end } : {}) }),
  };
}

/** What the daemon keeps between cycles, and what stops it. */
interface DaemonState {
  readonly opts: DaemonOptions;
  config: Config;
  /** The config file's hash when it was last read: it is read again only when that changes. */
  configHash: string | undefined;
  /** The cycle running now and its record; undefined between cycles. */
  running: Promise<void> | undefined;
  /** A cycle the API asked for while one ran, by its reason: started when that one ends. */
  queued: 'api' | 'added' | undefined;
  current: CycleRecord | undefined;
  abort: AbortController;
  last: CycleRecord | undefined;
  feeds: BuildSummary['feeds'];
  albums: AlbumStatus[];
  /** The request pace and cool-down after the last finished cycle: numbers and times, shown to anyone. */
  pace: PaceStatus | undefined;
  /** The problems of the last finished cycle, by where and reason. */
  problems: Map<string, InputProblem>;
  /** The alerts and WebSub pings sent after each cycle, in the background. */
  teller: Teller;
  stopping: boolean;
  task: ScheduledTask | undefined;
  server: Server | undefined;
  bound: { host: string; port: number } | undefined;
  stopped: Promise<void>;
  resolveStopped: () => void;
}

/** Start the daemon: the server when enabled, the schedule, and a first cycle now. */
export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  const d = initialState(opts);
  if (d.config.server.enabled) await serve(d);
  schedule(d);
  startCycle(d, 'start');
  return {
    stopped: d.stopped,
    stop: (reason) => stop(d, reason),
    runNow: () => startCycle(d, 'request'),
    address: () => d.bound,
    health: () => healthOf(d),
  };
}

/** The config read, no cycle run yet. */
function initialState(opts: DaemonOptions): DaemonState {
  const config = loadConfig(opts.configPath, opts.overrides);
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  return {
    opts,
    config,
    configHash: fileHash(config.file),
    running: undefined,
    queued: undefined,
    current: undefined,
    abort: new AbortController(),
    last: undefined,
    feeds: [],
    albums: [],
    pace: undefined,
    problems: new Map(),
    teller: newTeller(opts.log),
    stopping: false,
    task: undefined,
    server: undefined,
    bound: undefined,
    stopped,
    resolveStopped,
  };
}

/** /healthz: counts and times for anyone (`summary`), the whole state for the token holder (`body`). */
function healthOf(d: DaemonState): Health {
  const { last, current, feeds, albums, pace, config } = d;
  const ok = last?.result !== 'failed';
  const now = [...d.problems.values()].sort(
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
}

/** Log the problems that were not there after the previous cycle (and those gone since); keep the new set. */
function noteProblems(d: DaemonState, found: InputProblem[]): void {
  const { log } = d.opts;
  const next = new Map(found.map((p) => [problemKey(p), p]));
  for (const [key, p] of next)
    if (!d.problems.has(key))
      log.warn({ where: p.where, reason: p.reason, ...(p.detail ? { detail: p.detail } : {}) }, 'problem');
  for (const [key, p] of d.problems) if (!next.has(key)) log.info({ where: p.where, reason: p.reason }, 'problem gone');
  d.problems = next;
}

/** Re-read the config if its file changed; keep the previous one when the new one is invalid. */
function reload(d: DaemonState): void {
  const { log } = d.opts;
  const hash = fileHash(d.config.file);
  if (!d.config.file || hash === d.configHash) return;
  d.configHash = hash;
  try {
    const next = loadConfig(d.opts.configPath, d.opts.overrides);
    const rescheduled =
      next.schedule.cron !== d.config.schedule.cron || next.schedule.timezone !== d.config.schedule.timezone;
    d.config = next;
    log.info({ config: d.config.file }, 'config reloaded');
    if (rescheduled) schedule(d);
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : (error as Error).message;
    log.error({ config: d.config.file, error: message }, 'config invalid: the previous config stays in force');
  }
}

/** Start a cycle, with the config re-read if it changed; false when stopping or while a cycle runs. */
function startCycle(d: DaemonState, reason: string): boolean {
  if (d.stopping) return false;
  if (d.running) {
    d.opts.log.info({ reason }, 'tick skipped: a cycle is still running');
    return false;
  }
  reload(d);
  d.abort = new AbortController();
  const record: CycleRecord = { start: new Date().toISOString(), result: 'running' };
  d.current = record;
  d.running = runCycle(d, record, reason);
  return true;
}

/** One build, its outcome written into `record`: it never throws (a failure or a stop is the record's result). */
async function runCycle(d: DaemonState, record: CycleRecord, reason: string): Promise<void> {
  const { log } = d.opts;
  try {
    const live = d.opts.live(d.config);
    // A refresh asked for (POST /api/refresh) polls every list and reads every followed URL now, as
    // `build --refetch` does, within the same budgets; the schedule's cycles follow the activity schedule.
    if (live && reason === 'api') live.refetch = true;
    const summary = await build(d.config, { log, signal: d.abort.signal, live });
    record.result = 'ok';
    record.summary = brief(summary);
    d.feeds = summary.feeds ?? [];
    d.albums = summary.albums ?? [];
    d.pace = summary.pace;
    noteProblems(d, problemsOf(summary));
    logCycleDone(log, reason, summary);
    tellAfterCycle(d.teller, d.config, { now: Date.now(), summary });
  } catch (error) {
    record.result = d.abort.signal.aborted ? 'stopped' : 'failed';
    record.error = (error as Error).message.split('\n')[0];
    if (record.result === 'failed') log.error({ reason, error: record.error }, 'cycle failed');
    else log.info({ reason }, 'cycle stopped');
    if (record.result === 'failed')
      tellAfterCycle(d.teller, d.config, { now: Date.now(), error: record.error ?? 'failed' });
  } finally {
    record.end = new Date().toISOString();
    d.last = record;
    d.current = undefined;
    d.running = undefined;
    const queued = d.queued;
    d.queued = undefined;
    // Started once this cycle's promise is settled, so that the daemon's record of the running cycle is the new one.
    if (queued) void Promise.resolve().then(() => startCycle(d, queued));
  }
}

function logCycleDone(log: Logger, reason: string, summary: BuildSummary): void {
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
}

/** Run cycles on the config's cron (in place of any schedule before). */
function schedule(d: DaemonState): void {
  const { cron, timezone } = d.config.schedule;
  void d.task?.destroy();
  d.task = cronSchedule(cron, () => void startCycle(d, 'schedule'), { timezone, name: 'wxfeed-cycle' });
  d.opts.log.info({ cron, timezone }, 'scheduled');
}

/** Stop scheduling, abort the running cycle (waiting for it a while), close the server; once. */
async function stop(d: DaemonState, reason: string): Promise<void> {
  const { log } = d.opts;
  if (d.stopping) return d.stopped;
  d.stopping = true;
  log.info({ reason }, 'stopping');
  await d.task?.destroy();
  d.abort.abort();
  const inFlight = d.running;
  if (inFlight) await Promise.race([inFlight, new Promise((r) => setTimeout(r, 8000).unref())]);
  const { server } = d;
  if (server)
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  await closeTeller(d.teller, 2000);
  log.info('stopped');
  d.resolveStopped();
  return d.stopped;
}

/** Serve output/ (with the image proxy and the API), and note the address it listens on. */
async function serve(d: DaemonState): Promise<void> {
  const { config } = d;
  // The config of each request, reloaded first if its file changed: a new token signs every session out.
  const current = (): Config => {
    reload(d);
    return d.config;
  };
  d.server = createApp({
    output: config.output,
    baseUrl: config.baseUrl,
    health: () => healthOf(d),
    token: () => current().server.token,
    routes: serverRoutes(config, cyclesOf(d), { log: d.opts.log, current }),
  });
  const addr = await listen(d.server, config.server.host, config.server.port);
  d.bound = { host: addr.address, port: addr.port };
  d.opts.log.info({ url: `http://${addr.address}:${addr.port}/` }, 'serving feeds');
}

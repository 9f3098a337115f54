/**
 * A simulated stretch of hours against WeChat's wall (issue 20 item 3): the loopback album server refusing past N
 * requests a minute of a simulated clock, and builds every `cycleMinutes` (as the daemon's cron runs them; a tick
 * that finds a build still running is skipped) over `hours`, with the page client paced on the same clock. Nothing
 * waits for real time: the client's sleeps move the simulated clock on. Counts what the wall refused and what was
 * fetched.
 *
 * The modules are passed in, so that the same simulation runs the code of this tree (test/fetch/pace-sim.test.ts)
 * and, from the bench, the code of another (bench/pace-sim.ts: the commit before adaptive pacing).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../src/types.js';
import type { LiveFetch, PageFetcher } from '../../src/fetch/fetcher.js';
import { type AlbumServer, startAlbumServer } from './album-server.js';

/** What the simulation needs of a wxfeed tree (`src/`), typed loosely: an older tree's types differ. */
export interface SimModules {
  build: (config: never, opts: never) => Promise<{ fetch?: { fetched: number; cooldownUntil?: number } }>;
  resolveConfig: (input: unknown, file: string, dir: string) => unknown;
  liveFor: (config: never, flags: { offline: boolean; refetch: boolean }) => unknown;
  PageClient: new (settings: never, clock: never) => unknown;
  silentLogger: unknown;
}

/** The same modules as the simulation calls them (another tree's types may differ: the calls are the contract). */
interface Called {
  build(config: Config, opts: object): Promise<{ fetch?: { fetched: number } }>;
  resolveConfig(input: unknown, file: string, dir: string): Config;
  liveFor(config: Config, flags: { offline: boolean; refetch: boolean }): LiveFetch;
  PageClient: new (settings: Config['fetch'], clock: object) => PageFetcher;
  silentLogger: unknown;
}

export interface SimOptions {
  /** A fresh folder for the store and output. */
  dir: string;
  hours: number;
  cycleMinutes: number;
  /** The wall: requests a minute before WeChat refuses. */
  perMinute: number;
  /** Article URLs followed (all due at the start). */
  urls: number;
  /** `fetch.maxPerRun`. */
  maxPerRun: number;
  /** False: the client ignores the pace the stage asks for (the rate stays the configured one). */
  adaptive: boolean;
}

export interface SimResult {
  /** Requests the wall refused. */
  refused: number;
  /** Requests that reached WeChat (refused ones included). */
  requests: number;
  /** Article pages fetched and filed. */
  fetched: number;
  builds: number;
}

const MIN = 60_000;

/** A clock that moves only when the client sleeps: to the end of the longest sleep asked for. */
function simulatedClock() {
  let now = 0;
  return {
    now: () => now,
    set: (t: number) => {
      now = Math.max(now, t);
    },
    sleep: async (ms: number, signal?: AbortSignal): Promise<void> => {
      signal?.throwIfAborted();
      // The pacer reads the clock and sleeps at once: the next caller sees the clock moved on.
      now += Math.max(0, ms);
      await new Promise<void>((r) => setImmediate(r));
      signal?.throwIfAborted();
    },
  };
}

export async function simulateWall(modules: SimModules, o: SimOptions): Promise<SimResult> {
  const mods = modules as unknown as Called;
  const perAlbum = 60;
  const srv: AlbumServer = await startAlbumServer({ albums: Math.ceil(o.urls / perAlbum), articles: perAlbum });
  const clock = simulatedClock();
  const epoch = Date.UTC(2025, 0, 1);
  srv.faults.rateLimit = { perMinute: o.perMinute, clock: clock.now, refused: 0 };
  try {
    const urls = srv.albums.flatMap((al) => al.articles.map((a) => srv.articleUrl(a))).slice(0, o.urls);
    mkdirSync(join(o.dir, 'dumps'), { recursive: true });
    writeFileSync(join(o.dir, 'urls.txt'), `${urls.join('\n')}\n`);
    const config = mods.resolveConfig(
      {
        dumps: ['dumps'],
        output: 'out',
        store: 'data/wxfeed.db',
        urlFiles: ['urls.txt'],
        follow: { albums: 'off' },
        fetch: {
          origin: srv.origin,
          delayMs: 1500,
          concurrency: 2,
          retries: 0,
          cooldownMinutes: 15,
          cooldownMaxMinutes: 360,
          maxPerRun: o.maxPerRun,
          maxAgeDays: 0,
        },
      },
      join(o.dir, 'wxfeed.yaml'),
      o.dir,
    );
    const client = new mods.PageClient(config.fetch, clock);
    if (!o.adaptive) client.setPace = () => {};
    let fetched = 0;
    let builds = 0;
    for (let tick = 0; tick < o.hours * 60; tick += o.cycleMinutes) {
      // The daemon skips a tick that finds a build running.
      if (clock.now() > tick * MIN) continue;
      clock.set(tick * MIN);
      const live = mods.liveFor(config, { offline: false, refetch: false });
      live.fetcher = client;
      try {
        const s = await mods.build(config, { log: mods.silentLogger, now: () => epoch + clock.now(), live });
        fetched += s.fetch?.fetched ?? 0;
        builds++;
      } finally {
        await live.close();
      }
    }
    return { refused: srv.faults.rateLimit.refused, requests: srv.requests.length, fetched, builds };
  } finally {
    await srv.close();
  }
}

/**
 * What the end-to-end tests of following share: a temporary folder per test (an empty dumps folder in it), a
 * loopback stand-in the test starts (`f.srv`), a clock the test moves (`f.now`, from 2025-01-01: the stand-in's
 * newest articles are a day old then), a config pointed at the stand-in with no delay between requests, and a build
 * with live fetching at that clock.
 */
import { afterEach, beforeEach } from 'vitest';
import { join } from 'node:path';
import { build } from '../../src/stages/cycle.js';
import { resolveConfig } from '../../src/config.js';
import { liveFor } from '../../src/commands/live.js';
import { silentLogger } from './log.js';
import type { Config } from '../../src/types.js';
import type { BuildSummary } from '../../src/stages/summary.js';
import type { AlbumServer } from './album-server.js';
import { tempDir, writeFile } from './tmp.js';

interface FollowingConfig {
  urls?: string[];
  urlFiles?: string[];
  fetch?: object;
  follow?: object;
}

export interface Following {
  /** The test's folder (config, store, output, URL files). */
  readonly dir: string;
  /** The stand-in of this test: closed after it. */
  srv: AlbumServer;
  /** The clock of the builds (epoch ms). */
  now: number;
  /** A config in the test's folder: `fetch.origin` the stand-in, no delay, no retries. */
  config(c?: FollowingConfig): Config;
  run(config: Config, opts?: { refetch?: boolean }): Promise<BuildSummary>;
}

/** Register the per-test folder and stand-in; call at the top of a test file. */
export function useFollowing(start = Date.UTC(2025, 0, 1)): Following {
  let t: { dir: string; cleanup: () => void } | undefined;
  const f: Following = {
    get dir() {
      return t!.dir;
    },
    srv: undefined as unknown as AlbumServer,
    now: start,
    config: (c = {}) =>
      resolveConfig(
        {
          dumps: ['dumps'],
          output: 'out',
          store: 'data/wxfeed.db',
          urlFiles: c.urlFiles ?? [],
          urls: c.urls ?? [],
          fetch: { origin: f.srv.origin, delayMs: 0, retries: 0, timeoutMs: 5000, ...c.fetch },
          ...(c.follow ? { follow: c.follow } : {}),
        },
        join(t!.dir, 'wxfeed.yaml'),
        t!.dir,
      ),
    run: (config, opts = {}) =>
      build(config, {
        log: silentLogger,
        now: () => f.now,
        live: liveFor(config, { offline: false, refetch: opts.refetch ?? false }),
      }),
  };
  beforeEach(() => {
    t = tempDir();
    writeFile(join(t.dir, 'dumps/.keep.md'), '');
    f.now = start;
  });
  afterEach(async () => {
    await f.srv?.close();
    f.srv = undefined as unknown as AlbumServer;
    t?.cleanup();
  });
  return f;
}

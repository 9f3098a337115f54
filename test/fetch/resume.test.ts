/**
 * Ending a cool-down on purpose: the pure step (fetch/pace.ts resumePace) and `wxfeed resume` over a real store
 * (commands/resume.ts), then a build that fetches at once from a loopback stand-in.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { resolveConfig } from '../../src/config.js';
import { type PaceState, paceNow, paceOnBlock, parsePaceState, resumePace } from '../../src/fetch/pace.js';
import { resumeFetching } from '../../src/commands/resume.js';
import { closeStore, openStore } from '../../src/store/db.js';
import { MetaTable } from '../../src/store/meta.js';
import type { Config } from '../../src/types.js';
import { tempDir } from '../helpers/tmp.js';

const MIN = 60_000;
const T = Date.UTC(2026, 11, 6, 2, 0);
const settings = { cooldownMinutes: 15, cooldownMaxMinutes: 360 };

describe('resumePace', () => {
  it('ends the cool-down now; the pace stays slowed and recovers from now; a block within the hour doubles the next', () => {
    const blocked = paceOnBlock(undefined, T, { ...settings, reason: 'captcha' });
    expect(paceNow(blocked, T + 5 * MIN, 1000).cooldown).toBeDefined();
    const resumed = resumePace(blocked, T + 5 * MIN)!;
    expect(resumed.cooldown).toEqual({ until: T + 5 * MIN, level: 1, reason: 'captcha', minutes: 15 });
    expect(resumed.multiplierAt).toBe(T + 5 * MIN);
    const pace = paceNow(resumed, T + 5 * MIN, 1000);
    expect(pace.cooldown).toBeUndefined();
    expect(pace.multiplier).toBe(2);
    // Without the resume, the slowed pace would begin to recover only at the cool-down's planned end.
    expect(paceNow(resumed, T + 15 * MIN, 1000).multiplier).toBeLessThan(
      paceNow(blocked, T + 15 * MIN, 1000).multiplier,
    );
    const again = paceOnBlock(resumed, T + 20 * MIN, { ...settings, reason: 'captcha' });
    expect(again.cooldown).toMatchObject({ level: 2, minutes: 30 });
  });

  it('changes nothing when no cool-down is in force', () => {
    expect(resumePace(undefined, T)).toBeUndefined();
    const over: PaceState = {
      cooldown: { until: T - 1, level: 1, reason: 'refused', minutes: 15 },
      multiplier: 2,
      multiplierAt: T - 1,
    };
    expect(resumePace(over, T)).toBe(over);
    const slowed: PaceState = { multiplier: 4, multiplierAt: T - MIN };
    expect(resumePace(slowed, T)).toBe(slowed);
  });
});

describe('wxfeed resume', () => {
  let t: { dir: string; cleanup: () => void };
  let config: Config;
  let server: Server;
  let hits: string[];

  beforeEach(async () => {
    t = tempDir();
    hits = [];
    // A WeChat stand-in: one article page for every request.
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html><body>not a WeChat page</body></html>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeFileSync(
      join(t.dir, 'urls.txt'),
      `https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=1&idx=1&sn=${'b'.repeat(32)}\n`,
    );
    config = resolveConfig(
      {
        dumps: [],
        output: 'out',
        store: 'data/wxfeed.db',
        urlFiles: ['urls.txt'],
        fetch: { origin, delayMs: 0, retries: 0 },
      },
      join(t.dir, 'wxfeed.yaml'),
      t.dir,
    );
  });
  afterEach(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    t.cleanup();
  });

  function stored(): { pace: PaceState | undefined; legacy: string | undefined } {
    const db = openStore(config.store);
    try {
      const meta = new MetaTable(db);
      return { pace: parsePaceState(meta.pace.get()), legacy: meta.legacyCooldown.get() };
    } finally {
      closeStore(db, true);
    }
  }

  it('ends a stored cool-down (and an older wxfeed one) so the next build fetches at once', async () => {
    expect(resumeFetching(config, T).line).toBe('no cool-down in force (no store yet)');
    const now = Date.now();
    const db = openStore(config.store);
    const meta = new MetaTable(db);
    meta.pace.set(JSON.stringify(paceOnBlock(undefined, now - MIN, { ...settings, reason: 'refused' })));
    meta.legacyCooldown.set(JSON.stringify({ until: now + 60 * MIN, level: 1 }));
    closeStore(db, true);

    const { build } = await import('../../src/stages/cycle.js');
    const { liveFor } = await import('../../src/commands/live.js');
    const { silentLogger } = await import('../helpers/log.js');
    const paused = await build(config, { log: silentLogger, live: liveFor(config, { offline: false, refetch: true }) });
    expect(paused.fetch?.skippedByCooldown).toBe(1);
    expect(hits).toEqual([]);

    const r = resumeFetching(config, now);
    expect(r.resumed).toBe(true);
    expect(r.cooldown).toEqual({ until: expect.stringMatching(/\+08:00$/), reason: 'refused', level: 1 });
    expect(r.multiplier).toBe(2);
    expect(r.line).toMatch(/^cool-down ended \(it ran until .*\+08:00, refused\): the next build fetches at once/);
    expect(stored().pace?.cooldown?.until).toBe(now);
    expect(stored().legacy).toBeUndefined();
    expect(resumeFetching(config, now + 1).resumed).toBe(false);

    const after = await build(config, { log: silentLogger, live: liveFor(config, { offline: false, refetch: true }) });
    expect(after.fetch?.skippedByCooldown).toBe(0);
    expect(hits.length).toBeGreaterThan(0);
  });
});

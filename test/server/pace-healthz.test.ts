/**
 * /healthz reports the request pace and the cool-down with its reason (issue 20, item 3), to anyone (numbers and
 * times only) and to the token holder, as the last cycle left them in the store.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDaemon, type Daemon } from '../../src/commands/daemon.js';
import type { PaceState } from '../../src/fetch/pace.js';
import { silentLogger } from '../helpers/log.js';
import { closeStore, openStore } from '../../src/store/db.js';
import { Store } from '../../src/store/store.js';
import { dump, tempDir, writeFile } from '../helpers/tmp.js';

const TOKEN = 'pace-health-token-0123456789';
let t: { dir: string; cleanup: () => void };
let daemon: Daemon | undefined;

beforeEach(() => {
  t = tempDir();
  writeFile(
    join(t.dir, 'dumps/1.md'),
    dump(
      {
        title: '第一篇',
        url: 'https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=1001&idx=1&sn=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb1',
        source: '账号',
        date: '2024-07-01',
      },
      '正文一。',
    ),
  );
  writeFileSync(
    join(t.dir, 'wxfeed.yaml'),
    `dumps: [dumps]\noutput: out\nstore: data/wxfeed.db\nschedule:\n  cron: "0 0 1 1 *"\nserver:\n  port: 0\n  token: ${TOKEN}\nfetch:\n  delayMs: 2000\n`,
  );
});
afterEach(async () => {
  await daemon?.stop('test over');
  daemon = undefined;
  t.cleanup();
});

async function settled(d: Daemon): Promise<void> {
  const end = Date.now() + 15_000;
  const done = () => (d.health().body as { lastCycle: unknown }).lastCycle !== null;
  while (!done()) {
    if (Date.now() > end) throw new Error('the first cycle did not finish');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('/healthz: the pace', () => {
  it('slowed 8× with a captcha cool-down: the same numbers anonymous and with the token', async () => {
    // A cool-down ending in two hours, the pace recovering from then on: constant until then, so exact.
    const until = Date.now() + 2 * 3_600_000;
    const state: PaceState = {
      cooldown: { until, level: 3, reason: 'captcha', minutes: 120 },
      multiplier: 8,
      multiplierAt: until,
    };
    const db = openStore(join(t.dir, 'data/wxfeed.db'));
    new Store(db).meta.pace.set(JSON.stringify(state));
    closeStore(db, true);
    daemon = await startDaemon({ configPath: join(t.dir, 'wxfeed.yaml'), log: silentLogger, live: () => undefined });
    await settled(daemon);
    const want = {
      delayMs: 16_000,
      configuredDelayMs: 2000,
      multiplier: 8,
      since: new Date(until).toISOString(),
      cooldown: { until: new Date(until).toISOString(), reason: 'captcha', level: 3, minutes: 120 },
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    };
    const port = daemon.address()!.port;
    const anon = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { pace: unknown };
    expect(anon.pace).toEqual(want);
    const full = (await (
      await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).json()) as { pace: unknown };
    expect(full.pace).toEqual(want);
  });

  it('never blocked: the configured pace, no cool-down', async () => {
    daemon = await startDaemon({ configPath: join(t.dir, 'wxfeed.yaml'), log: silentLogger, live: () => undefined });
    await settled(daemon);
    const anon = (await (await fetch(`http://127.0.0.1:${daemon.address()!.port}/healthz`)).json()) as {
      pace: Record<string, unknown>;
    };
    expect(anon.pace).toEqual({ delayMs: 2000, configuredDelayMs: 2000, multiplier: 1, at: expect.any(String) });
  });
});

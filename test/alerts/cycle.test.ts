/**
 * Alerts after real builds (commands/alerts.ts, as the daemon and `wxfeed build` run them) against the loopback album
 * stand-in and a loopback webhook receiver, on a simulated clock: WeChat refusing for two minutes is one `blocked`
 * alert and one `recovered`, whatever the cycles in between and a restart among them; a target that never answers
 * does not slow a cycle.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../src/config.js';
import type { Alert } from '../../src/feeds/alerts.js';
import type { Config } from '../../src/types.js';
import { closeTeller, newTeller, type Teller, tellAfterCycle } from '../../src/commands/alerts.js';
import { startAlbumServer } from '../helpers/album-server.js';
import { useFollowing } from '../helpers/following.js';
import { closeStore, openStore } from '../../src/store/db.js';
import { MetaTable } from '../../src/store/meta.js';
import { silentLogger } from '../helpers/log.js';
import { dump, writeFile } from '../helpers/tmp.js';
import { keepReceived, type Receiver, startReceiver } from '../helpers/receiver.js';

const SEC = 1000;
const MIN = 60 * SEC;
const f = useFollowing();
let rx: Receiver | undefined;
afterEach(async () => {
  await rx?.close();
  rx = undefined;
});

/** `c` with alert targets (validated as the config file's are). */
function withNotify(c: Config, notify: unknown[]): Config {
  return { ...c, notify: resolveConfig({ notify, urlFiles: [], dumps: ['.'] }, 't.yaml', tmpdir()).notify };
}

describe('alerts after builds', () => {
  it('a stand-in that turns to captcha pages for two minutes gives exactly one blocked and one recovered alert', async () => {
    f.srv = await startAlbumServer({ albums: 1, articles: 3 });
    rx = await startReceiver();
    const c = withNotify(
      f.config({
        urls: [f.srv.albumUrl(0)],
        fetch: { cooldownMinutes: 1, cooldownMaxMinutes: 4 },
        follow: { albumIntervalMinutes: 0 },
      }),
      [{ kind: 'webhook', url: `${rx.origin}/hook?key=webhook-secret` }],
    );
    const start = f.now;
    const refusing = (t: number) => t >= start + MIN && t < start + 3 * MIN;
    let teller: Teller = newTeller(silentLogger);
    const blockedAt: number[] = [];
    // A cycle every 30 s for 12 minutes; the stand-in answers every list request with a verification page for two.
    for (let t = start; t <= start + 12 * MIN; t += 30 * SEC) {
      f.now = t;
      f.srv.faults.html = refusing(t) ? 1_000_000 : 0;
      const summary = await f.run(c);
      if (summary.pace?.cooldown) blockedAt.push(t);
      tellAfterCycle(teller, c, { now: f.now, summary });
      if (t === start + 2 * MIN) {
        // A restart mid-block: what was told is read back from the store, not told again.
        await closeTeller(teller, 5000);
        teller = newTeller(silentLogger);
      }
    }
    await closeTeller(teller, 5000);
    keepReceived('alerts-blocked-recovered.log', rx.received);
    expect(blockedAt.length).toBeGreaterThan(3); // the pause lasted over several cycles
    const alerts = rx.received.map((r) => JSON.parse(r.body) as Alert);
    expect(alerts.map((a) => [a.event, a.of])).toEqual([
      ['blocked', undefined],
      ['recovered', 'blocked'],
    ]);
    expect(Date.parse(alerts[0]!.at)).toBe(start + MIN);
    expect(Date.parse(alerts[1]!.at)).toBeGreaterThanOrEqual(start + 3 * MIN);
    expect(alerts[0]!.until).toBe(new Date(start + 2 * MIN).toISOString());
    expect(alerts[0]!.text).toContain('遇到验证码或限流');
    expect(rx.received.every((r) => r.path === '/hook?key=webhook-secret')).toBe(true);
  });

  it('a removal the guard refuses is a cycle-failed alert, once; the next good build is its recovery', async () => {
    f.srv = await startAlbumServer({ albums: 1, articles: 2 });
    rx = await startReceiver();
    const c = withNotify(f.config({ urls: [f.srv.albumUrl(0)] }), [
      { kind: 'ntfy', url: `${rx.origin}/topic`, events: ['cycle-failed', 'recovered'] },
    ]);
    for (let i = 0; i < 4; i++)
      writeFile(
        join(f.dir, `dumps/${i}.md`),
        dump({ title: `文章 ${i}`, source: '账号', date: '2024-07-01' }, '正文。'),
      );
    const teller = newTeller(silentLogger);
    tellAfterCycle(teller, c, { now: f.now, summary: await f.run(c) });
    for (let i = 0; i < 3; i++) rmSync(join(f.dir, `dumps/${i}.md`));
    for (let k = 1; k <= 2; k++) {
      f.now += MIN;
      const error = await f.run(c).then(
        () => 'no error',
        (e: Error) => e.message.split('\n')[0]!,
      );
      expect(error).toContain('--prune');
      tellAfterCycle(teller, c, { now: f.now, error });
    }
    writeFile(join(f.dir, 'dumps/0.md'), dump({ title: '文章 0', source: '账号', date: '2024-07-01' }, '正文。'));
    writeFile(join(f.dir, 'dumps/1.md'), dump({ title: '文章 1', source: '账号', date: '2024-07-01' }, '正文。'));
    f.now += MIN;
    tellAfterCycle(teller, c, { now: f.now, summary: await f.run(c) });
    await closeTeller(teller, 5000);
    expect(rx.received.map((r) => r.headers.tags)).toEqual(['x', 'white_check_mark']);
    expect(rx.received[0]!.body).toContain('--prune');
  });

  it("what was told is written at once; the feeds' counts (new-articles) when the teller closes", async () => {
    f.srv = await startAlbumServer({ albums: 1, articles: 2 });
    rx = await startReceiver();
    const c = withNotify(f.config({ urls: [f.srv.albumUrl(0)], follow: { albumIntervalMinutes: 0 } }), [
      { kind: 'webhook', url: `${rx.origin}/h`, events: ['new-articles'] },
    ]);
    const stored = () => {
      const db = openStore(c.store);
      try {
        return new MetaTable(db).alerts.get();
      } finally {
        closeStore(db, true);
      }
    };
    const teller = newTeller(silentLogger);
    tellAfterCycle(teller, c, { now: f.now, summary: await f.run(c) });
    const first = stored()!;
    expect(Object.values(first.targets)).toEqual([{}]);
    expect(first.items?.all).toBe(2);
    f.srv.grow(0);
    f.now += MIN;
    tellAfterCycle(teller, c, { now: f.now, summary: await f.run(c) });
    expect(stored()!.items?.all).toBe(2);
    expect(teller.unsaved).toBe(c.store);
    await closeTeller(teller, 5000);
    expect(stored()!.items?.all).toBe(3);
    expect(rx.received.map((r) => (JSON.parse(r.body) as Alert).count)).toEqual([1]);
  });

  it('a target that never answers: the cycle queues its alert and goes on at once', async () => {
    f.srv = await startAlbumServer({ albums: 1, articles: 2 });
    rx = await startReceiver();
    rx.answers.push(...Array<'hang'>(10).fill('hang'));
    const c = withNotify(f.config({ urls: [f.srv.albumUrl(0)] }), [
      { kind: 'webhook', url: `${rx.origin}/a`, events: ['cycle-failed'] },
      { kind: 'webhook', url: `${rx.origin}/b`, events: ['cycle-failed'] },
    ]);
    await f.run(c);
    const teller = newTeller(silentLogger);
    const started = performance.now();
    tellAfterCycle(teller, c, { now: f.now, error: 'boom' });
    expect(performance.now() - started).toBeLessThan(200);
    while (rx.held() < 2) await new Promise((r) => setTimeout(r, 10));
    // The next cycle runs while both targets hold their requests.
    const next = performance.now();
    f.now += MIN;
    await f.run(c);
    expect(rx.held()).toBe(2);
    expect(performance.now() - next).toBeLessThan(3000);
    await closeTeller(teller, 0);
  });
});

/**
 * The request pace on the index page and in a build's summary (issue 20, item 3), read from the store as the fetch
 * stage leaves it (meta `pace`, or an older wxfeed's `cooldown`): the refusal's banner and the slowed pace after
 * builds that fetch nothing; the line follows the recovery, and the page is written again only when what it says
 * changes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { build } from '../../src/stages/cycle.js';
import { paceOnBlock } from '../../src/fetch/pace.js';
import { silentLogger } from '../helpers/log.js';
import { closeStore, openStore } from '../../src/store/db.js';
import { Store } from '../../src/store/store.js';
import type { Config } from '../../src/types.js';
import { OWN_FIXTURES } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

const NOW = Date.UTC(2024, 6, 20, 4); // 12:00 in Beijing
const MIN = 60_000;
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

let t: { dir: string; cleanup: () => void };
let config: Config;

beforeAll(() => {
  t = tempDir();
  config = resolveConfig(
    {
      baseUrl: 'http://feeds.example.test/',
      dumps: [join(OWN_FIXTURES, 'golden', 'dumps')],
      output: 'out',
      store: 'data/wxfeed.db',
    },
    join(t.dir, 'wxfeed.yaml'),
    t.dir,
  );
});
afterAll(() => t.cleanup());

/** An offline build at `now`: nothing is fetched, the pace is only read. */
const run = (now: number) => build(config, { log: silentLogger, now: () => now });
const index = () => readFileSync(join(config.output, 'index.html'), 'utf8');
const paceLine = () => /<p class="pace mute">[^<]*<\/p>/.exec(index())?.[0];
const banner = () => /<p class="banner"[^>]*>[^<]*<\/p>/.exec(index())?.[0];

/** Write (or delete, with undefined) the pace or the old cool-down, as the fetch stage would between builds. */
function setMeta(key: 'pace' | 'legacyCooldown', value: string | undefined): void {
  const db = openStore(config.store);
  const store = new Store(db);
  if (value === undefined) store.meta[key].clear();
  else store.meta[key].set(value);
  closeStore(db, true);
}

describe('the pace on the index page and in the build summary', () => {
  it('at the configured pace: no line, no banner; the summary says 1× at 1.5 s', async () => {
    const s = await run(NOW);
    expect(config.fetch.delayMs).toBe(1500);
    expect(s.pace).toEqual({ delayMs: 1500, configuredDelayMs: 1500, multiplier: 1, at: iso(NOW) });
    expect(paceLine()).toBeUndefined();
    expect(banner()).toBeUndefined();
  });

  it('a refusal with Retry-After 30 min: the banner, and the pace it resumes at (2×, 3.0 s); only index.html written', async () => {
    const state = paceOnBlock(undefined, NOW, {
      cooldownMinutes: 15,
      cooldownMaxMinutes: 360,
      reason: 'refused',
      retryAfterMs: 30 * MIN,
    });
    setMeta('pace', JSON.stringify(state));
    const s = await run(NOW + 10 * MIN);
    expect(s.filesWritten).toEqual([join(config.output, 'index.html')]);
    expect(s.pace).toEqual({
      delayMs: 3000,
      configuredDelayMs: 1500,
      multiplier: 2,
      since: iso(NOW + 30 * MIN),
      cooldown: { until: iso(NOW + 30 * MIN), reason: 'refused', level: 1, minutes: 30 },
      at: iso(NOW + 10 * MIN),
    });
    expect(banner()).toBe(
      `<p class="banner" role="status" data-until="${NOW + 30 * MIN}">微信拒绝了请求（HTTP 429/403 或频率限制），实时抓取暂停到 2024-07-20 12:30。</p>`,
    );
    expect(paceLine()).toBe('<p class="pace mute">请求间隔 3.0 秒（已放慢 2×，每小时恢复 10%）</p>');
  });

  it('an hour after the cool-down: no banner, the pace 10 % faster (1.8×, 2.7 s)', async () => {
    const s = await run(NOW + 30 * MIN + HOUR);
    expect(s.filesWritten).toEqual([join(config.output, 'index.html')]);
    expect(s.pace).toMatchObject({ delayMs: 2727, multiplier: 1.82, since: iso(NOW + 30 * MIN) });
    expect(s.pace?.cooldown).toBeUndefined();
    expect(banner()).toBeUndefined();
    expect(paceLine()).toBe('<p class="pace mute">请求间隔 2.7 秒（已放慢 1.8×，每小时恢复 10%）</p>');
  });

  it('five minutes later the page would say the same: nothing is written', async () => {
    const s = await run(NOW + 35 * MIN + HOUR);
    expect(s.pace).toMatchObject({ delayMs: 2706, multiplier: 1.8 });
    expect(s.filesWritten).toEqual([]);
  });

  it('recovered (7.3 hours on): the line goes, the page is written once more', async () => {
    const s = await run(NOW + 30 * MIN + 8 * HOUR);
    expect(s.pace).toEqual({
      delayMs: 1500,
      configuredDelayMs: 1500,
      multiplier: 1,
      at: iso(NOW + 30 * MIN + 8 * HOUR),
    });
    expect(s.filesWritten).toEqual([join(config.output, 'index.html')]);
    expect(paceLine()).toBeUndefined();
  });

  it("an older wxfeed's cool-down (meta `cooldown`) is shown as a captcha cool-down, slowing from its end", async () => {
    const at = NOW + 10 * HOUR;
    setMeta('pace', undefined);
    setMeta('legacyCooldown', JSON.stringify({ until: at + 20 * MIN, level: 2, reason: 'captcha' }));
    const s = await run(at);
    expect(s.pace).toEqual({
      delayMs: 3000,
      configuredDelayMs: 1500,
      multiplier: 2,
      since: iso(at + 20 * MIN),
      cooldown: { until: iso(at + 20 * MIN), reason: 'captcha', level: 2, minutes: 30 },
      at: iso(at),
    });
    expect(banner()).toBe(
      `<p class="banner" role="status" data-until="${at + 20 * MIN}">遇到验证码或限流，实时抓取暂停到 2024-07-20 22:20。</p>`,
    );
    expect(paceLine()).toBe('<p class="pace mute">请求间隔 3.0 秒（已放慢 2×，每小时恢复 10%）</p>');
  });

  it('a malformed pace value shows nothing and breaks nothing', async () => {
    setMeta('legacyCooldown', undefined);
    setMeta('pace', '{"multiplier":1e9,"multiplierAt":"soon","cooldown":{"until":1e300}}');
    const s = await run(NOW + 11 * HOUR);
    expect(s.pace).toEqual({ delayMs: 1500, configuredDelayMs: 1500, multiplier: 1, at: iso(NOW + 11 * HOUR) });
    expect(banner()).toBeUndefined();
    expect(paceLine()).toBeUndefined();
  });
});

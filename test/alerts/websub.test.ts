/**
 * WebSub (`websub.hub`): every feed names the hub beside its self link, in the three formats, and real readers parse
 * it (python3-feedparser); after each build the loopback hub is told of each feed URL whose file changed, once per
 * change, and of nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../../src/config.js';
import { build } from '../../src/stages/cycle.js';
import type { Config } from '../../src/types.js';
import { closeTeller, newTeller, tellAfterCycle } from '../../src/commands/alerts.js';
import { changedFeedUrls } from '../../src/http/websub.js';
import { HAVE_PY_FEEDPARSER, readFeed } from '../helpers/feeds.js';
import { silentLogger } from '../helpers/log.js';
import { keepReceived, type Receiver, startReceiver } from '../helpers/receiver.js';
import { dump, tempDir, writeFile } from '../helpers/tmp.js';

const BASE = 'https://feeds.example/wx/';
const url = (biz: string, n: number) =>
  `https://mp.weixin.qq.com/s?__biz=${biz}&mid=${100 + n}&idx=1&sn=${n.toString(16).padStart(32, 'a')}`;
const A = 'MzI2NzI2OTExNA=='; // 3267269114
const B = 'MjM5NTU4NjgzMg=='; // 2395586832

let t: { dir: string; cleanup: () => void };
let rx: Receiver;
let hub: string;

function config(withHub: boolean): Config {
  return resolveConfig(
    {
      baseUrl: BASE,
      dumps: ['dumps'],
      output: 'out',
      store: 'wxfeed.db',
      urlFiles: [],
      ...(withHub ? { websub: { hub } } : {}),
    },
    join(t.dir, 'c.yaml'),
    t.dir,
  );
}

/** One build and its pings (as the daemon sends them after a cycle); the feed URLs the hub was told of. */
async function buildAndPing(c: Config): Promise<string[]> {
  const before = rx.received.length;
  const teller = newTeller(silentLogger);
  tellAfterCycle(teller, c, { now: Date.now(), summary: await build(c, { log: silentLogger }) });
  await closeTeller(teller, 5000);
  return rx.received.slice(before).map((r) => {
    expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(r.body);
    expect(form.get('hub.mode')).toBe('publish');
    return form.get('hub.url')!;
  });
}

const files = (slug: string) => ['atom.xml', 'rss.xml', 'feed.json'].map((f) => `${BASE}${slug}/${f}`);

beforeAll(async () => {
  t = tempDir();
  rx = await startReceiver();
  hub = `${rx.origin}/hub`;
  writeFile(
    join(t.dir, 'dumps/a1.md'),
    dump({ title: '甲一', url: url(A, 1), source: '甲', date: '2024-07-01' }, '一。'),
  );
  writeFile(
    join(t.dir, 'dumps/b1.md'),
    dump({ title: '乙一', url: url(B, 2), source: '乙', date: '2024-07-02' }, '二。'),
  );
});
afterAll(async () => {
  await rx.close();
  t.cleanup();
});

describe('WebSub', () => {
  it('pings each changed feed URL once per change, and nothing when nothing changed', async () => {
    const c = config(true);
    const first = await buildAndPing(c);
    expect(first.sort()).toEqual([...files('2395586832'), ...files('3267269114'), ...files('all')].sort());
    expect(await buildAndPing(c)).toEqual([]);
    writeFile(
      join(t.dir, 'dumps/b2.md'),
      dump({ title: '乙二', url: url(B, 3), source: '乙', date: '2024-07-03' }, '三。'),
    );
    const third = await buildAndPing(c);
    expect(third.sort()).toEqual([...files('2395586832'), ...files('all')].sort());
    expect(rx.received.every((r) => r.path === '/hub' && r.method === 'POST')).toBe(true);
    keepReceived('websub-pings.log', rx.received);
  });

  it('the feeds name the hub beside their self link; without a hub they name none', async () => {
    const out = join(t.dir, 'out/3267269114');
    const atom = readFileSync(join(out, 'atom.xml'), 'utf8');
    expect(atom).toContain(`<link rel="self" href="${BASE}3267269114/atom.xml"/>\n    <link rel="hub" href="${hub}"/>`);
    const rss = readFileSync(join(out, 'rss.xml'), 'utf8');
    expect(rss).toContain(`<atom:link href="${hub}" rel="hub"/>`);
    const json = JSON.parse(readFileSync(join(out, 'feed.json'), 'utf8')) as { hubs: unknown };
    expect(json.hubs).toEqual([{ type: 'WebSub', url: hub }]);
    expect(readFeed(atom).items).toHaveLength(1);
    expect(readFeed(rss).items).toHaveLength(1);

    // Taking the hub out renders the feeds again, without it: they are pinged no more.
    const before = rx.received.length;
    await build(config(false), { log: silentLogger });
    expect(readFileSync(join(out, 'atom.xml'), 'utf8')).not.toContain('rel="hub"');
    expect(readFileSync(join(out, 'feed.json'), 'utf8')).not.toContain('hubs');
    expect(rx.received.length).toBe(before);
  });

  it.skipIf(!HAVE_PY_FEEDPARSER)(
    'python3-feedparser reads the hub of the Atom and RSS feeds (its version reads no JSON Feed)',
    async () => {
      await build(config(true), { log: silentLogger });
      const out = join(t.dir, 'out/3267269114');
      const script = `
import sys, json, feedparser
out = []
for p in sys.argv[1:]:
    d = feedparser.parse(p)
    out.append({"bozo": int(bool(d.bozo)), "version": d.version, "entries": len(d.entries),
                "hubs": [l["href"] for l in d.feed.get("links", []) if l.get("rel") == "hub"]})
print(json.dumps(out))`;
      const run = spawnSync('/usr/bin/python3', ['-c', script, ...['atom.xml', 'rss.xml'].map((f) => join(out, f))], {
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      const [atom, rss] = JSON.parse(run.stdout) as Array<{
        bozo: number;
        version: string;
        entries: number;
        hubs: string[];
      }>;
      expect(atom).toEqual({ bozo: 0, version: 'atom10', entries: 1, hubs: [hub] });
      expect(rss).toEqual({ bozo: 0, version: 'rss20', entries: 1, hubs: [hub] });
    },
  );

  it('changedFeedUrls: only the three files of a feed folder, each once', () => {
    const o = '/srv/out';
    expect(
      changedFeedUrls(
        [
          `${o}/a/atom.xml`,
          `${o}/a/atom.xml`,
          `${o}/a/feed.json`,
          `${o}/index.html`,
          `${o}/feeds.opml`,
          `${o}/a/b/rss.xml`,
          '/elsewhere/x/rss.xml',
        ],
        o,
        BASE,
      ),
    ).toEqual([`${BASE}a/atom.xml`, `${BASE}a/feed.json`]);
  });
});

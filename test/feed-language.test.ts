/**
 * `feed.language` reaches every text wxfeed writes, through whole builds: the labels the page parser (in its own
 * thread) writes into a fetched article's body, a repost's link to its original, and the title of an album's feed
 * whose own title is unknown (in the feed, the OPML and the index page), in `zh-CN` and in `en`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../src/stages/cycle.js';
import { resolveConfig } from '../src/config.js';
import { liveFor } from '../src/commands/live.js';
import { openStore, closeStore } from '../src/store/db.js';
import { Store } from '../src/store/store.js';
import { albumLabel } from '../src/keys.js';
import type { Config } from '../src/types.js';
import type { FeedLanguage } from '../src/feeds/messages.js';
import { silentLogger } from './helpers/log.js';
import { startFaultServer, type FaultServer } from './helpers/fault-server.js';
import { dump, tempDir, writeFile } from './helpers/tmp.js';
import { OWN_FIXTURES } from './helpers/paths.js';

const page = (name: string) => readFileSync(join(OWN_FIXTURES, 'pages', name), 'utf8');
const ARTICLE = '/s?__biz=MzAwMDAwMDAwMQ==&mid=2650000001&idx=1&sn=aaaabbbbccccddddeeeeffff00001111';
const REPOST = '/s?__biz=MzAwMDAwMDAwMQ==&mid=2650000005&idx=1&sn=55556666777788889999aaaabbbbcccc';
/** The account's feed (the number inside MzAwMDAwMDAwMQ==). */
const SLUG = '3000000001';

let t: { dir: string; cleanup: () => void };
let srv: FaultServer;
beforeEach(async () => {
  t = tempDir();
  srv = await startFaultServer();
});
afterEach(async () => {
  await srv.close();
  t.cleanup();
});

function config(language: FeedLanguage, extra: Record<string, unknown> = {}): Config {
  return resolveConfig(
    {
      dumps: ['dumps'],
      output: 'out',
      store: 'data/wxfeed.db',
      urlFiles: ['urls.txt'],
      feed: { language },
      fetch: { origin: srv.origin, delayMs: 0, retries: 0, timeoutMs: 5000 },
      ...extra,
    },
    join(t.dir, 'wxfeed.yaml'),
    t.dir,
  );
}
const read = (c: Config, path: string) => readFileSync(join(c.output, path), 'utf8');

describe('texts the page parser writes into a fetched body', () => {
  beforeEach(() => {
    // The fixture's voice message loses its name and a song without one is added: both get a label of ours.
    const article = page('article.html')
      .replace(' name="早安语音"', '')
      .replace('<mpvoice ', '<qqmusic singer="歌手"></qqmusic><mpvoice ');
    expect(article).toContain('<qqmusic singer="歌手">');
    srv.pages.set(ARTICLE, article);
    srv.pages.set(REPOST, page('repost.html'));
    writeFile(join(t.dir, 'dumps/.keep.md'), '');
    writeFileSync(join(t.dir, 'urls.txt'), `https://mp.weixin.qq.com${ARTICLE}\nhttps://mp.weixin.qq.com${REPOST}\n`);
  });

  const fetched = async (language: FeedLanguage): Promise<string> => {
    const c = config(language);
    const summary = await build(c, { log: silentLogger, live: liveFor(c, { offline: false, refetch: false }) });
    expect(summary.fetch).toMatchObject({ fetched: 2, failed: 0 });
    return read(c, `${SLUG}/atom.xml`);
  };

  it('zh-CN: 语音, 视频, 音乐, and the repost’s link in Chinese', async () => {
    const atom = await fetched('zh-CN');
    expect(atom).toContain('>语音</a>');
    expect(atom).toContain('>视频</a>');
    expect(atom).toContain('♪ 音乐 — 歌手');
    expect(atom).toMatch(/转载文章，请阅读<a href="[^"]+">原文<\/a>。/);
    expect(atom).not.toMatch(/Voice message|>Video<|Repost of/);
  });

  it('en: Voice message, Video, Music, and the repost’s link in English', async () => {
    const atom = await fetched('en');
    expect(atom).toContain('>Voice message</a>');
    expect(atom).toContain('>Video</a>');
    expect(atom).toContain('♪ Music — 歌手');
    expect(atom).toMatch(/Repost of <a href="[^"]+">the original article<\/a>\./);
    expect(atom).not.toMatch(/>语音<|>视频<|音乐 —|转载文章/);
  });
});

describe('an album whose title is not known yet', () => {
  const ALBUM = '3300000000000000007';
  const BIZ = 'MzI2NzI2OTExNA=='; // 3267269114
  const SN = 'a'.repeat(32);

  /** A store that knows an article of the account and an album listing it, before the album's page was read. */
  async function seeded(language: FeedLanguage): Promise<Config> {
    writeFile(
      join(t.dir, 'dumps/a.md'),
      dump(
        {
          title: '正文',
          url: `https://mp.weixin.qq.com/s?__biz=${BIZ}&mid=100&idx=1&sn=${SN}`,
          source: '账号甲',
          date: '2024-07-10',
        },
        '正文一。',
      ),
    );
    writeFileSync(join(t.dir, 'urls.txt'), '');
    const c = config(language);
    await build(c, { log: silentLogger });
    const db = openStore(c.store);
    try {
      const store = new Store(db);
      store.albums.setListed([{ biz: BIZ, albumId: ALBUM }], Date.UTC(2024, 6, 11));
      store.albumItems.add(
        ALBUM,
        { key: `sn:${SN}`, msgid: '100', itemidx: '1', createTime: Date.UTC(2024, 6, 10) },
        Date.UTC(2024, 6, 11),
      );
      store.pending.markSource(albumLabel(ALBUM));
    } finally {
      closeStore(db, true);
    }
    await build(c, { log: silentLogger });
    return c;
  }

  it('zh-CN: 合集 <id> in its feed, the OPML and the index page', async () => {
    const c = await seeded('zh-CN');
    const title = `合集 ${ALBUM} · `;
    expect(read(c, `album-${ALBUM}/atom.xml`)).toContain(`<title>${title}`);
    expect(read(c, 'albums.opml')).toContain(`title="${title}`);
    expect(read(c, 'index.html')).toContain(`<h3>${title}`);
    expect(read(c, 'index.html')).not.toContain(`Album ${ALBUM}`);
  });

  it('en: Album <id> in its feed, the OPML and the index page', async () => {
    const c = await seeded('en');
    const title = `Album ${ALBUM} · `;
    expect(read(c, `album-${ALBUM}/atom.xml`)).toContain(`<title>${title}`);
    expect(read(c, 'albums.opml')).toContain(`title="${title}`);
    expect(read(c, 'index.html')).toContain(`<h3>${title}`);
    expect(read(c, 'index.html')).not.toContain(`合集 ${ALBUM}`);
  });
});

/**
 * Crediting the carrying source until the account's name is known (issue 20, item 6: 24 of the 50 newest `all/` items
 * of a month of the real archive named no author, aggregator copies of WeChat articles whose account nothing offline
 * knew). The order: a source label that carries only that account > a page's nickname (store `accounts`,
 * catalog.nameAccount) > the source that carried the copy shown.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nameAccount } from '../../src/catalog/catalog.js';
import { resolveConfig } from '../../src/config.js';
import { build } from '../../src/stages/cycle.js';
import { accountNames, accountOf } from '../../src/feeds/accounts.js';
import { silentLogger } from '../helpers/log.js';
import { closeStore, openStore } from '../../src/store/db.js';
import { Store } from '../../src/store/store.js';
import type { Config } from '../../src/types.js';
import { readFeed } from '../helpers/feeds.js';
import { dump, tempDir, writeFile } from '../helpers/tmp.js';

const BIZ_A = 'MzI2NzI2OTExNA=='; // 3267269114
const BIZ_B = 'MjM5NTU4NjgzMg=='; // 2395586832
const BIZ_C = 'MzAwMDAwMDAwMQ=='; // 3000000001
const AGG = "Doonsec's feed";
const SHELL = '：\n，\n。\n\n视频\n小程序\n赞\n，轻点两下取消赞\n在看\n，轻点两下取消在看';
const url = (biz: string, mid: number, n: number) =>
  `https://mp.weixin.qq.com/s?__biz=${biz}&mid=${mid}&idx=1&sn=${n.toString(16).padStart(32, 'a')}&chksm=ab#rd`;

describe('accountOf: label > page nickname > carrying source', () => {
  const accounts = accountNames([
    { source: '账号甲', articles: 4, bizCount: 1, biz: BIZ_A },
    { source: AGG, articles: 500, bizCount: 120, biz: BIZ_A },
    { source: 'Example Blog', articles: 9, bizCount: 0, biz: null },
  ]);
  const nicknames = new Map([
    ['3267269114', '甲（新名）'],
    ['2395586832', '乙账号'],
  ]);

  it('an account a label names: that label, whatever a page calls it now', () => {
    expect(accountOf({ biz: BIZ_A }, AGG, accounts, nicknames)).toBe('账号甲');
  });
  it("an account no label names: the page's nickname, in any spelling of its biz", () => {
    expect(accountOf({ biz: BIZ_B }, AGG, accounts, nicknames)).toBe('乙账号');
    expect(accountOf({ biz: '2395586832' }, AGG, accounts, nicknames)).toBe('乙账号');
    expect(accountOf({ biz: 'MjM5NTU4NjgzMg' }, undefined, accounts, nicknames)).toBe('乙账号');
  });
  it('an account nothing names: the source that carried the copy shown; none without one', () => {
    expect(accountOf({ biz: BIZ_C }, AGG, accounts, nicknames)).toBe(AGG);
    expect(accountOf({ biz: BIZ_C }, AGG, accounts)).toBe(AGG);
    expect(accountOf({ biz: BIZ_C }, undefined, accounts, nicknames)).toBeUndefined();
    expect(accountOf({ biz: BIZ_C }, '', accounts, nicknames)).toBeUndefined();
  });
  it('an article without a biz (a blog post): its source, as before', () => {
    expect(accountOf({}, 'Example Blog', accounts, nicknames)).toBe('Example Blog');
  });
});

describe('the accounts table and nameAccount', () => {
  let t: { dir: string; cleanup: () => void };
  beforeEach(() => {
    t = tempDir();
  });
  afterEach(() => t.cleanup());

  it('record: true when new or changed, false when the same (its time kept fresh); all() by number', () => {
    const db = openStore(join(t.dir, 'wxfeed.db'));
    try {
      const store = new Store(db);
      expect(store.accounts.record('2395586832', '乙账号', 1_000)).toBe(true);
      expect(store.accounts.record('2395586832', '乙账号', 2_000)).toBe(false);
      expect(store.accounts.record('3000000001', '丙', 2_000)).toBe(true);
      expect(store.accounts.record('2395586832', '乙账号（改名）', 3_000)).toBe(true);
      expect([...store.accounts.all()]).toEqual([
        ['2395586832', '乙账号（改名）'],
        ['3000000001', '丙'],
      ]);
      expect(db.prepare('SELECT number, seen_at AS at FROM accounts ORDER BY number').all()).toEqual([
        { number: '2395586832', at: 3_000 },
        { number: '3000000001', at: 2_000 },
      ]);
    } finally {
      closeStore(db, true);
    }
  });
});

describe('an aggregator shell of an unnamed account, end to end', () => {
  let t: { dir: string; cleanup: () => void };
  let config: Config;
  const NOW = Date.UTC(2024, 6, 20, 4);
  beforeEach(() => {
    t = tempDir();
    const dumps = join(t.dir, 'dumps');
    const put = (path: string, title: string, link: string, source: string, date: string, body: string) =>
      writeFile(join(dumps, path), dump({ title, url: link, source, date }, body));
    put('a/one.md', 'A 的文章', url(BIZ_A, 100, 1), '账号甲', '2024-07-10', '正文一。');
    put('agg/a-copy.md', 'A 的另一篇', url(BIZ_A, 101, 2), AGG, '2024-07-11', `# A 的另一篇\n\n${SHELL}`);
    put('agg/b.md', 'B 的文章', url(BIZ_B, 500, 9), AGG, '2024-07-12', `# B 的文章\n\n${SHELL}`);
    put('agg/c.md', 'C 的文章', url(BIZ_C, 600, 10), AGG, '2024-07-13', `# C 的文章\n\n${SHELL}`);
    put('blog/post.md', 'A blog post', 'https://blog.example.com/p/1', 'Example Blog', '2024-07-09', 'Hello.');
    config = resolveConfig(
      { dumps: ['dumps'], output: 'out', store: 'data/wxfeed.db' },
      join(t.dir, 'wxfeed.yaml'),
      t.dir,
    );
  });
  afterEach(() => t.cleanup());

  /** Each item's title → its author, as a feed parser reads the feed back. */
  const authors = (slug: string): Record<string, string | undefined> => {
    const feed = readFeed(readFileSync(join(config.output, slug, 'atom.xml'), 'utf8'));
    return Object.fromEntries(feed.items.map((i) => [i.title, i.authors[0]?.name]));
  };
  const withStore = <T>(fn: (store: Store) => T): T => {
    const db = openStore(config.store);
    try {
      return fn(new Store(db));
    } finally {
      closeStore(db, true);
    }
  };

  it('the aggregator is the author in all/ and in its feed; a page nickname replaces it at the next publish', async () => {
    await build(config, { log: silentLogger, now: () => NOW });
    const first = {
      'A 的文章': '账号甲',
      'A 的另一篇': '账号甲',
      'B 的文章': AGG,
      'C 的文章': AGG,
      'A blog post': 'Example Blog',
    };
    expect(authors('all')).toEqual(first);
    expect(authors('doonsec-s-feed')).toEqual({ 'A 的另一篇': '账号甲', 'B 的文章': AGG, 'C 的文章': AGG });

    // A fetched page gives B's nickname (its biz as the page spells it): the feeds that show B are marked dirty.
    const changed = withStore((store) =>
      store.transaction(() => {
        const named = nameAccount(store, 'MjM5NTU4NjgzMg', ' 乙账号 ', NOW + 1);
        return { named, dirty: [...store.pending.dirtySources()].sort() };
      }),
    );
    expect(changed).toEqual({ named: true, dirty: [AGG] });
    const s = await build(config, { log: silentLogger, now: () => NOW + 2 });
    expect(authors('all')).toEqual({ ...first, 'B 的文章': '乙账号' });
    expect(authors('doonsec-s-feed')).toEqual({ 'A 的另一篇': '账号甲', 'B 的文章': '乙账号', 'C 的文章': AGG });
    // Only the feeds that show B were rendered again.
    expect(
      s.filesWritten
        .map((f) => f.slice(config.output.length + 1))
        .filter((f) => f.endsWith('atom.xml'))
        .sort(),
    ).toEqual(['all/atom.xml', 'doonsec-s-feed/atom.xml']);

    // The same name again changes nothing; a label outranks a page's nickname (A keeps 账号甲).
    const again = withStore((store) =>
      store.transaction(() => {
        const same = nameAccount(store, BIZ_B, '乙账号', NOW + 3);
        const dirtyAfterSame = store.pending.dirtySources().size;
        const renamed = nameAccount(store, BIZ_A, '甲（新名）', NOW + 3);
        return { same, dirtyAfterSame, renamed, dirty: [...store.pending.dirtySources()].sort() };
      }),
    );
    expect(again).toEqual({ same: false, dirtyAfterSame: 0, renamed: true, dirty: ['账号甲', AGG].sort() });
    await build(config, { log: silentLogger, now: () => NOW + 4 });
    expect(authors('all')).toEqual({ ...first, 'B 的文章': '乙账号' });
  });

  it('a name for an account no feed shows marks nothing dirty; an empty or unusable name is not recorded', async () => {
    await build(config, { log: silentLogger, now: () => NOW });
    const r = withStore((store) =>
      store.transaction(() => ({
        other: nameAccount(store, 'MzkwMDAwMDAwMQ==', '别的账号', NOW),
        blank: nameAccount(store, BIZ_C, '   ', NOW),
        badBiz: nameAccount(store, 'not a biz!', '名字', NOW),
        dirty: store.pending.dirtySources().size,
        names: [...store.accounts.all()],
      })),
    );
    expect(r).toEqual({ other: true, blank: false, badBiz: false, dirty: 0, names: [['3900000001', '别的账号']] });
  });
});

/**
 * Unfollowing a whole account (by its number, an article URL of it, or its feed folder) and single article URLs, over
 * a real store, real URL files and real (offline) builds: what is stopped stays stopped though the URL file still lists
 * it, stored articles stay, the feeds stay unless removed, and `wxfeed follow` undoes it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { resolveConfig } from '../../src/config.js';
import { build } from '../../src/stages/cycle.js';
import { unfollowAccount, unfollowTargets, unfollowUrl } from '../../src/commands/unfollow.js';
import { addUrls } from '../../src/commands/add.js';
import { formatFollowed, listFollowed } from '../../src/commands/list.js';
import type { Config } from '../../src/types.js';
import { silentLogger } from '../helpers/log.js';
import { dump, tempDir, writeFile } from '../helpers/tmp.js';

const BIZ_A = 'MzI2NzI2OTExNA=='; // 3267269114
const BIZ_B = 'MjM5NTU4NjgzMg=='; // 2395586832
const sn = (n: number) => n.toString(16).padStart(32, 'a');
const article = (biz: string, mid: number, n: number) =>
  `https://mp.weixin.qq.com/s?__biz=${biz}&mid=${mid}&idx=1&sn=${sn(n)}`;
const A1 = article(BIZ_A, 100, 1);
const A2 = article(BIZ_A, 101, 2);
const B1 = article(BIZ_B, 200, 3);
const ALBUM_ID = '3329839945947119618';
const ALBUM = `https://mp.weixin.qq.com/mp/appmsgalbum?__biz=${BIZ_A}&action=getalbum&album_id=${ALBUM_ID}`;

let t: { dir: string; cleanup: () => void };
let config: Config;
let urlFile: string;

/** What the store says of a URL: listed (read by builds) or not; undefined when it has no row. */
function listed(url: string): number | undefined {
  const db = new Database(join(t.dir, 'data/wxfeed.db'), { readonly: true });
  try {
    return (db.prepare('SELECT listed FROM urls WHERE url = ?').pluck().get(url) as number | undefined) ?? undefined;
  } finally {
    db.close();
  }
}

function sql<T>(query: string, ...params: unknown[]): T {
  const db = new Database(join(t.dir, 'data/wxfeed.db'), { readonly: true });
  try {
    return db
      .prepare(query)
      .pluck()
      .get(...params) as T;
  } finally {
    db.close();
  }
}

beforeEach(() => {
  t = tempDir();
  writeFile(
    join(t.dir, 'dumps/a1.md'),
    dump({ title: '甲一', url: `${A1}&chksm=ab#rd`, source: '账号甲', date: '2024-07-10' }, '# 甲一\n\n正文一。'),
  );
  writeFile(
    join(t.dir, 'dumps/a2.md'),
    dump({ title: '甲二', url: A2, source: '账号甲', date: '2024-07-11' }, '# 甲二\n\n正文二。'),
  );
  writeFile(
    join(t.dir, 'dumps/b1.md'),
    dump({ title: '乙一', url: B1, source: '账号乙', date: '2024-07-12' }, '# 乙一\n\n正文三。'),
  );
  urlFile = join(t.dir, 'urls.txt');
  writeFileSync(urlFile, `${A1}\nhttps://mp.weixin.qq.com/s/ShortToken123\n${ALBUM}\n${B1}\n`);
  config = resolveConfig(
    { dumps: ['dumps'], output: 'out', store: 'data/wxfeed.db', urlFiles: ['urls.txt'] },
    join(t.dir, 'wxfeed.yaml'),
    t.dir,
  );
});
afterEach(() => t.cleanup());

describe('unfollowing an account', () => {
  it('by its number: every album and listed URL of it stops, articles and feed stay, the lines it leaves are named', async () => {
    await build(config, { log: silentLogger });
    expect(listed(A1)).toBe(1);
    expect(existsSync(join(config.output, '3267269114/atom.xml'))).toBe(true);

    const r = await unfollowAccount(config, '3267269114');
    expect(r.ok).toBe(true);
    expect(r.account).toEqual({ number: '3267269114' });
    expect(r.alreadyUnfollowed).toBe(false);
    expect(r.stopped).toEqual({ albums: [ALBUM_ID], urls: [A1] });
    expect(r.stays).toEqual({ articles: 2, feeds: ['3267269114/'] });
    expect(r.removed).toEqual([]);
    expect(r.lines).toEqual([
      'unfollowed  account 3267269114: 1 albums and homepages no longer polled, 1 article URLs no longer read; no page makes one of its albums followed again',
      '  stays: its 2 stored articles, and its feeds 3267269114/ (no new articles; `--remove` removes them)',
      `  still listed at ${urlFile}:1: it stays unfollowed; remove that line, or \`wxfeed follow\` an article URL of the account to follow it again`,
      `  still listed at ${urlFile}:3: it stays unfollowed; remove that line, or \`wxfeed follow\` an article URL of the account to follow it again`,
    ]);
    // The URL file is left as it was.
    expect(readFileSync(urlFile, 'utf8').split('\n')[0]).toBe(A1);

    const s = await build(config, { log: silentLogger });
    expect(listed(A1)).toBe(0);
    expect(listed(B1)).toBe(1);
    expect(s.fetch?.listed).toBe(2); // B1 and the short link, whose account nothing knows yet
    expect(sql<number>('SELECT followed FROM albums WHERE album_id = ?', ALBUM_ID)).toBe(0);
    expect(sql<number>('SELECT COUNT(*) FROM articles WHERE biz = ?', BIZ_A)).toBe(2);
    expect(existsSync(join(config.output, '3267269114/atom.xml'))).toBe(true);

    // An article URL of the account names the same one.
    const again = await unfollowAccount(config, `${A2}&chksm=zz#rd`);
    expect(again.ok).toBe(true);
    expect(again.alreadyUnfollowed).toBe(true);
    expect(again.stopped).toEqual({ albums: [], urls: [] });
    expect(again.lines[0]).toMatch(
      /^already unfollowed {2}account 3267269114 since \d{4}-\d\d-\d\d \d\d:\d\d \+08:00$/,
    );

    const followed = await listFollowed(config);
    expect(followed.articles.filter((a) => a.unfollowed).map((a) => a.url)).toEqual([A1]);
    expect(followed.unfollowedAccounts).toEqual([
      { number: '3267269114', since: expect.stringMatching(/\+08:00$/), feedsRemoved: false },
    ]);
    expect(formatFollowed(followed)).toContain(
      'unfollowed accounts (1; `wxfeed follow` an article URL of one to follow it again):\n  account 3267269114 since ',
    );

    // Following an article URL of it again follows the account again, and the albums its unfollowing stopped.
    const add = await addUrls(config, [A1]);
    expect(add.lines).toEqual([
      'following again account 3267269114 (it was unfollowed), and its 1 albums and homepages',
    ]);
    expect(add.added).toEqual([]);
    await build(config, { log: silentLogger });
    expect(listed(A1)).toBe(1);
    expect(sql<number>('SELECT followed FROM albums WHERE album_id = ?', ALBUM_ID)).toBe(1);
    expect((await listFollowed(config)).unfollowedAccounts).toEqual([]);
  });

  it('by its feed folder with --remove: the next build removes its feeds, keeps its articles; following again brings them back', async () => {
    await build(config, { log: silentLogger });
    const r = await unfollowAccount(config, '3267269114/', { remove: true });
    expect(r.ok).toBe(true);
    expect(r.stays).toEqual({ articles: 2, feeds: [] });
    expect(r.removed).toEqual(['3267269114/']);
    expect(r.lines[1]).toBe('  stays: its 2 stored articles; its feeds 3267269114/ are removed by the next build');

    await build(config, { log: silentLogger });
    expect(existsSync(join(config.output, '3267269114'))).toBe(false);
    expect(readFileSync(join(config.output, 'feeds.opml'), 'utf8')).not.toContain('3267269114/atom.xml');
    expect(existsSync(join(config.output, '2395586832/atom.xml'))).toBe(true);
    expect(sql<number>('SELECT COUNT(*) FROM articles WHERE biz = ?', BIZ_A)).toBe(2);

    await addUrls(config, [A2]);
    await build(config, { log: silentLogger });
    expect(existsSync(join(config.output, '3267269114/atom.xml'))).toBe(true);
  });

  it("by the folder a sources entry gives its feed; a feed of several accounts' articles is refused", async () => {
    const named = resolveConfig(
      {
        dumps: ['dumps'],
        output: 'out',
        store: 'data/wxfeed.db',
        urlFiles: ['urls.txt'],
        sources: [{ match: BIZ_A, slug: 'acct-a' }],
      },
      join(t.dir, 'wxfeed.yaml'),
      t.dir,
    );
    writeFile(
      join(t.dir, 'dumps/mixed.md'),
      dump({ title: '转载', url: article(BIZ_B, 201, 4), source: '合集站', date: '2024-07-13' }, '# 转载\n\n正文。'),
    );
    writeFile(
      join(t.dir, 'dumps/mixed2.md'),
      dump(
        { title: '转载二', url: article(BIZ_A, 102, 5), source: '合集站', date: '2024-07-14' },
        '# 转载二\n\n正文。',
      ),
    );
    await build(named, { log: silentLogger });
    expect(existsSync(join(named.output, 'acct-a/atom.xml'))).toBe(true);
    const r = await unfollowAccount(named, 'acct-a');
    expect(r.account).toEqual({ number: '3267269114' });
    expect(r.stays.feeds).toEqual(['acct-a/']);
    const known = ['acct-a', '2395586832', 'all'];
    const mixed = readdirSync(named.output, { withFileTypes: true }).find(
      (d) => d.isDirectory() && !known.includes(d.name),
    )?.name;
    expect(mixed).toBeDefined();
    expect((await unfollowAccount(named, mixed!)).reason).toBe(
      `the feed ${mixed}/ is not one account's (its articles come from several)`,
    );
  });

  it('refuses what names no account, saying why, and changes nothing', async () => {
    await build(config, { log: silentLogger });
    const nonsense = await unfollowAccount(config, 'no-such-feed');
    expect(nonsense.ok).toBe(false);
    expect(nonsense.lines).toEqual([
      'refused  no-such-feed: not an account number, an article URL or an account feed folder, nor an album or homepage URL, id or feed folder',
    ]);
    expect((await unfollowAccount(config, '999')).reason).toBe('no account or album 999 is followed or known');
    expect((await unfollowAccount(config, 'https://mp.weixin.qq.com/s/ShortToken123')).reason).toMatch(
      /^a short link whose account is not known yet/,
    );
    expect((await unfollowAccount(config, 'https://example.com/x')).reason).toBe(
      'not a WeChat article URL (mp.weixin.qq.com)',
    );
    expect(sql<string | undefined>("SELECT value FROM meta WHERE key = 'unfollowed'")).toBeUndefined();
    expect(listed(A1)).toBe(1);
  });
});

describe('unfollowing one article URL', () => {
  it('stops reading it alone: its account and its stored article stay; follow reads it again', async () => {
    await build(config, { log: silentLogger });
    const r = await unfollowUrl(config, `${B1}&scene=58#rd`);
    expect(r).toEqual({
      ok: true,
      url: B1,
      alreadyUnfollowed: false,
      stillListed: [{ where: `${urlFile}:4`, url: B1 }],
      lines: [
        `unfollowed  ${B1}: no more reads; its stored article stays in the feeds`,
        `  still listed at ${urlFile}:4: it stays unfollowed; remove that line, or \`wxfeed follow\` it to follow it again`,
      ],
    });
    await build(config, { log: silentLogger });
    expect(listed(B1)).toBe(0);
    expect(listed(A1)).toBe(1);
    expect(existsSync(join(config.output, '2395586832/atom.xml'))).toBe(true);
    expect((await unfollowUrl(config, B1)).lines[0]).toBe(`already unfollowed  ${B1}`);

    expect(formatFollowed(await listFollowed(config))).toContain(
      `unfollowed articles (1; listed, not read; \`wxfeed follow\` one to follow it again):\n  ${B1}\n      ${urlFile}:4`,
    );
    expect((await addUrls(config, [B1])).lines).toEqual([`following again (it was unfollowed)  ${B1}`]);
    await build(config, { log: silentLogger });
    expect(listed(B1)).toBe(1);
  });

  it('refuses a URL that is not listed, and an album URL', async () => {
    const other = article(BIZ_B, 300, 9);
    expect((await unfollowUrl(config, other)).reason).toBe(
      'not listed in urls or the URL files (an article of an album stops with the album: `wxfeed unfollow <album>`)',
    );
    expect((await unfollowUrl(config, ALBUM)).reason).toBe(
      'an album or homepage URL: `wxfeed unfollow` it without --url',
    );
  });
});

describe('wxfeed unfollow targets', () => {
  it('an album id the store knows, album-<id> and album URLs stay albums; a number it does not know is an account', async () => {
    await build(config, { log: silentLogger });
    const r = await unfollowTargets(config, [ALBUM_ID, '3267269114', 'album-12x']);
    expect(r.refused).toBe(1);
    expect(r.lines[0]).toBe(
      `unfollowed  Album ${ALBUM_ID} · 3267269114  ${ALBUM}: no more polls; its 0 articles and its feed stay`,
    );
    expect(r.lines).toContain(
      'unfollowed  account 3267269114: 0 albums and homepages no longer polled, 1 article URLs no longer read; no page makes one of its albums followed again',
    );
    expect(r.lines.at(-1)).toBe(
      'refused  album-12x: not an album or homepage URL, id or feed folder (album-<id>, home-<account>-<hid>)',
    );
  });
});

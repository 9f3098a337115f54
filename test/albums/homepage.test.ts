/**
 * Following an account through its homepage (主页, issue 20 item 4), end to end against the loopback stand-in
 * (test/helpers/album-server.ts: a stand-in built from the fields the issue and RSSHub name, no real saved answer):
 * one homepage URL gives the account's feed and the homepage's own feed (`home-<account>-<hid>[-<cid>]`, titled
 * `<homepage title> · <account>`) with each page's exact title and time; the list is POSTed, polled like an album
 * (newest first, stopping at the first known article), and an answer of another shape is a failed poll with its
 * reason that publishes nothing.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addUrls } from '../../src/commands/add.js';
import { formatFollowed, listFollowed } from '../../src/commands/list.js';
import { unfollowAlbums } from '../../src/commands/unfollow.js';
import type { Config } from '../../src/types.js';
import { useFollowing } from '../helpers/following.js';
import { type ModelArticle, startAlbumServer } from '../helpers/album-server.js';
import { HAVE_PY_FEEDPARSER, pyFeedparser, readFeed } from '../helpers/feeds.js';

const HOUR = 3600_000;
const f = useFollowing();

const config = (): Config => f.config({ urlFiles: ['urls.txt'] });
const run = (c: Config, opts: { refetch?: boolean } = {}) => f.run(c, opts);
const feed = (c: Config, slug: string) => readFeed(readFileSync(join(c.output, slug, 'atom.xml'), 'utf8'));
/** What a feed shows of an article once its page is read: the page's title and `ct` (23 s after the list's time). */
const asRead = (a: ModelArticle) => [
  `https://mp.weixin.qq.com/s?__biz=${a.biz}&mid=${a.mid}&idx=${a.idx}&sn=${a.sn}`,
  a.title,
  new Date((a.createTime + 23) * 1000).toISOString(),
];
/** Newest first; one message's articles share a second: the older keeps it, each newer one takes the next. */
function shownOrder(articles: readonly ModelArticle[]): string[][] {
  const sorted = [...articles].sort(
    (x, y) => y.createTime - x.createTime || Number(y.mid) - Number(x.mid) || Number(x.idx) - Number(y.idx),
  );
  const out = sorted.map(asRead);
  let before = Number.NEGATIVE_INFINITY;
  for (let k = out.length - 1; k >= 0; k--) {
    const at = Math.max(Date.parse(out[k]![2]!), before + 1000);
    out[k]![2] = new Date(at).toISOString();
    before = at;
  }
  return out;
}

describe('following an account through its homepage', () => {
  it('one homepage URL: the account feed and the homepage feed, exact titles and times; a new post costs one POST', async () => {
    f.srv = await startAlbumServer({ albums: 0, homepages: 2, homepageArticles: 25 });
    const hp = f.srv.homepages[1]!; // with cid 0
    const c = config();
    const added = await addUrls(c, [`${f.srv.homepageUrl(1).replace(/&/g, '&amp;')}#wechat_redirect`]);
    expect(added.lines[0]).toBe(`added homepage  ${f.srv.homepageUrl(1)}`);
    const s = await run(c);
    const id = 'home-3950000001-4-0';
    // The page (GET) once, the list (POST) in two pages of 20, every article's page.
    const posts = f.srv.requests.filter((r) => r.includes('action=appmsg_list'));
    expect(posts).toHaveLength(2);
    expect(f.srv.counts).toMatchObject({ homepagePage: 1, homepageList: 2, article: 25 });
    expect(s.fetch!.albums).toMatchObject({ polled: 1, newItems: 25, failed: 0, blocked: 0 });
    expect(s.fetch!.fetched).toBe(25);
    const expected = shownOrder(hp.articles);
    const account = feed(c, '3950000001');
    expect(account.title).toBe('主页账号1');
    expect(account.items.map((i) => [i.id, i.title, i.published?.toISOString()])).toEqual(expected);
    const home = feed(c, id);
    expect(home.title).toBe('测试主页1 · 主页账号1');
    expect(home.items.map((i) => [i.id, i.title, i.published?.toISOString()])).toEqual(expected);
    if (HAVE_PY_FEEDPARSER) {
      const [parsed] = pyFeedparser([join(c.output, id, 'rss.xml')]);
      expect(parsed!.bozo).toBe(0);
      expect(parsed!.entries.map((e) => e.title)).toEqual(expected.map((e) => e[1]));
    }
    expect(readFileSync(join(c.output, 'albums.opml'), 'utf8')).toContain(`xmlUrl="${c.baseUrl}${id}/atom.xml"`);
    expect(s.albums).toEqual([
      expect.objectContaining({ albumId: id, kind: 'homepage', title: '测试主页1', account: '主页账号1', items: 25 }),
    ]);
    // A new post: one POST, one page.
    const post = f.srv.growHomepage(1);
    f.now += HOUR;
    const before = { ...f.srv.counts };
    const s2 = await run(c);
    expect(f.srv.counts.homepageList! - before.homepageList!).toBe(1);
    expect(s2.fetch!.albums).toMatchObject({ polled: 1, newItems: 1 });
    expect(feed(c, id).items[0]!.title).toBe(post.title);
    // `wxfeed list` names it a homepage; unfollow by its feed folder keeps its feed.
    const text = formatFollowed(await listFollowed(c, f.now));
    expect(text).toContain(`测试主页1 (homepage)  ${f.srv.homepageUrl(1)}`);
    const un = await unfollowAlbums(c, [id]);
    expect(un.lines[0]).toMatch(
      /^unfollowed {2}测试主页1 · 主页账号1 {2}https:\/\/mp\.weixin\.qq\.com\/mp\/homepage\?/,
    );
    f.now += 2 * HOUR;
    const before2 = f.srv.counts.homepageList!;
    await run(c);
    expect(f.srv.counts.homepageList).toBe(before2);
    expect(readdirSync(c.output)).toContain(id);
  });

  it('add refuses a homepage URL without a numeric hid', async () => {
    f.srv = await startAlbumServer({ albums: 0, homepages: 1 });
    const c = config();
    const r = await addUrls(c, [
      'https://mp.weixin.qq.com/mp/homepage?__biz=MzA3MDM3NjE5NQ==',
      'https://mp.weixin.qq.com/mp/homepage?__biz=MzA3MDM3NjE5NQ==&hid=abc',
    ]);
    expect(r.refused).toBe(2);
    expect(r.lines).toEqual([
      'refused  https://mp.weixin.qq.com/mp/homepage?__biz=MzA3MDM3NjE5NQ==: homepage URL has no numeric hid',
      'refused  https://mp.weixin.qq.com/mp/homepage?__biz=MzA3MDM3NjE5NQ==&hid=abc: homepage URL has no numeric hid: "abc"',
    ]);
  });

  it('an answer of another shape is a failed poll with its reason: nothing published, the homepage backs off', async () => {
    f.srv = await startAlbumServer({ albums: 0, homepages: 1 });
    writeFileSync(join(f.dir, 'urls.txt'), `${f.srv.homepageUrl(0)}\n`);
    f.srv.faults.homepageShape = 1;
    const c = config();
    const s = await run(c);
    expect(s.fetch!.albums).toMatchObject({ failed: 1, polled: 0, newItems: 0, blocked: 0 });
    expect(s.fetch!.cooldownUntil).toBeUndefined();
    const failure = s.fetch!.failures.find((f) => f.reason === 'homepage poll failed')!;
    expect(failure.where).toBe(f.srv.homepageUrl(0));
    expect(failure.detail).toMatch(/appmsg_list/);
    expect(readdirSync(c.output)).not.toContain('home-3950000000-4');
    expect(s.albums![0]).toMatchObject({ kind: 'homepage', failing: { polls: 1 }, lastPoll: { result: 'failed' } });
    // Backing off: nothing asked an hour less a second later; the answer is good again an hour after.
    f.now += HOUR - 1000;
    const before = f.srv.counts.homepageList!;
    await run(c);
    expect(f.srv.counts.homepageList).toBe(before);
    f.now += 1000;
    const s3 = await run(c);
    expect(s3.fetch!.albums).toMatchObject({ polled: 1, newItems: 7 });
    expect(feed(c, 'home-3950000000-4').items).toHaveLength(7);
  });
});

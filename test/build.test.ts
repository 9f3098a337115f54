import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  copyFileSync,
  existsSync,
  linkSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
  mkdirSync,
  readdirSync,
  renameSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { build } from '../src/stages/cycle.js';
import { resolveConfig } from '../src/config.js';
import { silentLogger } from './helpers/log.js';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, StoreError } from '../src/store/db.js';
import type { Config } from '../src/types.js';
import { dump, tempDir, writeFile } from './helpers/tmp.js';
import { HAVE_PY_FEEDPARSER, pyFeedparser, readFeed } from './helpers/feeds.js';
import { OWN_FIXTURES, SEED } from './helpers/paths.js';

const BIZ_A = 'MzI2NzI2OTExNA=='; // 3267269114
const BIZ_B = 'MjM5NTU4NjgzMg=='; // 2395586832
const sn = (n: number) => n.toString(16).padStart(32, 'a');
const url = (biz: string, mid: number, idx: number, n: number, noise = '&chksm=ab&scene=58#rd') =>
  `https://mp.weixin.qq.com/s?__biz=${biz}&mid=${mid}&idx=${idx}&sn=${sn(n)}${noise}`;
const canon = (biz: string, mid: number, idx: number, n: number) =>
  `https://mp.weixin.qq.com/s?__biz=${biz}&mid=${mid}&idx=${idx}&sn=${sn(n)}`;
const SHELL = '：\n，\n。\n\n视频\n小程序\n赞\n，轻点两下取消赞\n在看\n，轻点两下取消在看';

let t: { dir: string; cleanup: () => void };
let dumps: string;
let config: Config;

function makeConfig(extra: Record<string, unknown> = {}): Config {
  return resolveConfig(
    { dumps: ['dumps'], output: 'out', store: 'data/wxfeed.db', ...extra },
    join(t.dir, 'wxfeed.yaml'),
    t.dir,
  );
}

function corpus(): void {
  writeFile(
    join(dumps, 'a/one.md'),
    dump(
      { title: 'A 第一篇: CVE-2024-1234', url: url(BIZ_A, 100, 1, 1), source: '账号甲', date: '2024-07-10' },
      '# A 第一篇: CVE-2024-1234\n\n账号甲\n\n正文一。',
    ),
  );
  writeFile(
    join(dumps, 'a/two.md'),
    dump(
      { title: 'A 第二篇 ]]> <b>&', url: url(BIZ_A, 101, 1, 2), source: '账号甲', date: '2024-07-11' },
      '正文二 🎉。',
    ),
  );
  writeFile(
    join(dumps, 'a/two-b.md'),
    dump({ title: 'A 第二篇副条', url: url(BIZ_A, 101, 2, 3), source: '账号甲', date: '2024-07-11' }, '副条正文。'),
  );
  // The same article as a.md two.md, through another URL variant and an aggregator, captured as an empty shell.
  writeFile(
    join(dumps, 'agg/2024/dup-shell.md'),
    dump(
      {
        title: 'A 第二篇 ]]> <b>&',
        url: url(BIZ_A, 101, 1, 2, '').replace('https:', 'http:').replace(/&/g, '&amp;'),
        source: "Doonsec's feed",
        date: '2024-07-11',
      },
      `# A 第二篇 ]]> <b>&\n\n${SHELL}`,
    ),
  );
  writeFile(
    join(dumps, 'agg/2024/b.md'),
    dump(
      { title: 'B 的文章', url: url(BIZ_B, 500, 1, 9), source: "Doonsec's feed", date: '2024-07-09' },
      '乙账号正文。',
    ),
  );
  writeFile(
    join(dumps, 'blog/post.markdown'),
    dump(
      {
        title: 'A blog post',
        url: 'https://blog.example.com/p/1?utm_source=x',
        source: 'Example Blog',
        date: '2024-06-01T10:00:00Z',
      },
      'Hello **world**.',
    ),
  );
  writeFile(join(dumps, 'agg/daily.md'), '# 每日摘要\n\n- item');
  writeFile(join(dumps, 'agg/daily.json'), '{"not":"read"}');
  writeFile(join(dumps, 'bad/binary.md'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]));
  writeFile(join(dumps, 'bad/empty.txt'), '');
  writeFile(join(dumps, 'bad/latin1.md'), Buffer.from('---\ntitle: caf\xe9\n---\n', 'latin1'));
  writeFile(join(dumps, 'bad/huge.md'), `---\ntitle: huge\n---\n${'x'.repeat(5 * 1024 * 1024)}`);
  symlinkSync(join(dumps, 'agg'), join(dumps, 'agg/2024/loop'));
}

function feed(slug: string, file = 'atom.xml'): string {
  return readFileSync(join(config.output, slug, file), 'utf8');
}

beforeEach(() => {
  t = tempDir();
  dumps = join(t.dir, 'dumps');
  corpus();
  config = makeConfig();
});
afterEach(() => t.cleanup());

describe('wxfeed build over a folder of dumps', () => {
  it('publishes one feed per source with merged, deduplicated articles', async () => {
    const s = await build(config, { log: silentLogger });
    expect(s.filesSeen).toBe(11);
    expect(s.articles).toBe(5);
    expect(s.duplicatesMerged).toBe(1);
    expect(s.sources).toBe(3);
    const reasons = Object.fromEntries(s.problems.map((p) => [p.where.slice(dumps.length + 1), p.reason]));
    expect(reasons).toEqual({
      'agg/daily.md': 'no front matter',
      'bad/binary.md': 'binary file',
      'bad/empty.txt': 'empty file',
      'bad/latin1.md': 'invalid UTF-8',
      'bad/huge.md': 'file over 5 MB',
    });
    expect(readdirSync(config.output).sort()).toEqual([
      '3267269114',
      'albums.opml',
      'all',
      'doonsec-s-feed',
      'example-blog',
      'feeds.opml',
      'index.html',
    ]);

    // One account: slug is the number in its biz; newest first, same day by mid desc then idx asc.
    const a = readFeed(feed('3267269114'));
    expect(a.title).toBe('账号甲');
    expect(a.items.map((i) => i.title)).toEqual(['A 第二篇 ]]> <b>&', 'A 第二篇副条', 'A 第一篇: CVE-2024-1234']);
    expect(a.items.map((i) => i.id)).toEqual([
      canon(BIZ_A, 101, 1, 2),
      canon(BIZ_A, 101, 2, 3),
      canon(BIZ_A, 100, 1, 1),
    ]);
    // Two articles of one day, dated by the day: distinct seconds from the oldest in feed order (feeds/times.ts).
    expect(a.items.map((i) => i.published?.toISOString())).toEqual([
      '2024-07-10T16:00:01.000Z',
      '2024-07-10T16:00:00.000Z',
      '2024-07-09T16:00:00.000Z',
    ]);
    // The full copy won the merge over the aggregator's shell.
    expect(a.items[0]!.content).toContain('正文二 🎉。');

    // The aggregator carries the same article once, with the same id, and the full text.
    const agg = readFeed(feed('doonsec-s-feed', 'rss.xml'));
    expect(agg.items.map((i) => i.id)).toEqual([canon(BIZ_A, 101, 1, 2), canon(BIZ_B, 500, 1, 9)]);
    expect(agg.items[0]!.content).toContain('正文二 🎉。');

    // all/: every article once, same ids.
    const all = readFeed(feed('all'));
    expect(all.items.map((i) => i.id)).toEqual([
      canon(BIZ_A, 101, 1, 2),
      canon(BIZ_A, 101, 2, 3),
      canon(BIZ_A, 100, 1, 1),
      canon(BIZ_B, 500, 1, 9),
      'https://blog.example.com/p/1',
    ]);
    expect(new Set(all.items.map((i) => i.id)).size).toBe(5);

    const opml = readFileSync(join(config.output, 'feeds.opml'), 'utf8');
    expect(opml.match(/<outline /g)).toHaveLength(3);
    expect(opml).toContain('xmlUrl="http://localhost:8080/3267269114/atom.xml"');
    const index = readFileSync(join(config.output, 'index.html'), 'utf8');
    expect(index).toContain(
      '<link rel="alternate" type="application/atom+xml" title="账号甲" href="http://localhost:8080/3267269114/atom.xml">',
    );
    expect(index).toContain('Doonsec&apos;s feed');
  });

  it.skipIf(!HAVE_PY_FEEDPARSER)(
    'python3-feedparser reads every feed without bozo, same guid in Atom, RSS and all/',
    async () => {
      await build(config, { log: silentLogger });
      const slugs = ['3267269114', 'doonsec-s-feed', 'example-blog', 'all'];
      const paths = slugs.flatMap((s) => [join(config.output, s, 'atom.xml'), join(config.output, s, 'rss.xml')]);
      const parsed = pyFeedparser(paths);
      parsed.forEach((f, i) => {
        expect(f.bozo, `${paths[i]}: ${f.bozo_exception}`).toBe(0);
      });
      const [atomA, rssA, , , , , atomAll, rssAll] = parsed;
      expect(rssA!.entries.map((e) => e.id)).toEqual(atomA!.entries.map((e) => e.id));
      expect(rssAll!.entries.map((e) => e.id)).toEqual(atomAll!.entries.map((e) => e.id));
      expect(atomA!.entries[0]).toMatchObject({
        title: 'A 第二篇 ]]> <b>&',
        link: canon(BIZ_A, 101, 1, 2),
        published: '2024-07-10T16:00:01Z',
      });
      const blog = parsed[4]!.entries[0]!;
      expect(blog).toMatchObject({ id: 'https://blog.example.com/p/1', published: '2024-06-01T10:00:00Z' });
    },
  );

  it('a second build over unchanged input rewrites no file', async () => {
    await build(config, { log: silentLogger });
    const before = readdirSync(config.output, { recursive: true })
      .map(String)
      .map((p) => [p, statSync(join(config.output, p)).mtimeMs]);
    const s = await build(config, { log: silentLogger });
    expect(s.filesRead).toBe(0);
    expect(s.filesUnchanged).toBe(11);
    expect(s.filesWritten).toEqual([]);
    expect(s.feedsWritten).toBe(0);
    expect(s.problems).toHaveLength(5); // bad files are still reported
    const after = readdirSync(config.output, { recursive: true })
      .map(String)
      .map((p) => [p, statSync(join(config.output, p)).mtimeMs]);
    expect(after).toEqual(before);
  });

  it('a first build, whose walk does not look at each file, records what a walk that looks would: one name per file, its size and time', async () => {
    // Two names of one file (a hard link): the first by name is kept, as the walk of any later build keeps it.
    linkSync(join(dumps, 'a/one.md'), join(dumps, 'a/0-same-as-one.md'));
    const first = await build(config, { log: silentLogger });
    expect(first.filesRead).toBe(11);
    const db = new Database(config.store, { readonly: true });
    const rows = db.prepare('SELECT path, size, mtime_ms AS mtimeMs FROM files ORDER BY path').all() as Array<{
      path: string;
      size: number;
      mtimeMs: number;
    }>;
    db.close();
    const paths = rows.map((r) => r.path.slice(dumps.length + 1));
    expect(paths).toContain('a/0-same-as-one.md');
    expect(paths).not.toContain('a/one.md');
    for (const r of rows)
      expect(r).toEqual({ path: r.path, size: statSync(r.path).size, mtimeMs: Math.floor(statSync(r.path).mtimeMs) });
    // The next build looks at every file and finds all of them as recorded.
    const second = await build(config, { log: silentLogger });
    expect(second.filesRead).toBe(0);
    expect(second.filesUnchanged).toBe(11);
  });

  it('adding a dump rewrites only that source, all/, the OPML and the index', async () => {
    await build(config, { log: silentLogger });
    writeFile(
      join(dumps, 'a/three.md'),
      dump({ title: 'A 第三篇', url: url(BIZ_A, 102, 1, 4), source: '账号甲', date: '2024-07-12' }, '正文三。'),
    );
    const s = await build(config, { log: silentLogger });
    expect(s.filesRead).toBe(1);
    const written = s.filesWritten.map((p) => p.slice(config.output.length + 1)).sort();
    expect(written).toEqual([
      '3267269114/atom.xml',
      '3267269114/feed.json',
      '3267269114/rss.xml',
      'all/atom.xml',
      'all/feed.json',
      'all/rss.xml',
      'index.html',
    ]);
    expect(readFeed(feed('3267269114')).items[0]!.title).toBe('A 第三篇');
  });

  it('deleting a dump removes its article from the store and its feeds; a source with none left is removed', async () => {
    await build(config, { log: silentLogger });
    unlinkSync(join(dumps, 'blog/post.markdown'));
    unlinkSync(join(dumps, 'a/one.md'));
    const s = await build(config, { log: silentLogger });
    expect(s.filesRemoved).toBe(2);
    expect(s.articles).toBe(3);
    expect(readFeed(feed('3267269114')).items.map((i) => i.title)).toEqual(['A 第二篇 ]]> <b>&', 'A 第二篇副条']);
    expect(existsSync(join(config.output, 'example-blog'))).toBe(false);
    expect(readFeed(feed('all')).items).toHaveLength(3);
    const db = new Database(config.store, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM articles').get()).toEqual({ n: 3 });
    db.close();
  });

  it('deleting the full copy falls back to the shell: title, link and date stay, the text does not', async () => {
    await build(config, { log: silentLogger });
    unlinkSync(join(dumps, 'a/two.md'));
    await build(config, { log: silentLogger });
    // The shell came through the aggregator: the article is now only there.
    expect(readFeed(feed('3267269114')).items.map((i) => i.title)).toEqual(['A 第二篇副条', 'A 第一篇: CVE-2024-1234']);
    const item = readFeed(feed('doonsec-s-feed')).items[0]!;
    expect(item.title).toBe('A 第二篇 ]]> <b>&');
    expect(item.id).toBe(canon(BIZ_A, 101, 1, 2));
    expect(item.content).toContain('存档只有页面框架');
    expect(item.content).not.toContain('正文二');
  });

  it('config sets slug, title, filters and limit by biz or by name; ids survive a baseUrl change', async () => {
    config = makeConfig({
      baseUrl: 'https://feeds.example.org/wx',
      sources: [
        { match: '3267269114', slug: 'jia', title: '甲', exclude: ['副条'], limit: 1 },
        { match: "Doonsec's feed", include: ['B 的'] },
      ],
    });
    await build(config, { log: silentLogger });
    const jia = readFeed(feed('jia'));
    expect(jia.title).toBe('甲');
    expect(jia.items.map((i) => i.id)).toEqual([canon(BIZ_A, 101, 1, 2)]);
    expect(feed('jia')).toContain('<link rel="self" href="https://feeds.example.org/wx/jia/atom.xml"/>');
    expect(readFeed(feed('doonsec-s-feed')).items.map((i) => i.title)).toEqual(['B 的文章']);
    expect(existsSync(join(config.output, '3267269114'))).toBe(false);
  });

  it('refuses a store file that is not a wxfeed store, and leaves it as it was', async () => {
    mkdirSync(join(t.dir, 'data'), { recursive: true });
    writeFileSync(config.store, 'this is not a database, it is my notes');
    await expect(build(config, { log: silentLogger })).rejects.toThrow(StoreError);
    expect(readFileSync(config.store, 'utf8')).toBe('this is not a database, it is my notes');
    rmSync(config.store);
    const other = new Database(config.store);
    other.exec('CREATE TABLE mine (x INTEGER); INSERT INTO mine VALUES (42);');
    other.close();
    const bytes = readFileSync(config.store);
    await expect(build(config, { log: silentLogger })).rejects.toThrow(/not a wxfeed store/);
    expect(readFileSync(config.store).equals(bytes)).toBe(true);
  });

  it('uses an empty database at the store path: what a first build killed before writing its schema leaves', async () => {
    mkdirSync(join(t.dir, 'data'), { recursive: true });
    const empty = new Database(config.store);
    empty.pragma('journal_mode = WAL');
    empty.close();
    const s = await build(config, { log: silentLogger });
    expect(s.articles).toBe(5);
    expect(s.feedsWritten).toBe(4); // the account, Doonsec's feed, the blog, all/
  });

  it('opens a new store a kill left with a hot rollback journal (before WAL mode): rolled back, then built', async () => {
    mkdirSync(join(t.dir, 'data'), { recursive: true });
    const fixture = join(OWN_FIXTURES, 'store', 'hot-journal');
    copyFileSync(join(fixture, 'wxfeed.db'), config.store);
    copyFileSync(join(fixture, 'wxfeed.db-journal'), `${config.store}-journal`);
    const s = await build(config, { log: silentLogger });
    expect(s.articles).toBe(5);
    expect(s.feedsWritten).toBe(4);
    expect(existsSync(`${config.store}-journal`)).toBe(false);
  });

  it('refuses a corrupt store and leaves it as it was', async () => {
    await build(config, { log: silentLogger });
    const bytes = readFileSync(config.store);
    for (let i = 4096; i < bytes.length; i += 512) bytes[i] = 0xff;
    writeFileSync(config.store, bytes);
    rmSync(`${config.store}-wal`, { force: true });
    rmSync(`${config.store}-shm`, { force: true });
    await expect(build(config, { log: silentLogger })).rejects.toThrow(/corrupt/);
    expect(readFileSync(config.store).equals(bytes)).toBe(true);
  });

  it('the seed dump builds into the default layout', async () => {
    rmSync(dumps, { recursive: true });
    writeFile(join(dumps, 'seed.txt'), readFileSync(SEED));
    const s = await build(config, { log: silentLogger });
    expect(s.articles).toBe(1);
    const item = readFeed(feed('3267269114', 'rss.xml')).items[0]!;
    expect(item.title).toBe('小米获 NVDB “2023年度漏洞管理实践先进企业” 荣誉');
    expect(item.media[0]).toMatchObject({ mimeType: 'image/jpeg' });
  });
});

describe('article bodies stay in the dump files', () => {
  const bodyRows = () => {
    const db = new Database(config.store, { readonly: true });
    const rows = db
      .prepare(
        "SELECT origin, body, body_format AS format FROM observations WHERE origin LIKE 'file:%' ORDER BY origin",
      )
      .all() as Array<{ origin: string; body: string; format: string }>;
    db.close();
    return rows;
  };

  it('the store keeps no copy of a dump body; feeds read it from the file', async () => {
    await build(config, { log: silentLogger });
    const rows = bodyRows();
    expect(rows.length).toBe(6);
    expect(rows.every((r) => r.body === '')).toBe(true);
    expect(rows.filter((r) => r.format === 'dump').map((r) => r.origin.slice(r.origin.lastIndexOf('/') + 1))).toEqual([
      'one.md',
      'two-b.md',
      'two.md',
      'b.md',
      'post.markdown',
    ]);
    expect(readFeed(feed('3267269114')).items.find((i) => i.title === 'A 第一篇: CVE-2024-1234')!.content).toContain(
      '正文一。',
    );
  });

  it('a dump whose bytes change while its size and time do not is caught when shown, and read again next build', async () => {
    await build(config, { log: silentLogger });
    const path = join(dumps, 'a/one.md');
    const before = statSync(path);
    writeFileSync(path, readFileSync(path, 'utf8').replace('正文一。', '正文壹。'));
    utimesSync(path, before.atimeMs / 1000, before.mtimeMs / 1000);
    expect([statSync(path).size, Math.floor(statSync(path).mtimeMs)]).toEqual([
      before.size,
      Math.floor(before.mtimeMs),
    ]);
    // Another dump of the same account makes its feed render again.
    writeFile(
      join(dumps, 'a/three.md'),
      dump({ title: 'A 第三篇', url: url(BIZ_A, 102, 1, 4), source: '账号甲', date: '2024-07-12' }, '正文三。'),
    );
    const s = await build(config, { log: silentLogger });
    expect(s.filesRead).toBe(1);
    expect(s.problems).toContainEqual({
      kind: 'stale-dump',
      where: path,
      reason: 'changed since it was read; read again on the next build',
    });
    expect(readFeed(feed('3267269114')).items.find((i) => i.title === 'A 第一篇: CVE-2024-1234')!.content).toContain(
      '正文壹。',
    );
    const next = await build(config, { log: silentLogger });
    expect(next.filesRead).toBe(1);
    expect(next.problems.map((p) => p.where)).not.toContain(path);
    const last = await build(config, { log: silentLogger });
    expect(last.filesRead).toBe(0);
    expect(last.filesWritten).toEqual([]);
  });

  it('a store written before bodies stayed in files (schema 2, HTML kept) is migrated and its HTML still shown', async () => {
    mkdirSync(join(t.dir, 'data'), { recursive: true });
    const old = new Database(config.store);
    for (const step of MIGRATIONS.slice(0, 2)) old.exec(step as string);
    old.pragma(`application_id = ${APPLICATION_ID}`);
    old.pragma('user_version = 2');
    const path = join(dumps, 'a/one.md');
    const st = statSync(path);
    old.prepare('INSERT INTO files (path, size, mtime_ms) VALUES (?, ?, ?)').run(path, st.size, Math.floor(st.mtimeMs));
    old
      .prepare(`INSERT INTO observations (origin, key, source, id, link, biz, mid, idx, sn, title, date, date_precision, state, content_html, text_length, summary, seen_at)
      VALUES (?, ?, '账号甲', ?, ?, ?, 100, 1, ?, 'A 第一篇: CVE-2024-1234', 1720540800000, 'day', 'full', '<p>旧库里的正文</p>', 7, '旧库里的正文', 1)`)
      .run(`file:${path}`, `sn:${sn(1)}`, canon(BIZ_A, 100, 1, 1), canon(BIZ_A, 100, 1, 1), BIZ_A, sn(1));
    old.prepare('INSERT INTO pending_keys (key) VALUES (?)').run(`sn:${sn(1)}`);
    old.close();
    const s = await build(config, { log: silentLogger });
    expect(s.filesRead).toBe(10); // one.md is known, unchanged: not read again
    const db = new Database(config.store, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(
      db
        .prepare('SELECT body, body_format AS format, length(body_hash) AS h FROM observations WHERE origin = ?')
        .get(`file:${path}`),
    ).toEqual({ body: '<p>旧库里的正文</p>', format: 'html', h: 32 });
    db.close();
    expect(readFeed(feed('3267269114')).items.find((i) => i.title === 'A 第一篇: CVE-2024-1234')!.content).toContain(
      '旧库里的正文',
    );
  });
});

describe('feed folders never take a reserved name', () => {
  it('sources named "img" and "API" get folders the server does not route elsewhere, and the index links those', async () => {
    rmSync(dumps, { recursive: true });
    writeFile(
      join(dumps, 'img.md'),
      dump({ title: 'Pictures', url: 'https://example.com/p/1', source: 'img', date: '2024-01-01' }, 'Body.'),
    );
    writeFile(
      join(dumps, 'api.md'),
      dump({ title: 'Endpoints', url: 'https://example.com/a/1', source: 'API', date: '2024-01-02' }, 'Body.'),
    );
    await build(config, { log: silentLogger });
    const folders = readdirSync(config.output).sort();
    expect(folders).not.toContain('img');
    expect(folders).not.toContain('api');
    const img = folders.find((f) => /^img-[0-9a-f]{6}$/.test(f))!;
    const api = folders.find((f) => /^api-[0-9a-f]{6}$/.test(f))!;
    expect(readFeed(feed(img)).items.map((i) => i.title)).toEqual(['Pictures']);
    expect(readFeed(feed(api)).items.map((i) => i.title)).toEqual(['Endpoints']);
    const opml = readFileSync(join(config.output, 'feeds.opml'), 'utf8');
    expect(opml).toContain(`xmlUrl="http://localhost:8080/${img}/atom.xml"`);
    expect(opml).not.toContain('http://localhost:8080/img/');
  });
});

describe('a dump whose date cannot be read', () => {
  it('is published with the fallback date and listed (a warning: used, not skipped) naming the value, build after build', async () => {
    const path = join(dumps, 'a/undated.md');
    writeFile(
      path,
      dump(
        {
          title: 'A 无日期',
          url: url(BIZ_A, 103, 1, 5),
          source: '账号甲',
          date: 'yesterday',
          fetch_date: '2024-07-13',
        },
        '正文。',
      ),
    );
    const expected = {
      kind: 'dump-warning',
      where: path,
      reason: 'unreadable date',
      detail: 'date: yesterday; used fetch_date 2024-07-13',
    };
    const s = await build(config, { log: silentLogger });
    expect(s.warnings).toEqual([expected]);
    expect(s.problems.map((p) => p.where)).not.toContain(path);
    const item = readFeed(feed('3267269114')).items.find((i) => i.title === 'A 无日期')!;
    expect(item.published?.toISOString()).toBe('2024-07-12T16:00:00.000Z');
    // Unchanged: the walk's fingerprint skips the comparison, and the problem is still listed.
    const again = await build(config, { log: silentLogger });
    expect(again.filesRead).toBe(0);
    expect(again.warnings).toEqual([expected]);
    expect(again.problems).toHaveLength(5);
    // Compared file by file (another file changed): still listed, and still published.
    writeFile(join(dumps, 'a/new.md'), dump({ title: 'N', url: url(BIZ_A, 104, 1, 6), source: '账号甲' }, '新。'));
    const third = await build(config, { log: silentLogger });
    expect(third.filesRead).toBe(1);
    expect(third.warnings).toEqual([expected]);
    expect(third.problems).toHaveLength(5);
    expect(readFeed(feed('3267269114')).items.map((i) => i.title)).toContain('A 无日期');
    // Fixed: no longer a problem.
    writeFile(
      path,
      dump({ title: 'A 无日期', url: url(BIZ_A, 103, 1, 5), source: '账号甲', date: '2024-07-13' }, '正文。'),
    );
    const fixed = await build(config, { log: silentLogger });
    expect(fixed.warnings).toEqual([]);
  });
});

describe('removing dump files: an emptied or dropped folder never empties the feeds by accident', () => {
  /** Every file of the output with its bytes. */
  const outputBytes = () =>
    new Map(
      readdirSync(config.output, { recursive: true })
        .map(String)
        .filter((p) => statSync(join(config.output, p)).isFile())
        .map((p) => [p, readFileSync(join(config.output, p), 'utf8')]),
    );
  const storedFiles = () => {
    const db = new Database(config.store, { readonly: true });
    const n = (db.prepare('SELECT COUNT(*) AS n FROM files').get() as { n: number }).n;
    db.close();
    return n;
  };

  it('an emptied dumps folder (an unmounted disk) removes nothing, says why and fails; --prune confirms', async () => {
    await build(config, { log: silentLogger });
    const before = outputBytes();
    for (const entry of readdirSync(dumps)) rmSync(join(dumps, entry), { recursive: true });
    const refused = build(config, { log: silentLogger });
    await expect(refused).rejects.toThrow(`refusing to forget 11 of the 11 known dump files`);
    await expect(build(config, { log: silentLogger })).rejects.toThrow(`${dumps}: none of its 11 files found`);
    // One line, as the daemon logs it and /healthz shows it: the folder, the counts and what confirms it.
    const message = ((await build(config, { log: silentLogger }).catch((e: Error) => e)) as Error).message;
    expect(message).toBe(
      `refusing to forget 11 of the 11 known dump files; nothing was removed (${dumps}: none of its 11 files found (a disk not mounted?)). If the files were removed on purpose, run \`wxfeed build --prune\` to forget them.`,
    );
    expect(storedFiles()).toBe(11);
    expect(outputBytes()).toEqual(before);
    const pruned = await build(config, { log: silentLogger, prune: true });
    expect(pruned.filesRemoved).toBe(11);
    expect(pruned.articles).toBe(0);
    expect(existsSync(join(config.output, '3267269114'))).toBe(false);
  });

  it('more than half of the known files at once is refused, naming the counts; fewer is done', async () => {
    await build(config, { log: silentLogger });
    rmSync(join(dumps, 'bad'), { recursive: true });
    rmSync(join(dumps, 'a'), { recursive: true });
    await expect(build(config, { log: silentLogger })).rejects.toThrow(
      /refusing to forget 7 of the 11 known dump files at once \(more than half\)[\s\S]*: 7 of its 11 files gone/,
    );
    expect(storedFiles()).toBe(11);
    expect(readFeed(feed('3267269114')).items).toHaveLength(3);
    const s = await build(config, { log: silentLogger, prune: true });
    expect(s.filesRemoved).toBe(7);
    expect(existsSync(join(config.output, '3267269114'))).toBe(false);
    // 1 of the 4 left: no question asked.
    unlinkSync(join(dumps, 'blog/post.markdown'));
    expect((await build(config, { log: silentLogger })).filesRemoved).toBe(1);
  });

  it('every file of one dumps folder gone is refused even when few, naming that folder', async () => {
    writeFile(join(t.dir, 'more/x.md'), dump({ title: 'X', url: 'https://example.com/x', source: 'More' }, 'X.'));
    config = makeConfig({ dumps: ['dumps', 'more'] });
    await build(config, { log: silentLogger });
    unlinkSync(join(t.dir, 'more/x.md'));
    await expect(build(config, { log: silentLogger })).rejects.toThrow(
      `${join(t.dir, 'more')}: none of its 1 files found`,
    );
    expect(readFeed(feed('more')).items).toHaveLength(1);
    expect((await build(config, { log: silentLogger, prune: true })).filesRemoved).toBe(1);
    expect(existsSync(join(config.output, 'more'))).toBe(false);
  });

  it('a folder that vanishes during the build forgets nothing', async () => {
    await build(config, { log: silentLogger });
    unlinkSync(join(dumps, 'a/one.md'));
    writeFile(
      join(dumps, 'a/three.md'),
      dump({ title: 'A 第三篇', url: url(BIZ_A, 102, 1, 4), source: '账号甲', date: '2024-07-12' }, '正文三。'),
    );
    const away = join(t.dir, 'dumps-away');
    // The disk goes away while the new file is read: its mount point is left, empty.
    const unmount = () => {
      if (existsSync(away)) return;
      renameSync(dumps, away);
      mkdirSync(dumps);
    };
    await expect(build(config, { log: silentLogger, progress: unmount })).rejects.toThrow(
      `dumps folder ${dumps} vanished during the build`,
    );
    expect(storedFiles()).toBe(12); // one.md not forgotten; three.md recorded
    rmSync(dumps, { recursive: true });
    renameSync(away, dumps);
    const s = await build(config, { log: silentLogger });
    expect(s.filesRemoved).toBe(1);
    expect(readFeed(feed('3267269114')).items.map((i) => i.title)).toEqual([
      'A 第三篇',
      'A 第二篇 ]]> <b>&',
      'A 第二篇副条',
    ]);
  });

  it('a folder dropped from the config is forgotten: articles only it held leave the feeds', async () => {
    writeFile(
      join(t.dir, 'old/x.md'),
      dump({ title: 'Old X', url: 'https://example.com/x', source: 'Old', date: '2024-01-01' }, 'X.'),
    );
    // Also a copy of an article the main folder holds: that article stays.
    writeFile(
      join(t.dir, 'old/one-copy.md'),
      dump(
        { title: 'A 第一篇: CVE-2024-1234', url: url(BIZ_A, 100, 1, 1), source: "Doonsec's feed", date: '2024-07-10' },
        '副本。',
      ),
    );
    config = makeConfig({ dumps: ['dumps', 'old'] });
    await build(config, { log: silentLogger });
    expect(readFeed(feed('old')).items).toHaveLength(1);
    expect(readFeed(feed('doonsec-s-feed')).items).toHaveLength(3);
    config = makeConfig({ dumps: ['dumps'] });
    const s = await build(config, { log: silentLogger });
    expect(s.filesRemoved).toBe(2);
    expect(existsSync(join(config.output, 'old'))).toBe(false);
    expect(readFeed(feed('all')).items.map((i) => i.title)).not.toContain('Old X');
    expect(readFeed(feed('3267269114')).items.map((i) => i.title)).toContain('A 第一篇: CVE-2024-1234');
    expect(readFeed(feed('doonsec-s-feed')).items).toHaveLength(2);
    expect(storedFiles()).toBe(11);
  });

  it('dropping folders that held more than half of the known files is refused, naming them, until --prune', async () => {
    for (let i = 0; i < 12; i++)
      writeFile(
        join(t.dir, 'old', `${i}.md`),
        dump({ title: `Old ${i}`, url: `https://example.com/${i}`, source: 'Old', date: '2024-01-01' }, 'X.'),
      );
    config = makeConfig({ dumps: ['dumps', 'old'] });
    await build(config, { log: silentLogger });
    config = makeConfig({ dumps: ['dumps'] });
    await expect(build(config, { log: silentLogger })).rejects.toThrow(
      `${join(t.dir, 'old')}: 12 files, no longer a dumps folder of the config`,
    );
    expect(readFeed(feed('old')).items).toHaveLength(12);
    const s = await build(config, { log: silentLogger, prune: true });
    expect(s.filesRemoved).toBe(12);
    expect(existsSync(join(config.output, 'old'))).toBe(false);
  });
});

describe('temp files a crashed write left in output/', () => {
  it('are removed by the next build, in output/ and one level down; other files and live writers are left alone', async () => {
    await build(config, { log: silentLogger });
    const dead = 99_999_999; // above any pid_max: no such process
    const old = (path: string) =>
      utimesSync(path, new Date(Date.now() - 2 * 3600_000), new Date(Date.now() - 2 * 3600_000));
    const paths = {
      top: join(config.output, `.index.html.${dead}.0a1b2c3d.tmp`),
      inFeed: join(config.output, '3267269114', `.atom.xml.${dead}.deadbeef.tmp`),
      ownPid: join(config.output, 'all', `.rss.xml.${process.pid}.01234567.tmp`),
      liveOld: join(config.output, 'all', `.feed.json.${process.ppid}.89abcdef.tmp`),
      // Another process that is running may be writing this one right now.
      liveFresh: join(config.output, 'all', `.atom.xml.${process.ppid}.76543210.tmp`),
      notATemp: join(config.output, 'notes.tmp'),
      hiddenNotOurs: join(config.output, '.keep.tmp'),
      deeper: join(config.output, '3267269114', 'sub', `.x.${dead}.deadbeef.tmp`),
    };
    for (const p of Object.values(paths)) writeFile(p, 'partial');
    old(paths.liveOld);
    const s = await build(config, { log: silentLogger });
    expect(s.filesWritten).toEqual([]);
    const left = Object.fromEntries(Object.entries(paths).map(([k, p]) => [k, existsSync(p)]));
    expect(left).toEqual({
      top: false,
      inFeed: false,
      ownPid: false,
      liveOld: false,
      liveFresh: true,
      notATemp: true,
      hiddenNotOurs: true,
      deeper: true,
    });
  });
});

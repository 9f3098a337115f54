/**
 * npx tsx bench/render-formats.ts [--archive DIR] [--dumps 300] [--items 50] [--runs 40] [--feed6 PATH] [--json FILE]
 *
 * Issue 10: which renderer, by measurement. Feeds of `--items` articles with real bodies — `--dumps` dumps of the
 * archive (default /work/corpora/picker/archive; every k-th `*.md` in path order that holds an article), read with the
 * project's parser and rendered with `markdownHtml`, nothing of them copied into the project — rendered by:
 *
 *   feed@5.2.1          the renderer before issue 10 (bench/lib/feed-lib-render.ts), marker/splice step included
 *   feed@5.2.1 no splice  the same without the marker/splice step (bodies through xml-js)
 *   feed@6.0.0          the same over feed 6.0.0, imported by path (`--feed6`, default
 *                       /tmp/feed6/node_modules/feed/lib/feed.js: `cd /tmp/feed6 && npm install feed@6.0.0`)
 *   feed@6.0.0 no splice
 *   hand-written        src/feeds/{item,atom,rss,json}.ts (which, unlike feed@5.2.1, escapes `<` in attribute values
 *                       and declares `dc` whenever an item has a `dc:creator`: the generated-feed check counts those
 *                       differences apart)
 *
 * For each: median ms per feed (the three formats, bodies presented once) and per format alone, over `--runs` rounds
 * of every feed, variants interleaved; bytes allocated per feed and peak RSS, each variant in a child process of its
 * own; and whether its bytes are those of feed@5.2.1 over the archive feeds and those of the golden files over the
 * test corpus (test/feeds/__golden__).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Feed as Feed5 } from 'feed';
import { XMLValidator } from 'fast-xml-parser';
import fc from 'fast-check';
import { summaryOf } from '../src/content/body.js';
import { cleanText } from '../src/content/text.js';
import { markdownHtml } from '../src/content/markdown.js';
import { parseDump } from '../src/dumps/parse.js';
import { renderAtom } from '../src/feeds/atom.js';
import { feedItems, type FeedMeta, type ImageOptions } from '../src/feeds/item.js';
import { renderJson } from '../src/feeds/json.js';
import { renderRss } from '../src/feeds/rss.js';
import type { FeedArticle } from '../src/types.js';
import type { RenderedFeed } from '../src/feeds/render.js';
import { EMPTY_META, IMAGE_MODES, META, corpus as testCorpus } from '../test/feeds/corpus.js';
import { libRenderer, type FeedClass, type Format } from './lib/feed-lib-render.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name: string, def: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : def;
};
const ARCHIVE = opt('archive', '/work/corpora/picker/archive');
const DUMPS = Number(opt('dumps', '300'));
const ITEMS = Number(opt('items', '50'));
const RUNS = Number(opt('runs', '40'));
const FEED6 = opt('feed6', '/tmp/feed6/node_modules/feed/lib/feed.js');
const FUZZ = Number(opt('fuzz', '5000'));
const JSON_OUT = opt('json', '');
const CHILD = opt('child', '');
const CORPUS_FILE = opt('corpus', '');
const FORMATS: Format[] = ['atom', 'rss', 'json'];
/** The default image mode (`images: no-referrer`): every `<img>` of every body is rewritten. */
const IMAGES: ImageOptions = { mode: 'no-referrer' };

interface Variant {
  name: string;
  feeds(meta: FeedMeta, articles: readonly FeedArticle[], images: ImageOptions): RenderedFeed;
  format(format: Format, meta: FeedMeta, articles: readonly FeedArticle[], images: ImageOptions): string;
}

const RENDER_FORMAT = { atom: renderAtom, rss: renderRss, json: renderJson };
const HAND: Variant = {
  name: 'hand-written',
  feeds(meta, articles, images) {
    const items = feedItems(articles, images);
    return { atom: renderAtom(meta, items), rss: renderRss(meta, items), json: renderJson(meta, items) };
  },
  format: (format, meta, articles, images) => RENDER_FORMAT[format](meta, feedItems(articles, images)),
};

async function loadFeed6(): Promise<FeedClass | undefined> {
  try {
    statSync(FEED6);
  } catch {
    console.error(`feed 6 not found at ${FEED6}: its rows are left out`);
    return undefined;
  }
  return ((await import(pathToFileURL(FEED6).href)) as { Feed: FeedClass }).Feed;
}

async function variants(): Promise<Variant[]> {
  const out: Variant[] = [
    { name: 'feed@5.2.1', ...libRenderer(Feed5 as unknown as FeedClass, 5, true) },
    { name: 'feed@5.2.1 no splice', ...libRenderer(Feed5 as unknown as FeedClass, 5, false) },
  ];
  const Feed6 = await loadFeed6();
  if (Feed6)
    out.push(
      { name: 'feed@6.0.0', ...libRenderer(Feed6, 6, true) },
      { name: 'feed@6.0.0 no splice', ...libRenderer(Feed6, 6, false) },
    );
  out.push(HAND);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The corpus: real dumps, read and rendered as a build renders them for a feed.

function walk(dir: string, out: string[]): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.md') && e.name !== 'README.md') out.push(p);
  }
  return out;
}

function loadCorpus(): FeedArticle[] {
  const files = walk(ARCHIVE, []).sort();
  const articles: FeedArticle[] = [];
  // Every k-th file, so the sample spans the years and the sources; twice as many tried as wanted (notices and
  // shells have no body).
  const step = Math.max(1, Math.floor(files.length / (DUMPS * 2)));
  for (let i = 0; i < files.length && articles.length < DUMPS; i += step) {
    const path = files[i]!;
    const parsed = parseDump(readFileSync(path), { path, mtimeMs: 0 });
    if (!parsed.ok || !parsed.markdown) continue;
    const a = parsed.observation;
    const html = markdownHtml(parsed.markdown);
    articles.push({
      key: a.key,
      id: a.id,
      link: a.link,
      title: a.title,
      ...(a.author ? { author: a.author } : {}),
      date: a.date,
      datePrecision: a.datePrecision,
      state: a.state,
      contentHtml: html,
      summary: summaryOf(html),
      ...(a.cover ? { cover: a.cover } : {}),
      contentHash: a.body.hash,
    });
  }
  return articles;
}

function feedsOf(articles: FeedArticle[]): Array<{ meta: FeedMeta; articles: FeedArticle[] }> {
  const feeds = [];
  for (let i = 0; i + ITEMS <= articles.length; i += ITEMS) {
    const slug = `f${i / ITEMS}`;
    feeds.push({
      meta: {
        id: `urn:wxfeed:feed:${slug}`,
        title: `Feed ${slug}`,
        description: `WeChat articles of ${slug}, published by wxfeed`,
        selfBase: `http://localhost:8080/${slug}/`,
        home: `http://localhost:8080/#${slug}`,
        author: `Feed ${slug}`,
      },
      articles: articles.slice(i, i + ITEMS),
    });
  }
  return feeds;
}

// ---------------------------------------------------------------------------------------------------------------
// Bytes: the same as feed@5.2.1 over the archive feeds, the same as the golden files over the test corpus.

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const line = a.slice(0, i).split('\n').length;
  const show = (s: string) => JSON.stringify(s.slice(Math.max(0, i - 40), i + 60));
  return `line ${line}: ${show(b)} instead of ${show(a)}`;
}

function checkBytes(
  variant: Variant,
  reference: Variant,
  feeds: ReturnType<typeof feedsOf>,
): { archive: Record<Format, string>; golden: Record<Format, string> } {
  const archive = { atom: 'same', rss: 'same', json: 'same' } as Record<Format, string>;
  for (const { meta, articles } of feeds) {
    const want = reference.feeds(meta, articles, IMAGES);
    const got = variant.feeds(meta, articles, IMAGES);
    for (const f of FORMATS)
      if (archive[f] === 'same' && got[f] !== want[f]) archive[f] = `${meta.id}: ${firstDifference(want[f], got[f])}`;
  }
  const golden = { atom: 'same', rss: 'same', json: 'same' } as Record<Format, string>;
  const cases: Array<[string, FeedMeta, FeedArticle[], ImageOptions]> = [
    ...Object.entries(IMAGE_MODES).map(([mode, images]): [string, FeedMeta, FeedArticle[], ImageOptions] => [
      mode,
      META,
      testCorpus(),
      images,
    ]),
    ['empty', EMPTY_META, [], IMAGE_MODES.direct],
  ];
  for (const [name, meta, articles, images] of cases) {
    let got: RenderedFeed;
    try {
      got = variant.feeds(meta, articles, images);
    } catch (e) {
      for (const f of FORMATS) if (golden[f] === 'same') golden[f] = `${name}: throws ${(e as Error).message}`;
      continue;
    }
    for (const f of FORMATS) {
      const file = join(ROOT, 'test/feeds/__golden__', `${f}.${name}.${f === 'json' ? 'json.txt' : 'xml'}`);
      const want = readFileSync(file, 'utf8');
      if (golden[f] === 'same' && got[f] !== want) golden[f] = `${name}: ${firstDifference(want, got[f])}`;
    }
  }
  return { archive, golden };
}

/**
 * Bytes over generated input: `FUZZ` random feeds (hostile strings, URLs of every shape, every state, notice and image
 * mode) rendered by the variant and by feed@5.2.1. Ids are never empty (keys.ts always gives one). Returns how many
 * feeds differed or threw, and the first difference.
 */
function fuzzBytes(variant: Variant, reference: Variant): string {
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.constantFrom('', ' ', ']]>', '&amp;', '<b>&</b>', `"'`, '\u0000', '\uD800', '🎉中文', '\u00A0'),
  );
  const url = fc.oneof(
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc.constantFrom(
      'https://mmbiz.qpic.cn/mmbiz_jpg/a/0?wx_fmt=jpeg&x=1',
      'http://mmbiz.qpic.cn/sz_mmbiz_png/d/640',
      `https://x.example/a"b'c.png`,
      'https://x.example/a b.gif',
      'HTTPS://X.example/a.PNG',
      '/relative.png',
    ),
    text,
  );
  const article: fc.Arbitrary<FeedArticle> = fc.record(
    {
      key: fc.constant('k'),
      id: fc.oneof(url, fc.constant('urn:wxfeed:hash:0123')).map((s) => cleanText(s) || 'x'),
      link: url,
      title: text,
      author: text,
      date: fc.integer({ min: 0, max: 4e12 }),
      datePrecision: fc.constant('day' as const),
      state: fc.constantFrom('full', 'truncated', 'shell', 'captcha', 'deleted', 'blocked', 'migrated', 'expired'),
      notice: fc.constantFrom('deleted', 'blocked', 'migrated'),
      contentHtml: fc.oneof(text, fc.constant('<p>x ]]> y</p><img src="https://mmbiz.qpic.cn/a?wx_fmt=png&amp;b=1">')),
      summary: text,
      cover: url,
      contentHash: fc.constant('h'),
    },
    { requiredKeys: ['key', 'id', 'link', 'title', 'date', 'datePrecision', 'state', 'contentHtml', 'summary'] },
  ) as fc.Arbitrary<FeedArticle>;
  const meta = fc.record({
    id: fc.constantFrom('urn:wxfeed:feed:x', 'urn:wxfeed:feed:a&b'),
    title: text,
    description: text,
    selfBase: fc.constant('http://h.example/x/'),
    home: fc.constantFrom('http://h.example/#x', 'http://h.example/?a=1&b=2'),
    author: fc.option(text, { nil: undefined }),
  });
  const images = fc.constantFrom<ImageOptions>(IMAGE_MODES.direct, IMAGE_MODES['no-referrer'], IMAGE_MODES.proxy);
  let differ = 0;
  let fixed = 0;
  let threw = 0;
  let first = '';
  fc.assert(
    fc.property(meta, fc.array(article, { maxLength: 4 }), images, (m, items, img) => {
      const want = reference.feeds(m, items, img);
      let got: RenderedFeed;
      try {
        got = variant.feeds(m, items, img);
      } catch (e) {
        threw++;
        first ||= `throws ${(e as Error).message}`;
        return;
      }
      const f = FORMATS.find((x) => got[x] !== want[x]);
      if (!f) return;
      // Where feed@5.2.1 wrote XML a strict parser refuses, the hand-written renderer does not (by design).
      if (variant === HAND && f !== 'json' && malformed(want[f]) && !malformed(got[f])) fixed++;
      else {
        differ++;
        first ||= `${f}: ${firstDifference(want[f], got[f])}`;
      }
    }),
    { numRuns: FUZZ, seed: 10 },
  );
  const repaired = fixed ? `; ${fixed} differ where feed@5.2.1 wrote malformed XML and this does not` : '';
  return differ + threw === 0
    ? `the same in ${FUZZ - fixed} of ${FUZZ}${repaired}`
    : `${differ} of ${FUZZ} differ, ${threw} throw${repaired}; first: ${first.slice(0, 300)}`;
}

/** What feed@5.2.1 let through: `<` in an attribute value, `dc:creator` with its prefix unbound. */
const malformed = (xml: string): boolean =>
  /\s[\w:]+="[^"]*</.test(xml) || (xml.includes('<dc:creator>') && !xml.includes('xmlns:dc='));

// ---------------------------------------------------------------------------------------------------------------
// What a version of `feed` does with what the workarounds handle, given the item as it is (no workaround).

function probe(name: string, Feed: FeedClass): string[] {
  const cover = 'https://mmbiz.qpic.cn/mmbiz_jpg/abc/0?wx_fmt=jpeg&from=appmsg';
  const render = (item: Record<string, unknown>) => {
    const feed = new Feed({ id: 'urn:x', title: 't', link: 'http://h/', updated: new Date(0), feedLinks: {} });
    feed.addItem({ id: 'https://h/a', link: 'https://h/a', date: new Date(0), title: 't', ...item });
    return { atom: feed.atom1(), rss: feed.rss2() };
  };
  const wellFormed = (xml: string) => XMLValidator.validate(xml) === true && !/[\u0000-\u0008\u000B\u000C]/.test(xml);
  const control = render({ title: 'a\u0000b\u0008c', content: '<p>x\u000By</p>' });
  const cdata = render({ title: 'A ]]> B ]]> C', content: '<p>]]> and ]]></p>' });
  const author = render({ author: [{ name: '作者' }] }).rss;
  const enclosure = render({ enclosure: { url: cover } }).rss;
  return [
    `${name}: control characters → well-formed: atom ${wellFormed(control.atom)}, rss ${wellFormed(control.rss)}`,
    `${name}: two "]]>" in a title and a body → well-formed: atom ${wellFormed(cdata.atom)}, rss ${wellFormed(cdata.rss)}`,
    `${name}: author without e-mail → RSS ${/<author>[^<]*<\/author>/.exec(author)?.[0] ?? 'no <author>'}`,
    `${name}: enclosure of a WeChat cover → ${/<enclosure[^>]*>/.exec(enclosure)?.[0]}`,
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Time.

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface Timing {
  feed: number;
  atom: number;
  rss: number;
  json: number;
}

function time(all: Variant[], feeds: ReturnType<typeof feedsOf>): Map<string, Timing> {
  const samples = new Map(
    all.map((v) => [v.name, { feed: [], atom: [], rss: [], json: [] } as Record<string, number[]>]),
  );
  let sink = 0;
  const once = (v: Variant, record: boolean) => {
    const s = samples.get(v.name)!;
    for (const { meta, articles } of feeds) {
      let t = performance.now();
      const out = v.feeds(meta, articles, IMAGES);
      if (record) s.feed!.push(performance.now() - t);
      sink += out.atom.length + out.rss.length + out.json.length;
      for (const f of FORMATS) {
        t = performance.now();
        sink += v.format(f, meta, articles, IMAGES).length;
        if (record) s[f]!.push(performance.now() - t);
      }
    }
  };
  for (let r = 0; r < 5; r++) for (const v of all) once(v, false);
  for (let r = 0; r < RUNS; r++) {
    // Interleaved, and in a different order each round, so drift (JIT, GC, a busy machine) spreads over all.
    const order = r % 2 ? [...all].reverse() : all;
    for (const v of order) once(v, true);
  }
  if (sink === 0) throw new Error('nothing rendered');
  return new Map(
    [...samples].map(([name, s]) => [
      name,
      { feed: median(s.feed!), atom: median(s.atom!), rss: median(s.rss!), json: median(s.json!) },
    ]),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Memory, in child processes of each variant: the bytes one feed allocates (median; in a child whose young generation
// is large enough that no scavenge runs during a feed, so heap growth is allocation), and the peak RSS of a child with
// default GC settings rendering every feed MEMORY_RUNS times, against one that renders nothing.

interface Memory {
  allocMb: number;
  peakRssMb: number;
}
const MEMORY_RUNS = 10;

/** `--child <variant>:alloc` (run with a 256 MB young generation) or `--child <variant>:rss` (default GC). */
async function child(spec: string): Promise<void> {
  const [name, kind] = spec.split(':') as [string, 'alloc' | 'rss'];
  const articles = JSON.parse(readFileSync(CORPUS_FILE, 'utf8')) as FeedArticle[];
  const feeds = feedsOf(articles);
  const v = (await variants()).find((x) => x.name === name);
  const gc = (globalThis as { gc?: () => void }).gc!;
  const allocs: number[] = [];
  if (v) {
    for (let r = 0; r < 3; r++) for (const { meta, articles: a } of feeds) v.feeds(meta, a, IMAGES);
    for (let r = 0; r < RUNS; r++) {
      for (const { meta, articles: a } of feeds) {
        if (kind === 'alloc') gc();
        const before = process.memoryUsage().heapUsed;
        const out = v.feeds(meta, a, IMAGES);
        if (kind === 'alloc') allocs.push(process.memoryUsage().heapUsed - before);
        if (out.atom.length === 0) throw new Error('empty');
      }
    }
  }
  process.stdout.write(String(kind === 'alloc' ? median(allocs) : process.resourceUsage().maxRSS * 1024));
}

function runChild(spec: string, corpusFile: string, flags: string[]): number {
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--expose-gc',
      ...flags,
      fileURLToPath(import.meta.url),
      ...['--child', spec, '--corpus', corpusFile, '--items', String(ITEMS), '--runs', String(MEMORY_RUNS)],
      ...['--feed6', FEED6],
    ],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (run.status !== 0) throw new Error(`child ${spec} failed: ${run.stderr}`);
  return Number(run.stdout) / 2 ** 20;
}

function memory(name: string, corpusFile: string): Memory {
  return {
    allocMb: runChild(`${name}:alloc`, corpusFile, ['--min-semi-space-size=256', '--max-semi-space-size=256']),
    peakRssMb: runChild(`${name}:rss`, corpusFile, []),
  };
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (CHILD) return child(CHILD);
  const t0 = performance.now();
  const articles = loadCorpus();
  const feeds = feedsOf(articles);
  const bodies = articles.map((a) => a.contentHtml.length).sort((a, b) => a - b);
  const all = await variants();
  const reference = all[0]!;
  const sizes = reference.feeds(feeds[0]!.meta, feeds[0]!.articles, IMAGES);
  console.log(
    `${articles.length} dumps with an article from ${ARCHIVE} (${Math.round(performance.now() - t0)} ms to read and render): ` +
      `body HTML median ${median(bodies)} chars, max ${bodies.at(-1)}; ${feeds.length} feeds of ${ITEMS} items; ` +
      `first feed: Atom ${(sizes.atom.length / 1024).toFixed(0)} KiB, RSS ${(sizes.rss.length / 1024).toFixed(0)} KiB, ` +
      `JSON ${(sizes.json.length / 1024).toFixed(0)} KiB (UTF-16 units); ${RUNS} rounds; node ${process.version}`,
  );

  console.log(probe('feed@5.2.1', Feed5 as unknown as FeedClass).join('\n'));
  const feed6 = await loadFeed6();
  if (feed6) console.log(probe('feed@6.0.0', feed6).join('\n'));
  const bytes = new Map(all.map((v) => [v.name, checkBytes(v, reference, feeds)]));
  if (FUZZ > 0)
    for (const v of all.slice(1))
      console.log(`generated feeds, ${v.name} against feed@5.2.1: ${fuzzBytes(v, reference)}`);
  const timings = time(all, feeds);
  const present: number[] = [];
  for (let r = 0; r < RUNS; r++)
    for (const { articles: a } of feeds) {
      const t = performance.now();
      feedItems(a, IMAGES);
      present.push(performance.now() - t);
    }
  const dir = mkdtempSync(join(tmpdir(), 'wxfeed-render-bench-'));
  const memories = new Map<string, Memory>();
  try {
    const corpusFile = join(dir, 'corpus.json');
    writeFileSync(corpusFile, JSON.stringify(articles));
    memories.set('none', { allocMb: 0, peakRssMb: runChild('none:rss', corpusFile, []) });
    for (const v of all) memories.set(v.name, memory(v.name, corpusFile));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const base = memories.get('none')!;
  const rows = all.map((v) => {
    const t = timings.get(v.name)!;
    const m = memories.get(v.name)!;
    const b = bytes.get(v.name)!;
    const same = (r: Record<Format, string>) =>
      FORMATS.every((f) => r[f] === 'same') ? 'yes' : `no (${FORMATS.filter((f) => r[f] !== 'same').join(', ')})`;
    return {
      variant: v.name,
      'ms/feed': t.feed.toFixed(2),
      'ms atom': t.atom.toFixed(2),
      'ms rss': t.rss.toFixed(2),
      'ms json': t.json.toFixed(2),
      'MB alloc/feed': m.allocMb.toFixed(1),
      'peak RSS MB': `${m.peakRssMb.toFixed(0)} (+${(m.peakRssMb - base.peakRssMb).toFixed(0)})`,
      'bytes = 5.2.1 (archive)': same(b.archive),
      'bytes = golden (test corpus)': same(b.golden),
    };
  });
  const cols = Object.keys(rows[0]!) as Array<keyof (typeof rows)[number]>;
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(width[i]!)).join(' | ')} |`;
  console.log(`\n${line(cols)}\n${line(width.map((w) => '-'.repeat(w)))}`);
  for (const r of rows) console.log(line(cols.map((c) => r[c])));
  console.log(
    `\npeak RSS: of the whole child process rendering every feed ${MEMORY_RUNS} times; (+n) over a child that ` +
      `loads the same corpus and renders nothing (${base.peakRssMb.toFixed(0)} MB).`,
  );
  console.log(
    `presenting the items alone (feedItems: state notices, <img> rewritten, text cleaned; part of every row): ` +
      `${median(present).toFixed(2)} ms/feed`,
  );
  for (const v of all) {
    const b = bytes.get(v.name)!;
    for (const kind of ['archive', 'golden'] as const)
      for (const f of FORMATS)
        if (b[kind][f] !== 'same') console.log(`${v.name}, ${f}, ${kind}: ${b[kind][f].slice(0, 400)}`);
  }
  if (JSON_OUT) writeFileSync(JSON_OUT, `${JSON.stringify({ rows, bytes: Object.fromEntries(bytes) }, null, 2)}\n`);
}

await main();

/**
 * npx tsx bench/publish-anatomy.ts STORE [--limit 50] [--images no-referrer] [--out DIR] [--top 10] [--json FILE]
 *
 * What a full publish of a built store does, step by step, on this thread, with counts and times: every feed the
 * store plans (planFeeds over the store's sources, plus all/), its first `--limit` articles (no source filters: the
 * bench's configs have none; deleted articles kept), and for each item what work/jobs.ts does to show it: read the
 * dump again, cut its chrome and hash it (dumpMarkdown), markdown-it, the fast-path check or sanitize-html,
 * cleanText; then per feed the summaries (toFeedArticle), the serialising (renderFeeds: presentContent, `feed`,
 * splicing) and the file writes (into `--out`, a fresh temp folder by default). Opens the store read-only; imports
 * src/ read-only (run with tsx). The build itself does this in worker threads; this gives each step's cost and the
 * counts behind it (how many bodies go through sanitize-html, how many items are rendered twice, how many are shells
 * whose rendered body no feed shows).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Store } from '../src/store/store.js';
import { planFeeds } from '../src/feeds/sources.js';
import { dumpMarkdown } from '../src/dumps/parse.js';
import { markdownItHtml } from '../src/content/markdown.js';
import { alreadySanitized, sanitizeHtml } from '../src/content/sanitize.js';
import { cleanText } from '../src/content/text.js';
import { toFeedArticle } from '../src/feeds/article.js';
import { EMPTY_BODY } from '../src/content/body.js';
import { presentContent, renderFeeds, type ImageOptions } from '../src/feeds/render.js';
import { writeFeedFiles } from '../src/stages/publish/write.js';
import type { FeedArticle } from '../src/types.js';
import type { ShowItem } from '../src/stages/publish/render-job.js';

const argv = process.argv.slice(2);
const opt = (name: string, def: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : def;
};
const valued = new Set(['--limit', '--images', '--out', '--top', '--json']);
const storePath = argv.find((a, i) => !a.startsWith('--') && !valued.has(argv[i - 1]!));
if (!storePath) {
  process.stderr.write('usage: npx tsx bench/publish-anatomy.ts STORE [--limit 50] [--out DIR] [--json FILE]\n');
  process.exit(2);
}
const LIMIT = Number(opt('limit', '50'));
const IMAGES = { mode: opt('images', 'no-referrer') } as ImageOptions;
const TOP = Number(opt('top', '10'));
const OUT = opt('out', '') || mkdtempSync(join(tmpdir(), 'wxfeed-anatomy-'));

const steps = {
  query: 0,
  read: 0,
  dumpMarkdown: 0,
  markdownIt: 0,
  fastCheck: 0,
  sanitize: 0,
  cleanText: 0,
  summaries: 0,
  presentContent: 0,
  renderFeeds: 0,
  write: 0,
};
const counts = {
  feeds: 0,
  items: 0,
  htmlBodies: 0,
  dumpBodies: 0,
  distinctDumpBodies: 0,
  unreadable: 0,
  sanitized: 0,
  sanitizedRawHtml: 0,
  sanitizedRefusedByCheck: 0,
  fastPath: 0,
  emptyMarkdown: 0,
  renderedButNotShown: 0,
  filesWritten: 0,
  markdownChars: 0,
  htmlChars: 0,
  sanitizedInputChars: 0,
  feedBytes: 0,
};
const byState = new Map<string, number>();
const slowSanitize: Array<{ ms: number; path: string; chars: number }> = [];
const seenBodies = new Set<string>();
let dupMs = 0;

const now = (): number => performance.now();

/** What jobs.ts `shown` does for one item, step by step. */
function shown({ article: a, body }: ShowItem): FeedArticle {
  byState.set(a.state, (byState.get(a.state) ?? 0) + 1);
  if (body.format === 'html') {
    counts.htmlBodies++;
    return toFeedArticle(a, body.text);
  }
  counts.dumpBodies++;
  const start = now();
  let t = now();
  let bytes: Buffer;
  try {
    bytes = readFileSync(body.path);
  } catch {
    counts.unreadable++;
    return toFeedArticle(a, '');
  }
  steps.read += now() - t;
  t = now();
  const md = dumpMarkdown(bytes, body.path);
  steps.dumpMarkdown += now() - t;
  if (!md.ok) {
    counts.unreadable++;
    return toFeedArticle(a, '');
  }
  let html = '';
  if (md.markdown === '') counts.emptyMarkdown++;
  else {
    counts.markdownChars += md.markdown.length;
    t = now();
    const { html: raw, raw: rawHtml } = markdownItHtml(md.markdown);
    steps.markdownIt += now() - t;
    t = now();
    const fast = !rawHtml && alreadySanitized(raw);
    steps.fastCheck += now() - t;
    if (fast) {
      counts.fastPath++;
      html = raw.trim();
    } else {
      counts.sanitized++;
      if (rawHtml) counts.sanitizedRawHtml++;
      else counts.sanitizedRefusedByCheck++;
      counts.sanitizedInputChars += raw.length;
      t = now();
      html = sanitizeHtml(raw);
      const dt = now() - t;
      steps.sanitize += dt;
      slowSanitize.push({ ms: dt, path: body.path, chars: raw.length });
    }
    t = now();
    html = cleanText(html);
    steps.cleanText += now() - t;
    counts.htmlChars += html.length;
  }
  if (a.state !== 'full' && a.state !== 'truncated' && html !== '') counts.renderedButNotShown++;
  if (seenBodies.has(body.hash)) dupMs += now() - start;
  else {
    seenBodies.add(body.hash);
    counts.distinctDumpBodies++;
  }
  t = now();
  const out = toFeedArticle(a, html);
  steps.summaries += now() - t;
  return out;
}

async function main(): Promise<void> {
  const db = new Database(storePath!, { readonly: true, fileMustExist: true });
  const store = new Store(db);
  const groups = planFeeds(store.observations.sourceStats(), []);
  const feeds: Array<{ slug: string; labels: string[] | undefined }> = [
    ...groups.map((g) => ({ slug: g.slug, labels: g.labels })),
    { slug: 'all', labels: undefined },
  ];
  const wall = now();
  for (const f of feeds) {
    let t = now();
    const items: ShowItem[] = [];
    for (const article of store.articles.newestFirst(f.labels)) {
      items.push({ article, body: store.observations.body(article.bestOrigin) ?? EMPTY_BODY });
      if (items.length >= LIMIT) break;
    }
    steps.query += now() - t;
    counts.feeds++;
    counts.items += items.length;
    const shownItems = items.map(shown);
    t = now();
    for (const a of shownItems) presentContent(a, IMAGES);
    steps.presentContent += now() - t;
    t = now();
    const rendered = renderFeeds(
      {
        id: `urn:wxfeed:feed:${f.slug}`,
        title: f.slug,
        description: f.slug,
        selfBase: `http://localhost:8080/${f.slug}/`,
        home: `http://localhost:8080/#${f.slug}`,
        author: f.slug,
      },
      shownItems,
      IMAGES,
    );
    steps.renderFeeds += now() - t;
    counts.feedBytes +=
      Buffer.byteLength(rendered.atom) + Buffer.byteLength(rendered.rss) + Buffer.byteLength(rendered.json);
    t = now();
    counts.filesWritten += writeFeedFiles(join(OUT, f.slug), rendered).length;
    steps.write += now() - t;
  }
  const total = now() - wall;
  db.close();
  if (!argv.includes('--out')) rmSync(OUT, { recursive: true, force: true });

  const r = (ms: number): string => ms.toFixed(0);
  console.log(
    `publish anatomy of ${storePath}: ${counts.feeds} feeds, ${counts.items} items (limit ${LIMIT}), one thread`,
  );
  console.log('\n| step | ms | % of the whole | per item or body |\n|---|---|---|---|');
  const per = (ms: number, n: number): string => (n > 0 ? `${((1000 * ms) / n).toFixed(0)} µs × ${n}` : '');
  const rows: Array<[string, number, string]> = [
    [
      'store query (articlesFor, first N per feed)',
      steps.query,
      per(steps.query, counts.feeds).replace('×', '× feeds'),
    ],
    ['read dump again (readFileSync)', steps.read, per(steps.read, counts.dumpBodies)],
    [
      'dumpMarkdown (decode, front matter, strip chrome, sha256)',
      steps.dumpMarkdown,
      per(steps.dumpMarkdown, counts.dumpBodies),
    ],
    ['markdown-it render', steps.markdownIt, per(steps.markdownIt, counts.dumpBodies - counts.emptyMarkdown)],
    [
      'fast-path check (alreadySanitized)',
      steps.fastCheck,
      per(steps.fastCheck, counts.dumpBodies - counts.emptyMarkdown),
    ],
    ['sanitize-html', steps.sanitize, per(steps.sanitize, counts.sanitized)],
    ['cleanText', steps.cleanText, ''],
    ['summaries (toFeedArticle → summaryOf)', steps.summaries, ''],
    [
      'presentContent (notices, image rewriting; renderFeeds does it again)',
      steps.presentContent,
      per(steps.presentContent, counts.items),
    ],
    [
      'renderFeeds (presentContent + feed package + splicing)',
      steps.renderFeeds,
      per(steps.renderFeeds, counts.feeds).replace('×', '× feeds'),
    ],
    ['write 3 files per feed (fresh folder)', steps.write, per(steps.write, counts.feeds).replace('×', '× feeds')],
  ];
  for (const [name, ms, p] of rows) console.log(`| ${name} | ${r(ms)} | ${((100 * ms) / total).toFixed(1)} % | ${p} |`);
  console.log(`| whole (wall) | ${r(total)} | 100 % | |`);
  console.log('\ncounts');
  for (const [k, v] of Object.entries(counts)) console.log(`  ${k}: ${v}`);
  console.log(`  items by state: ${[...byState].map(([s, n]) => `${s} ${n}`).join(', ')}`);
  console.log(
    `  items whose dump body was already rendered for another feed: ${counts.dumpBodies - counts.distinctDumpBodies} (${r(dupMs)} ms of read+render)`,
  );
  slowSanitize.sort((a, b) => b.ms - a.ms);
  console.log(`\nslowest sanitize-html calls (of ${slowSanitize.length})`);
  for (const s of slowSanitize.slice(0, TOP)) console.log(`  ${s.ms.toFixed(1)} ms  ${s.chars} chars  ${s.path}`);
  const JSON_OUT = opt('json', '');
  if (JSON_OUT)
    writeFileSync(
      JSON_OUT,
      JSON.stringify(
        { steps, counts, byState: Object.fromEntries(byState), total, slowSanitize: slowSanitize.slice(0, 50) },
        null,
        2,
      ),
    );
}

await main();

#!/usr/bin/env node
// "The afternoon script a user would write": the naive way to turn a folder of dumps into feeds, as a yardstick.
//
//   node bench/baseline.mjs DIR OUTDIR
//
// For each *.md file: split the front matter naively (the first `---` … `---` block), parse it with `yaml` in a
// try/catch and skip the file on failure or when title/url/source is missing; group by `source`; write
// OUTDIR/<source>/atom.xml, rss.xml and feed.json with the `feed` package. No dedup, no sanitizing, no store,
// no WeChat UI stripping, files read one after another (await in a loop).
//
// Choice made to keep it from running out of memory on the real archive: it keeps only the newest 50 items per
// source (by `date`, then `fetch_date`), holding just {path, title, url, date} for them, and renders markdown
// lazily — re-reading and rendering only those 50 files per source when the feeds are written.
//
// Prints files read, parsed, skipped, sources, feeds written, ms and peak RSS.

import fs from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import MarkdownIt from 'markdown-it';
import { Feed } from 'feed';

const [dir, outDir] = process.argv.slice(2);
if (!dir || !outDir) {
  process.stderr.write('usage: node bench/baseline.mjs DIR OUTDIR\n');
  process.exit(2);
}
const KEEP = 50;
const md = new MarkdownIt({ html: true, linkify: true });

async function walk(root) {
  const out = [];
  for (const e of await fs.readdir(root, { withFileTypes: true })) {
    const p = path.join(root, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.name.endsWith('.md')) out.push(p);
  }
  return out;
}

function splitFrontMatter(text) {
  if (!text.startsWith('---')) return null;
  const end = text.indexOf('\n---', 3);
  if (end < 0) return null;
  return { head: text.slice(3, end), body: text.slice(end + 4) };
}

const newer = (a, b) => (a.date !== b.date ? a.date > b.date : a.fetched > b.fetched);

const t0 = performance.now();
const files = await walk(path.resolve(dir));
const bySource = new Map();
let parsed = 0,
  skipped = 0;
for (const file of files) {
  const text = await fs.readFile(file, 'utf8');
  const split = splitFrontMatter(text);
  if (!split) {
    skipped++;
    continue;
  }
  let fm;
  try {
    fm = YAML.parse(split.head);
  } catch {
    skipped++;
    continue;
  }
  if (!fm?.title || !fm.url || !fm.source) {
    skipped++;
    continue;
  }
  parsed++;
  const item = {
    file,
    title: String(fm.title),
    url: String(fm.url),
    date: String(fm.date ?? ''),
    fetched: String(fm.fetch_date ?? ''),
  };
  const source = String(fm.source);
  let list = bySource.get(source);
  if (!list) {
    list = [];
    bySource.set(source, list);
  }
  if (list.length < KEEP) {
    list.push(item);
    list.sort((a, b) => (newer(a, b) ? -1 : 1));
  } else if (newer(item, list[KEEP - 1])) {
    list[KEEP - 1] = item;
    list.sort((a, b) => (newer(a, b) ? -1 : 1));
  }
}
const tRead = performance.now();

let feeds = 0;
await fs.mkdir(outDir, { recursive: true });
for (const [source, list] of bySource) {
  const slug = source.replace(/[/\\:*?"<>| ]+/g, '_');
  const feed = new Feed({
    title: source,
    id: `https://example.com/feeds/${encodeURIComponent(slug)}/`,
    link: `https://example.com/feeds/${encodeURIComponent(slug)}/`,
    updated: new Date(list[0].date || Date.now()),
    copyright: '',
    generator: 'baseline.mjs',
  });
  for (const it of list) {
    const split = splitFrontMatter(await fs.readFile(it.file, 'utf8'));
    feed.addItem({
      title: it.title,
      id: it.url,
      link: it.url,
      date: new Date(it.date),
      content: md.render(split.body),
    });
  }
  const d = path.join(outDir, slug);
  await fs.mkdir(d, { recursive: true });
  await fs.writeFile(path.join(d, 'atom.xml'), feed.atom1());
  await fs.writeFile(path.join(d, 'rss.xml'), feed.rss2());
  await fs.writeFile(path.join(d, 'feed.json'), feed.json1());
  feeds += 3;
}
const t1 = performance.now();
const rssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `baseline: files_read=${files.length} parsed=${parsed} skipped=${skipped} sources=${bySource.size} feeds_written=${feeds} ` +
    `read_parse_ms=${Math.round(tRead - t0)} render_write_ms=${Math.round(t1 - tRead)} ms=${Math.round(t1 - t0)} peak_rss_mib=${rssMiB.toFixed(0)}\n`,
);

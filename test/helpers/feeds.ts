/**
 * Reading back what we write with real consumers: a strict XML parser, an npm feed parser, and Debian's
 * python3-feedparser (required in CI, where .ci/run installs it).
 */
import { XMLValidator } from 'fast-xml-parser';
import { parseFeed } from '@rowanmanning/feed-parser';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect } from 'vitest';

export function expectWellFormed(xml: string, label = 'xml'): void {
  const result = XMLValidator.validate(xml, { allowBooleanAttributes: false });
  if (result !== true) throw new Error(`${label}: not well-formed XML: ${JSON.stringify(result.err)}`);
  // XML 1.0 forbids these characters anywhere in a document.
  expect(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(xml), `${label}: illegal XML character`).toBe(
    false,
  );
}

export function readFeed(xml: string) {
  expectWellFormed(xml);
  return parseFeed(xml);
}

const PYTHON = '/usr/bin/python3';

function havePyFeedparser(): boolean {
  if (!existsSync(PYTHON)) return false;
  return spawnSync(PYTHON, ['-c', 'import feedparser'], { encoding: 'utf8' }).status === 0;
}

/** True when python3-feedparser can run here. In CI it must: .ci/run installs it. */
export const HAVE_PY_FEEDPARSER = havePyFeedparser();
if (process.env.CI && !HAVE_PY_FEEDPARSER)
  throw new Error('CI: python3-feedparser is missing (.ci/run must install it)');

interface PyEntry {
  id: string;
  title: string;
  link: string;
  published: string | null;
  /** The date as the feed writes it (feedparser's raw `published`). */
  publishedRaw: string | null;
  author: string | null;
  enclosures: Array<{ href: string; type: string }>;
  /** Media RSS thumbnails' URLs. */
  thumbnails: string[];
  tags: string[];
}
export interface PyFeed {
  bozo: number;
  bozo_exception: string | null;
  version: string;
  title: string;
  entries: PyEntry[];
}

const SCRIPT = `
import sys, json, time, html, feedparser
def text(d, detail, value):
    # A title of type text/html (Atom's type="html"; an RSS title that holds a reference) is HTML: readers show its text.
    return html.unescape(value) if detail and detail.get('type') == 'text/html' and value else value
out = []
for path in sys.argv[1:]:
    d = feedparser.parse(path)
    out.append({
        "bozo": int(bool(d.bozo)),
        "bozo_exception": str(d.get("bozo_exception")) if d.bozo else None,
        "version": d.version,
        "title": d.feed.get("title", ""),
        "entries": [{
            "id": e.get("id"), "title": text(d, e.get("title_detail"), e.get("title")), "link": e.get("link"),
            "published": time.strftime("%Y-%m-%dT%H:%M:%SZ", e.published_parsed) if e.get("published_parsed") else None,
            "publishedRaw": e.get("published"),
            "author": e.get("author"),
            "enclosures": [{"href": x.get("href"), "type": x.get("type")} for x in e.get("enclosures", [])],
            "thumbnails": [x.get("url") for x in e.get("media_thumbnail", [])],
            "tags": [x.get("term") for x in e.get("tags", [])],
        } for e in d.entries],
    })
print(json.dumps(out))
`;

/** Parse feed files with python3-feedparser. */
export function pyFeedparser(paths: string[]): PyFeed[] {
  const run = spawnSync(PYTHON, ['-c', SCRIPT, ...paths], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`python3-feedparser failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as PyFeed[];
}

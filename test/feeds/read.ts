/**
 * Reading our feeds back for the per-format tests: fast-xml-parser as a strict XML reader (the values exactly as
 * written: CDATA sections joined, entities decoded), and python3-feedparser with every field the tests look at.
 */
import { XMLParser } from 'fast-xml-parser';
import { decodeXML } from 'entities';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectWellFormed } from '../helpers/feeds.js';
import { tempDir } from '../helpers/tmp.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  cdataPropName: '#cdata',
  parseTagValue: false,
  parseAttributeValue: false,
  // XML's five entities and its character references (`&#x26;`), as every XML parser reads them (fast-xml-parser's
  // own decoder reads character references only together with HTML's entities).
  entityDecoder: {
    decode: decodeXML,
    setExternalEntities: () => {},
    addInputEntities: () => {},
    reset: () => {},
    setXmlVersion: () => {},
  },
  trimValues: false,
  ignoreDeclaration: false,
  isArray: (name) => ['entry', 'item', 'link', 'author', 'enclosure', 'dc:creator'].includes(name),
});

/** A parsed element: text, or an object of attributes (`@name`), `#text`, `#cdata` and children. */
export type Node = string | { [key: string]: Node | Node[] | undefined };

/** Well-formed (strictly), then parsed. */
export function parseXml(xml: string): Record<string, Node> {
  expectWellFormed(xml);
  return parser.parse(xml) as Record<string, Node>;
}

/** The text of an element as an XML reader sees it: text and CDATA sections joined. */
export function text(node: Node | Node[] | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map((n) => text(n) ?? '').join('');
  const parts = [node['#text'], node['#cdata']].filter((p) => p !== undefined);
  return parts.length === 0 ? '' : parts.map((p) => text(p)).join('');
}

export const attr = (node: Node | undefined, name: string): string | undefined =>
  typeof node === 'object' && node !== null ? (node[`@${name}`] as string | undefined) : undefined;

interface PyEntry {
  id: string | null;
  title: string | null;
  title_type: string | null;
  link: string | null;
  published: string | null;
  updated: string | null;
  author: string | null;
  summary: string | null;
  summary_type: string | null;
  content: string | null;
  enclosures: Array<{ href: string; type: string; length: string }>;
}
export interface PyFeed {
  bozo: number;
  bozo_exception: string | null;
  version: string;
  title: string;
  link: string | null;
  self: string | null;
  updated: string | null;
  language: string | null;
  entries: PyEntry[];
}

const SCRIPT = `
import sys, json, time, feedparser
def when(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", t) if t else None
out = []
for path in sys.argv[1:]:
    d = feedparser.parse(path)
    f = d.feed
    out.append({
        "bozo": int(bool(d.bozo)), "bozo_exception": str(d.get("bozo_exception")) if d.bozo else None,
        "version": d.version, "title": f.get("title", ""), "link": f.get("link"),
        "self": next((l.get("href") for l in f.get("links", []) if l.get("rel") == "self"), None),
        "updated": when(f.get("updated_parsed")), "language": f.get("language"),
        "entries": [{
            "id": e.get("id"), "title": e.get("title"), "title_type": (e.get("title_detail") or {}).get("type"),
            "link": e.get("link"), "published": when(e.get("published_parsed")), "updated": when(e.get("updated_parsed")),
            "author": e.get("author"), "summary": e.get("summary"),
            "summary_type": (e.get("summary_detail") or {}).get("type"),
            "content": e.content[0].value if e.get("content") else None,
            "enclosures": [{"href": x.get("href"), "type": x.get("type"), "length": x.get("length")} for x in e.get("enclosures", [])],
        } for e in d.entries],
    })
print(json.dumps(out))
`;

/** Parse feed texts with python3-feedparser (written to files first, as a reader fetches them). */
export function pyRead(...feeds: string[]): PyFeed[] {
  const t = tempDir();
  try {
    const paths = feeds.map((xml, i) => {
      const path = join(t.dir, `feed${i}.xml`);
      writeFileSync(path, xml);
      return path;
    });
    const run = spawnSync('/usr/bin/python3', ['-c', SCRIPT, ...paths], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (run.status !== 0) throw new Error(`python3-feedparser failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as PyFeed[];
  } finally {
    t.cleanup();
  }
}

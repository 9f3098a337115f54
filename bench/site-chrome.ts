/**
 * Issue 12 item 9: other sites' page chrome, measured on a built output and its store.
 *
 *   npx tsx bench/site-chrome.ts openings OUT [--chars 20] [--top 20]
 *       Feeds (each <slug>/feed.json of OUT, all/ left out) in which more than half of the items with text open with
 *       the same characters (the summary's first --chars, whitespace squeezed; items that are a state notice are not
 *       counted; feeds with fewer than 3 such items are left out). Prints the count and the top feeds.
 *   npx tsx bench/site-chrome.ts store DB
 *       From a store: sites (source and host) with a learned template, dumps that are shells and notices by site,
 *       dumps keyed by a WeChat article though their URL is another site's (joined by sn), the size of the template
 *       tables.
 *   npx tsx bench/site-chrome.ts readability ARCHIVE [--sample 2000]
 *       Mozilla's Readability (with linkedom) over the rendered markdown of a sample of dumps of sites with a learned
 *       template, against the learned template: how often its text opens where the template's does, and its cost.
 *       Needs `npm install --no-save @mozilla/readability linkedom` (not dependencies of wxfeed).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stateNotice } from '../src/feeds/notices.js';
import { CONTENT_STATES } from '../src/states.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};

const squeeze = (s: string): string => s.replace(/\s+/g, ' ').trim();

function openings(out: string): void {
  const chars = flag('chars', 20);
  const top = flag('top', 20);
  const notices = (['zh-CN', 'en'] as const)
    .flatMap((language) => CONTENT_STATES.map((state) => stateNotice(state, language)))
    .filter((n): n is string => Boolean(n));
  const rows: Array<{ slug: string; title: string; items: number; same: number; opening: string }> = [];
  let feeds = 0;
  for (const slug of readdirSync(out)) {
    if (slug === 'all') continue;
    let feed: { title: string; items: Array<{ summary?: string }> };
    try {
      feed = JSON.parse(readFileSync(join(out, slug, 'feed.json'), 'utf8'));
    } catch {
      continue;
    }
    feeds++;
    const heads = feed.items
      .map((i) => squeeze(i.summary ?? ''))
      .filter((s) => s !== '' && !notices.some((n) => s.startsWith(n.slice(0, 30))))
      .map((s) => Array.from(s).slice(0, chars).join(''));
    if (heads.length < 3) continue;
    const counts = new Map<string, number>();
    for (const h of heads) counts.set(h, (counts.get(h) ?? 0) + 1);
    const [opening, same] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    if (same * 2 > heads.length) rows.push({ slug, title: feed.title, items: heads.length, same, opening });
  }
  rows.sort((a, b) => b.same / b.items - a.same / a.items || b.items - a.items);
  console.log(
    `${rows.length} of ${feeds} feeds: more than half of the items with text open with the same ${chars} characters`,
  );
  console.log('| feed | items with text | same opening | opening |\n|---|---|---|---|');
  for (const r of rows.slice(0, top))
    console.log(`| ${r.title} | ${r.items} | ${r.same} | ${r.opening.replace(/\|/g, '\\|')} |`);
}

async function store(path: string): Promise<void> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path, { readonly: true });
  const q = (sql: string) => db.prepare(sql).all() as Array<Record<string, unknown>>;
  console.log('sites (source @ host):', q('SELECT COUNT(*) AS n FROM template_groups')[0]!.n);
  console.log('with a learned template:', q("SELECT COUNT(*) AS n FROM template_groups WHERE template != ''")[0]!.n);
  console.log(
    'dumps of those sites:',
    q("SELECT COUNT(*) AS n FROM dump_blocks b JOIN template_groups g ON g.id = b.grp WHERE g.template != ''")[0]!.n,
  );
  console.log(
    'dumps read with their template (decided):',
    q("SELECT COUNT(*) AS n FROM dump_blocks WHERE decided != ''")[0]!.n,
  );
  const states = q(`SELECT o.state, COUNT(*) AS n FROM dump_blocks b JOIN observations o ON o.origin = 'file:' || b.path
    WHERE b.decided != '' GROUP BY o.state ORDER BY n DESC`);
  console.log('  their states:', states.map((r) => `${r.state} ${r.n}`).join(', '));
  const bySite = q(`SELECT g.name, o.state, COUNT(*) AS n FROM dump_blocks b JOIN template_groups g ON g.id = b.grp
    JOIN observations o ON o.origin = 'file:' || b.path WHERE b.decided != '' AND o.state NOT IN ('full', 'truncated')
    GROUP BY g.name, o.state ORDER BY n DESC LIMIT 25`);
  console.log('| site | state | dumps |\n|---|---|---|');
  for (const r of bySite) console.log(`| ${String(r.name).replace('\n', ' @ ')} | ${r.state} | ${r.n} |`);
  const joined = q(`SELECT o.source, COUNT(*) AS n, SUM(EXISTS (SELECT 1 FROM observations x WHERE x.key = o.key
      AND x.origin != o.origin)) AS met FROM observations o
    WHERE o.origin LIKE 'file:%' AND o.key LIKE 'sn:%' AND o.biz IS NULL AND o.sn IS NOT NULL GROUP BY o.source ORDER BY n DESC`);
  console.log(
    'dumps of other sites joined to a WeChat article by sn:',
    joined.reduce((a, r) => a + Number(r.n), 0),
    'of which meet another copy:',
    joined.reduce((a, r) => a + Number(r.met), 0),
    joined.map((r) => `${r.source} ${r.n}/${r.met}`).join('; '),
  );
  const size = q(`SELECT name, SUM(pgsize) AS bytes FROM dbstat WHERE name IN ('dump_blocks', 'template_groups',
      'sqlite_autoindex_dump_blocks_1', 'dump_blocks_grp', 'observations') GROUP BY name`);
  console.log('bytes:', size.map((r) => `${r.name} ${r.bytes}`).join(', '), '; file', statSync(path).size);
  db.close();
}

async function readability(archive: string): Promise<void> {
  const sample = flag('sample', 2000);
  const { decodeDump } = await import('../src/dumps/parse.js');
  const { splitFrontMatter } = await import('../src/dumps/frontmatter.js');
  const { dumpBlocks, learnTemplate, stripTemplate, templateGroup } = await import('../src/dumps/templates.js');
  const { stripChrome } = await import('../src/dumps/chrome.js');
  const { markdownHtml } = await import('../src/content/markdown.js');
  const { htmlToText } = await import('../src/content/text.js');
  let Readability: new (doc: unknown) => { parse(): { textContent?: string | null } | null };
  let parseHTML: (html: string) => { document: unknown };
  try {
    // biome-ignore lint/suspicious/noExplicitAny: optional measurement-only modules
    Readability = ((await import('@mozilla/readability' as string)) as any).Readability;
    // biome-ignore lint/suspicious/noExplicitAny: optional measurement-only modules
    parseHTML = ((await import('linkedom' as string)) as any).parseHTML;
  } catch {
    console.log('readability: not installed (npm install --no-save @mozilla/readability linkedom)');
    return;
  }
  // Every dump of the archive, grouped by site.
  const groups = new Map<string, Array<{ body: string; title: string; source: string }>>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.md')) {
        const d = decodeDump(readFileSync(p));
        if (!d.ok) continue;
        const fm = splitFrontMatter(d.text);
        if (!fm.ok) continue;
        const source = fm.value.fields.get('source') ?? '';
        const g = templateGroup(source, fm.value.fields.get('url'));
        if (!g) continue;
        const list = groups.get(g) ?? [];
        list.push({ body: fm.value.body, title: fm.value.fields.get('title') ?? '', source });
        groups.set(g, list);
      }
    }
  };
  walk(archive);
  const withTemplate: Array<{ body: string; title: string; source: string; template: { prints: readonly number[] } }> =
    [];
  let small = 0;
  for (const [g, dumps] of groups) {
    const t = learnTemplate(dumps.map((d) => dumpBlocks(g, d.body, d.title)));
    if (!t) {
      small += dumps.length;
      continue;
    }
    for (const d of dumps) withTemplate.push({ ...d, template: t });
  }
  console.log(`dumps of sites without a template (too few dumps or none shared): ${small}`);
  const step = Math.max(1, Math.floor(withTemplate.length / sample));
  const picked = withTemplate.filter((_, i) => i % step === 0).slice(0, sample);
  const head = (s: string) => squeeze(s).slice(0, 20);
  let agree = 0;
  let templateText = 0;
  let readabilityText = 0;
  let navInReadability = 0;
  let templateCpu = 0;
  let readabilityCpu = 0;
  const cpu = () => {
    const c = process.cpuUsage();
    return c.user + c.system;
  };
  for (const d of picked) {
    let c = cpu();
    const viaTemplate = htmlToText(
      markdownHtml(stripChrome(stripTemplate(d.body, d.title, d.template).body, d.title, [d.source]).body),
    );
    templateCpu += cpu() - c;
    c = cpu();
    const html = markdownHtml(stripChrome(d.body, d.title, [d.source]).body);
    const { document } = parseHTML(
      `<!doctype html><html><head><title>${d.title}</title></head><body>${html}</body></html>`,
    );
    const article = new Readability(document).parse();
    const viaReadability = squeeze(article?.textContent ?? '');
    readabilityCpu += cpu() - c;
    if (viaTemplate) templateText++;
    if (viaReadability) readabilityText++;
    if (viaTemplate && viaReadability && head(viaTemplate) === head(viaReadability)) agree++;
    // Readability kept the page's first line, which the template removed (the navigation).
    const plain = htmlToText(html);
    if (viaReadability && head(plain) === head(viaReadability) && head(plain) !== head(viaTemplate)) navInReadability++;
  }
  const n = picked.length;
  console.log(`sample: ${n} dumps of sites with a learned template`);
  console.log(`with text: template ${templateText}, Readability ${readabilityText}`);
  console.log(
    `Readability's text opens as the template's (first 20 characters): ${agree} (${((agree / n) * 100).toFixed(1)} %)`,
  );
  console.log(`Readability kept the page's opening that the template removed: ${navInReadability}`);
  console.log(
    `cpu per dump: template ${(templateCpu / n / 1000).toFixed(2)} ms (strip + render), Readability ${(readabilityCpu / n / 1000).toFixed(2)} ms (render + DOM + Readability)`,
  );
}

const [command, target] = args;
if (command === 'openings' && target) openings(target);
else if (command === 'store' && target) await store(target);
else if (command === 'readability' && target) await readability(target);
else {
  console.error('usage: site-chrome.ts openings OUT | store DB | readability ARCHIVE');
  process.exit(2);
}

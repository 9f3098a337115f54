/**
 * The import rules of ARCHITECTURE.md, checked over src/: which module may import which, and which one module owns
 * each outside library. A change that breaks a rule fails here, with the file and the import named.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function modules(): string[] {
  return readdirSync(SRC, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(SRC, join(e.parentPath, e.name)))
    .sort();
}

/** Every static and dynamic import of a module: project modules as paths under src/, packages by name. */
function importsOf(file: string): Edge[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const out: Edge[] = [];
  const found = [
    ...text.matchAll(/^(import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gm),
    ...text.matchAll(/import\((\s*)()'([^']+)'\)/g),
    ...text.matchAll(/createRequire\(import\.meta\.url\)\((\s*)()'([^']+)'\)/g),
  ];
  for (const m of found) {
    const spec = m[3]!;
    const to = spec.startsWith('.') ? normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts') : spec;
    out.push({ from: file, to, typeOnly: Boolean(m[2]) });
  }
  return out;
}

const ALL = modules();
const EDGES = ALL.flatMap(importsOf);
const under = (path: string, ...prefixes: string[]) => prefixes.some((p) => path === p || path.startsWith(p));

function violations(rule: (e: Edge) => boolean): string[] {
  return EDGES.filter(rule).map((e) => `${e.from} imports ${e.to}${e.typeOnly ? ' (types)' : ''}`);
}

/** Foundations and pure layers: they never reach up into stages, the store, the server or the orchestrator. */
const UPPER = [
  'store/',
  'catalog.ts',
  'dumps/stage.ts',
  'dumps/learn.ts',
  'fetch/stage.ts',
  'feeds/publish.ts',
  'work/',
  'server/',
];
const TOP = ['cycle.ts', 'daemon.ts', 'cli.ts', 'live.ts', 'report.ts'];

/** Pure modules: text in, values out; no file system, network, threads or store. */
const PURE = [
  'types.ts',
  'states.ts',
  'keys.ts',
  'time.ts',
  'merge.ts',
  'sources.ts',
  'dumps/frontmatter.ts',
  'dumps/chrome.ts',
  'dumps/classify.ts',
  'dumps/parse.ts',
  'dumps/templates.ts',
  'wechat/',
  'content/text.ts',
  'content/escape.ts',
  'content/markdown.ts',
  'content/sanitize.ts',
  'content/images.ts',
  'content/image-sign.ts',
  'content/body.ts',
  'content/reprint.ts',
  'content/links.ts',
  'fetch/schedule.ts',
  'fetch/observe.ts',
  'fetch/follow.ts',
  'fetch/pace.ts',
  'fetch/list-drivers.ts',
  'http/retry-after.ts',
  'feeds/select.ts',
  'feeds/article.ts',
  'feeds/notices.ts',
  'feeds/messages.ts',
  'feeds/accounts.ts',
  'feeds/times.ts',
  'feeds/opml.ts',
  'feeds/index-page.ts',
  'feeds/dashboard-data.ts',
  'feeds/item.ts',
  'feeds/atom.ts',
  'feeds/rss.ts',
  'feeds/json.ts',
  'feeds/render.ts',
];
const IMPURE_NODE = [
  'node:fs',
  'node:fs/promises',
  'node:http',
  'node:net',
  'node:worker_threads',
  'node:child_process',
];

/** Each outside library has one home. */
const OWNERS: Record<string, string[]> = {
  got: ['http/client.ts'],
  // The formats are written by feeds/atom.ts, rss.ts and json.ts; `feed` is only the benchmark baseline's.
  feed: [],
  cheerio: ['wechat/article-page.ts'],
  'better-sqlite3': ['store/db.ts'],
  'sanitize-html': ['content/sanitize.ts'],
  'markdown-it': ['content/markdown.ts'],
  'markdown-it-cjk-friendly': ['content/markdown.ts'],
  'node-cron': ['daemon.ts', 'config.ts'],
  pino: ['log.ts'],
  'pino-pretty': ['log.ts'],
  zod: ['config.ts'],
  commander: ['cli.ts'],
  yaml: ['config.ts', 'dumps/frontmatter.ts'],
  'lru-cache': ['server/'],
};

describe('architecture (ARCHITECTURE.md)', () => {
  it('finds the modules and their imports', () => {
    expect(ALL).toContain('cycle.ts');
    expect(EDGES.length).toBeGreaterThan(100);
  });

  it('nothing but the command line, the daemon and the server wiring imports the top modules', () => {
    const allowed: Record<string, string[]> = {
      'cycle.ts': ['daemon.ts', 'cli.ts'],
      'daemon.ts': ['cli.ts'],
      'cli.ts': [],
      'live.ts': ['cli.ts', 'daemon.ts'],
      'report.ts': ['cli.ts', 'urls/followed.ts'],
    };
    expect(violations((e) => TOP.includes(e.to) && !e.typeOnly && !allowed[e.to]!.includes(e.from))).toEqual([]);
  });

  it('the server is wired by the orchestrator, the daemon and the command line only', () => {
    const ok = (from: string) => from.startsWith('server/') || ['cycle.ts', 'daemon.ts', 'cli.ts'].includes(from);
    expect(violations((e) => e.to.startsWith('server/') && !ok(e.from))).toEqual([]);
  });

  it('the end of the dumps stage (dumps/learn.ts) is run by the dumps stage only', () => {
    expect(violations((e) => e.to === 'dumps/learn.ts' && !e.typeOnly && e.from !== 'dumps/stage.ts')).toEqual([]);
  });

  it('the stages do not import one another; only the orchestrator runs them', () => {
    const stages = ['dumps/stage.ts', 'fetch/stage.ts', 'feeds/publish.ts'];
    expect(violations((e) => stages.includes(e.from) && stages.includes(e.to) && !e.typeOnly)).toEqual([]);
  });

  it('the store imports only its tables, the shared types and states (and content/body for a migration)', () => {
    const ok = (to: string) =>
      under(to, 'store/', 'types.ts', 'states.ts', 'content/body.ts') || !to.includes('.ts') || to.startsWith('node:');
    expect(violations((e) => e.from.startsWith('store/') && !ok(e.to))).toEqual([]);
  });

  it('pure modules use no file system, network, threads or store', () => {
    expect(
      violations(
        (e) => under(e.from, ...PURE) && (IMPURE_NODE.includes(e.to) || under(e.to, ...UPPER, ...TOP, 'http/', 'io/')),
      ),
    ).toEqual([]);
  });

  it('lower layers (content, wechat, http, io) never reach up', () => {
    expect(
      violations(
        (e) =>
          under(e.from, 'content/', 'wechat/', 'http/', 'io/') &&
          under(e.to, ...UPPER, ...TOP, 'dumps/', 'fetch/', 'feeds/', 'urls/'),
      ),
    ).toEqual([]);
  });

  it('each outside library is imported by its one home only', () => {
    expect(
      violations((e) => {
        const owners = OWNERS[e.to];
        return owners !== undefined && !e.typeOnly && !under(e.from, ...owners);
      }),
    ).toEqual([]);
  });
});

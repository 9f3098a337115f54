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
const local = (e: Edge) => e.to.endsWith('.ts');

function violations(rule: (e: Edge) => boolean): string[] {
  return EDGES.filter(rule).map((e) => `${e.from} imports ${e.to}${e.typeOnly ? ' (types)' : ''}`);
}

/**
 * The layers, bottom up, as folders (ARCHITECTURE.md). The top-level files are the foundations. A module imports its
 * own layer and the layers below it, never one above.
 */
const LAYERS: ReadonlyArray<readonly string[]> = [
  ['content/', 'wechat/', 'dumps/', 'fetch/', 'feeds/'],
  ['io/', 'http/'],
  ['store/'],
  ['catalog/'],
  ['work/'],
  ['stages/'],
  ['server/'],
  ['commands/'],
];
/** The pure topics: text in, values out; no file system, network, threads or store. */
const PURE_TOPICS = LAYERS[0]!;

function layerOf(path: string): number {
  if (!path.includes('/')) return -1; // a foundation
  const at = LAYERS.findIndex((folders) => under(path, ...folders));
  if (at < 0) throw new Error(`${path}: in no layer of test/architecture.test.ts`);
  return at;
}

/** Foundations that do I/O: reading the config file, the logger, the heap's limits. The others are pure. */
const IMPURE_FOUNDATIONS = ['config.ts', 'log.ts', 'memory.ts'];
const IMPURE_NODE = [
  'node:fs',
  'node:fs/promises',
  'node:http',
  'node:net',
  'node:worker_threads',
  'node:child_process',
];

/**
 * Each outside library and where it is imported: one module or one folder, but for `yaml` and `node-cron`, which
 * the config reads too (a YAML file; a cron expression checked) besides their home.
 */
const OWNERS: Record<string, string[]> = {
  got: ['http/client.ts'],
  // The formats are written by feeds/atom.ts, rss.ts and json.ts; `feed` is only the benchmark baseline's.
  feed: [],
  cheerio: ['wechat/article-page.ts'],
  'better-sqlite3': ['store/db.ts'],
  'sanitize-html': ['content/sanitize.ts'],
  'markdown-it': ['content/markdown.ts'],
  'markdown-it-cjk-friendly': ['content/markdown.ts'],
  mdurl: ['content/markdown.ts'],
  entities: ['content/'],
  'node-cron': ['commands/daemon.ts', 'config.ts'],
  pino: ['log.ts'],
  'pino-pretty': ['log.ts'],
  zod: ['config.ts'],
  commander: ['commands/cli.ts'],
  yaml: ['config.ts', 'dumps/frontmatter.ts'],
  'lru-cache': ['server/'],
  hono: ['server/'],
  '@hono/node-server': ['server/app.ts'],
  // A devDependency: nothing at run time may load it (tests give the page thread its loader: test/helpers).
  tsx: [],
};

describe('architecture (ARCHITECTURE.md)', () => {
  it('finds the modules and their imports', () => {
    expect(ALL).toContain('stages/cycle.ts');
    expect(EDGES.length).toBeGreaterThan(100);
  });

  it('every module is in a layer, and imports only its own layer and the ones below', () => {
    expect(ALL.filter((m) => m.includes('/') && LAYERS.every((l) => !under(m, ...l)))).toEqual([]);
    expect(violations((e) => local(e) && layerOf(e.to) > layerOf(e.from))).toEqual([]);
  });

  it('the foundations import only foundations', () => {
    expect(violations((e) => local(e) && layerOf(e.from) === -1 && layerOf(e.to) !== -1)).toEqual([]);
  });

  it('pure topics import pure topics downward: content, then wechat, then dumps and fetch, then feeds', () => {
    const rank = (p: string) =>
      under(p, 'content/')
        ? 0
        : under(p, 'wechat/')
          ? 1
          : under(p, 'dumps/', 'fetch/')
            ? 2
            : under(p, 'feeds/')
              ? 3
              : -1;
    expect(
      violations((e) => under(e.from, ...PURE_TOPICS) && under(e.to, ...PURE_TOPICS) && rank(e.to) > rank(e.from)),
    ).toEqual([]);
    expect(violations((e) => under(e.from, 'dumps/') && under(e.to, 'fetch/'))).toEqual([]);
    expect(violations((e) => under(e.from, 'fetch/') && under(e.to, 'dumps/'))).toEqual([]);
  });

  it('pure modules use no file system, network, threads or store', () => {
    const pure = (p: string) => under(p, ...PURE_TOPICS) || (layerOf(p) === -1 && !IMPURE_FOUNDATIONS.includes(p));
    expect(violations((e) => pure(e.from) && IMPURE_NODE.includes(e.to))).toEqual([]);
  });

  it('a stage never imports another; the orchestrator (stages/cycle.ts) and the worker entry run them', () => {
    const stageOf = (p: string) => (under(p, 'stages/') ? p.split('/').slice(1, -1)[0] : undefined);
    expect(
      violations((e) => {
        const from = stageOf(e.from);
        const to = stageOf(e.to);
        return from !== undefined && to !== undefined && from !== to && !e.typeOnly;
      }),
    ).toEqual([]);
    expect(ALL.filter((m) => under(m, 'stages/') && m.split('/').length === 2)).toEqual([
      'stages/cycle.ts',
      'stages/summary.ts',
      'stages/worker.ts',
    ]);
  });

  it('the end of the dumps stage (stages/dumps/learn.ts) is run by the dumps stage only', () => {
    expect(
      violations((e) => e.to === 'stages/dumps/learn.ts' && !e.typeOnly && e.from !== 'stages/dumps/stage.ts'),
    ).toEqual([]);
  });

  it('the orchestrator is run by the commands only', () => {
    expect(violations((e) => e.to === 'stages/cycle.ts' && !under(e.from, 'commands/'))).toEqual([]);
  });

  it('the store imports only its tables, the foundations (and content/body for a migration)', () => {
    const ok = (to: string) => under(to, 'store/', 'content/body.ts') || layerOf(to) === -1;
    expect(violations((e) => e.from.startsWith('store/') && local(e) && !ok(e.to))).toEqual([]);
  });

  it('the worker pool knows no kind of job: kinds register with it from their stage', () => {
    expect(violations((e) => under(e.from, 'work/') && local(e) && under(e.to, 'stages/'))).toEqual([]);
  });

  it('ARCHITECTURE.md names every module by its path under src/', () => {
    const doc = readFileSync(fileURLToPath(new URL('../ARCHITECTURE.md', import.meta.url)), 'utf8');
    const named = (m: string) => {
      const [folder, ...rest] = m.split('/');
      if (rest.length === 0) return doc.includes(`\`${m}\``);
      // A folder's modules may be listed after it (`io/`: `atomic.ts`, `dumps/read.ts`) or by their whole path.
      return doc.includes(`\`${m}\``) || (doc.includes(`\`${folder}/\``) && doc.includes(`\`${rest.join('/')}\``));
    };
    expect(ALL.filter((m) => !named(m))).toEqual([]);
  });

  it('each outside library is imported by its home only', () => {
    expect(
      violations((e) => {
        const owners =
          OWNERS[
            e.to
              .split('/')
              .slice(0, e.to.startsWith('@') ? 2 : 1)
              .join('/')
          ];
        return owners !== undefined && !e.typeOnly && !under(e.from, ...owners);
      }),
    ).toEqual([]);
  });
});

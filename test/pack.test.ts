/**
 * The package as people install it, and the container's steps without a container engine: `npm pack` of this tree
 * (dist/ as test/global-setup.ts built it), `npm install --omit=dev` of the tarball into an empty folder, offline from
 * the npm cache, then the installed `wxfeed` started as the Dockerfile's runtime stage starts it: its ENTRYPOINT and
 * CMD in a data folder (first start: the shipped config/docker.yaml copied in), the daemon's first cycle with the
 * page-parser thread and two worker threads, /healthz and the HEALTHCHECK's own command, then `serve`.
 *
 * One step differs from the image, which installs from the registry: a test uses no network, so the empty folder is
 * first given this project's production dependencies (the lockfile's, copied from node_modules: better-sqlite3 with
 * its compiled binary), and npm installs the tarball over them offline, without install scripts. npm then resolves
 * the package's dependencies as it would anywhere: one missing there, or a devDependency it needs, fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { startFaultServer, type FaultServer } from './helpers/fault-server.js';
import { readFeed } from './helpers/feeds.js';
import { OWN_FIXTURES } from './helpers/paths.js';
import { dump, tempDir, writeFile } from './helpers/tmp.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOCKERFILE = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
/** Where the Dockerfile installs the package; the test's install folder stands for it. */
const IMAGE_APP = '/opt/wxfeed';
/** The build stage's pack and the runtime stage's install, as the Dockerfile writes them. */
const PACK = ['pack', '--ignore-scripts'];
const INSTALL = ['install', '--omit=dev', '--no-audit', '--no-fund'];
/**
 * The image's unprivileged user (the `node` user of the Node images): when the test runs as root, the image's commands
 * run as that user, with the data folder theirs and the install root's, as in the image.
 */
const IMAGE_USER = process.getuid?.() === 0 ? { uid: 1000, gid: 1000 } : undefined;
/** Only in the test: no network, no install scripts (see the top). */
const OFFLINE = ['--offline', '--ignore-scripts'];
/** Libraries only development uses: none may be installed. */
const DEV_ONLY = ['esbuild', 'tsx', 'vitest', 'typescript', '@biomejs/biome', 'knip', 'playwright-core'];

const ARTICLE_URL =
  'https://mp.weixin.qq.com/s?__biz=MzAwMDAwMDAwMQ==&mid=2650000001&idx=1&sn=aaaabbbbccccddddeeeeffff00001111';
const ARTICLE_TITLE = '测试文章：懒加载与语音';
/** Accounts enough that rendering their feeds starts the build's worker threads (work/pool.ts WORKER_THRESHOLD). */
const ACCOUNTS = 10;
const DUMPS = 2 * ACCOUNTS;

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

let t: { dir: string; cleanup: () => void };
let app: string;
let data: string;
let pages: FaultServer;
let tarball: string;
let packed: Array<{ path: string }>;
const timings: Record<string, number> = {};

/** How a program runs: as a build step runs it (this user), or as the image runs it (its user and ENV). */
interface RunAs {
  image?: boolean;
  env?: Record<string, string>;
}

/** The ENV lines of the Dockerfile's runtime stage. */
function imageEnv(): Record<string, string> {
  const runtime = DOCKERFILE.slice(DOCKERFILE.lastIndexOf('\nFROM '));
  return Object.fromEntries([...runtime.matchAll(/^ENV (\w+)=(\S*)$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** The image's PATH (wxfeed linked into it), no npm, Node or wxfeed settings of ours. */
function options(cwd: string, as: RunAs) {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|NODE_OPTIONS$|VITEST|WXFEED_)/i.test(k)) env[k] = v;
  env.PATH = [join(app, 'node_modules/.bin'), dirname(process.execPath), process.env.PATH ?? ''].join(delimiter);
  env.npm_config_update_notifier = 'false';
  Object.assign(env, as.image ? imageEnv() : {}, as.env);
  return { cwd, env, ...(as.image ? IMAGE_USER : {}) };
}

/** Run a program to its end (asynchronously: the page server in this process must keep answering). */
function run(program: string, args: string[], cwd: string, as: RunAs = {}): Promise<Ran> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { ...options(cwd, as), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** One instruction of the Dockerfile (continuation lines joined), without its keyword; the last when several. */
function instruction(keyword: string): string {
  const lines = DOCKERFILE.replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => l.startsWith(`${keyword} `));
  const last = lines.at(-1);
  if (!last) throw new Error(`Dockerfile: no ${keyword}`);
  return last.slice(keyword.length + 1).trim();
}

/** An exec-form command (`["a", "b"]`) of the Dockerfile, with the image's install folder mapped to the test's. */
function execForm(text: string): string[] {
  return (JSON.parse(text) as string[]).map((a) => a.replaceAll(IMAGE_APP, app));
}

/** A long-running command of the image, with its stderr (the log) kept. */
interface Started {
  child: ChildProcess;
  log: () => string;
  /** The URL it says it serves. */
  url: Promise<string>;
  stop(): Promise<number | null>;
}

/** A command of the image, left running. */
function start(args: string[], cwd: string, env: Record<string, string> = {}): Started {
  const child = spawn(args[0]!, args.slice(1), {
    ...options(cwd, { image: true, env }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  const url = new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (c: Buffer) => {
      log += c.toString();
      const m = /"url":"(http:\/\/127\.0\.0\.1:\d+\/)"/.exec(log);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`${args.join(' ')} exited ${code}: ${log.slice(0, 2000)}`)));
  });
  url.catch(() => {});
  return {
    child,
    log: () => log,
    url,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The production packages of package-lock.json, copied from this project's node_modules into `dir`. */
function seedProductionDependencies(dir: string): void {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean; optional?: boolean }>;
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    // A top-level package brings the packages nested in it.
    if (!/^node_modules\/(@[^/]+\/)?[^/@][^/]*$/.test(path) || entry.dev || entry.devOptional) continue;
    if (!existsSync(join(ROOT, path))) {
      if (entry.optional) continue;
      throw new Error(`${path}: in package-lock.json, not installed (npm install)`);
    }
    cpSync(join(ROOT, path), join(dir, path), { recursive: true, filter: (from) => runs(relative(ROOT, from)) });
  }
}

/** better-sqlite3 runs from its binary alone: not the sources and objects it was compiled from. */
const SQLITE = 'node_modules/better-sqlite3/';
const runs = (path: string): boolean =>
  !path.startsWith(SQLITE) ||
  !/^(deps|src|build)\//.test(`${path.slice(SQLITE.length)}/`) ||
  ['build', 'build/Release', 'build/Release/better_sqlite3.node'].includes(path.slice(SQLITE.length));

beforeAll(async () => {
  t = tempDir('wxfeed-pack-');
  app = join(t.dir, 'app');
  data = join(t.dir, 'data');
  mkdirSync(app);
  mkdirSync(data);
  if (IMAGE_USER) {
    // As the image: the install root's, readable by all; the data folder the user's.
    chmodSync(t.dir, 0o755);
    chownSync(data, IMAGE_USER.uid, IMAGE_USER.gid);
  }
  pages = await startFaultServer();
  pages.pages.set('/s', readFileSync(`${OWN_FIXTURES}pages/article.html`, 'utf8'));

  const pack = await run('npm', [...PACK, '--json', '--pack-destination', t.dir], ROOT);
  expect(pack.status, pack.stderr).toBe(0);
  const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(t.dir, info!.filename);
  packed = info!.files;
  timings.pack = pack.ms;

  const seeded = performance.now();
  seedProductionDependencies(app);
  timings['copy production dependencies'] = performance.now() - seeded;
  const install = await run('npm', [...INSTALL, ...OFFLINE, tarball], app);
  expect(install.status, install.stderr).toBe(0);
  timings.install = install.ms;
}, 180_000);

afterAll(async () => {
  await pages?.close();
  t?.cleanup();
  console.log(
    `pack and install: ${Object.entries(timings)
      .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`)
      .join(', ')}`,
  );
});

describe('the package (npm pack, then npm install --omit=dev of the tarball)', () => {
  it('the Dockerfile packs and installs as this test does', () => {
    expect(DOCKERFILE).toContain(`npm ${PACK.join(' ')} --pack-destination /pkg`);
    expect(DOCKERFILE).toContain(`npm ${INSTALL.join(' ')} /tmp/pkg/wxfeed-*.tgz`);
    expect(DOCKERFILE).toContain(`WORKDIR ${IMAGE_APP}\n`);
  });

  it('the tarball holds what runs: the compiled code, the config examples, the docs; no sources, tests or maps', () => {
    const paths = packed.map((f) => f.path);
    expect(paths).toContain('dist/cli.js');
    expect(paths).toContain('dist/page-worker.js');
    expect(paths).toContain('dist/worker.js');
    expect(paths).toContain('config/wxfeed.yaml');
    expect(paths).toContain('config/docker.yaml');
    expect(paths).toContain('README.md');
    const strays = paths.filter(
      (p) => !/^(dist\/[^/]+\.js|config\/.+|docs\/[^/]+\.md|README\.md|package\.json)$/.test(p),
    );
    expect(strays).toEqual([]);
    // The code is one build: exactly the chunks the entry points reach, none left over from an older build.
    const reached = new Set<string>();
    const queue = ['cli.js', 'worker.js', 'page-worker.js', 'walk-worker.js'];
    for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
      if (reached.has(`dist/${name}`)) continue;
      reached.add(`dist/${name}`);
      const text = readFileSync(join(app, 'node_modules/wxfeed/dist', name), 'utf8');
      for (const m of text.matchAll(/(?:from|import\()\s*"\.\/([^"]+\.js)"/g)) queue.push(m[1]!);
    }
    expect(paths.filter((p) => p.startsWith('dist/')).sort()).toEqual([...reached].sort());
  });

  it('installs no library that only development uses', () => {
    const installed = new Set(
      readdirSync(join(app, 'node_modules')).flatMap((n) =>
        n.startsWith('@') ? readdirSync(join(app, 'node_modules', n)).map((s) => `${n}/${s}`) : [n],
      ),
    );
    expect(installed).toContain('better-sqlite3');
    expect(DEV_ONLY.filter((n) => installed.has(n))).toEqual([]);
  });

  it('builds the shipped config/wxfeed.yaml (its example dump), as `npm start` does', async () => {
    const copy = join(t.dir, 'shipped');
    cpSync(join(app, 'node_modules/wxfeed/config'), join(copy, 'config'), { recursive: true });
    const r = await run('wxfeed', ['build', '--offline', '--json', '--config', 'config/wxfeed.yaml'], copy);
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { articles: number }).articles).toBe(1);
    expect(existsSync(join(copy, 'output/xiaomi-sec/atom.xml'))).toBe(true);
    timings['build (shipped config)'] = r.ms;
  });

  it('starts as the image does: first start in /data, the daemon fetches through the page thread in two workers; /healthz and the HEALTHCHECK answer; serve serves it', async () => {
    const entrypoint = execForm(instruction('ENTRYPOINT'));
    // First start with a command that ends: the shipped config is copied into the data folder.
    const first = await run(entrypoint[0]!, [...entrypoint.slice(1), 'list'], data, { image: true });
    expect(first.status, first.stderr).toBe(0);
    const configFile = join(data, 'config/wxfeed.yaml');
    expect(readFileSync(configFile, 'utf8')).toBe(readFileSync(join(ROOT, 'config/docker.yaml'), 'utf8'));
    // What an operator sets there, and what a test must: pages from the loopback stand-in, the loopback only, any port.
    const doc = parseDocument(readFileSync(configFile, 'utf8'));
    doc.setIn(['fetch', 'origin'], pages.origin);
    doc.setIn(['fetch', 'delayMs'], 0);
    doc.setIn(['fetch', 'retries'], 0);
    doc.setIn(['server', 'host'], '127.0.0.1');
    doc.setIn(['server', 'port'], 0);
    writeFileSync(configFile, doc.toString());
    writeFileSync(join(data, 'urls.txt'), `${ARTICLE_URL}\n`);
    for (let i = 0; i < DUMPS; i++) {
      const sn = i.toString(16).padStart(32, 'd');
      const account = 3100000000 + (i % ACCOUNTS);
      const biz = Buffer.from(String(account)).toString('base64');
      const url = `https://mp.weixin.qq.com/s?__biz=${biz}&mid=${3000 + i}&idx=1&sn=${sn}`;
      writeFile(
        join(data, `dumps/${i}.md`),
        dump({ title: `存档 ${i}`, url, source: `账号 ${account}`, date: '2024-07-01' }, `正文 ${i}。`),
      );
    }
    if (IMAGE_USER)
      for (const f of ['urls.txt', ...readdirSync(join(data, 'dumps')).map((n) => `dumps/${n}`)])
        chownSync(join(data, f), IMAGE_USER.uid, IMAGE_USER.gid);

    const cmd = execForm(instruction('CMD'));
    const started = performance.now();
    const daemon = start([...entrypoint, ...cmd], data, { WXFEED_WORKERS: '2', WXFEED_LOG_LEVEL: 'debug' });
    let serve: Started | undefined;
    try {
      const base = await daemon.url;
      await until('the first cycle', () => daemon.log().includes('"msg":"cycle done"'));
      timings['daemon, first cycle'] = performance.now() - started;
      expect(daemon.log()).toContain('"workers":2');
      // The store is the unprivileged user's: the daemon ran as that user, writing only in the data folder.
      if (IMAGE_USER) expect(statSync(join(data, 'wxfeed.db')).uid).toBe(IMAGE_USER.uid);
      expect(pages.hits.get('/s')).toBe(1);
      const health = await fetch(`${base}healthz`);
      expect(health.status).toBe(200);
      expect(((await health.json()) as { ok: boolean }).ok).toBe(true);
      // The HEALTHCHECK's own command, on the port the daemon took.
      const check = execForm(instruction('HEALTHCHECK').replace(/^.*?CMD\s+/, '')).map((a) =>
        a.replace('http://127.0.0.1:8080/', base),
      );
      const probe = await run(check[0]!, check.slice(1), data, { image: true });
      expect(probe.status, probe.stderr).toBe(0);
      const all = readFeed(await (await fetch(`${base}all/atom.xml`)).text());
      expect(all.items.map((i) => i.title)).toContain(ARTICLE_TITLE);
      expect(all.items).toHaveLength(DUMPS + 1);

      serve = start(['wxfeed', 'serve'], data);
      const served = await serve.url;
      const opml = await fetch(`${served}feeds.opml`);
      expect(opml.status).toBe(200);
      expect(await opml.text()).toContain('xmlUrl="http://localhost:8080/3100000000/atom.xml"');
      const feed = readFeed(await (await fetch(`${served}3000000001/atom.xml`)).text());
      expect(feed.items.map((i) => i.title)).toEqual([ARTICLE_TITLE]);
    } finally {
      const [d, s] = await Promise.all([daemon.stop(), serve?.stop()]);
      expect(d, daemon.log().slice(-2000)).toBe(0);
      if (serve) expect(s).toBe(0);
    }
  }, 90_000);
});

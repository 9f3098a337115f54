/**
 * Adding URLs never writes one twice (issue 13, item 7): concurrent `POST /api/urls` in the daemon are serialised,
 * and a `wxfeed add` in another process at the same moment waits for the lock file next to the URL file.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import { resolveConfig } from '../../src/config.js';
import { addUrls } from '../../src/commands/add.js';
import { createApp, listen } from '../../src/server/app.js';
import { serverRoutes } from '../../src/commands/daemon.js';
import type { Config } from '../../src/types.js';
import { tempDir } from '../helpers/tmp.js';

const TOKEN = 'add-test-token-0123456789';
const article = (n: number) =>
  `https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=${2247500000 + n}&idx=1&sn=${String(n).padStart(32, 'c')}`;

let t: { dir: string; cleanup: () => void };
let config: Config;
const urlFile = () => join(t.dir, 'urls.txt');
const listed = () =>
  readFileSync(urlFile(), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));

beforeEach(() => {
  t = tempDir();
  mkdirSync(join(t.dir, 'dumps'));
  writeFileSync(join(t.dir, 'wxfeed.yaml'), '');
  config = resolveConfig(
    { dumps: ['dumps'], urlFiles: ['urls.txt'], store: 'data/wxfeed.db', server: { token: TOKEN, port: 0 } },
    join(t.dir, 'wxfeed.yaml'),
    t.dir,
  );
});
afterEach(() => t.cleanup());

describe('adding URLs at the same time', () => {
  it('8 concurrent POST /api/urls of one URL: written once, and no lock file left', async () => {
    const app: Server = createApp({
      output: join(t.dir, 'out'),
      baseUrl: config.baseUrl,
      health: () => ({ ok: true, body: {} }),
      routes: serverRoutes(config, () => false),
    });
    const { port } = await listen(app, '127.0.0.1', 0);
    try {
      const answers = await Promise.all(
        Array.from({ length: 8 }, async () => {
          const r = await fetch(`http://127.0.0.1:${port}/api/urls`, {
            method: 'POST',
            headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify([article(1)]),
          });
          return { status: r.status, body: (await r.json()) as { added: string[]; lines: string[] } };
        }),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
      expect(answers.filter((a) => a.body.added.length === 1)).toHaveLength(1);
      expect(answers.filter((a) => a.body.lines[0]?.startsWith('already followed'))).toHaveLength(7);
      expect(listed()).toEqual([article(1)]);
      expect(existsSync(`${urlFile()}.lock`)).toBe(false);
    } finally {
      await new Promise((r) => app.close(r));
    }
  });

  it('8 concurrent calls in one process, several URLs each: each URL once', async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) => addUrls(config, [article(1 + (i % 3)), article(10)])));
    expect(listed().sort()).toEqual([article(1), article(2), article(3), article(10)].sort());
  });

  it('two processes adding the same URL at the same moment: once (10 rounds)', async () => {
    // Each child loads addUrls, says "ready", then adds the URL of each line it reads on stdin and says "done".
    const script = join(t.dir, 'adder.mts');
    const src = (p: string) => fileURLToPath(new URL(`../../src/${p}`, import.meta.url));
    writeFileSync(
      script,
      `import { createInterface } from 'node:readline';
import { loadConfig } from ${JSON.stringify(src('config.ts'))};
import { addUrls } from ${JSON.stringify(src('commands/add.ts'))};
const config = loadConfig(process.argv[2]);
process.stdout.write('ready\\n');
for await (const line of createInterface({ input: process.stdin })) {
  const r = await addUrls(config, [line]);
  process.stdout.write(\`done \${r.added.length}\\n\`);
}
`,
    );
    writeFileSync(join(t.dir, 'wxfeed.yaml'), `dumps: [dumps]\nurlFiles: [urls.txt]\nstore: data/wxfeed.db\n`);
    const children: ChildProcessWithoutNullStreams[] = [];
    const outputs: Array<AsyncIterator<string>> = [];
    try {
      for (let i = 0; i < 2; i++) {
        const child = spawn(
          process.execPath,
          ['--import', import.meta.resolve('tsx'), script, join(t.dir, 'wxfeed.yaml')],
          { env: { ...process.env, NODE_OPTIONS: '' } },
        );
        children.push(child);
        outputs.push(createInterface({ input: child.stdout })[Symbol.asyncIterator]());
      }
      const next = async (i: number) => {
        const r = await outputs[i]!.next();
        if (r.done) throw new Error(`child ${i} ended: ${children[i]!.stderr.read()?.toString() ?? ''}`);
        return r.value;
      };
      expect(await Promise.all([next(0), next(1)])).toEqual(['ready', 'ready']);
      const added: number[] = [];
      for (let round = 0; round < 10; round++) {
        for (const child of children) child.stdin.write(`${article(100 + round)}\n`);
        for (const line of await Promise.all([next(0), next(1)])) added.push(Number(line.split(' ')[1]));
      }
      expect(listed()).toEqual(Array.from({ length: 10 }, (_, round) => article(100 + round)));
      expect(added.reduce((a, b) => a + b, 0)).toBe(10);
    } finally {
      for (const child of children) child.kill();
    }
  });

  it('a lock left by a process that is gone, or older than the stale limit, is taken over', async () => {
    const lock = `${urlFile()}.lock`;
    writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), at: new Date().toISOString() }));
    expect((await addUrls(config, [article(1)])).added).toEqual([article(1)]);
    expect(existsSync(lock)).toBe(false);
    writeFileSync(lock, 'garbage');
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(lock, old, old);
    expect((await addUrls(config, [article(2)])).added).toEqual([article(2)]);
    expect(listed()).toEqual([article(1), article(2)]);
  });

  it('a lock held by a live process: add waits, then gives up naming the lock file', async () => {
    const lock = `${urlFile()}.lock`;
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }));
    const started = Date.now();
    await expect(addUrls(config, [article(1)], { lockWaitMs: 300 })).rejects.toThrow(
      new RegExp(`add: .*${lock.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}.*pid ${process.pid}`),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(existsSync(urlFile())).toBe(false);
    expect(existsSync(lock)).toBe(true);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFaultServer, type FaultServer } from './helpers/fault-server.js';
import { dump, tempDir, writeFile } from './helpers/tmp.js';
import { DIST_CLI, OWN_FIXTURES } from './helpers/paths.js';
import { readFeed } from './helpers/feeds.js';

const A_URL =
  'https://mp.weixin.qq.com/s?__biz=MzAwMDAwMDAwMQ==&mid=2650000001&idx=1&sn=aaaabbbbccccddddeeeeffff00001111';

let t: { dir: string; cleanup: () => void };
let srv: FaultServer;
beforeEach(async () => {
  t = tempDir();
  srv = await startFaultServer();
  srv.pages.set('/s', readFileSync(`${OWN_FIXTURES}pages/article.html`, 'utf8'));
  writeFile(
    join(t.dir, 'dumps/a.md'),
    dump(
      {
        title: '一篇存档',
        url: `https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=1&idx=1&sn=${'c'.repeat(32)}`,
        source: '账号',
        date: '2024-07-01',
      },
      '存档正文。',
    ),
  );
  writeFileSync(join(t.dir, 'urls.txt'), `${A_URL}\n`);
  writeFileSync(
    join(t.dir, 'wxfeed.yaml'),
    `baseUrl: http://127.0.0.1:8080/\ndumps: [dumps]\noutput: out\nstore: data/wxfeed.db\nurlFiles: [urls.txt]\nfetch:\n  origin: ${srv.origin}\n  delayMs: 0\n  retries: 0\nserver:\n  port: 0\n`,
  );
});
afterEach(async () => {
  await srv.close();
  t.cleanup();
});

function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('the built command (dist/cli.js, as installed)', () => {
  it('fetches a followed URL from a loopback page server with got and cheerio, and publishes it beside the dumps', async () => {
    // Not spawnSync: the page server runs in this process and must answer while the build runs.
    const r = await run([DIST_CLI, 'build', '--json', '--config', join(t.dir, 'wxfeed.yaml')]);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { fetch: { fetched: number }; articles: number };
    expect(summary.fetch.fetched).toBe(1);
    expect(summary.articles).toBe(2);
    expect(readFeed(readFileSync(join(t.dir, 'out/all/atom.xml'), 'utf8')).items.map((i) => i.title)).toEqual([
      '测试文章：懒加载与语音',
      '一篇存档',
    ]);
    expect(srv.hits.get('/s')).toBe(1);
  });

  it('serves what it built', async () => {
    expect(
      spawnSync(process.execPath, [DIST_CLI, 'build', '--offline', '--config', join(t.dir, 'wxfeed.yaml')]).status,
    ).toBe(0);
    const child = spawn(process.execPath, [DIST_CLI, 'serve', '--config', join(t.dir, 'wxfeed.yaml')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let err = '';
        child.stderr.on('data', (c: Buffer) => {
          err += c.toString();
          const m = /"url":"(http:\/\/127\.0\.0\.1:\d+\/)"/.exec(err);
          if (m) resolve(m[1]!);
        });
        child.on('exit', () => reject(new Error(`serve exited: ${err}`)));
      });
      const res = await fetch(`${url}all/atom.xml`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
      expect(readFeed(await res.text()).items.map((i) => i.title)).toEqual(['一篇存档']);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { snapshot, differences, writeConfig } from './helpers/crash.js';
import { generatedCorpus, writeFile } from './helpers/tmp.js';
import { DIST_CLI } from './helpers/paths.js';

let t: { dir: string; dumps: string; cleanup: () => void };

beforeAll(() => {
  t = generatedCorpus(900, 12, 5);
});
afterAll(() => t.cleanup());

function build(
  name: string,
  workers: string,
): { summary: { filesRead: number; articles: number; filesWritten: string[]; problems: unknown[] }; stderr: string } {
  const config = writeConfig(t.dir, t.dumps, name, `${name}.db`);
  const r = spawnSync(process.execPath, [DIST_CLI, 'build', '--offline', '--json', '--verbose', '--config', config], {
    encoding: 'utf8',
    env: { ...process.env, WXFEED_WORKERS: workers },
  });
  expect(r.status, r.stderr).toBe(0);
  return { summary: JSON.parse(r.stdout), stderr: r.stderr };
}

describe('worker threads', () => {
  it('a build in two worker threads writes exactly what a build on the main thread writes', () => {
    const threaded = build('threaded', '2');
    const single = build('single', '0');
    expect(threaded.stderr).toContain('"workers":2');
    expect(single.stderr).toContain('"workers":0');
    expect(threaded.summary.filesRead).toBe(single.summary.filesRead);
    expect(threaded.summary.articles).toBe(single.summary.articles);
    expect(threaded.summary.filesWritten.length).toBe(single.summary.filesWritten.length);
    expect(threaded.summary.filesWritten.length).toBeGreaterThan(30);
    const a = snapshot(join(t.dir, 'threaded'));
    const b = snapshot(join(t.dir, 'single'));
    expect(a.size).toBe(b.size);
    expect(differences(a, b)).toEqual([]);
  });
});

describe('a worker that runs out of memory', () => {
  it('costs time, not a feed: its job runs again on the main thread and the output is what a single thread writes', () => {
    // 250,000 emphasis pairs: markdown-it's tokens for this body need far more than a worker's 48 MB heap.
    writeFile(
      join(t.dumps, 'bomb/emphasis.md'),
      `---\ntitle: 强调炸弹\nurl: https://mp.weixin.qq.com/s?__biz=MzkwMDAwMDAwMQ==&mid=2247480001&idx=1&sn=${'e'.repeat(32)}\nsource: 炸弹号\ndate: 2025-10-31\n---\n\n${'*a* '.repeat(250_000)}\n`,
    );
    const threaded = build('bomb-threaded', '2');
    const single = build('bomb-single', '0');
    expect(threaded.stderr).toContain('a worker thread failed: its work runs on the main thread');
    expect(single.stderr).not.toContain('a worker thread failed');
    expect(differences(snapshot(join(t.dir, 'bomb-threaded')), snapshot(join(t.dir, 'bomb-single')))).toEqual([]);
    const feed = readFileSync(join(t.dir, 'bomb-threaded', '3900000001', 'atom.xml'), 'utf8');
    expect(feed).toContain('<em>a</em> <em>a</em>');
  });
});

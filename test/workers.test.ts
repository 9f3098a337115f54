import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { snapshot, differences, writeConfig } from './helpers/crash.js';
import { tempDir } from './helpers/tmp.js';
import { DIST_CLI } from './helpers/paths.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let t: { dir: string; cleanup: () => void };

beforeAll(() => {
  t = tempDir();
  execFileSync(process.execPath, [join(ROOT, 'bench/gen-corpus.mjs'), '--out', join(t.dir, 'dumps'), '--articles', '900', '--accounts', '12', '--seed', '5'], { encoding: 'utf8' });
});
afterAll(() => t.cleanup());

function build(name: string, workers: string): { summary: { filesRead: number; articles: number; filesWritten: string[]; problems: unknown[] }; stderr: string } {
  const config = writeConfig(t.dir, join(t.dir, 'dumps'), name, `${name}.db`);
  const r = spawnSync(process.execPath, [DIST_CLI, 'build', '--offline', '--json', '--verbose', '--config', config], { encoding: 'utf8', env: { ...process.env, WXFEED_WORKERS: workers } });
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

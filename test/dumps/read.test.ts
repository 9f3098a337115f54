import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { listDumpFiles } from '../../src/dumps/read.js';
import type { InputProblem } from '../../src/types.js';
import { tempDir, writeFile } from '../helpers/tmp.js';
import { DIST_CLI } from '../helpers/paths.js';

let t: { dir: string; cleanup: () => void };
beforeEach(() => {
  t = tempDir();
  // years/months/days like the real archive, a few files each, links across the halves, a loop, a dead link
  for (const y of ['2023', '2024', '2025']) {
    for (const m of ['01', '02', '03', '04', '05']) {
      for (const d of ['01', '15'])
        writeFile(join(t.dir, 'dumps', y, m, d, `a-${y}${m}${d}.md`), '---\ntitle: x\n---\nbody');
      writeFile(join(t.dir, 'dumps', y, m, 'notes.json'), '{}');
    }
  }
  writeFile(join(t.dir, 'dumps', 'top.txt'), '---\ntitle: top\n---\n');
  symlinkSync(join(t.dir, 'dumps', '2025', '05'), join(t.dir, 'dumps', '2023', '01', 'link-to-2025-05'));
  symlinkSync(join(t.dir, 'dumps', '2023'), join(t.dir, 'dumps', '2025', '04', 'loop-to-2023'));
  symlinkSync(join(t.dir, 'nowhere'), join(t.dir, 'dumps', '2024', '02', 'dead.md'));
  mkdirSync(join(t.dir, 'dumps', 'empty'));
});
afterEach(() => t.cleanup());

describe('listDumpFiles', () => {
  it('two threads list exactly what one thread lists: each file once, sorted, loops and dead links handled', async () => {
    const oneProblems: InputProblem[] = [];
    const one = await listDumpFiles([join(t.dir, 'dumps')], oneProblems);
    const twoProblems: InputProblem[] = [];
    let threads = 0;
    const two = await listDumpFiles([join(t.dir, 'dumps')], twoProblems, {
      parallel: true,
      workerUrl: new URL('./walk-worker.js', `file://${DIST_CLI}`),
      onThreads: (n) => (threads = n),
    });
    expect(threads).toBe(2);
    expect(one.length).toBe(31); // 3 years × 5 months × 2 days, and top.txt; files behind links are listed once
    expect(two).toEqual(one);
    expect(one.map((f) => f.path)).toEqual([...one.map((f) => f.path)].sort());
    expect(oneProblems).toEqual([
      { where: join(t.dir, 'dumps', '2024', '02', 'dead.md'), reason: 'broken link', detail: 'ENOENT' },
    ]);
    expect(twoProblems).toEqual(oneProblems);
  });

  it('a worker that cannot start costs time, not files: its half is walked on this thread', async () => {
    let threads = 0;
    const files = await listDumpFiles([join(t.dir, 'dumps')], [], {
      parallel: true,
      workerUrl: new URL('file:///nonexistent/walk-worker.js'),
      onThreads: (n) => (threads = n),
    });
    expect(threads).toBe(1);
    expect(files.length).toBe(31);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linkSync, lstatSync, mkdirSync, statSync, symlinkSync } from 'node:fs';
import fc from 'fast-check';
import { basename, join, relative, sep } from 'node:path';
import { archiveName, listDumpFiles, NOT_STATED } from '../../src/io/dumps/read.js';
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
      {
        kind: 'broken-link',
        where: join(t.dir, 'dumps', '2024', '02', 'dead.md'),
        reason: 'broken link',
        detail: 'ENOENT',
      },
    ]);
    expect(twoProblems).toEqual(oneProblems);
  });

  it('without a look at each file: the same paths, plain files NOT_STATED, files behind a link looked at', async () => {
    const looked = await listDumpFiles([join(t.dir, 'dumps')], []);
    const problems: InputProblem[] = [];
    const listed = await listDumpFiles([join(t.dir, 'dumps')], problems, { statFiles: false });
    expect(listed.map((f) => f.path)).toEqual(looked.map((f) => f.path));
    expect(problems.map((p) => p.reason)).toEqual(['broken link']);
    for (const f of listed) {
      const st = lstatSync(f.path);
      if (st.isSymbolicLink()) expect(f.size).toBe(statSync(f.path).size);
      else expect(f).toEqual({ path: f.path, size: NOT_STATED, mtimeMs: NOT_STATED });
    }
    // Two names of one file are both listed (the read keeps the first); a walk that looks lists the first only.
    linkSync(join(t.dir, 'dumps', 'top.txt'), join(t.dir, 'dumps', 'a-top.txt'));
    const twoNames = await listDumpFiles([join(t.dir, 'dumps')], [], { statFiles: false });
    expect(twoNames.length).toBe(listed.length + 1);
    const oneName = await listDumpFiles([join(t.dir, 'dumps')], []);
    expect(oneName.map((f) => f.path)).toContain(join(t.dir, 'dumps', 'a-top.txt'));
    expect(oneName.map((f) => f.path)).not.toContain(join(t.dir, 'dumps', 'top.txt'));
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

describe('archiveName', () => {
  /** What it was before its quick cut: the root's name, then `relative` from the longest root holding the path. */
  const resolved = (path: string, roots: readonly string[]): string | undefined => {
    const root = roots
      .filter((r) => path.startsWith(r.endsWith(sep) ? r : r + sep))
      .sort((a, b) => b.length - a.length)[0];
    return root ? `${basename(root)}/${relative(root, path).split(sep).join('/')}` : undefined;
  };
  const part = fc.constantFrom('a', 'b.md', '2024', '.', '..', '', ' x', '中文.txt', '.hidden', '..md', 'a..b');
  const pathOf = fc.array(part, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('/'));

  it('names a file as relative() does, for roots in normal form or not and any path below them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('/d', '/d/', '/d/a', '/d/./a', '/d/a/../b', '/', '/dd', '/d//a'), {
          minLength: 1,
          maxLength: 3,
        }),
        pathOf,
        fc.constantFrom('/d', '/d/a', '/', '/dd', '/d/b'),
        (roots, below, base) => {
          const path = `${base}/${below}`;
          expect(archiveName(path, roots)).toBe(resolved(path, roots));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('gives the walked names of the archive: the folder name, then the path below it', () => {
    expect(archiveName('/data/archive/2024/01/a b.md', ['/data/archive'])).toBe('archive/2024/01/a b.md');
    expect(archiveName('/data/archive/x/y.md', ['/data', '/data/archive'])).toBe('archive/x/y.md');
    expect(archiveName('/elsewhere/y.md', ['/data'])).toBeUndefined();
  });
});

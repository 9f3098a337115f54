/**
 * The kinds of the dumps' problems, and what a build does by kind: a file that cannot be read now is not recorded,
 * a file that is not a dump is, and the files under a folder that cannot be listed are kept. The words people read
 * stay as they were.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../../src/config.js';
import { loadDump } from '../../src/io/dumps/load.js';
import { build } from '../../src/stages/cycle.js';
import { closeStore, openStore } from '../../src/store/db.js';
import { Store } from '../../src/store/store.js';
import type { Config } from '../../src/types.js';
import { silentLogger } from '../helpers/log.js';
import { dump, tempDir, writeFile } from '../helpers/tmp.js';

let t: { dir: string; cleanup: () => void };
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

const url = (n: number) =>
  `https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=${1000 + n}&idx=1&sn=${String(n).padStart(32, 'e')}`;
const article = (n: number) =>
  dump({ title: `第${n}篇`, url: url(n), source: '账号', date: '2024-07-01' }, `正文${n}。`);

describe('loadDump', () => {
  it('a file it cannot open is unreadable (read again later); a file that is not a dump is a bad dump', () => {
    const missing = join(t.dir, 'gone.md');
    expect(loadDump({ path: missing, size: 10, mtimeMs: 1 })).toEqual({
      ok: false,
      kind: 'unreadable-file',
      reason: 'unreadable file',
      detail: 'ENOENT',
    });
    const empty = join(t.dir, 'empty.md');
    writeFile(empty, '');
    expect(loadDump({ path: empty, size: 0, mtimeMs: 1 })).toMatchObject({
      ok: false,
      kind: 'bad-dump',
      reason: 'empty file',
    });
    const notes = join(t.dir, 'notes.md');
    writeFile(notes, '# notes\n');
    expect(loadDump({ path: notes, size: 8, mtimeMs: 1 })).toMatchObject({
      ok: false,
      kind: 'bad-dump',
      reason: 'no front matter',
    });
    expect(loadDump({ path: notes, size: 6 * 1024 * 1024, mtimeMs: 1 })).toEqual({
      ok: false,
      kind: 'bad-dump',
      reason: 'file over 5 MB',
    });
  });
});

describe('a build, by kind of problem', () => {
  let config: Config;
  const feed = () => readFileSync(join(config.output, '3267269114', 'atom.xml'), 'utf8');
  const walkAndIndex = () => {
    const db = openStore(config.store);
    const meta = new Store(db).meta;
    const got = { walk: meta.walk.get(), folders: meta.folders.get() !== undefined };
    closeStore(db, true);
    return got;
  };

  beforeEach(() => {
    writeFile(join(t.dir, 'dumps', '1.md'), article(1));
    writeFile(join(t.dir, 'dumps', 'notes.md'), '# notes\n');
    writeFile(join(t.dir, 'more', '2.md'), article(2));
    config = resolveConfig(
      { dumps: ['dumps', 'more'], output: 'out', store: 'data/wxfeed.db', urlFiles: [] },
      join(t.dir, 'x.yaml'),
      t.dir,
    );
  });

  it('a bad dump is recorded and reported again unread; a folder that cannot be listed keeps its files', async () => {
    const first = await build(config, { log: silentLogger });
    expect(first.problems).toEqual([
      { kind: 'bad-dump', where: join(t.dir, 'dumps', 'notes.md'), reason: 'no front matter' },
    ]);
    expect(walkAndIndex()).toMatchObject({ folders: true });
    const again = await build(config, { log: silentLogger, rescan: true });
    expect(again.filesRead).toBe(0);
    expect(again.problems).toEqual(first.problems);

    renameSync(join(t.dir, 'more'), join(t.dir, 'elsewhere'));
    const s = await build(config, { log: silentLogger });
    expect(s.problems).toContainEqual({
      kind: 'unreadable-folder',
      where: join(t.dir, 'more'),
      reason: 'unreadable folder',
      detail: 'ENOENT',
    });
    expect(s.filesRemoved).toBe(0);
    expect(feed()).toContain('第2篇');
    // Not a walk to trust: the next build compares every file again, and walks in full.
    expect(walkAndIndex()).toEqual({ walk: '', folders: false });

    renameSync(join(t.dir, 'elsewhere'), join(t.dir, 'more'));
    const back = await build(config, { log: silentLogger });
    expect(back).toMatchObject({ filesRead: 0, filesRemoved: 0 });
    expect(walkAndIndex().walk).toMatch(/^3:[0-9a-f]{64}$/);
  });
});

/**
 * The folder index: a build stats the dump folders, lists only those whose time changed, and reads their new and
 * changed files; a file rewritten in place (its folder's time unchanged) is read by the full walk that runs when the
 * index is an hour old, or at once with `rescan`. A removal always goes through the full walk and its guard.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../../src/stages/cycle.js';
import { resolveConfig } from '../../src/config.js';
import { RESCAN_MS } from '../../src/io/dumps/folders.js';
import { silentLogger } from '../helpers/log.js';
import type { Config } from '../../src/types.js';
import { dump, tempDir, writeFile } from '../helpers/tmp.js';

const url = (n: number) =>
  `https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=${1000 + n}&idx=1&sn=${String(n).padStart(32, 'e')}`;
const article = (n: number, body = `正文${n}。`) =>
  dump({ title: `第${n}篇`, url: url(n), source: '账号', date: `2024-07-${String(n).padStart(2, '0')}` }, body);

let t: { dir: string; cleanup: () => void };
let config: Config;
let now = Date.UTC(2024, 7, 1);
const run = (extra: { rescan?: boolean } = {}) => build(config, { log: silentLogger, now: () => now, ...extra });
const feed = () => readFileSync(join(config.output, '3267269114', 'atom.xml'), 'utf8');

beforeEach(async () => {
  t = tempDir();
  for (const n of [1, 2, 3]) writeFile(join(t.dir, 'dumps', '2024', `0${n}`, `${n}.md`), article(n));
  writeFile(join(t.dir, 'dumps', '2024', '01', '4.md'), article(4));
  // A file that is not a dump: a problem listed on every build, which must not keep the index from being made.
  writeFile(join(t.dir, 'dumps', '2024', '01', 'daily.md'), '# 每日\n');
  config = resolveConfig(
    { dumps: ['dumps'], output: 'out', store: 'data/wxfeed.db', urlFiles: [] },
    join(t.dir, 'x.yaml'),
    t.dir,
  );
  now = Date.UTC(2024, 7, 1);
  const first = await run();
  expect(first.filesRead).toBe(5);
  expect(first.problems.map((p) => p.reason)).toEqual(['no front matter']);
});
afterEach(() => t.cleanup());

describe('the folder index', () => {
  it('nothing moved: nothing read, every file still counted', async () => {
    const s = await run();
    expect(s).toMatchObject({ filesSeen: 5, filesRead: 0, filesUnchanged: 5, filesRemoved: 0, filesWritten: [] });
    expect(s.problems.map((p) => p.reason)).toEqual(['no front matter']);
  });

  it('a file added to a folder, and a new folder: only they are read', async () => {
    writeFile(join(t.dir, 'dumps', '2024', '02', '5.md'), article(5));
    writeFile(join(t.dir, 'dumps', '2024', '09', 'new', '6.md'), article(6));
    const s = await run();
    expect(s).toMatchObject({ filesSeen: 7, filesRead: 2, filesRemoved: 0 });
    expect(s.problems.map((p) => p.reason)).toEqual(['no front matter']);
    expect(feed()).toContain('第5篇');
    expect(feed()).toContain('第6篇');
  });

  it('a file rewritten in place: read by a rescan, or by the full walk once the index is an hour old', async () => {
    const path = join(t.dir, 'dumps', '2024', '01', '1.md');
    writeFileSync(path, article(1, '改过的正文。')); // in place: the folder's time stays
    expect((await run()).filesRead).toBe(0);
    expect(feed()).not.toContain('改过的正文');
    const rescanned = await run({ rescan: true });
    expect(rescanned.filesRead).toBe(1);
    expect(feed()).toContain('改过的正文');

    writeFileSync(path, article(1, '又改了一次。'));
    now += RESCAN_MS - 1000;
    expect((await run()).filesRead).toBe(0);
    now += 2000;
    expect((await run()).filesRead).toBe(1);
    expect(feed()).toContain('又改了一次');
  });

  it('a file recorded with a problem, fixed in place: read at once (problem files are each checked)', async () => {
    writeFileSync(join(t.dir, 'dumps', '2024', '01', 'daily.md'), article(7));
    const s = await run();
    expect(s).toMatchObject({ filesRead: 1, problems: [] });
    expect(feed()).toContain('第7篇');
  });

  it('a file removed: the full walk forgets it (under the removal guard)', async () => {
    unlinkSync(join(t.dir, 'dumps', '2024', '01', '4.md'));
    const s = await run();
    expect(s).toMatchObject({ filesSeen: 4, filesRemoved: 1 });
    expect(feed()).not.toContain('第4篇');
  });
});

/**
 * Dump bodies a feed showed are kept rendered in the store: a feed rendered again renders only the bodies it did not
 * show before, and writes exactly the bytes a rendering from scratch writes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { build } from '../../src/stages/cycle.js';
import { resolveConfig } from '../../src/config.js';
import { silentLogger } from '../helpers/log.js';
import type { Config } from '../../src/types.js';
import { dump, tempDir, writeFile } from '../helpers/tmp.js';

const url = (n: number) =>
  `https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=${2000 + n}&idx=1&sn=${String(n).padStart(32, 'f')}`;
const article = (n: number) =>
  dump(
    { title: `第${n}篇`, url: url(n), source: '账号', date: `2024-07-${String(n).padStart(2, '0')}` },
    `## 小标题\n\n第${n}篇的**正文**，[链接](https://example.com/${n})。\n\n![图](https://mmbiz.qpic.cn/mmbiz_png/p${n}/0?wx_fmt=png)`,
  );

let t: { dir: string; cleanup: () => void };
let config: Config;
beforeEach(() => {
  t = tempDir();
  for (let n = 1; n <= 6; n++) writeFile(join(t.dir, 'dumps', `${n}.md`), article(n));
  config = resolveConfig(
    { dumps: ['dumps'], output: 'out', store: 'data/wxfeed.db', urlFiles: [] },
    join(t.dir, 'x.yaml'),
    t.dir,
  );
});
afterEach(() => t.cleanup());

const kept = () => {
  const db = new Database(config.store, { readonly: true });
  try {
    return db.prepare('SELECT COUNT(*) FROM rendered').pluck().get() as number;
  } finally {
    db.close();
  }
};
const outputs = () =>
  Object.fromEntries(
    readdirSync(config.output, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => [
        relative(config.output, join(e.parentPath, e.name)),
        readFileSync(join(e.parentPath, e.name), 'utf8'),
      ]),
  );

describe('kept renderings of dump bodies', () => {
  it('one per body shown; a new article adds one; feeds rendered again from them are byte for byte the same', async () => {
    await build(config, { log: silentLogger });
    expect(kept()).toBe(6);
    writeFile(join(t.dir, 'dumps', '7.md'), article(7));
    const s = await build(config, { log: silentLogger });
    expect(s.filesRead).toBe(1);
    expect(kept()).toBe(7);
    const before = outputs();
    // Every feed rendered again (its files gone), from the kept renderings: the same bytes.
    rmSync(config.output, { recursive: true });
    const again = await build(config, { log: silentLogger });
    expect(again.filesWritten.length).toBeGreaterThan(0);
    expect(outputs()).toEqual(before);
    expect(kept()).toBe(7);
  });

  it('a feed rendered again takes a body from its kept rendering, not from the file', async () => {
    await build(config, { log: silentLogger });
    const db = new Database(config.store);
    const keys = db.prepare('SELECT key FROM rendered').pluck().all() as string[];
    for (const key of keys) {
      db.prepare('UPDATE rendered SET html = ? WHERE key = ?').run(
        JSON.stringify({ html: '<p>kept rendering</p>', reprint: { from: '来源号', author: '某作者' } }),
        key,
      );
    }
    db.close();
    rmSync(config.output, { recursive: true });
    await build(config, { log: silentLogger });
    const atom = readFileSync(join(config.output, '3267269114', 'atom.xml'), 'utf8');
    // In each of the 6 items' content and in the summary taken from it, with the kept reprint's credit line.
    expect(atom.match(/kept rendering/g)).toHaveLength(12);
    expect(atom.match(/转载自 来源号 · 作者 某作者/g)?.length).toBeGreaterThanOrEqual(6);
  });

  it('a kept rendering that cannot be read is rendered again from the file', async () => {
    await build(config, { log: silentLogger });
    const before = outputs();
    const db = new Database(config.store);
    db.prepare('UPDATE rendered SET html = ?').run('<p>not JSON</p>');
    db.close();
    rmSync(config.output, { recursive: true });
    await build(config, { log: silentLogger });
    expect(outputs()).toEqual(before);
  });
});

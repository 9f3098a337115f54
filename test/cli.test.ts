import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dump, tempDir, writeFile } from './helpers/tmp.js';
import { SEED } from './helpers/paths.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'src/cli.ts');
const TSX = import.meta.resolve('tsx');

function wxfeed(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, ['--import', TSX, CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let t: { dir: string; cleanup: () => void };
beforeEach(() => {
  t = tempDir();
  writeFile(join(t.dir, 'config/dumps/seed.txt'), readFileSync(SEED));
});
afterEach(() => t.cleanup());

const writeConfig = (yaml: string) => writeFileSync(join(t.dir, 'config/wxfeed.yaml'), yaml);

describe('wxfeed CLI', () => {
  it('--help and build --help', () => {
    const top = wxfeed(['--help'], t.dir);
    expect(top.code).toBe(0);
    expect(top.out).toContain('build');
    const b = wxfeed(['build', '--help'], t.dir);
    expect(b.code).toBe(0);
    for (const flag of ['--config', '--out', '--dumps', '--offline']) expect(b.out).toContain(flag);
  });

  it('builds from config/wxfeed.yaml by default, exit 0, and says where the feeds are', () => {
    writeConfig('dumps: [dumps]\noutput: ../output\nstore: ../data/wxfeed.db\n');
    const r = wxfeed(['build', '--offline'], t.dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('1 articles');
    expect(r.out).toContain('output: output/');
    expect(r.out).toContain('http://localhost:8080/feeds.opml');
    expect(readFileSync(join(t.dir, 'output/3267269114/atom.xml'), 'utf8')).toContain('小米获 NVDB');
  });

  it('--out and --dumps override the config, relative to the working folder', () => {
    writeConfig('dumps: [dumps]\n');
    mkdirSync(join(t.dir, 'elsewhere'));
    writeFile(
      join(t.dir, 'elsewhere/x.md'),
      dump({ title: 'Other', url: 'https://example.com/x', source: 'Other', date: '2024-01-01' }, 'Body.'),
    );
    const r = wxfeed(['build', '--out', 'site', '--dumps', 'elsewhere'], t.dir);
    expect(r.code).toBe(0);
    expect(readFileSync(join(t.dir, 'site/other/atom.xml'), 'utf8')).toContain('Other');
  });

  it('exit 2 naming the key for an unknown key, a wrong type, an unreadable folder', () => {
    writeConfig('dumps: [dumps]\nfeed:\n  limit: 50\n  lmit: 3\n');
    let r = wxfeed(['build'], t.dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('feed.lmit: unknown key');
    expect(r.err).toContain('config/wxfeed.yaml');

    writeConfig('dumps: [dumps]\nfeed:\n  limit: fifty\n');
    r = wxfeed(['build'], t.dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/feed\.limit: Expected number/);

    writeConfig('dumps: [dumps, missing-folder]\n');
    r = wxfeed(['build'], t.dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/dumps\[1\]: cannot read folder .*missing-folder \(ENOENT\)/);

    writeConfig('sources:\n  - match: x\n    slug: Bad Slug\n');
    r = wxfeed(['build'], t.dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('sources[0].slug');

    writeConfig('dumps: [dumps\n');
    r = wxfeed(['build'], t.dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('invalid config');

    r = wxfeed(['build', '--config', 'nope.yaml'], t.dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot read config');
  });

  it('exit 1 with a one-line reason for a store that is not ours; a stack only with --verbose', () => {
    writeConfig('dumps: [dumps]\nstore: ../data/wxfeed.db\n');
    writeFile(join(t.dir, 'data/wxfeed.db'), 'not a database');
    const r = wxfeed(['build'], t.dir);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('not a wxfeed store');
    const v = wxfeed(['build', '--verbose'], t.dir);
    expect(v.code).toBe(1);
    expect(v.err).toContain('at openStore');
  });

  it('add: refuses non-WeChat URLs, normalises, never adds an article twice, says what it did', () => {
    writeConfig('dumps: [dumps]\nstore: ../data/wxfeed.db\n');
    expect(wxfeed(['build'], t.dir).code).toBe(0);
    const known =
      'https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=2247516897&idx=1&sn=f1e158dc91284eb64c5daebc25ee1b5a&scene=1#rd';
    const fresh =
      'http://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&amp;mid=2247516000&amp;idx=2&amp;sn=0123456789abcdef0123456789abcdef&amp;chksm=1#wechat_redirect';
    const r = wxfeed(['add', fresh, 'https://example.com/post', known], t.dir);
    expect(r.code).toBe(2);
    const canonical =
      'https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=2247516000&idx=2&sn=0123456789abcdef0123456789abcdef';
    expect(r.out).toContain(`added  ${canonical}`);
    expect(r.out).toContain('refused  https://example.com/post: not a WeChat article URL');
    expect(r.out).toContain('already known (sn:f1e158dc91284eb64c5daebc25ee1b5a)');
    expect(r.err).toContain('1 of 3 URLs refused');
    const file = readFileSync(join(t.dir, 'config/urls.txt'), 'utf8');
    expect(file.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([canonical]);
    const again = wxfeed(['add', fresh.replace('idx=2', 'idx=2&amp;scene=7')], t.dir);
    expect(again.code).toBe(0);
    expect(again.out).toContain(`already followed  ${canonical}`);
    expect(readFileSync(join(t.dir, 'config/urls.txt'), 'utf8')).toBe(file);
  });

  it('an unknown command is a usage error', () => {
    expect(wxfeed(['frobnicate'], t.dir).code).toBe(2);
  });
});

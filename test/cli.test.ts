import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dump, generatedCorpus, tempDir, writeFile } from './helpers/tmp.js';
import { DIST_CLI, SEED } from './helpers/paths.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'src/commands/cli.ts');
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
    // Not a terminal: no next-step hint (a script reads this).
    expect(r.out).not.toContain('serve:');
    expect(r.out).not.toContain('feeds.opml to your reader');
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
    expect(r.err).toBe(`wxfeed: --config nope.yaml: no such file (${join(t.dir, 'nope.yaml')})\n`);

    // A path flag that is wrong is the flag's error, not the config file's.
    writeConfig('dumps: [dumps]\n');
    r = wxfeed(['build', '--dumps', '/mnt/typo'], t.dir);
    expect(r.code).toBe(2);
    expect(r.err).toBe('wxfeed: --dumps /mnt/typo: no such folder\n');
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

  it('--version prints the package version; help, --help and no command all print the help and exit 0', () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
    for (const flag of ['--version', '-V']) {
      const v = wxfeed([flag], t.dir);
      expect(v.code).toBe(0);
      expect(v.out.trim()).toBe(version);
    }
    for (const args of [[], ['help'], ['--help'], ['help', 'build']]) {
      const h = wxfeed(args, t.dir);
      expect(h.code, args.join(' ')).toBe(0);
      expect(h.out).toContain('Usage: wxfeed');
    }
    const bad = wxfeed(['frobnicate'], t.dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("unknown command 'frobnicate'");
  });

  it('--json: every failure is a JSON object with the error, and the exit code is the same as without', () => {
    writeConfig('dumps: [dumps]\nfeed:\n  lmit: 3\n');
    const plain = wxfeed(['build'], t.dir);
    const r = wxfeed(['build', '--json'], t.dir);
    expect([plain.code, r.code]).toEqual([2, 2]);
    expect(JSON.parse(r.out)).toMatchObject({ error: expect.stringContaining('feed.lmit: unknown key'), exitCode: 2 });

    writeConfig('dumps: [dumps]\nstore: ../data/wxfeed.db\n');
    writeFile(join(t.dir, 'data/wxfeed.db'), 'not a database');
    const store = wxfeed(['build', '--json'], t.dir);
    expect(store.code).toBe(1);
    expect(JSON.parse(store.out)).toMatchObject({ error: expect.stringContaining('not a wxfeed store'), exitCode: 1 });

    const usage = wxfeed(['build', '--json', '--bogus'], t.dir);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.out)).toMatchObject({
      error: expect.stringContaining("unknown option '--bogus'"),
      exitCode: 2,
    });

    rmSync(join(t.dir, 'data'), { recursive: true });
    const ok = wxfeed(['build', '--json', '--offline'], t.dir);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ articles: 1 });
  });

  it('names with control characters are printed quoted, the way git does; nothing raw reaches the terminal', () => {
    writeConfig('dumps: [dumps]\nstore: ../data/wxfeed.db\nurlFiles: [urls.txt]\n');
    writeFile(join(t.dir, 'config/dumps/a\x1b[2J.md'), '');
    writeFile(join(t.dir, 'config/dumps/b\nwxfeed: 0 problems, all ok.md'), '');
    writeFile(join(t.dir, 'config/dumps/tab\tand "quote".md'), '');
    const r = wxfeed(['build', '--offline'], t.dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('config/dumps/a\\033[2J.md"');
    expect(r.out).toMatch(/"[^"\n]*config\/dumps\/b\\nwxfeed: 0 problems, all ok\.md"/);
    expect(r.out).toContain('config/dumps/tab\\tand \\"quote\\".md"');
    expect(r.out).not.toContain('\x1b');
    expect(r.out.split('\n').some((l) => l.startsWith('wxfeed: 0 problems'))).toBe(false);

    const add = wxfeed(['add', 'https://example.com/\x1b]0;pwned\x07'], t.dir);
    expect(add.code).toBe(2);
    expect(add.out).toContain('refused  "https://example.com/\\033]0;pwned\\a"');
    expect(`${add.out}${add.err}`).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });

  it('--quiet prints nothing but problems; the output is the same', () => {
    writeConfig('dumps: [dumps]\nstore: ../data/wxfeed.db\n');
    const quiet = wxfeed(['build', '--offline', '--quiet'], t.dir);
    expect(quiet.code).toBe(0);
    expect(quiet.out).toBe('');
    expect(existsSync(join(t.dir, 'config/output/3267269114/atom.xml'))).toBe(true);
    writeFile(join(t.dir, 'config/dumps/empty.md'), '');
    const again = wxfeed(['build', '--offline', '--quiet'], t.dir);
    expect(again.code).toBe(0);
    expect(again.out.trim().split('\n')).toEqual(['problems:', '  empty file (1):', '    config/dumps/empty.md']);
    // A cron job's next builds: the problems reported are counted, only new ones listed; the store remembers.
    writeFile(join(t.dir, 'config/dumps/empty2.md'), '');
    const third = wxfeed(['build', '--offline', '--quiet'], t.dir);
    expect(third.out.trim().split('\n')).toEqual([
      '1 known problems, reported before (`wxfeed build` without -q lists them); new:',
      'problems:',
      '  empty file (1):',
      '    config/dumps/empty2.md',
    ]);
    const fourth = wxfeed(['build', '--offline', '--quiet'], t.dir);
    expect(fourth.out).toBe('2 known problems, reported before (`wxfeed build` without -q lists them)\n');
    // Without -q every problem is listed, as always.
    expect(wxfeed(['build', '--offline'], t.dir).out).toContain('  empty file (2):');
  });

  it.skipIf(!hasScript())('on a terminal, the next-step hint names the --config given', () => {
    writeFile(join(t.dir, 'my conf/feeds.yaml'), `dumps: [${JSON.stringify(join(t.dir, 'config/dumps'))}]\n`);
    const r = onTerminal(['build', '--offline', '--config', 'my conf/feeds.yaml'], t.dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain("wxfeed serve --config 'my conf/feeds.yaml'");
    expect(r.out).toContain("wxfeed daemon --config 'my conf/feeds.yaml'");
    expect(r.out).toContain('subscribe: add http://localhost:8080/feeds.opml');
    writeConfig('dumps: [dumps]\n');
    const plain = onTerminal(['build', '--offline'], t.dir);
    expect(plain.out).toContain('npm run serve (wxfeed serve)');
    expect(plain.out).not.toContain('--config');
  });

  it('a config warning (baseUrl on another port than server.port) is printed once, and the build goes on', () => {
    writeConfig('baseUrl: http://localhost:8080/\ndumps: [dumps]\nstore: ../data/wxfeed.db\nserver:\n  port: 9090\n');
    const r = wxfeed(['build', '--offline'], t.dir);
    expect(r.code).toBe(0);
    const warnings = r.err.split('\n').filter((l) => l.startsWith('wxfeed: warning:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('baseUrl http://localhost:8080/ names port 8080, but server.port is 9090');
    writeConfig('dumps: [dumps]\nstore: ../data/wxfeed.db\nserver:\n  port: 9090\n');
    const derived = wxfeed(['build', '--offline'], t.dir);
    expect(derived.err).toBe('');
    expect(readFileSync(join(t.dir, 'config/output/feeds.opml'), 'utf8')).toContain('http://localhost:9090/');
  });

  it('an emptied dumps folder: exit 1 naming the folder and the counts, nothing removed; build --prune removes', () => {
    writeFile(join(t.dir, 'c/feeds.yaml'), `dumps: [${JSON.stringify(join(t.dir, 'config/dumps'))}]\n`);
    expect(wxfeed(['build', '--offline', '--config', 'c/feeds.yaml'], t.dir).code).toBe(0);
    rmSync(join(t.dir, 'config/dumps/seed.txt'));
    const r = wxfeed(['build', '--offline', '--config', 'c/feeds.yaml'], t.dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('refusing to forget 1 of the 1 known dump files; nothing was removed');
    expect(r.err).toContain(`${join(t.dir, 'config/dumps')}: none of its 1 files found`);
    expect(r.err).toContain('wxfeed build --prune --config c/feeds.yaml');
    expect(readdirSync(join(t.dir, 'c/output'))).toContain('3267269114');
    const json = wxfeed(['build', '--offline', '--json', '--config', 'c/feeds.yaml'], t.dir);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out).error).toContain('refusing to forget 1 of the 1 known dump files');
    const pruned = wxfeed(['build', '--offline', '--prune', '--config', 'c/feeds.yaml'], t.dir);
    expect(pruned.code).toBe(0);
    expect(readdirSync(join(t.dir, 'c/output'))).not.toContain('3267269114');
  });
});

/** `script` gives the command a terminal (util-linux). */
function hasScript(): boolean {
  return spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Run the built command with its stdout on a terminal. */
function onTerminal(args: string[], cwd: string) {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, DIST_CLI, ...args].map(q).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', COLUMNS: '200' },
  });
  return { code: r.status, out: r.stdout.replace(/\r\n/g, '\n') };
}

describe('follow, unfollow, resume, --port', () => {
  const ARTICLE =
    'https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=2247516000&idx=2&sn=0123456789abcdef0123456789abcdef';

  it('follow is the verb and add its alias; unfollow takes an account, --url one URL; resume ends a cool-down', () => {
    writeConfig('dumps: [dumps]\nstore: ../data/wxfeed.db\n');
    const help = wxfeed(['--help'], t.dir);
    expect(help.out).toMatch(/^ {2}follow\|add /m);
    const f = wxfeed(['follow', ARTICLE], t.dir);
    expect(f.code).toBe(0);
    expect(f.out).toContain(`added  ${ARTICLE}`);
    expect(wxfeed(['add', ARTICLE], t.dir).out).toContain(`already followed  ${ARTICLE}`);
    expect(wxfeed(['build', '--offline'], t.dir).code).toBe(0);

    const urls = join(t.dir, 'config/urls.txt');
    const one = wxfeed(['unfollow', '--url', `${ARTICLE}#rd`], t.dir);
    expect(one.code).toBe(0);
    expect(one.out).toBe(
      `unfollowed  ${ARTICLE}: no more reads; its stored article stays in the feeds\n  still listed at ${urls}:2: it stays unfollowed; remove that line, or \`wxfeed follow\` it to follow it again\n`,
    );
    const account = wxfeed(['unfollow', '3267269114', 'nonsense'], t.dir);
    expect(account.code).toBe(2);
    expect(account.out.split('\n')).toEqual([
      'unfollowed  account 3267269114: 0 albums and homepages no longer polled, 0 article URLs no longer read; no page makes one of its albums followed again',
      '  stays: its 1 stored articles, and its feeds 3267269114/ (no new articles; `--remove` removes them)',
      `  still listed at ${urls}:2: it stays unfollowed; remove that line, or \`wxfeed follow\` an article URL of the account to follow it again`,
      'refused  nonsense: not an account number, an article URL or an account feed folder, nor an album or homepage URL, id or feed folder',
      '',
    ]);
    expect(account.err).toBe('wxfeed: 1 of 2 refused\n');
    expect(wxfeed(['list'], t.dir).out).toContain('unfollowed accounts (1;');

    expect(wxfeed(['resume'], t.dir).out).toBe('no cool-down in force: the next build fetches as its schedule says\n');
  });

  it('serve and daemon take --port; a port in use names the flag or key to change', async () => {
    writeConfig('dumps: [dumps]\nstore: ../data/wxfeed.db\n');
    const { createServer } = await import('node:net');
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as { port: number }).port;
    try {
      const serve = wxfeed(['serve', '--port', String(port)], t.dir);
      expect(serve.code).toBe(1);
      expect(serve.err).toBe(`wxfeed: cannot listen on 127.0.0.1:${port}: the port is in use; pass another --port\n`);
      writeConfig(`dumps: [dumps]\nstore: ../data/wxfeed.db\nserver: {port: ${port}}\n`);
      const daemon = wxfeed(['daemon'], t.dir);
      expect(daemon.code).toBe(1);
      expect(daemon.err).toContain(
        `wxfeed: cannot listen on 127.0.0.1:${port}: the port is in use; change server.port in ${join(t.dir, 'config/wxfeed.yaml')} or pass --port\n`,
      );
    } finally {
      busy.close();
    }
    const bad = wxfeed(['serve', '--port', '70000'], t.dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('it must be a whole number from 0 to 65535');
  });
});

describe('Ctrl-C during a build', () => {
  it('says the next build resumes, exits 130, and the next build completes what this one started', async () => {
    const c = generatedCorpus(3000, 20, 7);
    try {
      const cfg = join(c.dir, 'wxfeed.yaml');
      writeFileSync(cfg, 'dumps: [dumps]\noutput: out\nstore: data/wxfeed.db\nurlFiles: []\n');
      const child = spawn(process.execPath, [DIST_CLI, 'build', '--offline', '--config', cfg], {
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      let err = '';
      let out = '';
      child.stderr.on('data', (d) => (err += d));
      child.stdout.on('data', (d) => (out += d));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      // The store is opened when the build starts; the dumps are read after it.
      while (!existsSync(join(c.dir, 'data/wxfeed.db'))) await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(err).toBe('wxfeed: interrupted; the next build resumes where this one stopped\n');
      expect(out).toBe('');
      const next = spawnSync(process.execPath, [DIST_CLI, 'build', '--offline', '--json', '--config', cfg], {
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      expect(next.status).toBe(0);
      expect(JSON.parse(next.stdout)).toMatchObject({ articles: 3000 });
    } finally {
      c.cleanup();
    }
  }, 60_000);
});

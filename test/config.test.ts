import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, RESERVED_SLUGS, readConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { tempDir } from './helpers/tmp.js';

let t: { dir: string; cleanup: () => void };
beforeEach(() => {
  t = tempDir();
  mkdirSync(join(t.dir, 'conf/dumps'), { recursive: true });
});
afterEach(() => t.cleanup());

const write = (yaml: string) => {
  writeFileSync(join(t.dir, 'conf/wxfeed.yaml'), yaml);
  return join(t.dir, 'conf/wxfeed.yaml');
};

describe('loadConfig', () => {
  it('applies defaults and resolves paths against the config folder: its defaults sit next to it, never above', () => {
    const c = loadConfig(write('{}'), {}, '/somewhere/else');
    expect(c).toMatchObject({
      baseUrl: 'http://localhost:8080/',
      dumps: [join(t.dir, 'conf/dumps')],
      output: join(t.dir, 'conf/output'),
      store: join(t.dir, 'conf/data/wxfeed.db'),
      urlFiles: [join(t.dir, 'conf/urls.txt')],
      imageProxy: { cacheDir: join(t.dir, 'conf/data/img-cache') },
      feed: { limit: 50, keepDeleted: true, language: 'zh-CN', placeholders: 'show' },
      sources: [],
    });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.feed)).toBe(true);
    expect(c.follow).toEqual({
      albums: 'urls',
      maxPages: 50,
      albumIntervalMinutes: 60,
      maxRequestsPerRun: 100,
      maxAlbumsPerAccount: 50,
      maxNewAlbumsPerRun: 10,
    });
    expect(loadConfig(write('follow: {albums: all, albumIntervalMinutes: 0}')).follow).toEqual({
      albums: 'all',
      maxPages: 50,
      albumIntervalMinutes: 0,
      maxRequestsPerRun: 100,
      maxAlbumsPerAccount: 50,
      maxNewAlbumsPerRun: 10,
    });
  });
  it('adds the trailing slash to baseUrl', () => {
    expect(loadConfig(write('baseUrl: https://example.org/feeds')).baseUrl).toBe('https://example.org/feeds/');
  });
  it('feed.language (zh-CN or en) and feed.placeholders (show or hide)', () => {
    expect(loadConfig(write('feed: {language: en, placeholders: hide}')).feed).toMatchObject({
      language: 'en',
      placeholders: 'hide',
    });
    expect(() => loadConfig(write('feed: {language: fr}'))).toThrow(/feed\.language: Invalid enum value/);
    expect(() => loadConfig(write('feed: {placeholders: no}'))).toThrow(/feed\.placeholders: Invalid enum value/);
  });
  it('an empty file is the defaults', () => {
    expect(loadConfig(write('')).feed.limit).toBe(50);
  });
  it('names the key of each problem', () => {
    const msg = (yaml: string) => {
      try {
        loadConfig(write(yaml));
        return 'no error';
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
    };
    expect(msg('colour: blue')).toContain('colour: unknown key');
    expect(msg('baseUrl: not a url')).toContain('baseUrl:');
    expect(msg('baseUrl: ftp://x.org/')).toContain('baseUrl: must be an http(s) URL');
    expect(msg('dumps: dumps')).toContain('dumps: Expected array');
    expect(msg('feed: {limit: 0}')).toContain('feed.limit:');
    expect(msg('sources: [{slug: x}]')).toContain('sources[0].match: Required');
    expect(msg('follow: {albums: some}')).toContain(
      'follow.albums: must be "urls" (follow the albums the pages of followed URLs name), "all" (also those of dumps\' pages) or "off"',
    );
    expect(msg('follow: {maxPages: 0}')).toContain('follow.maxPages: must be at least 1');
    expect(msg('follow: {maxRequestsPerRun: 0}')).toContain(
      'follow.maxRequestsPerRun: must be at least 1 (list and list-page requests one build may make)',
    );
    expect(msg('follow: {maxAlbumsPerAccount: 1.5}')).toContain('follow.maxAlbumsPerAccount: must be a whole number');
    expect(msg('follow: {maxNewAlbumsPerRun: 0}')).toContain('follow.maxNewAlbumsPerRun: must be at least 1');
    expect(msg('follow: {maxPages: 2.5}')).toContain('follow.maxPages: must be a whole number of list pages');
    expect(msg('follow: {albumIntervalMinutes: -1}')).toContain(
      'follow.albumIntervalMinutes: must be 0 (every build) or more',
    );
    expect(msg('follow: {albumIntervalMinutes: soon}')).toContain(
      'follow.albumIntervalMinutes: must be a number of minutes',
    );
    expect(msg('follow: {album: urls}')).toContain('follow.album: unknown key');
    expect(msg('sources: [{match: a, slug: all}]')).toContain('sources[0].slug: is reserved');
    expect(msg('sources: [{match: a, slug: x}, {match: b, slug: x}]')).toContain(
      'sources[1].slug: "x" is already used by sources[0]',
    );
    expect(msg('- a list')).toContain('the top level must be a mapping');
    expect(msg('dumps: [nope]')).toMatch(/dumps\[0\]: cannot read folder .*nope \(ENOENT\)/);
  });
});

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The message of the ConfigError a config gives. */
function problem(yaml: string): string {
  try {
    loadConfig(write(yaml));
    return 'no error';
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
}

describe('where paths go', () => {
  it('with no config file, everything resolves against the working folder (nothing goes to its parent)', () => {
    mkdirSync(join(t.dir, 'work/dumps'), { recursive: true });
    const cwd = join(t.dir, 'work');
    const c = loadConfig(undefined, {}, cwd);
    expect(c).toMatchObject({
      dumps: [join(cwd, 'dumps')],
      output: join(cwd, 'output'),
      store: join(cwd, 'data/wxfeed.db'),
      urlFiles: [join(cwd, 'urls.txt')],
      imageProxy: { cacheDir: join(cwd, 'data/img-cache') },
    });
  });

  it("relative paths in a config resolve against the config's folder, --out and --dumps against the working folder", () => {
    mkdirSync(join(t.dir, 'cwd/in'), { recursive: true });
    const c = loadConfig(
      write('output: site\nstore: db/x.db\nimageProxy: {cacheDir: cache}\nurlFiles: [a.txt]\n'),
      {},
      join(t.dir, 'cwd'),
    );
    expect([c.output, c.store, c.imageProxy.cacheDir, c.urlFiles[0]]).toEqual([
      join(t.dir, 'conf/site'),
      join(t.dir, 'conf/db/x.db'),
      join(t.dir, 'conf/cache'),
      join(t.dir, 'conf/a.txt'),
    ]);
    const o = loadConfig(write('{}'), { output: 'out2', dumps: ['in'] }, join(t.dir, 'cwd'));
    expect([o.output, o.dumps]).toEqual([join(t.dir, 'cwd/out2'), [join(t.dir, 'cwd/in')]]);
  });

  it('a path flag that is wrong is named as the flag, not as the config file', () => {
    const cwd = join(t.dir, 'cwd');
    mkdirSync(cwd, { recursive: true });
    writeFileSync(join(cwd, 'a-file'), '');
    const flagError = (overrides: { output?: string; dumps?: string[] }, file = write('{}')) => {
      try {
        loadConfig(file, overrides, cwd);
        return 'no error';
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
    };
    expect(flagError({ dumps: ['/mnt/typo'] })).toBe('--dumps /mnt/typo: no such folder');
    expect(flagError({ dumps: ['typo'] })).toBe(`--dumps typo: no such folder (${join(cwd, 'typo')})`);
    expect(flagError({ dumps: ['a-file'] })).toBe(`--dumps a-file: not a folder (${join(cwd, 'a-file')})`);
    expect(flagError({ output: 'a-file' })).toBe(`--out a-file: not a folder (${join(cwd, 'a-file')})`);
    expect(flagError({ output: 'not-yet' })).toBe('no error');
    expect(flagError({}, join(cwd, 'nope.yaml'))).toBe(
      `--config ${join(cwd, 'nope.yaml')}: no such file (${join(cwd, 'nope.yaml')})`,
    );
    // The config file's own folders are still the config file's errors.
    expect(flagError({}, write('dumps: [nope]'))).toMatch(
      /^invalid config .*:\n {2}dumps\[0\]: cannot read folder .*nope \(ENOENT\)$/,
    );
  });

  it('--port wins over server.port, and the baseUrl derived from it follows', () => {
    const c = loadConfig(write('server: {port: 8080}'), { port: 9000 });
    expect(c.server.port).toBe(9000);
    expect(c.baseUrl).toBe('http://localhost:9000/');
    const { warnings } = readConfig(write('baseUrl: http://localhost:8080/'), { port: 9000 });
    expect(warnings).toEqual([
      `${join(t.dir, 'conf/wxfeed.yaml')}: baseUrl http://localhost:8080/ names port 8080, but --port is 9000: links in the feeds, the OPML and the index page will miss the server (leave baseUrl out to derive it from server.host and server.port)`,
    ]);
  });

  it("the shipped config/wxfeed.yaml writes to the project's output/ and data/", () => {
    const c = loadConfig(join(ROOT, 'config/wxfeed.yaml'), {}, '/');
    expect([c.output, c.store, c.imageProxy.cacheDir, c.dumps]).toEqual([
      join(ROOT, 'output'),
      join(ROOT, 'data/wxfeed.db'),
      join(ROOT, 'data/img-cache'),
      [join(ROOT, 'config/dumps')],
    ]);
    expect(c.baseUrl).toBe('http://localhost:8080/');
  });
});

describe('baseUrl and server.port', () => {
  it('without baseUrl, links follow server.host and server.port', () => {
    const base = (yaml: string) => loadConfig(write(yaml)).baseUrl;
    expect(base('{}')).toBe('http://localhost:8080/');
    expect(base('server: {port: 9090}')).toBe('http://localhost:9090/');
    expect(base('server: {host: 0.0.0.0, port: 9090}')).toBe('http://localhost:9090/');
    expect(base('server: {host: "::1", port: 9090}')).toBe('http://localhost:9090/');
    expect(base('server: {host: "::", port: 9090}')).toBe('http://localhost:9090/');
    expect(base('server: {host: feeds.lan, port: 80}')).toBe('http://feeds.lan/');
    expect(base('server: {host: "fd00::5", port: 8081}')).toBe('http://[fd00::5]:8081/');
  });

  it('a baseUrl on this machine whose port is not server.port is warned about, once, naming both', () => {
    const warnings = (yaml: string) => readConfig(write(yaml)).warnings;
    const w = warnings('baseUrl: http://localhost:8080/\nserver: {port: 9090}');
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('conf/wxfeed.yaml');
    expect(w[0]).toContain('baseUrl http://localhost:8080/ names port 8080, but server.port is 9090');
    expect(warnings('baseUrl: http://127.0.0.1/\nserver: {port: 8080}')[0]).toContain('names port 80,');
    expect(warnings('baseUrl: http://box:8080/\nserver: {host: box, port: 8081}')).toHaveLength(1);
    // Matching ports, a derived baseUrl, or a public URL in front of a reverse proxy: nothing to say.
    expect(warnings('baseUrl: http://localhost:9090/\nserver: {port: 9090}')).toEqual([]);
    expect(warnings('server: {port: 9090}')).toEqual([]);
    expect(warnings('baseUrl: https://feeds.example.org/wx/\nserver: {port: 9090}')).toEqual([]);
    // loadConfig (what the daemon and the server use) gives the same config.
    expect(loadConfig(write('server: {port: 9090}')).baseUrl).toBe('http://localhost:9090/');
  });
});

describe('schema details', () => {
  it('sources[].match takes an account number written as a YAML number', () => {
    const c = loadConfig(write('sources:\n  - match: 3093190038\n    slug: acct\n'));
    expect(c.sources[0]!.match).toBe('3093190038');
    expect(problem('sources:\n  - match: 3.5\n')).toContain('sources[0].match:');
    expect(problem('sources:\n  - match: -3\n')).toContain('sources[0].match:');
    expect(problem('sources:\n  - match: 12345678901234567890\n')).toContain('sources[0].match:');
  });

  it('a cron expression names the field that is wrong', () => {
    const cron = (expr: string) => problem(`schedule:\n  cron: "${expr}"\n`);
    expect(cron('61 * * * *')).toContain('schedule.cron: minute field "61" is out of range 0-59');
    expect(cron('0 24 * * *')).toContain('schedule.cron: hour field "24" is out of range 0-23');
    expect(cron('0 0 0 * *')).toContain('schedule.cron: day-of-month field "0" is out of range 1-31');
    expect(cron('0 0 * 1-13 *')).toContain('schedule.cron: month field "1-13" is out of range 1-12');
    expect(cron('0 0 * * 8')).toContain('schedule.cron: day-of-week field "8" is out of range 0-7');
    expect(cron('60 0 0 * * *')).toContain('schedule.cron: second field "60" is out of range 0-59');
    expect(cron('*/0 * * * *')).toContain('schedule.cron: minute field "*/0"');
    expect(cron('x * * * *')).toContain('schedule.cron: minute field "x" is not');
    expect(cron('* * * *')).toContain('schedule.cron: must have 5 fields');
    expect(cron('* * * *')).toContain('got 4');
    // A step beyond its field's values is refused as a value beyond it is, though node-cron takes it.
    expect(cron('*/61 * * * *')).toContain(
      'schedule.cron: minute field "*/61" has the step "61": it is out of range 1-59',
    );
    expect(cron('0 */24 * * *')).toContain(
      'schedule.cron: hour field "*/24" has the step "24": it is out of range 1-23',
    );
    expect(cron('0 0 1-31/32 * *')).toContain(
      'day-of-month field "1-31/32" has the step "32": it is out of range 1-31',
    );
    expect(cron('*/60 * * * * *')).toContain('second field "*/60" has the step "60": it is out of range 1-59');
    expect(cron('0,*/70 * * * *')).toContain('minute field "0,*/70" has the step "70"');
    for (const ok of ['*/59 * * * *', '0 */23 * * *', '0 0 */31 * *', '0 0 1 */12 *'])
      expect(cron(ok)).toBe('no error');
    for (const ok of ['*/30 * * * *', '0 8-18/2 * * mon-fri', '0 0 1,15 jan,jul *', '*/5 * * * * *', '0 0 * * 7'])
      expect(cron(ok)).toBe('no error');
  });

  it('every reserved name is refused as a config slug (one list, shared with derived slugs)', () => {
    for (const slug of ['all', 'img', 'api', 'healthz', 'index.html', 'feeds.opml'])
      expect(RESERVED_SLUGS.has(slug)).toBe(true);
    for (const slug of RESERVED_SLUGS)
      expect(problem(`sources: [{match: a, slug: ${JSON.stringify(slug)}}]`)).toContain('sources[0].slug: is reserved');
  });
});

describe('messages, byte for byte', () => {
  it('every problem, one line each, in the order of the schema, unknown keys last', () => {
    const file = join(t.dir, 'conf/wxfeed.yaml');
    const yaml = [
      'colour: blue',
      'baseUrl: ftp://x',
      'feed: {limit: 0, title: 3}',
      'images: x',
      'server: {port: -1}',
      'schedule: {cron: "61 * * * *", timezone: Mars/Base}',
      'sources: [{match: a, slug: all}, {slug: b}]',
      'follow: {albums: some, maxPages: 0}',
      'fetch: {origin: "ftp://x", delayMs: 1.5}',
      'imageProxy: {secret: s}',
      'urls: [""]',
      'urlFiles: 3',
      'shape: 1',
    ].join('\n');
    expect(problem(yaml)).toBe(
      [
        `invalid config ${file}:`,
        '  baseUrl: must be an http(s) URL',
        '  feed.limit: Number must be greater than 0',
        '  feed.title: Expected string, received number',
        '  sources[0].slug: is reserved',
        '  sources[1].match: Required',
        '  urls[0]: String must contain at least 1 character(s)',
        '  urlFiles: Expected array, received number',
        '  fetch.origin: must be an http(s) URL',
        '  fetch.delayMs: Expected integer, received float',
        '  follow.albums: must be "urls" (follow the albums the pages of followed URLs name), "all" (also those of dumps\' pages) or "off"',
        '  follow.maxPages: must be at least 1 (the first read of an album walks this many list pages)',
        '  schedule.cron: minute field "61" is out of range 0-59',
        '  schedule.timezone: must be an IANA time zone such as Asia/Shanghai',
        "  images: Invalid enum value. Expected 'direct' | 'no-referrer' | 'proxy', received 'x'",
        '  imageProxy.secret: must be at least 16 characters',
        '  server.port: Number must be greater than or equal to 0',
        '  colour: unknown key',
        '  shape: unknown key',
      ].join('\n'),
    );
    expect(problem('feed: {title: "", keepDeleted: 1, limit: 0}')).toBe(
      `invalid config ${file}:\n  feed.limit: Number must be greater than 0\n  feed.title: String must contain at least 1 character(s)\n  feed.keepDeleted: Expected boolean, received number`,
    );
    expect(problem('server: {enabled: no, host: "", port: 70000, token: short}')).toBe(
      `invalid config ${file}:\n  server.enabled: Expected boolean, received string\n  server.host: String must contain at least 1 character(s)\n  server.port: Number must be less than or equal to 65535\n  server.token: must be at least 16 characters`,
    );
  });

  it('an unknown key suggests the right place: the same name in another section, else a close spelling beside it', () => {
    const file = join(t.dir, 'conf/wxfeed.yaml');
    expect(problem('fetch: {token: abcdefghijklmnopqrst}')).toBe(
      `invalid config ${file}:\n  fetch.token: unknown key; did you mean server.token?`,
    );
    expect(problem('cron: "*/5 * * * *"')).toContain('  cron: unknown key; did you mean schedule.cron?');
    expect(problem('fetch: {delayMS: 10}')).toContain('  fetch.delayMs: unknown key'.replace('delayMs', 'delayMS'));
    expect(problem('fetch: {delayMS: 10}')).toContain('did you mean fetch.delayMs?');
    expect(problem('follow: {album: urls}')).toContain('  follow.album: unknown key; did you mean follow.albums?');
    expect(problem('sources: [{match: a}, {match: b, slgu: x}]')).toContain(
      '  sources[1].slgu: unknown key; did you mean sources[1].slug?',
    );
    expect(problem('baseURL: http://x.org/')).toContain('  baseURL: unknown key; did you mean baseUrl?');
    // Nothing close: the message stays as it was.
    expect(problem('server: {colour: blue}')).toBe(`invalid config ${file}:\n  server.colour: unknown key`);
  });

  it('imageProxy.upstream is no config key (tests set WXFEED_IMAGE_UPSTREAM)', () => {
    expect(problem('imageProxy: {upstream: "http://127.0.0.1:1"}')).toBe(
      `invalid config ${join(t.dir, 'conf/wxfeed.yaml')}:\n  imageProxy.upstream: unknown key`,
    );
  });
});

describe('what the schema computes', () => {
  it('fetch.origin loses its trailing slashes; baseUrl gains one', () => {
    const c = loadConfig(write('fetch: {origin: "http://mirror.lan:8080///"}\nbaseUrl: https://example.org/wx'));
    expect(c.fetch.origin).toBe('http://mirror.lan:8080');
    expect(c.baseUrl).toBe('https://example.org/wx/');
    expect(loadConfig(write('{}')).fetch.origin).toBe('https://mp.weixin.qq.com');
  });

  it('feed keeps its title last, and none when not given: the publish stage hashes it as JSON', () => {
    expect(JSON.stringify(loadConfig(write('feed: {title: " T ", limit: 5}')).feed)).toBe(
      '{"limit":5,"keepDeleted":true,"language":"zh-CN","placeholders":"show","title":"T"}',
    );
    expect(Object.keys(loadConfig(write('{}')).feed)).toEqual(['limit', 'keepDeleted', 'language', 'placeholders']);
  });
});

describe('WXFEED_LOG_LEVEL', () => {
  afterEach(() => {
    delete process.env.WXFEED_LOG_LEVEL;
  });

  it("sets the commands' level; a level asked for (--verbose, tests) wins; an unknown one is ignored", () => {
    expect(createLogger({ usual: 'warn', pretty: false }).level).toBe('warn');
    process.env.WXFEED_LOG_LEVEL = 'debug';
    expect(createLogger({ usual: 'warn', pretty: false }).level).toBe('debug');
    expect(createLogger({ level: 'silent', pretty: false }).level).toBe('silent');
    process.env.WXFEED_LOG_LEVEL = 'chatty';
    expect(createLogger({ usual: 'info', pretty: false }).level).toBe('info');
    process.env.WXFEED_LOG_LEVEL = 'toString';
    expect(createLogger({ usual: 'info', pretty: false }).level).toBe('info');
  });
});

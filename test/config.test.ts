import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config.js';
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
  it('applies defaults and resolves paths against the config folder', () => {
    const c = loadConfig(write('{}'), {}, '/somewhere/else');
    expect(c).toMatchObject({
      baseUrl: 'http://localhost:8080/',
      dumps: [join(t.dir, 'conf/dumps')],
      output: join(t.dir, 'output'),
      store: join(t.dir, 'data/wxfeed.db'),
      feed: { limit: 50 },
      sources: [],
    });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.feed)).toBe(true);
  });
  it('adds the trailing slash to baseUrl', () => {
    expect(loadConfig(write('baseUrl: https://example.org/feeds')).baseUrl).toBe('https://example.org/feeds/');
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
    expect(msg('sources: [{match: a, slug: all}]')).toContain('sources[0].slug: is reserved');
    expect(msg('sources: [{match: a, slug: x}, {match: b, slug: x}]')).toContain(
      'sources[1].slug: "x" is already used by sources[0]',
    );
    expect(msg('- a list')).toContain('the top level must be a mapping');
    expect(msg('dumps: [nope]')).toMatch(/dumps\[0\]: cannot read folder .*nope \(ENOENT\)/);
  });
});

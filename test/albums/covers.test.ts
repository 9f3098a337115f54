/**
 * End to end (issue 20, item 5): a cover naming an internal address, in an album's list and on the article's own page
 * (og:image), never reaches a feed's `media:thumbnail` (or any other file of the output); WeChat's covers do.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../../src/stages/cycle.js';
import { resolveConfig } from '../../src/config.js';
import { silentLogger } from '../helpers/log.js';
import { liveFor } from '../../src/commands/live.js';
import { bizToNumber } from '../../src/wechat/url.js';
import type { Config } from '../../src/types.js';
import { type AlbumServer, startAlbumServer } from '../helpers/album-server.js';
import { tempDir, writeFile } from '../helpers/tmp.js';

let t: { dir: string; cleanup: () => void };
let srv: AlbumServer;

beforeEach(async () => {
  t = tempDir();
  writeFile(join(t.dir, 'dumps/.keep.md'), '');
  srv = await startAlbumServer({ albums: 1, articles: 4 });
});
afterEach(async () => {
  await srv.close();
  t.cleanup();
});

const thumbnails = (xml: string) => [...xml.matchAll(/<media:thumbnail url="([^"]*)"\/>/g)].map((m) => m[1]);

describe('covers in feeds', () => {
  it('only covers on WeChat image hosts are published, from the album list and from the pages alike', async () => {
    const [a0, a1, a2, a3] = srv.albums[0]!.articles;
    a1!.cover = 'https://mmbiz.qpic.cn@127.0.0.1:8080/x';
    a2!.cover = 'http://169.254.169.254/latest/meta-data/iam/security-credentials/';
    a3!.cover = 'https://mmbiz.qpic.cn\\@127.0.0.1:8080/y';
    writeFile(join(t.dir, 'urls.txt'), `${srv.albumUrl(0)}\n`);
    const config: Config = resolveConfig(
      {
        dumps: ['dumps'],
        output: 'out',
        store: 'data/wxfeed.db',
        urlFiles: ['urls.txt'],
        fetch: { origin: srv.origin, delayMs: 0, concurrency: 2, retries: 0, timeoutMs: 5000 },
      },
      join(t.dir, 'wxfeed.yaml'),
      t.dir,
    );
    const live = liveFor(config, { offline: false, refetch: false });
    const s = await build(config, { log: silentLogger, now: () => Date.UTC(2025, 0, 1), live });
    expect(s.fetch).toMatchObject({ fetched: 4, failed: 0 });
    const account = bizToNumber(srv.albums[0]!.biz)!;
    for (const slug of ['all', account, `album-${srv.albums[0]!.albumId}`]) {
      const atom = readFileSync(join(config.output, slug, 'atom.xml'), 'utf8');
      // Newest first: a3, a2, a1 have hostile covers; a0 keeps its own.
      expect(thumbnails(atom), slug).toEqual([a0!.cover]);
      for (const file of ['atom.xml', 'rss.xml', 'feed.json']) {
        const text = readFileSync(join(config.output, slug, file), 'utf8');
        expect(text, `${slug}/${file}`).not.toContain('169.254.169.254');
        expect(text, `${slug}/${file}`).not.toContain('127.0.0.1');
      }
    }
    expect(readFileSync(join(config.output, 'index.html'), 'utf8')).not.toContain('169.254.169.254');
  });
});

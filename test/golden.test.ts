/**
 * Golden output: a fixed corpus that covers every article state (dumps of each state, a page fetched live over a
 * shell, a deletion seen live over a full copy, an article in two sources, a non-WeChat URL, a dump without a URL,
 * files that are not dumps) built at a fixed time, and every file of the output compared byte for byte with the
 * files under test/__golden__/. A change of output is a change of these files, reviewed in the diff.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from '../src/stages/cycle.js';
import { resolveConfig } from '../src/config.js';
import { silentLogger } from './helpers/log.js';
import { liveFor } from '../src/commands/live.js';
import type { Config } from '../src/types.js';
import { startFaultServer, type FaultServer } from './helpers/fault-server.js';
import { tempDir, writeFile } from './helpers/tmp.js';
import { OWN_FIXTURES } from './helpers/paths.js';

const DUMPS = join(OWN_FIXTURES, 'golden', 'dumps');
const page = (name: string) => readFileSync(join(OWN_FIXTURES, 'pages', name), 'utf8');
const NOW = Date.UTC(2024, 6, 20, 4);

/** Followed URLs and the page each answers with (the rest answer 404: a failed fetch changes nothing). */
const PAGES: Record<string, string> = {
  '/s?__biz=MzAwMDAwMDAwMQ==&mid=2650000001&idx=1&sn=aaaabbbbccccddddeeeeffff00001111': 'article.html',
  '/s?__biz=MzAwMDAwMDAwMQ==&mid=2650000003&idx=1&sn=11112222333344445555666677778888': 'image-post.html',
  '/s?__biz=MzAwMDAwMDAwMQ==&mid=2650000004&idx=1&sn=9999aaaabbbbccccddddeeeeffff0000': 'text-post.html',
  '/s?__biz=MzI2NzI2OTExNA==&mid=2247516898&idx=1&sn=aaaaaaaa00000000000000000000000b': 'deleted.html',
};

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

let srv: FaultServer;
beforeAll(async () => {
  srv = await startFaultServer();
  for (const [path, name] of Object.entries(PAGES)) srv.pages.set(path, page(name));
});
afterAll(() => srv.close());

const VARIANTS: Record<string, Record<string, unknown>> = {
  default: {},
  proxy: { images: 'proxy', imageProxy: { secret: 'golden-secret-0123456789' } },
};

describe('golden output over a corpus of every article state', () => {
  for (const [variant, extra] of Object.entries(VARIANTS)) {
    it(`${variant}: every output file is byte for byte the golden one`, async () => {
      const t = tempDir();
      try {
        writeFile(
          join(t.dir, 'urls.txt'),
          `${Object.keys(PAGES)
            .map((p) => `https://mp.weixin.qq.com${p}`)
            .join('\n')}\n`,
        );
        const config: Config = resolveConfig(
          {
            baseUrl: 'http://feeds.example.test/wx/',
            dumps: [DUMPS],
            output: 'out',
            store: 'data/wxfeed.db',
            feed: { title: '测试订阅', limit: 20 },
            sources: [
              { match: '丙号', exclude: ['广告'] },
              { match: 'Example Blog', slug: 'blog', title: 'Example Blog (posts)' },
            ],
            fetch: { origin: srv.origin, delayMs: 0, retries: 0, timeoutMs: 2000 },
            ...extra,
          },
          join(t.dir, 'wxfeed.yaml'),
          t.dir,
        );
        const live = liveFor(config, { offline: false, refetch: false });
        await build(config, { log: silentLogger, now: () => NOW, live });
        const written = files(config.output);
        await expect(`${written.join('\n')}\n`).toMatchFileSnapshot(`__golden__/${variant}/FILES.txt`);
        for (const name of written) {
          await expect(readFileSync(join(config.output, name), 'utf8')).toMatchFileSnapshot(
            `__golden__/${variant}/${name}`,
          );
        }
      } finally {
        t.cleanup();
      }
    });
  }
});

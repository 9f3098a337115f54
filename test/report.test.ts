/**
 * The build summary a person reads: names from outside quoted the way git quotes paths; the hint and --quiet.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.js';
import { emptyFetchSummary } from '../src/stages/fetch/stage.js';
import { formatSummary, quoteName } from '../src/commands/report.js';
import type { BuildSummary } from '../src/stages/summary.js';

const config = resolveConfig({ dumps: ['.'] }, '/x/wxfeed.yaml', process.cwd());

function summary(extra: Partial<BuildSummary> = {}): BuildSummary {
  return {
    filesSeen: 1,
    filesRead: 1,
    filesUnchanged: 0,
    filesRemoved: 0,
    problems: [],
    articles: 1,
    duplicatesMerged: 0,
    sources: 1,
    feedsWritten: 2,
    feedsUnchanged: 0,
    filesWritten: [],
    elapsedMs: 10,
    outputDir: '/srv/out',
    ...extra,
  };
}

describe('quoteName', () => {
  it('quotes as git does: C escapes, octal for other control bytes, quotes only when needed', () => {
    expect(quoteName('a\x1b[2J.md')).toBe('"a\\033[2J.md"');
    expect(quoteName('a\nb\tc\rd\x07\x08\x0b\x0c')).toBe('"a\\nb\\tc\\rd\\a\\b\\v\\f"');
    expect(quoteName('say "hi"\\now')).toBe('"say \\"hi\\"\\\\now"');
    expect(quoteName('del\x7f nul\x00')).toBe('"del\\177 nul\\000"');
    // A C1 control (8-bit CSI) is a control too: its UTF-8 bytes in octal.
    expect(quoteName('csi\u009b2J')).toBe('"csi\\302\\2332J"');
    for (const plain of ['dumps/2024/文章 🎉.md', "it's fine.md", 'https://mp.weixin.qq.com/s?a=1&b=2'])
      expect(quoteName(plain)).toBe(plain);
  });
});

describe('formatSummary', () => {
  it('quotes problem paths, details and fetch failure URLs', () => {
    const text = formatSummary(
      summary({
        problems: [
          {
            kind: 'dump-warning',
            where: '/d/x\x1b]0;title\x07.md',
            reason: 'unreadable date',
            detail: 'date: \x1b[31m',
          },
        ],
        fetch: {
          listed: 1,
          due: 1,
          fetched: 0,
          unchanged: 0,
          deleted: 0,
          blocked: 0,
          failed: 1,
          skippedByCooldown: 0,
          deferred: 0,
          failures: [{ kind: 'page-failed', where: 'https://x.example/\x1b[2J', reason: 'HTTP 404' }],
          offline: false,
          elapsedMs: 1,
        },
      }),
      config,
      { cwd: '/' },
    );
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    expect(text).toContain('"d/x\\033]0;title\\a.md" ("date: \\033[31m")');
    expect(text).toContain('HTTP 404: "https://x.example/\\033[2J"');
  });

  it('the hint only when asked, with the --config given; --quiet keeps only the problems', () => {
    expect(formatSummary(summary(), config)).not.toContain('serve:');
    const hint = formatSummary(summary(), config, { hint: true, configFile: "it's.yaml" });
    expect(hint).toContain(`wxfeed serve --config 'it'\\''s.yaml'`);
    expect(hint).toContain('subscribe: add http://localhost:8080/feeds.opml');
    expect(formatSummary(summary(), config, { quiet: true, hint: true })).toBe('');
    const quiet = formatSummary(
      summary({ problems: [{ kind: 'bad-dump', where: '/d/e.md', reason: 'empty file' }] }),
      config,
      {
        quiet: true,
        cwd: '/d',
      },
    );
    expect(quiet).toBe('problems:\n  empty file (1):\n    e.md');
    // A file used despite a problem (an unreadable date) is listed with the problems.
    const both = formatSummary(
      summary({
        problems: [{ kind: 'bad-dump', where: '/d/e.md', reason: 'empty file' }],
        warnings: [
          {
            kind: 'dump-warning',
            where: '/d/w.md',
            reason: 'unreadable date',
            detail: 'date: soon; used the file time',
          },
        ],
      }),
      config,
      { cwd: '/d' },
    );
    expect(both).toContain('0 removed, 2 with problems)');
    expect(both).toContain('  unreadable date (1):\n    w.md (date: soon; used the file time)');
  });
});

describe('formatSummary: albums', () => {
  const fetch = (offline: boolean): BuildSummary['fetch'] => ({
    ...emptyFetchSummary(offline),
    listed: 1,
    due: 3,
    fetched: 3,
    elapsedMs: 1,
    albums: {
      active: 2,
      due: 2,
      polled: 1,
      failed: 0,
      blocked: 1,
      listRequests: 4,
      pageRequests: 1,
      newItems: 3,
      discovered: 1,
      deferred: 0,
      overCap: 0,
      budget: 100,
    },
  });
  it('a line of what polling albums did; offline, how many are followed', () => {
    expect(formatSummary(summary({ fetch: fetch(false) }), config).split('\n')).toContain(
      '        albums: 2 followed, 1 polled of 2 due (5 of 100 list requests), 3 new articles, 1 newly followed, 0 failed, 1 blocked',
    );
    expect(formatSummary(summary({ fetch: fetch(true) }), config).split('\n')).toContain(
      '        albums: 2 followed, not polled (offline)',
    );
  });
});

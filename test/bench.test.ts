import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './helpers/tmp.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Row {
  name: string;
  ms: number[];
  written: number[];
  check?: { ok: boolean; what: string };
}

describe('npm run bench, short form (timings are printed, not judged: a timed unit test proves nothing here)', () => {
  it('runs every measurement; no change writes nothing; one dump rewrites only its feeds, all/ and the index; discovery counts', () => {
    const t = tempDir();
    try {
      const json = join(t.dir, 'bench.json');
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'bench/run.ts'), '--short', '--no-build', '--json', json],
        { cwd: ROOT, encoding: 'utf8' },
      );
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain('| cold build |');
      expect(r.stdout).toContain('fetch throughput');
      expect(r.stdout).toContain('| first discovery |');
      expect(r.stdout).toContain('album schedule (simulated month): 7 days');
      // Alerts off the cycle's path: every target that never answers holds its request (timings printed).
      expect(Number(/requests the targets hold at the end: (\d+)/.exec(r.stdout)?.[1])).toBeGreaterThanOrEqual(3);
      const results = JSON.parse(readFileSync(json, 'utf8')) as {
        c1000: Row[];
        ok: boolean;
        discovery: { ok: boolean; first: { found: boolean }; nothingNew: { ok: boolean; due: number } };
        albumSchedule: { ok: boolean; days: number; verdicts: Array<{ ok: boolean; what: string }> };
      };
      expect(results.ok).toBe(true);
      // Discovery: every article of every album found; nothing new costs one list request per due album, no page
      // beyond the re-read schedule.
      expect(results.discovery).toMatchObject({ ok: true, first: { found: true }, nothingNew: { ok: true, due: 10 } });
      // The album schedule's simulated week: ≥ 5× fewer list requests than every album every hour, medians ≤ 1.5× its.
      expect(results.albumSchedule.days).toBe(7);
      expect(results.albumSchedule.verdicts.filter((v) => !v.ok).map((v) => v.what)).toEqual([]);
      expect(results.albumSchedule.ok).toBe(true);
      const rows = new Map(results.c1000.map((row) => [row.name, row]));
      expect([...rows.keys()]).toEqual([
        'cold build',
        'no-change build',
        'one dump added',
        'one dump edited',
        'one dump deleted',
        'node dist/cli.js --version',
        'read floor',
        'read floor: sync loop',
        'read floor: async loop',
        'baseline',
      ]);
      // The floor is the faster of the two read loops, each run in every round.
      const med = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
      const loops = [rows.get('read floor: sync loop')!.ms, rows.get('read floor: async loop')!.ms];
      expect(loops.map((ms) => ms.length)).toEqual([1, 1]);
      expect(med(rows.get('read floor')!.ms)).toBe(Math.min(...loops.map(med)));
      // `--version` runs between the builds: three after the cold and no-change pair, one after the added dump.
      expect(rows.get('node dist/cli.js --version')!.ms).toHaveLength(4);
      expect(r.stdout).toContain('PASS  no-change build: 0 files written');
      expect(rows.get('cold build')!.written[0]).toBeGreaterThan(30);
      expect(rows.get('no-change build')!.written).toEqual([0]);
      for (const name of ['one dump added', 'one dump edited', 'one dump deleted']) {
        const row = rows.get(name)!;
        expect(row.check?.ok, `${name}: ${row.check?.what}`).toBe(true);
        expect(row.written[0]).toBeGreaterThan(0);
        expect(row.written[0]).toBeLessThanOrEqual(8);
      }
    } finally {
      t.cleanup();
    }
  }, 180_000);
});

/**
 * The meta table's typed values: each under the key and in the text older stores hold (an old store reads the same),
 * and a value that does not read back as its type reads as absent, so the code's own "absent" path follows.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { feedStatus } from '../../src/catalog/status.js';
import { resolveConfig } from '../../src/config.js';
import { build } from '../../src/stages/cycle.js';
import { closeStore, type DB, openStore } from '../../src/store/db.js';
import type { MetaTable, MetaValue } from '../../src/store/meta.js';
import { Store } from '../../src/store/store.js';
import type { Config } from '../../src/types.js';
import { silentLogger } from '../helpers/log.js';
import { dump, tempDir, writeFile } from '../helpers/tmp.js';

type Name = keyof MetaTable;

let t: { dir: string; cleanup: () => void };
let db: DB;
let store: Store;

beforeEach(() => {
  t = tempDir();
  db = openStore(join(t.dir, 'wxfeed.db'));
  store = new Store(db);
});
afterEach(() => {
  if (db.open) closeStore(db, true);
  t.cleanup();
});

const raw = (key: string) => db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
const putRaw = (key: string, value: string) =>
  db
    .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
    .run(key, value);
const value = (name: Name) => store.meta[name] as MetaValue<unknown>;

/** Every value: its key, a value, and the text an older wxfeed wrote for it. */
const STORED: Array<[Name, string, unknown, string]> = [
  ['walk', 'walk', '3:9f86d081', '3:9f86d081'],
  [
    'folders',
    'folders',
    { roots: ['/d'], verifiedAt: 5, folders: { '/d': 1.5, '/d/2024': 7 } },
    '{"roots":["/d"],"verifiedAt":5,"folders":{"/d":1.5,"/d/2024":7}}',
  ],
  ['dumpRoots', 'dump-roots', ['/a', '/b c'], '["/a","/b c"]'],
  ['buildStarted', 'build-started', 50_000, '50000'],
  ['dumpUrls', 'dump-urls', 'pending', 'pending'],
  ['pace', 'pace', '{"multiplier":2,"multiplierAt":1}', '{"multiplier":2,"multiplierAt":1}'],
  ['legacyCooldown', 'cooldown', '{"until":1,"level":2}', '{"until":1,"level":2}'],
  ['feedLabels', 'feed-labels', { all: ['A', 'B'], x: ['album:7'] }, '{"all":["A","B"],"x":["album:7"]}'],
  ['published', 'published', 'e3b0c442', 'e3b0c442'],
  ['indexLive', 'index-live', '["x",1]', '["x",1]'],
  ['renderedPruned', 'rendered-pruned', 1_721_448_000_000, '1721448000000'],
  ['imageSecret', 'image-secret', 'c2VjcmV0', 'c2VjcmV0'],
  [
    'alerts',
    'alerts',
    { targets: { ab12: { cycle: { event: 'cycle-failed', since: 5 } } }, items: { all: 3 } },
    '{"targets":{"ab12":{"cycle":{"event":"cycle-failed","since":5}}},"items":{"all":3}}',
  ],
  ['unfollowed', 'unfollowed', '{"accounts":{},"urls":{}}', '{"accounts":{},"urls":{}}'],
  ['reportedProblems', 'reported-problems', ['a1b2', 'c3d4'], '["a1b2","c3d4"]'],
];

describe('the meta values', () => {
  it('every value of the table is listed here', () => {
    expect(Object.keys(store.meta).sort()).toEqual(STORED.map(([name]) => name).sort());
  });

  it.each(STORED)('%s: written under "%s" as older stores hold it, read back, cleared', (name, key, v, text) => {
    expect(value(name).get()).toBeUndefined();
    value(name).set(v);
    expect(raw(key)).toBe(text);
    expect(value(name).get()).toEqual(v);
    value(name).clear();
    expect(raw(key)).toBeUndefined();
    expect(value(name).get()).toBeUndefined();
    // A store an older wxfeed wrote.
    putRaw(key, text);
    expect(value(name).get()).toEqual(v);
  });

  it.each([
    ['folders', 'folders', '{"roots":["/d"],'],
    ['folders', 'folders', '{"roots":"/d","verifiedAt":1,"folders":{}}'],
    ['folders', 'folders', '{"roots":["/d"],"verifiedAt":"1","folders":{}}'],
    ['folders', 'folders', '{"roots":["/d"],"verifiedAt":1,"folders":null}'],
    ['folders', 'folders', '{"roots":["/d"],"verifiedAt":1,"folders":[]}'],
    ['dumpRoots', 'dump-roots', 'garbage'],
    ['dumpRoots', 'dump-roots', '{"0":"/a"}'],
    ['dumpRoots', 'dump-roots', '["/a",1]'],
    ['feedLabels', 'feed-labels', 'null'],
    ['feedLabels', 'feed-labels', '[["A"]]'],
    ['feedLabels', 'feed-labels', '{"all":"A"}'],
    ['feedLabels', 'feed-labels', '{"all":[1]}'],
    ['buildStarted', 'build-started', 'soon'],
    ['buildStarted', 'build-started', ''],
    ['renderedPruned', 'rendered-pruned', 'NaN'],
    ['renderedPruned', 'rendered-pruned', 'Infinity'],
    ['dumpUrls', 'dump-urls', 'synced '],
    ['alerts', 'alerts', '{"items":{}}'],
    ['alerts', 'alerts', '{"targets":{"x":{"pause":{"event":"blocked","since":"soon"}}}}'],
    ['reportedProblems', 'reported-problems', '["a",2]'],
    ['reportedProblems', 'reported-problems', '{"a":1}'],
  ] as Array<[Name, string, string]>)('%s: %s = %j reads as absent', (name, key, text) => {
    putRaw(key, text);
    expect(value(name).get()).toBeUndefined();
  });

  it('feed labels that do not read: the feed statuses are listed as with none', () => {
    putRaw('feed-labels', '{"all":');
    expect(feedStatus(store, [])).toEqual([]);
  });
});

describe('a build over values that do not read', () => {
  const config = (): Config =>
    resolveConfig({ dumps: ['dumps'], output: 'out', store: 'wxfeed.db' }, join(t.dir, 'wxfeed.yaml'), t.dir);
  const write = (n: number) =>
    writeFile(
      join(t.dir, 'dumps', `a/${n}.md`),
      dump({ title: `T${n}`, url: `https://example.com/${n}`, source: 'Blog' }, `Body ${n}.`),
    );

  it('a damaged folder index is walked again or in part; damaged dump roots still guard a removal', async () => {
    closeStore(db, true);
    for (const n of [1, 2, 3]) write(n);
    expect((await build(config(), { log: silentLogger })).filesRead).toBe(3);
    // A folder's time that is not a number: the folder reads as changed, and is listed again.
    const folder = join(t.dir, 'dumps', 'a');
    db = openStore(join(t.dir, 'wxfeed.db'));
    const index = JSON.parse(raw('folders')!) as { folders: Record<string, unknown> };
    expect(typeof index.folders[folder]).toBe('number');
    putRaw('folders', JSON.stringify({ ...index, folders: { ...index.folders, [folder]: 'soon' } }));
    closeStore(db, true);
    expect((await build(config(), { log: silentLogger })).filesRead).toBe(0);
    db = openStore(join(t.dir, 'wxfeed.db'));
    expect(typeof new Store(db).meta.folders.get()?.folders[folder]).toBe('number');
    putRaw('folders', '{"roots":');
    putRaw('dump-roots', 'garbage');
    closeStore(db, true);
    write(4);
    expect((await build(config(), { log: silentLogger })).filesRead).toBe(1);
    db = openStore(join(t.dir, 'wxfeed.db'));
    putRaw('dump-roots', 'garbage');
    closeStore(db, true);
    for (const n of [1, 2, 3]) unlinkSync(join(t.dir, 'dumps', `a/${n}.md`));
    await expect(build(config(), { log: silentLogger })).rejects.toThrow(
      'refusing to forget 3 of the 4 known dump files at once (more than half)',
    );
  });
});

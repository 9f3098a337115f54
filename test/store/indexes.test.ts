/**
 * A first build drops the secondary indexes while it files every dump and builds them once after (store.ts
 * `bulkInsert`, `indexed`): the store it leaves has the schema of one never dropped, and a build killed in between
 * leaves a store whose next open builds them again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { closeStore, openStore, type DB } from '../../src/store/db.js';
import { Store } from '../../src/store/store.js';
import { tempDir } from '../helpers/tmp.js';

let t: { dir: string; cleanup: () => void };
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

const schema = (db: DB): unknown[] =>
  db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all();

const indexes = (db: DB): string[] =>
  db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
    .pluck()
    .all() as string[];

describe('indexes dropped for a bulk insert', () => {
  it('are built again as the migrations made them, and the lookups use them', () => {
    const never = openStore(join(t.dir, 'never.db'));
    const expected = schema(never);
    closeStore(never, true);
    const db = openStore(join(t.dir, 'bulk.db'));
    const store = new Store(db);
    const before = indexes(db);
    store.bulkInsert();
    expect(indexes(db).length).toBeLessThan(before.length);
    expect(indexes(db)).not.toContain('observations_key');
    store.indexed();
    expect(schema(db)).toEqual(expected);
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT origin FROM observations WHERE key = ?').all('sn:x') as Array<{
      detail: string;
    }>;
    expect(plan.map((p) => p.detail).join(' ')).toContain('observations_key');
    closeStore(db, true);
  });

  it('a build killed before it built them leaves a store whose next open builds them', () => {
    const path = join(t.dir, 'wxfeed.db');
    let db = openStore(path);
    const expected = schema(db);
    new Store(db).bulkInsert();
    // Killed: the process gone without closing the store cleanly.
    db.close();
    db = openStore(path);
    expect(schema(db)).toEqual(expected);
    closeStore(db, true);
  });
});

/**
 * The build time the catalog files articles at (their `first_seen`, which orders a day's articles in feeds): a build
 * killed before it finished and the build that resumes its work share one.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { beginBuild, endBuild } from '../src/catalog.js';
import { closeStore, openStore } from '../src/store/db.js';
import { Store } from '../src/store/store.js';
import { tempDir } from './helpers/tmp.js';

let t: { dir: string; cleanup: () => void };
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

describe('beginBuild / endBuild', () => {
  it('a build resumes the time of one killed before it finished; a finished build leaves the next its own', () => {
    const path = join(t.dir, 'wxfeed.db');
    let db = openStore(path);
    expect(beginBuild(new Store(db), 1_000)).toBe(1_000);
    // Killed: no endBuild, the process gone.
    db.close();
    db = openStore(path);
    const store = new Store(db);
    expect(beginBuild(store, 5_000)).toBe(1_000);
    endBuild(store);
    expect(beginBuild(store, 9_000)).toBe(9_000);
    endBuild(store);
    // A time from the future (a clock set back since) is not resumed.
    store.meta.set('build-started', '50000');
    expect(beginBuild(store, 10_000)).toBe(10_000);
    closeStore(db, true);
  });
});

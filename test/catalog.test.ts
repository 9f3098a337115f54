/**
 * The build time the catalog files articles at (their `first_seen`, which orders a day's articles in feeds): a build
 * killed before it finished and the build that resumes its work share one. A first build merges each batch's keys
 * from memory: the same articles as merging them from the store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { beginBuild, endBuild, FreshRead, mergeAllPending, mergeRecent, recordFile } from '../src/catalog/catalog.js';
import { dumpBody, EMPTY_BODY } from '../src/content/body.js';
import { storedObservation } from '../src/store/observations.js';
import type { Observation } from '../src/types.js';
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
    store.meta.buildStarted.set(50_000);
    expect(beginBuild(store, 10_000)).toBe(10_000);
    closeStore(db, true);
  });
});

const observation = (n: number, extra: Partial<Observation> = {}): Observation => ({
  key: `sn:${String(n).padStart(32, 'a')}`,
  id: `https://mp.weixin.qq.com/s?__biz=MzA=&mid=${100 + n}&idx=1&sn=${String(n).padStart(32, 'a')}`,
  link: `https://mp.weixin.qq.com/s?__biz=MzA=&mid=${100 + n}&idx=1&sn=${String(n).padStart(32, 'a')}`,
  ref: { biz: 'MzA=', mid: String(100 + n), idx: '1', sn: String(n).padStart(32, 'a') },
  title: `第${n}篇`,
  source: '账号',
  date: Date.UTC(2024, 6, n),
  datePrecision: 'day',
  capturedAt: Date.UTC(2024, 6, n, 12),
  state: 'full',
  body: dumpBody(`/d/${n}.md`, Buffer.from(`正文${n}`)),
  textLength: 10 + n,
  summary: '',
  ...extra,
});

describe('storedObservation and FreshRead (a first build merges from memory)', () => {
  it('an observation as put is the observation read back, whatever fields it has', () => {
    const db = openStore(join(t.dir, 'wxfeed.db'));
    const store = new Store(db);
    const cases: Observation[] = [
      observation(1),
      observation(2, { author: '作者', cover: 'https://mmbiz.qpic.cn/x/0', capturedAt: undefined }),
      observation(3, { ref: { shortToken: 'abc' }, title: 'lone \ud800 surrogate', state: 'shell', body: EMPTY_BODY }),
      observation(4, { ref: { mid: 'not digits', idx: '1234567890123456' }, date: 1.5, summary: '摘要' }),
    ];
    store.transaction(() => {
      cases.forEach((o, i) => {
        const put = store.observations.put(`file:/d/${i}.md`, o.key, o, 7);
        expect(put).toEqual(store.observations.get(`file:/d/${i}.md`));
        expect(storedObservation(`file:/d/${i}.md`, o.key, o)).toEqual(put);
      });
    });
    expect(store.observations.get('file:/d/2.md')!.title).toBe('lone \ufffd surrogate');
    closeStore(db, true);
  });

  it('a first build read in batches files the same articles as merging every key from the store', async () => {
    const run = async (fresh: boolean): Promise<unknown[]> => {
      const db = openStore(join(t.dir, `${fresh}.db`));
      const store = new Store(db);
      const read = fresh ? new FreshRead() : undefined;
      // A first build reads with the indexes dropped, as stages/dumps/stage.ts does.
      if (fresh) store.bulkInsert();
      // Key 1 has copies in three batches (the second a fuller one), key 2 in three (two in the last), key 3 one copy,
      // key 5 two copies in the first batch and one in the second.
      const batches: Observation[][] = [
        [
          observation(1, { state: 'shell', body: EMPTY_BODY, textLength: 0, author: '先来' }),
          observation(2),
          observation(3),
          observation(5, { author: '五' }),
          observation(5, { textLength: 50, cover: 'https://mmbiz.qpic.cn/c/5' }),
        ],
        [observation(2, { textLength: 99, author: '二' }), observation(1), observation(5, { textLength: 60 })],
        // A third batch: key 1 once more, key 2 twice (their earlier copies come from two batches), a new key 4.
        [
          observation(2, { cover: 'https://mmbiz.qpic.cn/c/0', textLength: 99 }),
          observation(1, { state: 'deleted', body: EMPTY_BODY, textLength: 0, capturedAt: Date.UTC(2024, 8, 1) }),
          observation(4),
          observation(2, { state: 'truncated', textLength: 500, author: '三' }),
        ],
      ];
      let file = 0;
      for (const batch of batches)
        store.transaction(() => {
          for (const o of batch) {
            const path = `/d/${file++}.md`;
            const stored = recordFile(store, { path, size: 1, mtimeMs: 1 }, { observation: o }, 5, { isNew: fresh });
            read?.add(stored, store.observations.lastInserted());
          }
          mergeRecent(store, 5, read);
        });
      if (fresh) {
        store.indexed();
        // Keys 1 and 2, met again by the second batch, were merged there with the first batch's copies (read back
        // by rowid); met by a third, they are left pending for the merge after the read.
        expect(db.prepare('SELECT key FROM pending_keys ORDER BY key').pluck().all()).toEqual([
          batches[0]![0]!.key,
          batches[0]![1]!.key,
        ]);
        expect(store.articles.get(batches[0]![0]!.key)).toMatchObject({ state: 'full', author: '先来' });
        expect(store.articles.get(batches[0]![0]!.key)!.notice).toBeUndefined();
      }
      await mergeAllPending(store, 5);
      const articles = [...store.articles.newestFirst(undefined)];
      closeStore(db, true);
      return articles;
    };
    const fromMemory = await run(true);
    expect(fromMemory).toHaveLength(5);
    expect(fromMemory).toEqual(await run(false));
    // Key 1 merged from its three copies: the fuller one, the first one's author, the later notice.
    expect(fromMemory).toContainEqual(
      expect.objectContaining({ author: '先来', state: 'full', notice: 'deleted', title: '第1篇' }),
    );
    expect(fromMemory).toContainEqual(
      expect.objectContaining({ author: '二', cover: 'https://mmbiz.qpic.cn/c/0', state: 'full', title: '第2篇' }),
    );
    expect(fromMemory).toContainEqual(
      expect.objectContaining({ author: '五', cover: 'https://mmbiz.qpic.cn/c/5', title: '第5篇' }),
    );
  });
  it('a rowid that is not the copy filed there leaves the key pending, merged from the store after the read', async () => {
    const db = openStore(join(t.dir, 'wxfeed.db'));
    const store = new Store(db);
    const read = new FreshRead();
    store.bulkInsert();
    const batches: Array<Array<[Observation, number | undefined]>> = [
      // The first copy of key 1 is given the rowid of key 2's copy (as a row put over a stored origin would).
      [
        [observation(2), undefined],
        [observation(1, { author: '先来' }), 1],
      ],
      [[observation(1, { textLength: 99, summary: '更长' }), undefined]],
    ];
    let file = 0;
    for (const batch of batches)
      store.transaction(() => {
        for (const [o, rowid] of batch) {
          const path = `/d/${file++}.md`;
          const stored = recordFile(store, { path, size: 1, mtimeMs: 1 }, { observation: o }, 5, { isNew: true });
          read.add(stored, rowid ?? store.observations.lastInserted());
        }
        mergeRecent(store, 5, read);
      });
    store.indexed();
    expect(db.prepare('SELECT key FROM pending_keys').pluck().all()).toEqual([observation(1).key]);
    await mergeAllPending(store, 5);
    expect(store.articles.get(observation(1).key)).toMatchObject({
      author: '先来',
      summary: '更长',
      bestOrigin: 'file:/d/2.md',
    });
    closeStore(db, true);
  });
});

describe('pending keys held until the transaction commits', () => {
  it('a key merged in its transaction never reaches the table; one not merged is written at commit; a rollback drops what it marked', () => {
    const db = openStore(join(t.dir, 'wxfeed.db'));
    const store = new Store(db);
    const pending = () => db.prepare('SELECT key FROM pending_keys ORDER BY key').pluck().all();
    store.transaction(() => {
      store.pending.markKey('sn:a');
      store.pending.markKey('sn:b');
      expect(store.pending.takeRecent()).toEqual(['sn:a', 'sn:b']);
      store.pending.markKey('sn:c');
    });
    expect(pending()).toEqual(['sn:c']);
    expect(() =>
      store.transaction(() => {
        store.pending.markKey('sn:d');
        // A nested transaction that fails keeps what the outer one marked before it.
        expect(() =>
          store.transaction(() => {
            store.pending.markKey('sn:e');
            throw new Error('inner');
          }),
        ).toThrow('inner');
        store.pending.markKey('sn:f');
        expect(pending()).toEqual(['sn:c', 'sn:d']);
      }),
    ).not.toThrow();
    expect(pending()).toEqual(['sn:c', 'sn:d', 'sn:f']);
    expect(() =>
      store.transaction(() => {
        store.pending.markKey('sn:g');
        throw new Error('outer');
      }),
    ).toThrow('outer');
    expect(pending()).toEqual(['sn:c', 'sn:d', 'sn:f']);
    // A group commits what was marked and not taken, too.
    const group = store.group();
    group.add(() => store.pending.markKey('sn:h'));
    group.commit();
    expect(pending()).toEqual(['sn:c', 'sn:d', 'sn:f', 'sn:h']);
    // Merging a key clears it from the table when an earlier transaction left it there.
    store.transaction(() => store.pending.clear('sn:c'));
    expect(pending()).toEqual(['sn:d', 'sn:f', 'sn:h']);
    closeStore(db, true);
  });
});

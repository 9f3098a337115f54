/**
 * The `albums` table: every album (合集) and homepage (主页) the store knows: listed by the user, discovered from a
 * page, or unfollowed by the user (kept so that discovery never follows it again), with its title and account (from
 * its HTML page, read once), its last poll, its failures in a row and since when, and where an unfinished first
 * read continues.
 */
import type { AlbumPollResult, AlbumRecord, AlbumVia, ListKind } from '../types.js';
import type { DB } from './db.js';

interface AlbumRow {
  albumId: string;
  kind: ListKind;
  biz: string;
  title: string | null;
  account: string | null;
  followed: number;
  listed: number;
  active: number;
  via: AlbumVia;
  pageReadAt: number | null;
  polledAt: number | null;
  walked: number;
  lastAttemptAt: number | null;
  lastResult: AlbumPollResult | null;
  lastReason: string | null;
  failCount: number;
  items: number;
  addedAt: number;
  newestAt: number | null;
  foundAt: number | null;
  failingSince: number | null;
  walkCursor: string | null;
  pollSoon: number;
}

const COLUMNS = `al.album_id AS albumId, al.kind, al.biz, al.title, al.account, al.followed, al.listed, al.active,
  al.via, al.page_read_at AS pageReadAt, al.polled_at AS polledAt, al.walked, al.last_attempt_at AS lastAttemptAt,
  al.last_result AS lastResult, al.last_reason AS lastReason, al.fail_count AS failCount,
  (SELECT COUNT(*) FROM album_items ai WHERE ai.album_id = al.album_id) AS items,
  al.added_at AS addedAt, (SELECT MAX(ai.create_time) FROM album_items ai WHERE ai.album_id = al.album_id) AS newestAt,
  al.found_at AS foundAt, al.failing_since AS failingSince, al.walk_cursor AS walkCursor, al.poll_soon AS pollSoon`;

function toRecord(r: AlbumRow): AlbumRecord {
  return {
    ...r,
    followed: r.followed === 1,
    listed: r.listed === 1,
    active: r.active === 1,
    walked: r.walked === 1,
    pollSoon: r.pollSoon === 1,
  };
}

/** What one poll of an album's list gave. */
export interface PollRecord {
  at: number;
  /**
   * `ok`: the list was read (the interval counts from now); `failed`: an answer about the list (its failures in a row
   * count, and since when); `blocked`: WeChat refused the client (only the attempt is noted, not as a failure).
   */
  result: AlbumPollResult;
  reason: string | null;
  /** The first read of the list is done (to its end, or to the item cap). */
  walked: boolean;
  /** Where the unfinished first read continues (JSON), or null; undefined leaves it as it is. */
  walkCursor?: string | null | undefined;
  /** The poll found an article the store did not know. */
  found: boolean;
}

/** Every album and homepage the store knows, followed or not, and their polls. */
export class AlbumsTable {
  private readonly s;

  constructor(private readonly db: DB) {
    this.s = {
      all: db.prepare(`SELECT ${COLUMNS} FROM albums al ORDER BY al.album_id`),
      get: db.prepare(`SELECT ${COLUMNS} FROM albums al WHERE al.album_id = ?`),
      count: db.prepare('SELECT COUNT(*) FROM albums').pluck(),
      clearListed: db.prepare('UPDATE albums SET listed = 0 WHERE listed = 1'),
      list: db.prepare(`INSERT INTO albums (album_id, kind, biz, listed, via, added_at) VALUES (?, ?, ?, 1, 'url', ?)
        ON CONFLICT(album_id) DO UPDATE SET listed = 1`),
      insert: db.prepare(`INSERT OR IGNORE INTO albums (album_id, kind, biz, title, via, found_from, followed, added_at)
        VALUES (@albumId, @kind, @biz, @title, @via, @from, @followed, @now)`),
      followedOf: db.prepare('SELECT COUNT(*) FROM albums WHERE biz = ? AND followed = 1').pluck(),
      soon: db.prepare('UPDATE albums SET poll_soon = 1 WHERE album_id = ?'),
      via: db.prepare('UPDATE albums SET via = ? WHERE album_id = ?'),
      fallbackTitle: db.prepare('UPDATE albums SET title = ? WHERE album_id = ? AND title IS NULL'),
      clearActive: db.prepare('UPDATE albums SET active = 0 WHERE active = 1'),
      active: db.prepare('UPDATE albums SET active = 1 WHERE album_id = ?'),
      activeIds: db.prepare('SELECT album_id FROM albums WHERE active = 1 ORDER BY album_id').pluck(),
      page: db.prepare(`UPDATE albums SET title = COALESCE(@title, title), account = COALESCE(@account, account),
        account_id = COALESCE(@accountId, account_id), page_read_at = @now WHERE album_id = @albumId`),
      poll: db.prepare(`UPDATE albums SET last_attempt_at = @at, last_result = @result, last_reason = @reason,
        fail_count = CASE @result WHEN 'ok' THEN 0 WHEN 'failed' THEN fail_count + 1 ELSE fail_count END,
        failing_since = CASE @result WHEN 'ok' THEN NULL WHEN 'failed' THEN COALESCE(failing_since, @at)
          ELSE failing_since END,
        polled_at = CASE WHEN @result = 'ok' THEN @at ELSE polled_at END,
        found_at = CASE WHEN @found THEN @at ELSE found_at END,
        poll_soon = CASE WHEN @result = 'blocked' THEN poll_soon ELSE 0 END,
        walk_cursor = CASE WHEN @keepCursor THEN walk_cursor ELSE @walkCursor END,
        walked = CASE WHEN @walked THEN 1 ELSE walked END WHERE album_id = @albumId`),
      followed: db.prepare('UPDATE albums SET followed = ? WHERE album_id = ?'),
    };
  }

  /** Every album and homepage, by id. */
  all(): AlbumRecord[] {
    return (this.s.all.all() as AlbumRow[]).map(toRecord);
  }

  /** One album or homepage, if known. */
  get(albumId: string): AlbumRecord | undefined {
    const row = this.s.get.get(albumId) as AlbumRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** How many albums and homepages the store knows. */
  count(): number {
    return this.s.count.get() as number;
  }

  /** The albums and homepages listed in the config and URL files this run (a new one is followed, via `url`). */
  setListed(albums: ReadonlyArray<{ biz: string; albumId: string; kind?: ListKind }>, now: number): void {
    this.db.transaction(() => {
      this.s.clearListed.run();
      for (const a of albums) this.s.list.run(a.albumId, a.kind ?? 'album', a.biz, now);
    })();
  }

  /** How many lists of an account are followed (unfollowed ones aside). */
  followedOf(biz: string): number {
    return this.s.followedOf.get(biz) as number;
  }

  /** A page read in this build named the list: poll it in this build. */
  pollSoon(albumId: string): void {
    this.s.soon.run(albumId);
  }

  /** Add an album the store does not know; false when it knows it already (followed or not: left as it is). */
  insert(
    a: { albumId: string; biz: string; title?: string | undefined; kind?: ListKind },
    via: AlbumVia,
    from: string | null,
    followed: boolean,
    now: number,
  ): boolean {
    const r = this.s.insert.run({
      albumId: a.albumId,
      kind: a.kind ?? 'album',
      biz: a.biz,
      title: a.title ?? null,
      via,
      from,
      followed: followed ? 1 : 0,
      now,
    });
    return r.changes > 0;
  }

  /** How the album came to be known: listed (`url`), named by a followed page (`page`) or by a dump's (`dump`). */
  setVia(albumId: string, via: AlbumVia): void {
    this.s.via.run(via, albumId);
  }

  /** A title (from an article page that names the album) for an album whose own page was not read yet. */
  setFallbackTitle(albumId: string, title: string): void {
    this.s.fallbackTitle.run(title, albumId);
  }

  /** The albums polled under the config in force; every other one is not. */
  setActive(albumIds: readonly string[]): void {
    this.db.transaction(() => {
      this.s.clearActive.run();
      for (const id of albumIds) this.s.active.run(id);
    })();
  }

  /** One more album polled under the config in force (followed during this build). */
  activate(albumId: string): void {
    this.s.active.run(albumId);
  }

  /** The ids of the albums polled under the config in force. */
  activeIds(): string[] {
    return this.s.activeIds.all() as string[];
  }

  /** What the album's HTML page said (a value left out keeps the stored one). */
  recordPage(
    albumId: string,
    page: { title?: string | undefined; account?: string | undefined; accountId?: string | undefined },
    now: number,
  ): void {
    this.s.page.run({
      albumId,
      title: page.title ?? null,
      account: page.account ?? null,
      accountId: page.accountId ?? null,
      now,
    });
  }

  /** What one poll of the album's list gave. */
  recordPoll(albumId: string, p: PollRecord): void {
    this.s.poll.run({
      albumId,
      at: p.at,
      result: p.result,
      reason: p.reason,
      found: p.found ? 1 : 0,
      keepCursor: p.walkCursor === undefined ? 1 : 0,
      walkCursor: p.walkCursor ?? null,
      walked: p.walked ? 1 : 0,
    });
  }

  /** Follow or unfollow an album; an unfollowed one is kept so that discovery never follows it again. */
  setFollowed(albumId: string, followed: boolean): void {
    this.s.followed.run(followed ? 1 : 0, albumId);
  }
}

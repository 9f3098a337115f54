/**
 * `wxfeed list`: what is followed. The article URLs listed in `urls` and `urlFiles` (with their last read, when the
 * store has one), and the albums (合集): listed there, or followed because a page named them, with their title,
 * account, articles known, last poll and its result; then the albums the user unfollowed. Changes nothing in the
 * store (an album listed but never polled yet is shown from the URL files alone).
 */
import { existsSync } from 'node:fs';
import { albumStatusOf, isAlbumActive } from '../fetch/follow.js';
import { albumSlug } from '../sources.js';
import { closeStore, openStore } from '../store/db.js';
import { Store } from '../store/store.js';
import type { AlbumStatus, Config, FetchResult } from '../types.js';
import { readUrlInputs } from './list.js';

export interface FollowedArticle {
  url: string;
  where: string;
  lastRead?: { at: string; result: FetchResult; reason?: string };
}

export interface Followed {
  articles: FollowedArticle[];
  /** Every album followed or unfollowed (`followed`), and whether the config in force polls it (`active`). */
  albums: Array<AlbumStatus & { where?: string[] }>;
  /** Lines of the URL files that are neither an article nor an album, with why. */
  problems: Array<{ where: string; reason: string; detail?: string }>;
}

export async function listFollowed(config: Config): Promise<Followed> {
  const inputs = await readUrlInputs(config.urls, config.urlFiles);
  const db = existsSync(config.store) ? openStore(config.store) : undefined;
  try {
    const store = db ? new Store(db) : undefined;
    const articles = inputs.entries.map((e): FollowedArticle => {
      const read = store?.urls.status(e.parsed.canonical);
      return {
        url: e.parsed.canonical,
        where: e.where,
        ...(read
          ? {
              lastRead: {
                at: new Date(read.lastFetchAt).toISOString(),
                result: read.lastResult,
                ...(read.lastReason ? { reason: read.lastReason } : {}),
              },
            }
          : {}),
      };
    });
    const listed = new Map<string, string[]>();
    for (const a of inputs.albums) listed.set(a.album.albumId, [...(listed.get(a.album.albumId) ?? []), a.where]);
    const known = new Map((store?.albums.all() ?? []).map((a) => [a.albumId, a]));
    const albums: Followed['albums'] = [];
    for (const a of known.values()) {
      const where = listed.get(a.albumId);
      const record = { ...a, listed: where !== undefined };
      // What the next build polls: the config in force, not the last build's.
      const active = isAlbumActive(record, config.follow.albums);
      albums.push({ ...albumStatusOf(record, albumSlug(a.albumId), active), ...(where ? { where } : {}) });
    }
    for (const a of inputs.albums) {
      if (known.has(a.album.albumId) || albums.some((x) => x.albumId === a.album.albumId)) continue;
      albums.push({
        albumId: a.album.albumId,
        biz: a.album.biz,
        url: a.album.canonical,
        slug: albumSlug(a.album.albumId),
        followed: true,
        active: true,
        via: 'url',
        listed: true,
        items: 0,
        where: listed.get(a.album.albumId)!,
      });
    }
    return { articles, albums, problems: inputs.problems };
  } finally {
    if (db) closeStore(db, true);
  }
}

const VIA: Record<AlbumStatus['via'], string> = {
  url: 'listed by you',
  page: 'named by a followed article',
  dump: "named by a dump's article",
};

function albumLines(a: Followed['albums'][number]): string[] {
  const name = `${a.title ?? `Album ${a.albumId}`} · ${a.account ?? '(account not read yet)'}`;
  const poll = a.lastPoll
    ? `last poll ${a.lastPoll.at} ${a.lastPoll.result}${a.lastPoll.reason ? ` (${a.lastPoll.reason})` : ''}`
    : 'not polled yet';
  const why = a.where ? `listed at ${a.where.join(', ')}` : VIA[a.via];
  const state = a.followed ? (a.active ? '' : '; not polled under follow.albums in force') : '';
  return [`  ${name}  ${a.url}`, `      ${a.items} articles known; ${poll}; ${why}${state}; feed ${a.slug}/`];
}

/** The text `wxfeed list` prints. */
export function formatFollowed(f: Followed): string {
  const lines: string[] = [];
  lines.push(f.articles.length ? `articles (${f.articles.length}):` : 'articles: none listed');
  for (const a of f.articles) {
    const read = a.lastRead
      ? `last read ${a.lastRead.at} ${a.lastRead.result}${a.lastRead.reason ? ` (${a.lastRead.reason})` : ''}`
      : 'not read yet';
    lines.push(`  ${a.url}`, `      ${a.where}; ${read}`);
  }
  const followed = f.albums.filter((a) => a.followed);
  const unfollowed = f.albums.filter((a) => !a.followed);
  lines.push(followed.length ? `albums (${followed.length}):` : 'albums: none followed');
  for (const a of followed) lines.push(...albumLines(a));
  if (unfollowed.length) {
    lines.push(`unfollowed albums (${unfollowed.length}; \`wxfeed add\` their URL to follow one again):`);
    for (const a of unfollowed) lines.push(...albumLines(a));
  }
  if (f.problems.length) {
    lines.push(`not followed (${f.problems.length}):`);
    for (const p of f.problems) lines.push(`  ${p.where}: ${p.detail ?? p.reason}`);
  }
  return lines.join('\n');
}

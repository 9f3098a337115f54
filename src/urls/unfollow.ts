/**
 * `wxfeed unfollow <album URL or id>…`: stop following albums. The album is marked unfollowed in the store: never
 * polled again, and never followed again by discovery (a page naming it); its stored articles and its feed stay.
 * An album the store does not know yet, given by its URL, is recorded as unfollowed so that discovery never follows
 * it. `wxfeed add` with its URL follows it again. The URL files are not edited: an album still listed there stays
 * unfollowed while the store says so (the line is named, to be removed by hand).
 */
import { existsSync } from 'node:fs';
import { closeStore, openStore } from '../store/db.js';
import { Store } from '../store/store.js';
import { albumFeedTitle } from '../sources.js';
import type { AlbumRef, Config } from '../types.js';
import { canonicalAlbumUrl, isAlbumId, parseAlbumUrl } from '../wechat/album.js';
import { readUrlInputs } from './list.js';

export interface UnfollowResult {
  lines: string[];
  unfollowed: string[];
  refused: number;
}

/** What the user named: an album URL (any pasted form), its id, or its feed's folder `album-<id>`. */
function named(raw: string): { albumId: string; album?: AlbumRef } | { reason: string } {
  const text = raw.trim();
  const id = /^(?:album-)?(\d+)$/.exec(text)?.[1];
  if (id !== undefined) return isAlbumId(id) ? { albumId: id } : { reason: `${id} is not an album id` };
  if (!/[/:]/.test(text)) return { reason: 'not an album URL, an album id or an album feed folder (album-<id>)' };
  const parsed = parseAlbumUrl(text);
  return parsed.ok ? { albumId: parsed.album.albumId, album: parsed.album } : { reason: parsed.reason };
}

export async function unfollowAlbums(config: Config, raws: readonly string[]): Promise<UnfollowResult> {
  const result: UnfollowResult = { lines: [], unfollowed: [], refused: 0 };
  const inputs = await readUrlInputs(config.urls, config.urlFiles);
  const listedAt = new Map<string, string[]>();
  for (const a of inputs.albums) listedAt.set(a.album.albumId, [...(listedAt.get(a.album.albumId) ?? []), a.where]);
  const db =
    existsSync(config.store) || raws.some((r) => !/^(?:album-)?\d+$/.test(r.trim()))
      ? openStore(config.store)
      : undefined;
  try {
    const store = db ? new Store(db) : undefined;
    for (const raw of raws) {
      const n = named(raw);
      if ('reason' in n) {
        result.refused++;
        result.lines.push(`refused  ${raw}: ${n.reason}`);
        continue;
      }
      const known = store?.albums.get(n.albumId);
      if (known && !known.followed) {
        result.lines.push(
          `already unfollowed  ${albumFeedTitle(known)}  ${canonicalAlbumUrl(known.biz, known.albumId)}`,
        );
      } else if (known) {
        store!.albums.setFollowed(n.albumId, false);
        result.unfollowed.push(n.albumId);
        result.lines.push(
          `unfollowed  ${albumFeedTitle(known)}  ${canonicalAlbumUrl(known.biz, known.albumId)}: no more polls; its ${known.items} articles and its feed stay`,
        );
      } else if (n.album && store) {
        store.albums.insert(n.album, 'url', null, false, Date.now());
        result.unfollowed.push(n.albumId);
        result.lines.push(`unfollowed  ${n.album.canonical}: it was not followed; no page will make it followed`);
      } else {
        result.refused++;
        result.lines.push(
          `refused  ${raw}: no album ${n.albumId} is followed (give the album's URL to keep discovery from following it)`,
        );
        continue;
      }
      for (const where of listedAt.get(n.albumId) ?? [])
        result.lines.push(
          `  still listed at ${where}: it stays unfollowed; remove that line, or \`wxfeed add\` it to follow it again`,
        );
    }
  } finally {
    if (db) closeStore(db, true);
  }
  return result;
}

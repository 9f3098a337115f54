/**
 * `wxfeed unfollow <album or homepage URL, id, or feed folder>…`: stop following albums and homepages. The album is marked unfollowed in the store: never
 * polled again, and never followed again by discovery (a page naming it); its stored articles and its feed stay.
 * An album the store does not know yet, given by its URL, is recorded as unfollowed so that discovery never follows
 * it. `wxfeed add` with its URL follows it again. The URL files are not edited: an album still listed there stays
 * unfollowed while the store says so (the line is named, to be removed by hand).
 */
import { existsSync } from 'node:fs';
import { closeStore, openStore } from '../store/db.js';
import { Store } from '../store/store.js';
import { albumFeedTitle } from '../feeds/sources.js';
import { listUrl } from '../fetch/list-drivers.js';
import type { AlbumRef, Config, ListKind } from '../types.js';
import { isAlbumId, parseAlbumUrl } from '../wechat/album.js';
import { isHomepageId, isHomepageUrl, parseHomepageUrl } from '../wechat/homepage.js';
import { readUrlInputs } from '../io/url-files.js';

export interface UnfollowResult {
  lines: string[];
  unfollowed: string[];
  refused: number;
}

/**
 * What the user named: an album URL (any pasted form), its id, or its feed's folder `album-<id>`; a homepage URL, or
 * its id and feed folder `home-<account number>-<hid>[-<cid>]`.
 */
function named(raw: string): { albumId: string; album?: AlbumRef; kind?: ListKind } | { reason: string } {
  const text = raw.trim();
  const id = /^(?:album-)?(\d+)$/.exec(text)?.[1];
  if (id !== undefined) return isAlbumId(id) ? { albumId: id } : { reason: `${id} is not an album id` };
  if (isHomepageId(text)) return { albumId: text };
  if (!/[/:]/.test(text))
    return { reason: 'not an album or homepage URL, id or feed folder (album-<id>, home-<account>-<hid>)' };
  if (isHomepageUrl(text)) {
    const home = parseHomepageUrl(text);
    if (!home.ok) return { reason: home.reason };
    const { biz, id: albumId, canonical } = home.homepage;
    return { albumId, album: { biz, albumId, canonical }, kind: 'homepage' };
  }
  const parsed = parseAlbumUrl(text);
  return parsed.ok ? { albumId: parsed.album.albumId, album: parsed.album } : { reason: parsed.reason };
}

/**
 * `quote`: how a name from outside (what the user gave, an album's title and account, a URL file's place) is written
 * into a line; the command line quotes it for a terminal (report.ts quoteName).
 */
export async function unfollowAlbums(
  config: Config,
  raws: readonly string[],
  quote: (name: string) => string = (name) => name,
): Promise<UnfollowResult> {
  const result: UnfollowResult = { lines: [], unfollowed: [], refused: 0 };
  const inputs = await readUrlInputs(config.urls, config.urlFiles);
  const listedAt = new Map<string, string[]>();
  for (const a of inputs.albums) listedAt.set(a.album.albumId, [...(listedAt.get(a.album.albumId) ?? []), a.where]);
  const db =
    existsSync(config.store) || raws.some((r) => !/^(?:album-)?\d+$/.test(r.trim()) && !isHomepageId(r.trim()))
      ? openStore(config.store)
      : undefined;
  try {
    const store = db ? new Store(db) : undefined;
    for (const raw of raws) {
      const n = named(raw);
      if ('reason' in n) {
        result.refused++;
        result.lines.push(`refused  ${quote(raw)}: ${n.reason}`);
        continue;
      }
      const known = store?.albums.get(n.albumId);
      if (known && !known.followed) {
        result.lines.push(`already unfollowed  ${quote(albumFeedTitle(known))}  ${listUrl(known)}`);
      } else if (known) {
        store!.albums.setFollowed(n.albumId, false);
        result.unfollowed.push(n.albumId);
        result.lines.push(
          `unfollowed  ${quote(albumFeedTitle(known))}  ${listUrl(known)}: no more polls; its ${known.items} articles and its feed stay`,
        );
      } else if (n.album && store) {
        store.albums.insert({ ...n.album, kind: n.kind ?? 'album' }, 'url', null, false, Date.now());
        result.unfollowed.push(n.albumId);
        result.lines.push(`unfollowed  ${n.album.canonical}: it was not followed; no page will make it followed`);
      } else {
        result.refused++;
        result.lines.push(
          `refused  ${quote(raw)}: no album or homepage ${n.albumId} is followed (give its URL to keep discovery from following it)`,
        );
        continue;
      }
      for (const where of listedAt.get(n.albumId) ?? [])
        result.lines.push(
          `  still listed at ${quote(where)}: it stays unfollowed; remove that line, or \`wxfeed add\` it to follow it again`,
        );
    }
  } finally {
    if (db) closeStore(db, true);
  }
  return result;
}

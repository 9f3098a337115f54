/**
 * `wxfeed unfollow <album or homepage URL, id, or feed folder>…`: mark lists unfollowed in the store, never polled or
 * followed by discovery again (even one it does not know yet, given by URL); their articles and feeds stay. The URL
 * files are not edited: a line still listing one is named, to be removed by hand.
 */
import { closeStore, openStore, openStoreIfExists } from '../store/db.js';
import { Store } from '../store/store.js';
import { albumFeedTitle } from '../feeds/sources.js';
import { listUrl } from '../fetch/list-drivers.js';
import type { Config, ListKind } from '../types.js';
import { type AlbumRef, isAlbumId, parseAlbumUrl } from '../wechat/album.js';
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
 * Marks the named albums and homepages unfollowed; `quote` writes names from outside into the lines (the command line
 * quotes them for a terminal: report.ts quoteName).
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
  // An album named by its URL is recorded as unfollowed even when the store does not know it: a store is made for it.
  const byUrl = raws.some((r) => !/^(?:album-)?\d+$/.test(r.trim()) && !isHomepageId(r.trim()));
  const db = byUrl ? openStore(config.store) : openStoreIfExists(config.store);
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
        result.lines.push(`already unfollowed  ${quote(albumFeedTitle(known, 'en'))}  ${listUrl(known)}`);
      } else if (known) {
        store!.albums.setFollowed(n.albumId, false);
        result.unfollowed.push(n.albumId);
        result.lines.push(
          `unfollowed  ${quote(albumFeedTitle(known, 'en'))}  ${listUrl(known)}: no more polls; its ${known.items} articles and its feed stay`,
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

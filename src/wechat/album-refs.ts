/**
 * Pure: the albums (合集) an article page names, from the page's own album structures: `album_info_list` (`var` or
 * `window.`), `var publicTagInfo` (2024 pages), `cgiDataNew.appmsgalbuminfo` and `cgiDataNew.public_tag_info.tags`,
 * `window.appmsgalbuminfo`, and `window.cgiData.topics`. Only albums of the page's own account: an album whose link
 * names another `__biz` is left out (pages link to other accounts too), and an entry without a link counts as the
 * page's own. Entries whose id and link disagree, or whose link is not an album URL, are left out. De-duplicated by
 * album id, in the order first named. Never throws.
 */
import { count } from './album-item.js';
import { capTitle } from '../content/text.js';
import { isAlbumId, normaliseAlbumBiz, parseAlbumUrl } from './album-url.js';
import { arrayEntries, balanced, listEntries, ownField } from './page-scripts.js';

/** An album an article page names (album_info_list, cgiDataNew.appmsgalbuminfo, public_tag_info, cgiData.topics). */
export interface PageAlbum {
  albumId: string;
  /** Always the page's own account. */
  biz: string;
  title?: string;
  /** Articles in the album, as the page says. */
  size?: number;
}

/** Entries read per structure, and albums named per page. */
const MAX_ENTRIES = 50;
const MAX_ALBUMS = 50;

/** One album as a structure writes it (values decoded; undefined when absent or empty). */
interface Named {
  albumId?: string;
  link?: string;
  title?: string;
  size?: string;
}

/** The arrays of the page that name its albums, all found in one pass over the page (pages are long). */
const PAGE_ARRAYS = /(album_info_list|publicTagInfo|appmsgalbuminfo|cgiData\.topics)\s*=\s*\[/g;

/** The entries of the first `var name = [` or `window.name = [` of each of PAGE_ARRAYS. */
function pageArrays(html: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of html.matchAll(PAGE_ARRAYS)) {
    const name = m[1]!;
    if (out.has(name)) continue;
    const before = html.slice(Math.max(0, m.index - 16), m.index);
    if (!/(?:\bvar\s+|\bwindow\.)$/.test(before)) continue;
    out.set(name, listEntries(balanced(html, m.index + m[0].length - 1), MAX_ENTRIES));
    if (out.size === 4) break;
  }
  return out;
}

/** The object text of a `key: {` inside an object text. */
function member(block: string | undefined, key: string): string | undefined {
  if (!block) return undefined;
  const m = new RegExp(`(?:^|[\\s{,])${key}\\s*:\\s*\\{`).exec(block);
  return m ? balanced(block, m.index + m[0].length - 1) : undefined;
}

function named(entry: string, keys: { id: string; link: string; title: string; size: string }): Named {
  return {
    albumId: ownField(entry, keys.id),
    link: ownField(entry, keys.link),
    title: ownField(entry, keys.title),
    size: ownField(entry, keys.size),
  };
}

const INFO_LIST = { id: 'albumId', link: 'link', title: 'title', size: 'size' };
const ALBUM_INFO = { id: 'album_id', link: 'link', title: 'title', size: 'content_size' };
const TAG = { id: 'album_id', link: 'tag_link', title: 'tag_name', size: 'tag_content_num' };

/** Every album entry of the page's own album structures, in page order of importance. */
function allNamed(html: string, cgiDataNew: string | undefined): Named[] {
  const out: Named[] = [];
  const arrays = pageArrays(html);
  for (const name of ['album_info_list', 'publicTagInfo'])
    for (const e of arrays.get(name) ?? []) out.push(named(e, INFO_LIST));
  const info = member(cgiDataNew, 'appmsgalbuminfo');
  if (info) out.push(named(info, ALBUM_INFO));
  for (const tag of arrayEntries(member(cgiDataNew, 'public_tag_info'), 'tags', MAX_ENTRIES)) {
    out.push(named(tag, TAG));
    const nested = member(tag, 'album_info');
    if (nested) out.push(named(nested, ALBUM_INFO));
  }
  for (const e of arrays.get('appmsgalbuminfo') ?? []) out.push(named(e, ALBUM_INFO));
  for (const e of arrays.get('cgiData.topics') ?? []) out.push(named(e, TAG));
  return out;
}

/** One entry → an album of the page's account, or undefined. */
function resolve(entry: Named, pageBiz: string): PageAlbum | undefined {
  if (entry.albumId !== undefined && !isAlbumId(entry.albumId)) return undefined;
  let linked: { biz: string; albumId: string } | undefined;
  if (entry.link !== undefined) {
    const parsed = parseAlbumUrl(entry.link);
    if (!parsed.ok) return undefined;
    linked = parsed.album;
  }
  if (entry.albumId && linked && linked.albumId !== entry.albumId) return undefined;
  if (linked && linked.biz !== pageBiz) return undefined;
  const albumId = entry.albumId ?? linked?.albumId;
  if (!albumId) return undefined;
  const title = entry.title ? capTitle(entry.title) : undefined;
  const size = count(entry.size);
  return { albumId, biz: pageBiz, ...(title ? { title } : {}), ...(size !== undefined ? { size } : {}) };
}

/**
 * The albums of the page's own account that an article page names. `pageBiz` is the article's `__biz` (none known:
 * no album can be shown to be the page's own, so none); `cgiDataNew` the page's `window.cgiDataNew` block, if read.
 */
export function pageAlbums(html: string, pageBiz: string | undefined, cgiDataNew?: string): PageAlbum[] {
  const biz = normaliseAlbumBiz(pageBiz);
  if (!biz || typeof html !== 'string') return [];
  const found = new Map<string, PageAlbum>();
  for (const entry of allNamed(html, cgiDataNew)) {
    const album = resolve(entry, biz);
    if (!album) continue;
    const known = found.get(album.albumId);
    if (known) found.set(album.albumId, { ...album, ...known });
    else if (found.size < MAX_ALBUMS) found.set(album.albumId, album);
  }
  return [...found.values()];
}

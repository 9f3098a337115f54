/**
 * Albums (合集), the pure half of following a whole account without login: album URLs (album-url.ts), the JSON list
 * pages (album-list.ts), the album's HTML page (album-page.ts) and the albums an article page names (album-refs.ts).
 * Callers import from here.
 */
export {
  type AlbumCursor,
  albumListUrl,
  type AlbumRef,
  canonicalAlbumUrl,
  isAlbumId,
  isAlbumUrl,
  parseAlbumUrl,
} from './album-url.js';
export type { AlbumItem, AlbumOrder } from './album-item.js';
export { parseAlbumList } from './album-list.js';
export { type AlbumPageResult, parseAlbumPage } from './album-page.js';
export { pageAlbums } from './album-refs.js';

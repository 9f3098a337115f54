/**
 * Pure: which feeds to publish. A source is what the dumps' `source` field names. A source whose WeChat articles all
 * share one `__biz` is that account: its slug is the number inside the biz (stable across renames), and labels
 * carrying the same single biz (an account seen under an old and a new name) are one feed. Any other source gets a
 * readable ASCII slug from its name, with a short hash when the name is not all ASCII. Config may set slug, title,
 * filters and limit, matching by name or biz. Each album (合集) the store knows articles of is a feed of its own,
 * `album-<albumId>`, titled `<album title> · <account>`. No slug is a reserved name (config.ts RESERVED_SLUGS).
 */
import { RESERVED_SLUGS } from '../config.js';
import type { SourceConfig, SourceStats } from '../types.js';
import { DEFAULT_LANGUAGE, type FeedLanguage, messages } from './messages.js';
import { bizToNumber } from '../wechat/url.js';
import { albumLabel, albumSlug, sha256 } from '../keys.js';

/** One feed to publish: its folder, title and the source labels (or album) it shows. */
export interface FeedGroup {
  slug: string;
  title: string;
  /** Source labels whose articles this feed shows (an album's feed: its dirty mark, `album:<id>`). */
  labels: string[];
  biz?: string;
  articles: number;
  config?: SourceConfig;
  /** An album's feed: its id (its articles are those the album lists). */
  album?: string;
}

/** What an album's feed is made from. */
export interface AlbumFeedSpec {
  albumId: string;
  biz: string;
  title: string | null;
  account: string | null;
  /** Articles the album lists, as the store knows them. */
  items: number;
}

/**
 * `<album title> · <account>`: the account's name, else its number; an album whose title is unknown, by its id; a
 * homepage whose title is unknown, by its number (`主页 4`, `Homepage 4`: in `language`).
 */
export function albumFeedTitle(
  a: Pick<AlbumFeedSpec, 'albumId' | 'biz' | 'title' | 'account'>,
  language: FeedLanguage,
): string {
  const home = /^home-\d+-(\d+)/.exec(a.albumId)?.[1];
  const m = messages(language);
  const title = a.title ?? (home !== undefined ? m.untitledHomepage(home) : m.untitledAlbum(a.albumId));
  return `${title} · ${a.account ?? bizToNumber(a.biz) ?? a.biz}`;
}

/** Readable ASCII slug of a name; a short hash is added when the name has characters beyond ASCII. */
export function slugify(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  const allAscii = /^[\x20-\x7e]*$/.test(name);
  if (ascii && /[a-z]/.test(ascii) && allAscii) return ascii;
  const hash = sha256(name).slice(0, 8);
  return ascii && /[a-z]/.test(ascii) ? `${ascii}-${hash}` : `src-${hash}`;
}

function matchesConfig(c: SourceConfig, label: string, biz: string | undefined): boolean {
  const m = c.match.trim();
  if (m === label) return true;
  if (!biz) return false;
  return m === biz || bizToNumber(m) === bizToNumber(biz);
}

/**
 * Group source labels into feeds, add one feed per album with articles, and give each a unique slug and a title (an
 * untitled album's in `language`).
 */
export function planFeeds(
  stats: SourceStats[],
  configs: readonly SourceConfig[],
  albums: readonly AlbumFeedSpec[] = [],
  language: FeedLanguage = DEFAULT_LANGUAGE,
): FeedGroup[] {
  const groups = new Map<string, FeedGroup>();
  const sorted = [...stats].sort((a, b) => b.articles - a.articles || (a.source < b.source ? -1 : 1));
  for (const s of sorted) {
    const biz = s.bizCount === 1 && s.biz ? s.biz : undefined;
    const num = biz ? bizToNumber(biz) : undefined;
    const groupKey = num ? `biz:${num}` : `name:${s.source}`;
    const existing = groups.get(groupKey);
    if (existing) {
      existing.labels.push(s.source);
      existing.articles += s.articles;
      continue;
    }
    groups.set(groupKey, {
      slug: num ?? slugify(s.source),
      title: s.source,
      labels: [s.source],
      biz,
      articles: s.articles,
    });
  }
  const list = [...groups.values()];
  for (const g of list) {
    const c = configs.find((conf) => g.labels.some((l) => matchesConfig(conf, l, g.biz)));
    if (!c) continue;
    g.config = c;
    if (c.slug) g.slug = c.slug;
    if (c.title) g.title = c.title;
  }
  for (const a of albums) {
    if (a.items === 0) continue;
    list.push({
      slug: albumSlug(a.albumId),
      title: albumFeedTitle(a, language),
      labels: [albumLabel(a.albumId)],
      biz: a.biz,
      articles: a.items,
      album: a.albumId,
    });
  }
  return dedupeSlugs(list);
}

/**
 * Two feeds never share a folder: colliding derived slugs get a hash of their labels; config slugs keep theirs, and
 * album slugs theirs against a derived one. A derived slug that is a reserved name (`all`, a server route such as
 * `img` or `api`, an output file) gets the hash too, so every feed is reachable.
 */
function dedupeSlugs(list: FeedGroup[]): FeedGroup[] {
  const bySlug = new Map<string, FeedGroup[]>();
  for (const g of list) bySlug.set(g.slug, [...(bySlug.get(g.slug) ?? []), g]);
  for (const [slug, same] of bySlug) {
    if (same.length < 2 && !RESERVED_SLUGS.has(slug)) continue;
    const configured = same.filter((x) => x.config?.slug === slug);
    const albums = same.filter((x) => x.album !== undefined && x.config?.slug !== slug);
    const keeper =
      same.length < 2
        ? undefined
        : configured.length === 1
          ? configured[0]
          : configured.length === 0 && albums.length === 1
            ? albums[0]
            : undefined;
    for (const g of same) {
      if (g === keeper) continue;
      g.slug = `${slug}-${sha256(g.labels.slice().sort().join('\n')).slice(0, 6)}`;
    }
  }
  return list.sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : a.slug < b.slug ? -1 : 1));
}

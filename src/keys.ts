/**
 * Article keys and feed ids. One article per key:
 * - `sn:<sn>`          a WeChat article URL carrying sn (any shape, any noise);
 * - `short:<token>`    a WeChat short link `/s/<token>` (the live fetcher re-keys it by sn once it reads the page);
 * - `url:<url>`        any other URL (blogs, advisories, WeChat pages that are not articles), normalised;
 * - `hash:<sha256>`    no usable URL, or a temporary search link: a hash of the normalised body text, or of the
 *                      file's name within the archive (`<dumps folder>/<path below it>`) when the body is empty (so two
 *                      different empty dumps never merge, and moving the archive keeps the id; never by title).
 * The feed id is the canonical URL, or `urn:wxfeed:<key>` for hash keys: stable across runs, formats and baseUrl.
 */
import { hash } from 'node:crypto';
import type { ParsedUrl } from './types.js';

/** An article's key, its feed id and its link. */
export interface ArticleIdentity {
  key: string;
  id: string;
  link: string;
}

/** Key of a WeChat article by its sn. */
export const snKey = (sn: string): string => `sn:${sn}`;
/** Key of a WeChat short link `/s/<token>`, until its page reveals the sn. */
export const shortKey = (token: string): string => `short:${token}`;

/** Origin of the observation an album (合集) list gives of an article: one per article, whatever albums list it. */
export const albumOrigin = (key: string): string => `album:${key}`;
/** The dirty mark of an album's feed (pending.ts `dirty_sources`): its articles or its title changed. */
export const albumLabel = (albumId: string): string => `album:${albumId}`;
/** The album (or homepage) id of a dirty mark or feed label made by albumLabel, else undefined. */
export function albumOfLabel(label: string): string | undefined {
  return /^album:(\d{1,20}|home-\d{1,20}-\d{1,10}(?:-\d{1,10})?)$/.exec(label)?.[1];
}

/** The key a parsed WeChat URL gives, when it names an article (sn) or a short link; undefined otherwise. */
export function wechatKey(parsed: ParsedUrl | undefined): string | undefined {
  if (parsed?.sn) return snKey(parsed.sn);
  if (parsed?.shortToken) return shortKey(parsed.shortToken);
  return undefined;
}

/** The SHA-256 of a text, in hex. */
export function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}

/** True when the key of an article with this URL is a hash of its body text (no usable URL). */
export function needsBodyText(parsed: ParsedUrl | undefined): boolean {
  if (parsed?.kind === 'article' && parsed.sn) return false;
  if (parsed?.kind === 'short' && parsed.shortToken) return false;
  return parsed?.kind !== 'other';
}

/** The key, id and link of an article from its parsed URL, else from its body text or, empty, from `fallbackSeed`. */
export function identityFor(parsed: ParsedUrl | undefined, bodyText: string, fallbackSeed: string): ArticleIdentity {
  if (parsed?.kind === 'article' && parsed.sn)
    return { key: snKey(parsed.sn), id: parsed.canonical, link: parsed.canonical };
  if (parsed?.kind === 'short' && parsed.shortToken) {
    return { key: shortKey(parsed.shortToken), id: parsed.canonical, link: parsed.canonical };
  }
  if (parsed && parsed.kind === 'other')
    return { key: `url:${parsed.canonical}`, id: parsed.canonical, link: parsed.canonical };
  const basis = bodyText.replace(/\s+/g, ' ').trim();
  const hash = sha256(basis ? `text:${basis}` : `file:${fallbackSeed}`).slice(0, 32);
  const id = `urn:wxfeed:hash:${hash}`;
  return { key: `hash:${hash}`, id, link: parsed?.canonical ?? id };
}

/** The folder of an album's feed, `album-<id>`; a homepage's id (`home-<account number>-<hid>[-<cid>]`) is its own. */
export const albumSlug = (albumId: string): string => (albumId.startsWith('home-') ? albumId : `album-${albumId}`);

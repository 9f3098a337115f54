/**
 * Pure: homepages (主页), the other login-free list of an account's articles. An account that publishes a homepage
 * template shares `https://mp.weixin.qq.com/mp/homepage?__biz=<biz>&hid=<n>[&cid=<n>]`; its list is
 * `POST /mp/homepage?__biz=…&hid=…[&cid=…]&begin=<k>&count=<n>&action=appmsg_list` (no body), answering JSON with
 * `appmsg_list[]` of `title`, `digest`, `cover`, `link` and `sendtime` (unix seconds), and the page without `action`
 * gives the homepage's title (`div.articles_header > h2.rich_media_title`) and the account (`div.articles_header a`).
 * These are the fields DIYgod/RSSHub's `lib/routes/wechat/mp.ts` reads; no real answer is saved anywhere, so every
 * parser here is strict: an answer of another shape is a failure with its reason, never a guess. Never throws.
 *
 * Facts behind the URL rules: shared links carry `hid` 1, 2, 3, 4, 10, 12, 16 and never 0 (public scrapers and
 * RSSHub's examples), so a `hid` is at least 1; RSSHub documents `cid` 0 as the leftmost column, so 0 is a column.
 * Share links also carry `sn`, `scene` and client noise, which identify nothing and are dropped.
 */
import {
  type AlbumItem,
  type AlbumOrder,
  type AlbumSkips,
  digits,
  ItemCollector,
  MAX_ITEMS,
  orderOf,
} from './album-item.js';
import { capTitle } from '../content/text.js';
import { normaliseAlbumBiz } from './album-url.js';
import { baseRet, isObject, type ListRefusal, readAnswer } from './answer.js';
import { htmlUnescape } from './page-scripts.js';
import { hasVerifyMarker, VERIFY_TEXT } from './refusal.js';
import { bizToNumber, numberToBiz, toUrl, WECHAT_HOST } from './url.js';

/**
 * A homepage (主页) list: `https://mp.weixin.qq.com/mp/homepage?__biz=<biz>&hid=<n>[&cid=<n>]`, one column (`cid`) of
 * one homepage template (`hid`) of one account.
 */
export interface HomepageRef {
  /** Standard padded base64 of the account number (`normaliseAlbumBiz`). */
  biz: string;
  /** The homepage template's number: digits, no leading zero, at least 1. */
  hid: string;
  /** The column of the template (`0` is the leftmost); absent when the URL names none. */
  cid?: string;
  /** The list's id and its feed folder: `home-<account number>-<hid>[-<cid>]`. */
  id: string;
  /** `https://mp.weixin.qq.com/mp/homepage?__biz=<biz>&hid=<hid>[&cid=<cid>]`. */
  canonical: string;
}

/** What a pasted homepage URL turned out to be. */
export type HomepageUrlResult = { ok: true; homepage: HomepageRef } | { ok: false; reason: string };

/**
 * One homepage list answer (`POST /mp/homepage?…&begin=<k>&count=<n>&action=appmsg_list`), parsed. `more`: the
 * answer held a full page; `next`: the `begin` of the following page. `refused`: WeChat refuses the client (a
 * verification page: `captcha`; a frequency-control `ret`: `refused`); not refused (false): the answer concerns this
 * list alone.
 */
export type HomepageListResult =
  | ({ ok: true; items: AlbumItem[]; more: boolean; next: number; order: AlbumOrder } & AlbumSkips)
  | { ok: false; reason: string; refused: false | ListRefusal };

/** A homepage's HTML page: its title (`div.articles_header > h2.rich_media_title`, else `<title>`) and account. */
interface HomepagePage {
  title?: string;
  /** The account's name (`div.articles_header a`). */
  account?: string;
}

/** A homepage's HTML page, parsed; `refused`: a verification page refuses the client. */
export type HomepagePageResult = { ok: true; page: HomepagePage } | { ok: false; reason: string; refused: boolean };

/** The path of a homepage and of its list. */
export const HOMEPAGE_PATH = '/mp/homepage';
/** Items per list request: at most 20, as for albums (one request is one page of the feed). */
const HOMEPAGE_MAX_COUNT = 20;
const MAX_URL = 8192;
/** `hid` and `cid` are numbers of at most 10 digits. */
const NUMBER = /^\d{1,10}$/;
const ID = /^home-([1-9]\d{0,19})-([1-9]\d{0,9})(?:-(0|[1-9]\d{0,9}))?$/;

/** A short, printable form of a hostile value for a reason: shallow (never walks a nested value), at most 60 chars. */
function show(value: unknown): string {
  let s: string;
  if (typeof value === 'string') s = JSON.stringify(Array.from(value.slice(0, 120)).slice(0, 40).join(''));
  else if (Array.isArray(value)) s = value.length === 0 ? '[]' : `[…] (${value.length})`;
  else if (isObject(value)) s = '{…}';
  else s = String(value);
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

// ───────────────────────────── URLs and ids ─────────────────────────────

/** Digits without their leading zeros (`04` → `4`, `00` → `0`). */
const stripZeros = (value: string): string => value.replace(/^0+(?=\d)/, '');

function homepageUrlOf(raw: string): URL | undefined {
  const url = toUrl(raw);
  if (!url || url.hostname.toLowerCase() !== WECHAT_HOST) return undefined;
  return url.pathname.replace(/\/+$/, '') === HOMEPAGE_PATH ? url : undefined;
}

/** True when the text is a WeChat homepage URL (valid or not: parseHomepageUrl says what is wrong). */
export function isHomepageUrl(raw: string): boolean {
  return typeof raw === 'string' && raw.length <= MAX_URL && homepageUrlOf(raw) !== undefined;
}

/** One value of a query parameter, or a reason when it is given twice with different values. */
function single(params: URLSearchParams, name: string): { value?: string; reason?: string } {
  const values = [...new Set(params.getAll(name).map((v) => v.trim()))].filter(Boolean);
  if (values.length > 1) return { reason: `homepage URL has two different ${name} values` };
  return values[0] === undefined ? {} : { value: values[0] };
}

/** The list's id: `home-<account number>-<hid>[-<cid>]`, or undefined when a part is not valid. */
export function homepageId(biz: string, hid: string, cid?: string): string | undefined {
  const ref = homepageRef(biz, hid, cid);
  return ref?.id;
}

/**
 * The whole ref from its parts (`biz` in any spelling `normaliseAlbumBiz` takes; `hid` and `cid` digits, leading
 * zeros dropped), or undefined when a part is not valid.
 */
export function homepageRef(biz: string, hid: string, cid?: string): HomepageRef | undefined {
  const b = typeof biz === 'string' ? normaliseAlbumBiz(biz) : undefined;
  const num = b ? bizToNumber(b) : undefined;
  if (!b || !num || typeof hid !== 'string' || !NUMBER.test(hid)) return undefined;
  const h = stripZeros(hid);
  if (h === '0') return undefined;
  if (cid !== undefined && (typeof cid !== 'string' || !NUMBER.test(cid))) return undefined;
  const c = cid === undefined ? undefined : stripZeros(cid);
  const tail = c === undefined ? '' : `-${c}`;
  return {
    biz: b,
    hid: h,
    ...(c !== undefined ? { cid: c } : {}),
    id: `home-${num}-${h}${tail}`,
    canonical: `https://${WECHAT_HOST}${HOMEPAGE_PATH}?__biz=${b}&hid=${h}${c === undefined ? '' : `&cid=${c}`}`,
  };
}

/** True for a homepage list's id (`home-3950000001-4`, `home-3950000001-4-0`). */
export function isHomepageId(id: unknown): id is string {
  return typeof id === 'string' && parseHomepageId(id) !== undefined;
}

/** The parts of a homepage list's id (the inverse of `homepageId`), or undefined when it is not one. */
export function parseHomepageId(id: string): { biz: string; hid: string; cid?: string } | undefined {
  if (typeof id !== 'string' || id.length > 64) return undefined;
  const m = ID.exec(id);
  if (!m) return undefined;
  const biz = numberToBiz(m[1]!);
  return { biz, hid: m[2]!, ...(m[3] !== undefined ? { cid: m[3] } : {}) };
}

/** A `hid` or `cid` value checked: digits only, at most 10 of them. */
function number(name: 'hid' | 'cid', value: string): { value: string } | { reason: string } {
  if (!/^\d+$/.test(value))
    return {
      reason: name === 'hid' ? `homepage URL has no numeric hid: ${show(value)}` : `cid ${show(value)} is not a number`,
    };
  if (!NUMBER.test(value)) return { reason: `${name} ${show(value)} is longer than 10 digits` };
  return { value: stripZeros(value) };
}

/**
 * Parse a homepage URL as pasted (escaped `&`, `#wechat_redirect`, no scheme, `sn`, `scene`…). Refused: a bad `__biz`,
 * no numeric `hid` or 0, a non-numeric `cid`, a repeated parameter, any `action` (the list's own URL). Never throws.
 */
export function parseHomepageUrl(raw: string): HomepageUrlResult {
  if (typeof raw !== 'string' || !raw.trim()) return { ok: false, reason: 'empty URL' };
  if (raw.length > MAX_URL) return { ok: false, reason: `URL longer than ${MAX_URL} characters` };
  const url = toUrl(raw);
  if (!url) return { ok: false, reason: `not a URL: ${show(raw.trim())}` };
  if (url.hostname.toLowerCase() !== WECHAT_HOST) return { ok: false, reason: `not a ${WECHAT_HOST} URL` };
  if (url.pathname.replace(/\/+$/, '') !== HOMEPAGE_PATH)
    return { ok: false, reason: `not a homepage URL (path ${show(url.pathname)}, expected ${HOMEPAGE_PATH})` };
  const params = url.searchParams;
  const action = single(params, 'action');
  if (action.reason) return { ok: false, reason: action.reason };
  if (action.value !== undefined)
    return { ok: false, reason: `homepage URL with action=${show(action.value)}: expected the homepage's own link` };
  const bizParam = single(params, '__biz');
  if (bizParam.reason) return { ok: false, reason: bizParam.reason };
  if (bizParam.value === undefined) return { ok: false, reason: 'homepage URL has no __biz' };
  const biz = normaliseAlbumBiz(bizParam.value);
  if (!biz) return { ok: false, reason: `__biz ${show(bizParam.value)} is not an account id (base64 of its number)` };
  const hidParam = single(params, 'hid');
  if (hidParam.reason) return { ok: false, reason: hidParam.reason };
  if (hidParam.value === undefined) return { ok: false, reason: 'homepage URL has no numeric hid' };
  const hid = number('hid', hidParam.value);
  if ('reason' in hid) return { ok: false, reason: hid.reason };
  if (hid.value === '0') return { ok: false, reason: 'hid 0 is not a homepage (their numbers start at 1)' };
  const cidParam = single(params, 'cid');
  if (cidParam.reason) return { ok: false, reason: cidParam.reason };
  const cid = cidParam.value === undefined ? undefined : number('cid', cidParam.value);
  if (cid && 'reason' in cid) return { ok: false, reason: cid.reason };
  const homepage = homepageRef(biz, hid.value, cid?.value);
  return homepage ? { ok: true, homepage } : { ok: false, reason: 'homepage URL is not valid' };
}

/** A requested page size: an integer clamped to 1–20 (20 when it is not a number). */
export function homepageCount(count: unknown): number {
  const n = Math.trunc(Number(count));
  return Number.isFinite(n) ? Math.min(HOMEPAGE_MAX_COUNT, Math.max(1, n)) : HOMEPAGE_MAX_COUNT;
}

/** A requested start: a non-negative safe integer (0 when it is not one). */
export function homepageBegin(begin: unknown): number {
  const n = Math.trunc(Number(begin));
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

/**
 * The URL of one list page, POSTed with no body: `count` clamped to 1–20, `begin` to a non-negative integer, a `+`
 * of the biz percent-encoded (a query would read it as a space).
 */
export function homepageListUrl(
  ref: Pick<HomepageRef, 'biz' | 'hid' | 'cid'>,
  begin: number,
  count: number,
  origin = `https://${WECHAT_HOST}`,
): string {
  const parts = [`__biz=${ref.biz.replace(/\+/g, '%2B')}`, `hid=${encodeURIComponent(ref.hid)}`];
  if (ref.cid !== undefined) parts.push(`cid=${encodeURIComponent(ref.cid)}`);
  parts.push(`begin=${homepageBegin(begin)}`, `count=${homepageCount(count)}`, 'action=appmsg_list');
  return `${origin.replace(/\/+$/, '')}${HOMEPAGE_PATH}?${parts.join('&')}`;
}

// ───────────────────────────── The JSON list ─────────────────────────────

const failed = (reason: string): HomepageListResult => ({ ok: false, reason, refused: false });

/** The album rules' skip reasons (wechat/album-item.ts) in the homepage answer's own words. */
const HOMEPAGE_WORDS: ReadonlyMap<string, string> = new Map([
  ['url has no sn', 'link is not an article URL with an sn'],
  ['url has an invalid __biz', 'link has an invalid __biz'],
  ['url longer than 4096 characters', 'link longer than 4096 characters'],
  ['no msgid', 'link has no mid'],
  ['no itemidx', 'link has no idx'],
  ['no create_time', 'sendtime is not unix seconds'],
  ['create_time out of range', 'sendtime out of range'],
]);

/** The album collector (same rules: sn required, another account's article skipped, titles cut, times checked). */
class HomepageCollector extends ItemCollector {
  override skip(reason: string): void {
    super.skip(HOMEPAGE_WORDS.get(reason) ?? reason);
  }
}

/** One entry checked for the fields a homepage answer must have, then handed to the collector. */
function collect(collector: HomepageCollector, entry: unknown): void {
  if (!isObject(entry)) return void collector.skip('entry is not an object');
  if (typeof entry.title !== 'string') return void collector.skip('title is not a string');
  if (typeof entry.link !== 'string' || !entry.link.trim()) return void collector.skip('no link');
  if (digits(entry.sendtime) === undefined) return void collector.skip('sendtime is not digits');
  collector.add({
    // WeChat's JSON writes titles HTML-escaped (`&amp;`, `&quot;`), as the album list does.
    title: htmlUnescape(entry.title),
    url: entry.link,
    create_time: entry.sendtime,
    cover: entry.cover,
  });
}

/**
 * Parse one homepage list answer for `ref`, asked with `requested` (`begin`, `count`) at `now`. A verification page or
 * frequency control refuses the client; no list, or one of unusable entries only, fails this list (empty: the end).
 */
export function parseHomepageList(
  body: string,
  ref: Pick<HomepageRef, 'biz'>,
  requested: { begin: number; count: number },
  now?: number,
): HomepageListResult {
  const read = readAnswer(body, 'the homepage list', true);
  if (!('json' in read)) return read;
  const json = read.json;
  if (!isObject(json)) return failed(`answer is JSON but not an object: ${show(json)}`);
  const base = baseRet(json, false, show);
  if (base) return base;
  const list = json.appmsg_list;
  // Public scrapers page until a short or empty list and none saw the key go missing: its absence is no end.
  if (list === undefined || list === null) return failed('no appmsg_list');
  if (!Array.isArray(list)) return failed(`appmsg_list is not a list: ${show(list)}`);
  const begin = homepageBegin(requested?.begin);
  const count = homepageCount(requested?.count);
  const entries = list.slice(0, MAX_ITEMS);
  const collector = new HomepageCollector(ref.biz, now);
  for (const entry of entries) collect(collector, entry);
  const skips = collector.skips();
  if (collector.items.length === 0 && entries.length > 0)
    return failed(`no usable entry in appmsg_list (${entries.length}): ${skips.skipReasons.join('; ')}`);
  return {
    ok: true,
    items: collector.items,
    // A full page (or one cut at MAX_ITEMS) says more may follow; a short one is the end.
    more: list.length >= count,
    next: begin + entries.length,
    order: orderOf(collector.items),
    ...skips,
  };
}

// ───────────────────────────── The HTML page ─────────────────────────────

/** A tag is searched for at most this far back and forth from a marker. */
const TAG_WINDOW = 4000;
/** The header's content is read up to this many characters. */
const HEADER_WINDOW = 16_384;
/** A `<title>` or a header element's text is read up to this many characters (then cut by capTitle). */
const TEXT_WINDOW = 16_384;
/** At most this many `articles_header` markers (or `<title` starts) are examined: hostile pages repeat them. */
const MAX_TRIES = 64;

const pageFail = (reason: string, refusedClient: boolean): HomepagePageResult => ({
  ok: false,
  reason,
  refused: refusedClient,
});

/** True when the character after a tag name ends the name (`<div>`, `<div class…`), not `<divx`. */
const endsName = (ch: string | undefined): boolean => ch === '>' || ch === '/' || (ch !== undefined && /\s/.test(ch));

/** The value of `class` in one tag's text (bounded), split into its tokens. */
function classes(tag: string): string[] {
  const m = /\sclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag);
  return (m?.[1] ?? m?.[2] ?? m?.[3] ?? '').split(/\s+/).filter(Boolean);
}

/**
 * The start tag of `name` that begins at or after `from` in `html`, with its class tokens and where its content
 * starts, or undefined. At most MAX_TRIES starts are examined.
 */
function startTag(
  html: string,
  name: string,
  from: number,
): { at: number; end: number; classes: string[] } | undefined {
  let pos = from;
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const at = html.indexOf(`<${name}`, pos);
    if (at < 0) return undefined;
    pos = at + 1;
    if (!endsName(html[at + name.length + 1])) continue;
    const close = html.slice(at, at + TAG_WINDOW).indexOf('>');
    if (close < 0) continue;
    return { at, end: at + close + 1, classes: classes(html.slice(at, at + close + 1)) };
  }
  return undefined;
}

/** The text of an element whose content starts at `from` and ends at `</name>`: tags dropped, entities decoded. */
function elementText(html: string, from: number, name: string): string | undefined {
  const window = html.slice(from, from + TEXT_WINDOW);
  const end = window.indexOf(`</${name}`);
  const inner = end < 0 ? window : window.slice(0, end);
  let out = '';
  let pos = 0;
  while (pos < inner.length) {
    const lt = inner.indexOf('<', pos);
    if (lt < 0) {
      out += inner.slice(pos);
      break;
    }
    out += inner.slice(pos, lt);
    const gt = inner.indexOf('>', lt);
    if (gt < 0) break;
    out += ' ';
    pos = gt + 1;
  }
  const clean = htmlUnescape(out).replace(/\s+/g, ' ').trim();
  return clean ? capTitle(clean) : undefined;
}

/** Where the content of the first `div.articles_header` starts and ends (its matching `</div>`, bounded), or undefined. */
function header(html: string): { from: number; to: number } | undefined {
  let pos = 0;
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const mark = html.indexOf('articles_header', pos);
    if (mark < 0) return undefined;
    pos = mark + 1;
    // The marker must sit inside a `<div …>` start tag: the nearest `<` before it opens that tag, and no `>` between.
    const lo = Math.max(0, mark - TAG_WINDOW);
    const back = html.slice(lo, mark);
    const lt = back.lastIndexOf('<');
    if (lt < 0 || back.includes('>', lt)) continue;
    const at = lo + lt;
    if (!html.startsWith('<div', at) || !endsName(html[at + 4])) continue;
    const close = html.slice(mark, mark + TAG_WINDOW).indexOf('>');
    if (close < 0) continue;
    if (!classes(html.slice(at, mark + close + 1)).includes('articles_header')) continue;
    const from = mark + close + 1;
    return { from, to: from + divContentLength(html.slice(from, from + HEADER_WINDOW)) };
  }
  return undefined;
}

/** The length of a div's content: up to the `</div` that closes it (nested divs counted), or all of the window. */
function divContentLength(region: string): number {
  let depth = 1;
  let pos = 0;
  for (;;) {
    const lt = region.indexOf('<', pos);
    if (lt < 0) return region.length;
    if (region.startsWith('</div', lt)) {
      if (--depth === 0) return lt;
    } else if (region.startsWith('<div', lt) && endsName(region[lt + 4])) depth++;
    pos = lt + 1;
  }
}

/** The header's account (`a`) and title (`h2.rich_media_title`). */
function headerFields(region: string): HomepagePage {
  const out: HomepagePage = {};
  const a = startTag(region, 'a', 0);
  if (a) {
    const account = elementText(region, a.end, 'a');
    if (account) out.account = account;
  }
  let pos = 0;
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const h2 = startTag(region, 'h2', pos);
    if (!h2) break;
    pos = h2.end;
    if (!h2.classes.includes('rich_media_title')) continue;
    const title = elementText(region, h2.end, 'h2');
    if (title) out.title = title;
    break;
  }
  return out;
}

/**
 * The text of the first `<title>`. WeChat writes the tag bare, and all 7 characters keep the search fast on a page of
 * `<` repeated (V8 searches patterns of 7 or more characters with Boyer-Moore, shorter ones position by position).
 */
function documentTitle(html: string): string | undefined {
  const at = html.indexOf('<title>');
  return at < 0 ? undefined : elementText(html, at + 7, 'title');
}

/** The message of a WeChat message page (`.weui-msg__title`: deleted, not found, banned), or undefined. */
function messagePage(html: string): string | undefined {
  const mark = html.indexOf('weui-msg__title');
  if (mark < 0) return undefined;
  const lo = Math.max(0, mark - TAG_WINDOW);
  const back = html.slice(lo, mark);
  const lt = back.lastIndexOf('<');
  const name = lt < 0 ? undefined : /^<([a-z][a-z0-9]{0,9})\s/i.exec(back.slice(lt))?.[1]?.toLowerCase();
  const close = html.slice(mark, mark + TAG_WINDOW).indexOf('>');
  if (!name || close < 0) return '';
  return elementText(html, mark + close + 1, name) ?? '';
}

/**
 * A homepage's HTML page → its title and account (`div.articles_header`, else `<title>`; neither: none), in bounded
 * windows. A verification page refuses the client; a WeChat message page fails; `url` is named in reasons.
 */
export function parseHomepagePage(html: string, url?: string): HomepagePageResult {
  const from = url === undefined ? undefined : parseHomepageUrl(url);
  const where = from?.ok ? ` ${from.homepage.id}` : '';
  if (typeof html !== 'string' || !html.trim()) return pageFail(`empty page of homepage${where}`, false);
  if (hasVerifyMarker(html)) return pageFail(`verification page instead of homepage${where}`, true);
  const region = header(html);
  if (!region) {
    if (VERIFY_TEXT.test(html)) return pageFail(`verification page instead of homepage${where}`, true);
    const message = messagePage(html);
    if (message !== undefined)
      return pageFail(`WeChat message page instead of homepage${where}${message ? `: ${show(message)}` : ''}`, false);
  }
  const fields = region ? headerFields(html.slice(region.from, region.to)) : {};
  const title = fields.title ?? documentTitle(html);
  return {
    ok: true,
    page: { ...(title ? { title } : {}), ...(fields.account ? { account: fields.account } : {}) },
  };
}

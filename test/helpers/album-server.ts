/**
 * A loopback album (合集) server for end-to-end tests: a real node:http server on 127.0.0.1 serving N albums of M
 * articles each from an in-memory model, shaped like mp.weixin.qq.com:
 * - `GET /mp/appmsgalbum?…&f=json`: list pages honouring `count` (default 10), the exclusive cursor
 *   `begin_msgid`/`begin_itemidx`, `is_reverse=1` (newest first; without it, oldest first: deliberately another
 *   order), `continue_flag`, a page of one item as an object, the end of the list without `article_list`; every
 *   value a string, item URLs `http://` with plain `&`, chksm and `#rd`;
 * - `GET /mp/appmsgalbum?…` (no `f=json`): the album's HTML page (`window.cgiData` with the 10 newest items and the
 *   list markup with `data-pos_num`);
 * - `GET /s?__biz=…&mid=…&idx=…&sn=…`: each article's page (`var biz/mid/idx/sn/ct/msg_title/nickname`,
 *   `#js_content`, `album_info_list` naming its album).
 * Switches inject faults (latency, an HTML answer, `base_resp.ret` ≠ 0, a 302, a list that grows at its head, a
 * malformed answer, a server that ignores `is_reverse`, a last page that says more follow, an HTTP status with
 * `Retry-After` for lists or article pages) and change the article pages' titles; `extra` serves more article pages
 * by sn (a real saved page); counters say how many list, album-page and article requests came. An album the model
 * does not have answers `{"base_resp":{"ret":-2,"errmsg":"invalid args"}}`, as a mistyped or deleted one can.
 *
 * Homepages (主页, option `homepages`): one account each (numbers 3950000000 + h, distinct from the albums'), `hid`
 * 4, `cid` "0" on every second one (h odd; option `homepageCid` sets or removes it on all), newest first by
 * `sendtime`. This part is built only from the fields issue 20 and DIYgod/RSSHub's `lib/routes/wechat/mp.ts` name;
 * no real saved answer stands behind it, so its shape is a reading of those fields, not a copy of WeChat:
 * - `POST /mp/homepage?__biz=…&hid=…[&cid=…]&begin=<k>&count=<n>&action=appmsg_list` →
 *   `{"base_resp":{"ret":0},"appmsg_list":[{title, digest, cover, link, sendtime}]}`, newest first, from `begin`,
 *   `count` entries (default 10, at most 20); past the end `appmsg_list` is `[]`. `link` as WeChat writes article
 *   links (`http://`, chksm, `#rd`), `sendtime` a number; titles HTML-escaped (`&amp;`, `&quot;`), as WeChat's JSON
 *   writes them (every homepage's third article has `&` and `"` in its title). The list must be POSTed: a GET with
 *   `action` answers 405. An unknown homepage (biz, hid and cid must all match) answers
 *   `{"base_resp":{"ret":-2,"errmsg":"invalid args"}}`; another `action` the same.
 * - `GET /mp/homepage?__biz=…&hid=…[&cid=…]` → the page: `<div class="articles_header"><a …>nickname</a>
 *   <h2 class="rich_media_title">title</h2></div>`, then the newest articles' links (each an `h2.rich_media_title`
 *   outside the header); an unknown homepage answers 404.
 * - `/s?…` serves homepage articles' pages too (naming no album).
 * Faults: `status`, `html` and `ret` count down over list requests of both kinds, in the order they come (a
 * refusal is the client's, whichever list it asked for); `homepageShape` makes the next N homepage list answers
 * JSON of another shape (`homepageShapeAs`: `appmsg_list` a string, the list under another key, or `appmsg_list`
 * one object); `pageTitleSuffix` applies to homepage articles' pages. Counters `homepageList`, `homepagePage`.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { escapeHtml } from '../../src/content/escape.js';
import { numberToBiz } from '../../src/wechat/url.js';

export interface ModelArticle {
  biz: string;
  mid: string;
  idx: string;
  sn: string;
  title: string;
  /** Unix seconds, as the list gives it (the article page's `ct` is 23 s later, as on WeChat). */
  createTime: number;
  cover: string;
  /** 1 = the album's first article. */
  posNum: number;
  /** Index of its album in `albums`; -1 for a homepage's article. */
  album: number;
  /** Index of its homepage in `homepages` (homepage articles only). */
  homepage?: number;
}

/** A homepage (主页) of the model: one account, one `hid`, an optional column `cid`. */
interface ModelHomepage {
  biz: string;
  hid: string;
  cid?: string;
  title: string;
  nickname: string;
  userName: string;
  /** Oldest first (the list answers newest first). */
  articles: ModelArticle[];
}

interface ModelAlbum {
  biz: string;
  albumId: string;
  title: string;
  nickname: string;
  userName: string;
  /** In album order: oldest (posNum 1) first. */
  articles: ModelArticle[];
}

interface AlbumServerFaults {
  /** Delay before every answer. */
  latencyMs: number;
  /** The next N list requests answer an HTML verification page (200). */
  html: number;
  /** The next N list requests answer `base_resp.ret` = `retValue`. */
  ret: number;
  retValue: number;
  /** The `errmsg` of those answers. */
  retMessage: string;
  /** The next N requests of any kind answer 302 to `redirectTo`. */
  redirect: number;
  redirectTo: string;
  /** Before each of the next N list requests, a new article is published at the head of the album asked for. */
  growOnList: number;
  /** The next N list requests answer JSON of the wrong shape (`getalbum_resp` a string). */
  malformed: number;
  /** List pages come oldest first even with `is_reverse=1` (a server that picks its own order). */
  ignoreReverse: boolean;
  /** The last page of a list says `continue_flag` "1": the next request gets the end of the list (no article_list). */
  falseContinue: boolean;
  /** Added to each article page's title (the list keeps the plain title): tells the page's title from the list's. */
  pageTitleSuffix: string;
  /** Article pages also name the next album of the same account (as an article in two albums does). */
  nameNextAlbum: boolean;
  /** The next N homepage list requests answer JSON of another shape (`homepageShapeAs`). */
  homepageShape: number;
  /** `string`: `{"appmsg_list":"x"}`; `renamed`: `{"list":[…]}`; `object`: `appmsg_list` one entry, not a list. */
  homepageShapeAs: 'string' | 'renamed' | 'object';
  /** The next N list requests answer HTTP `statusValue` (with `Retry-After: retryAfter` when set). */
  status: number;
  statusValue: number;
  /** The next N article page requests answer HTTP `statusValue` (with `Retry-After: retryAfter` when set). */
  articleStatus: number;
  retryAfter: string;
  /** The next N list requests answer a plain HTML error page (200), not a verification page. */
  plainHtml: number;
  /** Albums are found by album_id alone (a `__biz` naming another account gets that album's list anyway). */
  ignoreBiz: boolean;
  /** Article pages also name the next N albums of the same account (an account with many albums, or an attack). */
  nameAlbums: number;
  /** List pages hold this many items whatever `count` asks (0: `count` is honoured, up to 100). */
  pageSize: number;
  /** List pages alternate between the first and the second page whatever the cursor says (A, B, A, B …). */
  alternate: boolean;
  /**
   * WeChat's wall: past `perMinute` requests of any kind in one minute of `clock` (a simulated clock the test shares
   * with the client), every request is answered with a 302 to the verification page; `refused` counts them.
   */
  rateLimit: { perMinute: number; clock: () => number; refused: number } | undefined;
}

interface AlbumServerCounts {
  /** JSON list requests (faulted ones included). */
  list: number;
  /** Album HTML page requests. */
  albumPage: number;
  /** Article page requests. */
  article: number;
  /**
   * Homepage JSON list requests (faulted ones, and GETs answered 405, included). Always set by the server; optional
   * only so that counts written out by album tests (`{ list, albumPage, article, other }`) stay valid.
   */
  homepageList?: number;
  /** Homepage HTML page requests (always set, as `homepageList`). */
  homepagePage?: number;
  /** Anything else (404s). */
  other: number;
}

/** More article pages to serve at `/s?…&sn=<sn>…`, by sn (a real saved page, say): the body as it is. */
type ExtraPages = Map<string, string>;

export interface AlbumServer {
  origin: string;
  albums: ModelAlbum[];
  faults: AlbumServerFaults;
  counts: AlbumServerCounts;
  /** Path and query of every request, in order. */
  requests: string[];
  /** Article pages served beside the model's, by sn. */
  extra: ExtraPages;
  /** The album's canonical URL (on mp.weixin.qq.com, as a user pastes it). */
  albumUrl(album: number): string;
  /** An article's canonical URL (on mp.weixin.qq.com). */
  articleUrl(article: ModelArticle): string;
  /** Publish a new article at the head (newest) of an album; returns it. */
  grow(album?: number): ModelArticle;
  homepages: ModelHomepage[];
  /** The homepage's canonical URL (on mp.weixin.qq.com, as a user pastes it, without `#wechat_redirect`). */
  homepageUrl(homepage: number): string;
  /** Publish a new article at the head (newest) of a homepage; returns it. */
  growHomepage(homepage?: number): ModelArticle;
  close(): Promise<void>;
}

export interface AlbumServerOptions {
  /** Albums (default 2). */
  albums?: number;
  /** Articles per album (default 7). */
  articles?: number;
  /** Articles of each album, by index (default `articles`). */
  articlesPer?: number[];
  /** Unix seconds of the newest message of the first album (default 2024-12-31 00:00 UTC); album a's is a × 600 s later. */
  newest?: number;
  /** All albums of one account (default: one account per album). */
  oneAccount?: boolean;
  /** Homepages, each of its own account (default 0). */
  homepages?: number;
  /** Articles per homepage (default 7). */
  homepageArticles?: number;
  /** The `cid` of every homepage (null: none); default "0" on every second homepage (h odd), none on the others. */
  homepageCid?: string | null;
  latencyMs?: number;
}

export const VERIFY_HTML = `<!DOCTYPE html><html><head><script>var PAGE_MID='mmbizwap:secitptpage/verify.html';</script><script src="https://captcha.gtimg.com/TCaptcha.js"></script></head><body><div class="weui-msg"></div></body></html>`;

const WX = 'https://mp.weixin.qq.com';
const hex = (s: string, n: number) => createHash('sha256').update(s).digest('hex').slice(0, n);
/** A single-quoted JS string literal. */
const js = (s: string) =>
  `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/</g, '\\x3c')}'`;
const articleUrl = (a: ModelArticle) => `${WX}/s?__biz=${a.biz}&mid=${a.mid}&idx=${a.idx}&sn=${a.sn}`;
/** The list's form of an article URL: http, plain `&`, a chksm, `#rd`. */
const listUrl = (a: ModelArticle) =>
  `http://mp.weixin.qq.com/s?__biz=${a.biz}&mid=${a.mid}&idx=${a.idx}&sn=${a.sn}&chksm=${hex(`c${a.sn}`, 40)}#rd`;
const albumLink = (al: ModelAlbum) =>
  `${WX}/mp/appmsgalbum?__biz=${al.biz}&action=getalbum&album_id=${al.albumId}#wechat_redirect`;

/** The model: deterministic ids, times and titles. Every fourth article is the second of its message (idx 2). */
function buildModel(options: AlbumServerOptions): ModelAlbum[] {
  const albums: ModelAlbum[] = [];
  for (let a = 0; a < (options.albums ?? 2); a++) {
    const account = options.oneAccount ? 0 : a;
    const album: ModelAlbum = {
      biz: numberToBiz(String(3900000000 + account)),
      albumId: String(3300000000000000000n + BigInt(a) * 1000003n),
      title: `测试合集${a}`,
      nickname: `测试账号${account}`,
      userName: `gh_${hex(`u${account}`, 12)}`,
      articles: [],
    };
    albums.push(album);
    const n = options.articlesPer?.[a] ?? options.articles ?? 7;
    // Messages a day apart (every fourth article the second of its message), the newest at `newest`.
    const messages = n - Math.floor(n / 4);
    const first = (options.newest ?? NEWEST) + a * 600 - (messages - 1) * 86400;
    for (let j = 0; j < n; j++) addArticle(albums, a, j % 4 === 3, first);
  }
  return albums;
}

/** The newest message of the model's first album by default: 2024-12-31 00:00 UTC, a day before the tests' clock. */
const NEWEST = 1735603200;

/** Add an article at the album's head; `second`: as the second article (idx 2) of the newest message. */
function addArticle(albums: ModelAlbum[], a: number, second = false, first = NEWEST + a * 600): ModelArticle {
  const album = albums[a]!;
  const prev = album.articles.at(-1);
  const n = album.articles.length;
  const mid = second && prev ? prev.mid : String(2247480000 + a * 10000 + n * 5);
  const idx = second && prev ? '2' : '1';
  const article: ModelArticle = {
    biz: album.biz,
    mid,
    idx,
    sn: hex(`${album.biz}/${mid}/${idx}`, 32),
    title: `${album.title}·第${n + 1}篇`,
    createTime: prev ? prev.createTime + (second ? 0 : 86400) : first,
    cover: `https://mmbiz.qpic.cn/mmbiz_jpg/${hex(`img${mid}${idx}`, 24)}/300`,
    posNum: n + 1,
    album: a,
  };
  album.articles.push(article);
  return article;
}

function listItem(al: ModelAlbum, a: ModelArticle): Record<string, unknown> {
  return {
    cover_img_1_1: a.cover,
    cover_theme_color: { b: '81', g: '57', r: '35' },
    create_time: String(a.createTime),
    is_pay_subscribe: '0',
    is_read: '0',
    item_show_type: '0',
    itemidx: a.idx,
    key: `${Buffer.from(al.biz, 'base64').toString('latin1')}_${a.mid}_${a.idx}`,
    msgid: a.mid,
    pos_num: String(a.posNum),
    title: a.title,
    tts_is_ban: '0',
    url: listUrl(a),
    user_read_status: '0',
  };
}

/** One JSON list page, as WeChat writes it. */
function listPage(al: ModelAlbum, q: URLSearchParams, faults: AlbumServerFaults): Record<string, unknown> {
  const order = q.get('is_reverse') === '1' && !faults.ignoreReverse ? [...al.articles].reverse() : al.articles;
  const count = faults.pageSize || Math.min(100, Math.max(1, Number(q.get('count')) || 10));
  let start = 0;
  const msgid = q.get('begin_msgid');
  if (msgid) {
    const at = order.findIndex((a) => a.mid === msgid && a.idx === (q.get('begin_itemidx') ?? '1'));
    start = at < 0 ? order.length : at + 1;
  }
  // A: the first page; B: the second; a cursor of B's last item gets A again.
  if (faults.alternate) start = start >= 2 * count ? 0 : start;
  const page = order.slice(start, start + count).map((a) => listItem(al, a));
  const resp: Record<string, unknown> = {};
  if (page.length === 1) resp.article_list = page[0];
  else if (page.length > 1) resp.article_list = page;
  resp.base_info = { is_first_screen: msgid ? '0' : '1' };
  resp.continue_flag = start + count < order.length || (faults.falseContinue && page.length > 0) ? '1' : '0';
  resp.reverse_continue_flag = '1';
  return { base_resp: { exportkey_token: '', ret: 0 }, getalbum_resp: resp };
}

function albumHtml(al: ModelAlbum): string {
  const newest = [...al.articles].reverse().slice(0, 10);
  const items = newest
    .map(
      (a) => `{
            title: ${js(a.title)},
            create_time: '${a.createTime}',
            cover_img_1_1: ${js(a.cover)},
            url: ${js(listUrl(a).replace(/&/g, '&amp;'))},
            read_count: '' || -1,
            msgid: '${a.mid}',
            itemidx: '${a.idx}',
            is_read: '0',
            cover_theme_color: { r: '1', g: '2', b: '3', },
          }`,
    )
    .join(',');
  const markup = newest
    .map(
      (a) =>
        `<li class="album__list-item js_album_item js_wx_tap_highlight wx_tap_cell" data-msgid="${a.mid}" data-itemidx="${a.idx}" data-link="${escapeHtml(listUrl(a))}" data-title="${escapeHtml(a.title)}" data-is_read="0" data-pos_num="${a.posNum}"><span class="album__item-title-wrp">${escapeHtml(a.title)}</span></li>`,
    )
    .join('\n');
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(al.title)}</title></head><body>
<ul class="album__list js_album_list">
${markup}
</ul>
<script type="text/javascript">
  window.cgiData = {
    ret: '0',
    albumId: '${al.albumId}',
    title: ${js(al.title)},
    nick_name: ${js(al.nickname)} || '',
    user_name: ${js(al.userName)} || '',
    article_count: '${al.articles.length}' * 1,
    is_numbered: '1' * 1,
    is_reverse: '1' * 1,
    pay_subscribe_info: {
    },
    articleList: [${items}],
    continue_flag: '${al.articles.length > 10 ? 1 : 0}' * 1,
    reverse_continue_flag: '0' * 1,
  };
  window.title = cgiData.nick_name;
</script></body></html>`;
}

function albumInfo(al: ModelAlbum): string {
  return `{
    title: ${js(al.title)},
    size: '${al.articles.length}' * 1,
    link: ${js(albumLink(al).replace(/&/g, '&amp;'))},
    type: '0' * 1,
    albumId: '${al.albumId}',
  }`;
}

/**
 * An article's page: its title (with `suffix`, which tells the page's title from the list's), its account, its
 * script variables, and `album_info_list` naming `albums` (none for a homepage's article).
 */
function articleHtml(
  account: Pick<ModelAlbum, 'nickname' | 'userName'>,
  a: ModelArticle,
  suffix: string,
  albums: readonly ModelAlbum[],
): string {
  const link = articleUrl(a).replace(/&/g, '&amp;');
  const title = `${a.title}${suffix}`;
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta property="og:title" content="${escapeHtml(title)}"><meta property="og:url" content="${link}">
<meta property="og:image" content="${escapeHtml(a.cover)}"></head><body>
<h1 class="rich_media_title" id="activity-name">${escapeHtml(title)}</h1>
<a id="js_name">${escapeHtml(account.nickname)}</a>
<div class="rich_media_content" id="js_content" style="visibility: hidden;"><p>${escapeHtml(a.title)}：正文第一段。</p><p>第二段。</p></div>
<script>
var biz = "${a.biz}" || "";
var mid = "${a.mid}" || "" || "";
var idx = "${a.idx}" || "" || "";
var sn = "${a.sn}" || "" || "";
var ct = "${a.createTime + 23}";
var msg_title = ${js(title)};
var nickname = ${js(account.nickname)};
var user_name = ${js(account.userName)};
var msg_link = "${link}";
var album_info_list = [
  ${albums.map(albumInfo).join(',\n  ')},
];
</script></body></html>`;
}

/** The homepages of the model: one account each, 3950000000 + h. */
function buildHomepages(options: AlbumServerOptions): ModelHomepage[] {
  const homepages: ModelHomepage[] = [];
  for (let h = 0; h < (options.homepages ?? 0); h++) {
    const account = 3950000000 + h;
    const cid = options.homepageCid === undefined ? (h % 2 === 1 ? '0' : undefined) : options.homepageCid;
    homepages.push({
      biz: numberToBiz(String(account)),
      hid: '4',
      ...(cid !== null && cid !== undefined ? { cid } : {}),
      title: `测试主页${h}`,
      nickname: `主页账号${h}`,
      userName: `gh_${hex(`h${account}`, 12)}`,
      articles: [],
    });
    // As albums: messages a day apart, the newest at `newest` (+ h × 600 s).
    const n = options.homepageArticles ?? 7;
    const first = (options.newest ?? NEWEST) + h * 600 - (n - Math.floor(n / 4) - 1) * 86400;
    for (let j = 0; j < n; j++) addHomepageArticle(homepages, h, j % 4 === 3, first);
  }
  return homepages;
}

/** Add an article at the homepage's head; `second`: as the second article (idx 2) of the newest message. */
function addHomepageArticle(
  homepages: ModelHomepage[],
  h: number,
  second = false,
  first = NEWEST + h * 600,
): ModelArticle {
  const hp = homepages[h]!;
  const prev = hp.articles.at(-1);
  const n = hp.articles.length;
  const mid = second && prev ? prev.mid : String(2247500000 + h * 10000 + n * 5);
  const idx = second && prev ? '2' : '1';
  const article: ModelArticle = {
    biz: hp.biz,
    mid,
    idx,
    sn: hex(`${hp.biz}/${mid}/${idx}`, 32),
    // The third article's title holds `&` and `"`: the list writes them escaped, the page plainly.
    title: n === 2 ? `${hp.title}·第${n + 1}篇 & "引号"` : `${hp.title}·第${n + 1}篇`,
    createTime: prev ? prev.createTime + (second ? 0 : 86400) : first,
    cover: `https://mmbiz.qpic.cn/mmbiz_jpg/${hex(`himg${mid}${idx}`, 24)}/0?wx_fmt=jpeg`,
    posNum: n + 1,
    album: -1,
    homepage: h,
  };
  hp.articles.push(article);
  return article;
}

const homepageLink = (hp: ModelHomepage) =>
  `${WX}/mp/homepage?__biz=${hp.biz}&hid=${hp.hid}${hp.cid === undefined ? '' : `&cid=${hp.cid}`}`;
/** WeChat's JSON escapes HTML in titles. */
const escapedTitle = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function homepageEntry(a: ModelArticle): Record<string, unknown> {
  return {
    title: escapedTitle(a.title),
    digest: escapedTitle(`${a.title}的摘要`),
    cover: a.cover,
    link: listUrl(a),
    sendtime: a.createTime,
  };
}

/** One homepage list answer: newest first from `begin`, `count` entries (default 10, at most 20). */
function homepageList(hp: ModelHomepage, q: URLSearchParams): Record<string, unknown> {
  const order = [...hp.articles].reverse();
  const begin = Math.max(0, Math.trunc(Number(q.get('begin'))) || 0);
  const count = Math.min(20, Math.max(1, Math.trunc(Number(q.get('count'))) || 10));
  return { base_resp: { ret: 0 }, appmsg_list: order.slice(begin, begin + count).map(homepageEntry) };
}

/** A homepage list answer of another shape (fault `homepageShape`). */
function homepageOtherShape(hp: ModelHomepage | undefined, as: AlbumServerFaults['homepageShapeAs']): unknown {
  const entries = hp ? [...hp.articles].reverse().slice(0, 3).map(homepageEntry) : [];
  if (as === 'renamed') return { base_resp: { ret: 0 }, list: entries };
  if (as === 'object') return { base_resp: { ret: 0 }, appmsg_list: entries[0] ?? {} };
  return { base_resp: { ret: 0 }, appmsg_list: 'x' };
}

function homepageHtml(hp: ModelHomepage): string {
  const newest = [...hp.articles].reverse().slice(0, 5);
  const items = newest
    .map(
      (a) =>
        `<a class="list_item" href="${escapeHtml(listUrl(a))}"><h2 class="rich_media_title">${escapeHtml(a.title)}</h2><p class="desc">${escapeHtml(`${a.title}的摘要`)}</p></a>`,
    )
    .join('\n');
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(hp.title)}</title></head><body>
<div class="rich_media">
<div class="articles_header">
  <a href="javascript:void(0);" class="account_nickname_inner">${escapeHtml(hp.nickname)}</a>
  <h2 class="rich_media_title">${escapeHtml(hp.title)}</h2>
</div>
<div class="tab_bd">
${items}
</div>
</div></body></html>`;
}

export async function startAlbumServer(options: AlbumServerOptions = {}): Promise<AlbumServer> {
  const albums = buildModel(options);
  const homepages = buildHomepages(options);
  const faults: AlbumServerFaults = {
    latencyMs: options.latencyMs ?? 0,
    html: 0,
    ret: 0,
    retValue: -1,
    retMessage: 'freq control',
    redirect: 0,
    redirectTo: '/mp/wappoc_appmsgcaptcha?poc_token=test&target_url=x',
    growOnList: 0,
    malformed: 0,
    ignoreReverse: false,
    falseContinue: false,
    pageTitleSuffix: '',
    nameNextAlbum: false,
    homepageShape: 0,
    homepageShapeAs: 'string',
    status: 0,
    statusValue: 404,
    articleStatus: 0,
    retryAfter: '',
    plainHtml: 0,
    ignoreBiz: false,
    nameAlbums: 0,
    pageSize: 0,
    alternate: false,
    rateLimit: undefined,
  };
  const extra: ExtraPages = new Map();
  const status = (res: ServerResponse): void => {
    const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
    if (faults.retryAfter) headers['retry-after'] = faults.retryAfter;
    res.writeHead(faults.statusValue, headers).end(`HTTP ${faults.statusValue}`);
  };
  const counts: AlbumServerCounts = { list: 0, albumPage: 0, article: 0, homepageList: 0, homepagePage: 0, other: 0 };
  const requests: string[] = [];

  const send = (res: ServerResponse, status: number, type: string, body: string): void =>
    void res.writeHead(status, { 'content-type': `${type}; charset=utf-8` }).end(body);
  const json = (res: ServerResponse, body: unknown): void => send(res, 200, 'application/json', JSON.stringify(body));

  /** The faults every list answers alike (albums' and homepages'), in this order; true when one answered. */
  function listFault(res: ServerResponse): boolean {
    if (faults.status > 0) {
      faults.status--;
      status(res);
    } else if (faults.html > 0) {
      faults.html--;
      send(res, 200, 'text/html', VERIFY_HTML);
    } else if (faults.plainHtml > 0) {
      faults.plainHtml--;
      send(res, 200, 'text/html', '<!DOCTYPE html><html><body><p>系统出错</p></body></html>');
    } else if (faults.ret > 0) {
      faults.ret--;
      json(res, { base_resp: { ret: faults.retValue, errmsg: faults.retMessage } });
    } else return false;
    return true;
  }

  function list(res: ServerResponse, q: URLSearchParams, al: ModelAlbum | undefined, a: number): void {
    counts.list++;
    if (listFault(res)) return;
    if (faults.malformed > 0) {
      faults.malformed--;
      return void json(res, { base_resp: { ret: 0 }, getalbum_resp: 'not an object' });
    }
    if (!al) return void json(res, { base_resp: { ret: -2, errmsg: 'invalid args' } });
    if (faults.growOnList > 0) {
      faults.growOnList--;
      addArticle(albums, a);
    }
    json(res, listPage(al, q, faults));
  }

  /** `/mp/homepage`: the list (POST with `action`) or the page (no `action`). */
  function homepage(req: IncomingMessage, res: ServerResponse, q: URLSearchParams): void {
    const hp = homepages.find(
      (x) => x.biz === q.get('__biz') && x.hid === q.get('hid') && (x.cid ?? null) === (q.get('cid') || null),
    );
    const action = q.get('action');
    if (action === null) {
      counts.homepagePage = (counts.homepagePage ?? 0) + 1;
      if (!hp) return void send(res, 404, 'text/plain', 'no such homepage');
      return void send(res, 200, 'text/html', homepageHtml(hp));
    }
    counts.homepageList = (counts.homepageList ?? 0) + 1;
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain; charset=utf-8' }).end('POST only');
      return;
    }
    if (listFault(res)) return;
    if (faults.homepageShape > 0) {
      faults.homepageShape--;
      return void json(res, homepageOtherShape(hp, faults.homepageShapeAs));
    }
    if (!hp || action !== 'appmsg_list') return void json(res, { base_resp: { ret: -2, errmsg: 'invalid args' } });
    json(res, homepageList(hp, q));
  }

  function route(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams;
    if (faults.redirect > 0) {
      faults.redirect--;
      res.writeHead(302, { location: faults.redirectTo }).end();
      return;
    }
    if (url.pathname === '/mp/appmsgalbum') {
      const a = albums.findIndex(
        (al) => al.albumId === q.get('album_id') && (faults.ignoreBiz || !q.get('__biz') || q.get('__biz') === al.biz),
      );
      const al = albums[a];
      if (q.get('f') === 'json') return void list(res, q, al, a);
      counts.albumPage++;
      if (!al) return void send(res, 404, 'text/plain', 'no such album');
      return void send(res, 200, 'text/html', albumHtml(al));
    }
    if (url.pathname === '/mp/homepage') return void homepage(req, res, q);
    if (url.pathname === '/s') {
      counts.article++;
      if (faults.articleStatus > 0) {
        faults.articleStatus--;
        return void status(res);
      }
      const page = extra.get(q.get('sn') ?? '');
      if (page !== undefined) return void send(res, 200, 'text/html', page);
      for (const al of albums) {
        const a = al.articles.find(
          (x) => x.sn === q.get('sn') && x.biz === q.get('__biz') && x.mid === q.get('mid') && x.idx === q.get('idx'),
        );
        if (!a) continue;
        const at = albums.indexOf(al);
        const many = Math.max(faults.nameAlbums, faults.nameNextAlbum ? 1 : 0);
        const named = albums.slice(at + 1, at + 1 + many).filter((x) => x.biz === al.biz);
        return void send(res, 200, 'text/html', articleHtml(al, a, faults.pageTitleSuffix, [al, ...named]));
      }
      for (const hp of homepages) {
        const a = hp.articles.find(
          (x) => x.sn === q.get('sn') && x.biz === q.get('__biz') && x.mid === q.get('mid') && x.idx === q.get('idx'),
        );
        if (a) return void send(res, 200, 'text/html', articleHtml(hp, a, faults.pageTitleSuffix, []));
      }
      return void send(res, 404, 'text/plain', 'no such article');
    }
    counts.other++;
    send(res, 404, 'text/plain', 'not found');
  }

  /** Requests per minute of the rate limit's clock. */
  const perMinute = new Map<number, number>();
  /** True when the rate limit refuses this request (it is answered here). */
  function walled(res: ServerResponse): boolean {
    const limit = faults.rateLimit;
    if (!limit) return false;
    const minute = Math.floor(limit.clock() / 60_000);
    const n = (perMinute.get(minute) ?? 0) + 1;
    perMinute.set(minute, n);
    if (n <= limit.perMinute) return false;
    limit.refused++;
    res.writeHead(302, { location: '/mp/wappoc_appmsgcaptcha?poc_token=wall&target_url=x' }).end();
    return true;
  }

  const server = createServer((req, res) => {
    requests.push(req.url ?? '/');
    if (walled(res)) return;
    if (faults.latencyMs > 0) setTimeout(() => route(req, res), faults.latencyMs);
    else route(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    albums,
    faults,
    counts,
    requests,
    extra,
    albumUrl: (a) => albumLink(albums[a]!).replace('#wechat_redirect', ''),
    articleUrl,
    grow: (a = 0) => addArticle(albums, a),
    homepages,
    homepageUrl: (h) => homepageLink(homepages[h]!),
    growHomepage: (h = 0) => addHomepageArticle(homepages, h),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

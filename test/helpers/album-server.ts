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
 * malformed answer, a server that ignores `is_reverse`, a last page that says more follow) and change the article
 * pages' titles; counters say how many list, album-page and article requests came.
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
  /** Index of its album in `albums`. */
  album: number;
}

export interface ModelAlbum {
  biz: string;
  albumId: string;
  title: string;
  nickname: string;
  userName: string;
  /** In album order: oldest (posNum 1) first. */
  articles: ModelArticle[];
}

export interface AlbumServerFaults {
  /** Delay before every answer. */
  latencyMs: number;
  /** The next N list requests answer an HTML verification page (200). */
  html: number;
  /** The next N list requests answer `base_resp.ret` = `retValue`. */
  ret: number;
  retValue: number;
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
}

export interface AlbumServerCounts {
  /** JSON list requests (faulted ones included). */
  list: number;
  /** Album HTML page requests. */
  albumPage: number;
  /** Article page requests. */
  article: number;
  /** Anything else (404s). */
  other: number;
}

export interface AlbumServer {
  origin: string;
  albums: ModelAlbum[];
  faults: AlbumServerFaults;
  counts: AlbumServerCounts;
  /** Path and query of every request, in order. */
  requests: string[];
  /** The album's canonical URL (on mp.weixin.qq.com, as a user pastes it). */
  albumUrl(album: number): string;
  /** An article's canonical URL (on mp.weixin.qq.com). */
  articleUrl(article: ModelArticle): string;
  /** Publish a new article at the head (newest) of an album; returns it. */
  grow(album?: number): ModelArticle;
  close(): Promise<void>;
}

export interface AlbumServerOptions {
  /** Albums (default 2). */
  albums?: number;
  /** Articles per album (default 7). */
  articles?: number;
  /** All albums of one account (default: one account per album). */
  oneAccount?: boolean;
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
    for (let j = 0; j < (options.articles ?? 7); j++) addArticle(albums, a, j % 4 === 3);
  }
  return albums;
}

/** Add an article at the album's head; `second`: as the second article (idx 2) of the newest message. */
function addArticle(albums: ModelAlbum[], a: number, second = false): ModelArticle {
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
    createTime: prev ? prev.createTime + (second ? 0 : 86400) : 1700000000 + a * 600,
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
  const count = Math.min(100, Math.max(1, Number(q.get('count')) || 10));
  let start = 0;
  const msgid = q.get('begin_msgid');
  if (msgid) {
    const at = order.findIndex((a) => a.mid === msgid && a.idx === (q.get('begin_itemidx') ?? '1'));
    start = at < 0 ? order.length : at + 1;
  }
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

function articleHtml(al: ModelAlbum, a: ModelArticle, suffix: string, next?: ModelAlbum): string {
  const link = articleUrl(a).replace(/&/g, '&amp;');
  const title = `${a.title}${suffix}`;
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta property="og:title" content="${escapeHtml(title)}"><meta property="og:url" content="${link}">
<meta property="og:image" content="${escapeHtml(a.cover)}"></head><body>
<h1 class="rich_media_title" id="activity-name">${escapeHtml(title)}</h1>
<a id="js_name">${escapeHtml(al.nickname)}</a>
<div class="rich_media_content" id="js_content" style="visibility: hidden;"><p>${escapeHtml(a.title)}：正文第一段。</p><p>第二段。</p></div>
<script>
var biz = "${a.biz}" || "";
var mid = "${a.mid}" || "" || "";
var idx = "${a.idx}" || "" || "";
var sn = "${a.sn}" || "" || "";
var ct = "${a.createTime + 23}";
var msg_title = ${js(title)};
var nickname = ${js(al.nickname)};
var user_name = ${js(al.userName)};
var msg_link = "${link}";
var album_info_list = [
  ${[al, ...(next ? [next] : [])].map(albumInfo).join(',\n  ')},
];
</script></body></html>`;
}

export async function startAlbumServer(options: AlbumServerOptions = {}): Promise<AlbumServer> {
  const albums = buildModel(options);
  const faults: AlbumServerFaults = {
    latencyMs: options.latencyMs ?? 0,
    html: 0,
    ret: 0,
    retValue: -1,
    redirect: 0,
    redirectTo: '/mp/wappoc_appmsgcaptcha?poc_token=test&target_url=x',
    growOnList: 0,
    malformed: 0,
    ignoreReverse: false,
    falseContinue: false,
    pageTitleSuffix: '',
    nameNextAlbum: false,
  };
  const counts: AlbumServerCounts = { list: 0, albumPage: 0, article: 0, other: 0 };
  const requests: string[] = [];

  const send = (res: ServerResponse, status: number, type: string, body: string): void =>
    void res.writeHead(status, { 'content-type': `${type}; charset=utf-8` }).end(body);
  const json = (res: ServerResponse, body: unknown): void => send(res, 200, 'application/json', JSON.stringify(body));

  function list(res: ServerResponse, q: URLSearchParams, al: ModelAlbum | undefined, a: number): void {
    counts.list++;
    if (faults.html > 0) {
      faults.html--;
      return void send(res, 200, 'text/html', VERIFY_HTML);
    }
    if (faults.ret > 0) {
      faults.ret--;
      return void json(res, { base_resp: { ret: faults.retValue, errmsg: 'freq control' } });
    }
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
        (al) => al.albumId === q.get('album_id') && (!q.get('__biz') || q.get('__biz') === al.biz),
      );
      const al = albums[a];
      if (q.get('f') === 'json') return void list(res, q, al, a);
      counts.albumPage++;
      if (!al) return void send(res, 404, 'text/plain', 'no such album');
      return void send(res, 200, 'text/html', albumHtml(al));
    }
    if (url.pathname === '/s') {
      counts.article++;
      for (const al of albums) {
        const a = al.articles.find(
          (x) => x.sn === q.get('sn') && x.biz === q.get('__biz') && x.mid === q.get('mid') && x.idx === q.get('idx'),
        );
        if (!a) continue;
        const next = albums[albums.indexOf(al) + 1];
        const named = faults.nameNextAlbum && next?.biz === al.biz ? next : undefined;
        return void send(res, 200, 'text/html', articleHtml(al, a, faults.pageTitleSuffix, named));
      }
      return void send(res, 404, 'text/plain', 'no such article');
    }
    counts.other++;
    send(res, 404, 'text/plain', 'not found');
  }

  const server = createServer((req, res) => {
    requests.push(req.url ?? '/');
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
    albumUrl: (a) => albumLink(albums[a]!).replace('#wechat_redirect', ''),
    articleUrl,
    grow: (a = 0) => addArticle(albums, a),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

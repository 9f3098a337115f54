/**
 * The index page, a dashboard a person keeps open on a phone or a desktop: every feed with its subscribe links, item
 * count, newest article and live-fetch state; the newest articles across every feed; feed autodiscovery links.
 *
 * Plain HTML that works without JavaScript (every feed and link is in the markup, newest first), and one small
 * inline script that adds search, sort and copy-link buttons. Nothing is loaded from anywhere: the page carries a
 * Content-Security-Policy that allows only its own style and scripts (by hash) and no request at all. Text from
 * outside (titles, account names, fetch errors) is escaped; only http(s) article links become links; the script
 * reads its texts from a JSON block with `<` escaped and never puts data into markup. With `server.token` set, it also
 * carries the management panel (manage-page.ts, manage-script.ts), whose script may call the page's own origin only.
 */
import { createHash } from 'node:crypto';
import { escapeDocument } from '../content/escape.js';
import { dateTimeOf, clockOf, type IndexCooldown, type IndexPace, isoOf, type LiveState } from './dashboard-data.js';
import { DEFAULT_LANGUAGE, type FeedLanguage, type IndexTexts, type Messages, messages } from './messages.js';
import { MANAGE_CSS, manageHint, managePanel, manageSettings } from './manage-page.js';
import { MANAGE_SCRIPT } from './manage-script.js';
import { shanghaiDay } from '../time.js';

/** One feed on the page. */
export interface IndexEntry {
  slug: string;
  title: string;
  items: number;
  /** The feed's folder URL (`<baseUrl><slug>/`). */
  base: string;
  newestTitle?: string;
  newestLink?: string;
  newestDate?: number;
  /** An album (合集) or homepage (主页) of an account: shown with its last poll. */
  kind?: 'album';
  /** When the album's list was last read; null: not yet. */
  lastPoll?: number | null;
  /** When it is next polled (in the past: at the next build). */
  nextPoll?: number;
  /** Its polls fail: since when, and the last reason. */
  failing?: { since: number; reason?: string };
  live?: LiveState;
}

/** A followed album or homepage whose polls fail, shown at the top of the page (it may have no feed to show it). */
export interface TroubledList {
  title: string;
  /** The list's own URL. */
  url: string;
  since: number;
  reason?: string;
  nextPoll: number;
  /** Failing for 7 days: the command that unfollows it. */
  unfollow?: string;
}

/** One of the newest articles across every feed, with the feed it is shown under. */
export interface LatestArticle {
  title: string;
  link: string;
  date: number;
  feed?: { slug: string; title: string };
}

/** Everything the index page shows. */
export interface IndexPage {
  title: string;
  baseUrl: string;
  /** `feed.language`; `zh-CN` when left out. */
  language?: FeedLanguage;
  all: IndexEntry;
  entries: readonly IndexEntry[];
  latest: readonly LatestArticle[];
  /** A cool-down in force when the page was written. */
  cooldown?: IndexCooldown;
  /** The request pace, when it was slowed (after WeChat refused us) as the page was written (`indexPace`). */
  pace?: IndexPace;
  /** Followed lists whose polls fail. */
  trouble?: readonly TroubledList[];
  /** `server.token` is set: the page carries the management panel (its script finds out if the server offers it). */
  manage?: boolean;
}

const esc = escapeDocument;

/** Only http(s) links are followed from the page: an archive may hold any URL (`javascript:`, `urn:`…). */
function safeHref(link: string | undefined): string | undefined {
  return link && /^https?:\/\/[^\s]/i.test(link) ? link : undefined;
}

const time = (ms: number, text: string): string => `<time datetime="${isoOf(ms)}">${text}</time>`;

/** Newest article first; feeds without one last; then by slug (stable, and independent of any collation). */
function newestFirst(entries: readonly IndexEntry[]): IndexEntry[] {
  return [...entries].sort(
    (a, b) =>
      (b.newestDate ?? Number.NEGATIVE_INFINITY) - (a.newestDate ?? Number.NEGATIVE_INFINITY) ||
      (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0),
  );
}

function liveText(s: Exclude<LiveState, { kind: 'cooldown' }>, t: IndexTexts): { kind: string; text: string } {
  return s.kind === 'ok'
    ? { kind: 'ok', text: `${t.liveOk} · ${dateTimeOf(s.at)}` }
    : { kind: 'fail', text: t.liveFailing(dateTimeOf(s.since)) };
}

function liveChip(s: LiveState | undefined, t: IndexTexts): string {
  if (!s) return '';
  if (s.kind === 'cooldown') {
    const after = liveText(s.after, t);
    return `<span class="st cool" data-until="${s.until}" data-after="${esc(after.text)}" data-after-kind="${after.kind}">${esc(t.liveCooldown(clockOf(s.until)))}</span>`;
  }
  if (s.kind === 'ok') return `<span class="st ok">${esc(t.liveOk)} · ${time(s.at, dateTimeOf(s.at))}</span>`;
  const why = s.reason ? ` title="${esc(s.reason)}"` : '';
  const text = esc(t.liveFailing('{when}')).replace('{when}', time(s.since, dateTimeOf(s.since)));
  return `<span class="st fail"${why}>${text}</span>`;
}

/** A next poll as the page says it: its time (a time past means at the next build; the page is static). */
const nextPollText = (at: number): string => time(at, dateTimeOf(at));

function pollChip(e: IndexEntry, t: IndexTexts): string {
  if (e.kind !== 'album') return '';
  if (e.lastPoll === undefined) return '';
  const last =
    e.lastPoll === null
      ? `<span class="st poll">${esc(t.never)}</span>`
      : `<span class="st poll">${esc(t.lastPoll)} ${time(e.lastPoll, dateTimeOf(e.lastPoll))}</span>`;
  const failing = e.failing
    ? `<span class="st fail"${e.failing.reason ? ` title="${esc(e.failing.reason)}"` : ''}>${esc(t.pollFailing('{when}')).replace('{when}', time(e.failing.since, dateTimeOf(e.failing.since)))}</span>`
    : '';
  const next =
    e.nextPoll !== undefined ? `<span class="st poll">${esc(t.nextPoll)} ${nextPollText(e.nextPoll)}</span>` : '';
  return `${last}${failing}${next}`;
}

/** The followed lists whose polls fail, each with its reason, since when, its next poll, and how to stop it. */
function troubleSection(trouble: readonly TroubledList[] | undefined, t: IndexTexts): string {
  if (!trouble?.length) return '';
  const item = (l: TroubledList): string => {
    const href = safeHref(l.url);
    const name = href ? `<a href="${esc(href)}">${esc(l.title)}</a>` : esc(l.title);
    const since = esc(t.pollFailing('{when}')).replace('{when}', time(l.since, dateTimeOf(l.since)));
    const why = l.reason ? `<br><span class="mute">${esc(t.troubleReason)}</span>${esc(l.reason)}` : '';
    const next = ` · ${esc(t.nextPoll)} ${nextPollText(l.nextPoll)}`;
    const stop = l.unfollow ? `<br>${esc(t.probablyDeleted)} <code>${esc(l.unfollow)}</code>` : '';
    return `<li>${name} · ${since}${next}${why}${stop}</li>`;
  };
  return `
      <section class="card trouble" id="wxTrouble">
        <h2>${esc(t.troubleHeading(trouble.length))}</h2>
        <ul>${trouble.map(item).join('')}</ul>
      </section>`;
}

function newestLine(e: IndexEntry, t: IndexTexts): string {
  if (!e.newestTitle) return '';
  const href = safeHref(e.newestLink);
  const title = href ? `<a href="${esc(href)}">${esc(e.newestTitle)}</a>` : `<span>${esc(e.newestTitle)}</span>`;
  const date = e.newestDate !== undefined ? ` ${time(e.newestDate, shanghaiDay(e.newestDate))}` : '';
  return `<p class="newest"><span class="mute">${esc(t.newest)}</span>${title}${date}</p>`;
}

function links(e: IndexEntry, opml?: string): string {
  const a = (file: string, label: string) => `<a href="${esc(`${e.base}${file}`)}">${label}</a>`;
  const extra = opml ? `<a href="${esc(opml)}">OPML</a>` : '';
  return `<p class="links">${a('atom.xml', 'Atom')}${a('rss.xml', 'RSS')}${a('feed.json', 'JSON')}${extra}</p>`;
}

function feedItem(e: IndexEntry, t: IndexTexts): string {
  const badge = e.kind === 'album' ? `<span class="badge">${esc(t.album)}</span>` : '';
  const state = `${liveChip(e.live, t)}${pollChip(e, t)}`;
  return `<li class="feed" id="${esc(e.slug)}" data-date="${e.newestDate ?? 0}" data-count="${e.items}">
<div class="head"><h3>${esc(e.title)}</h3>${badge}<span class="count">${esc(t.articles(e.items))}</span>${state}</div>
${newestLine(e, t)}${links(e)}
</li>`;
}

function latestItem(a: LatestArticle): string {
  const href = safeHref(a.link);
  const title = href ? `<a href="${esc(href)}">${esc(a.title)}</a>` : `<span>${esc(a.title)}</span>`;
  const feed = a.feed
    ? `<a class="acct" href="#${esc(encodeURIComponent(a.feed.slug))}">${esc(a.feed.title)}</a> · `
    : '';
  return `<li>${title}<div class="mute">${feed}${time(a.date, shanghaiDay(a.date))}</div></li>`;
}

function banner(c: IndexCooldown | undefined, t: IndexTexts): string {
  if (!c) return '';
  const until = dateTimeOf(c.until);
  const text =
    c.reason === 'unreachable'
      ? t.pausedUnreachable(until)
      : c.reason === 'refused'
        ? t.pausedRefused(until)
        : t.pausedCaptcha(until);
  return `\n      <p class="banner" role="status" data-until="${c.until}">${esc(text)}</p>`;
}

/** One line under the banner while the pace is slowed; it stays after a cool-down ends (the pace recovers later). */
function paceLine(p: IndexPace | undefined, t: IndexTexts): string {
  return p ? `\n      <p class="pace mute">${esc(t.pace(p.seconds, p.multiplier))}</p>` : '';
}

/** JSON for a `<script type="application/json">` block: nothing in it can end the element or start markup. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const CSS = `:root{color-scheme:light dark;--bg:#f4f5f7;--card:#fff;--fg:#1c1e21;--mute:#5d646d;--line:#dfe2e6;--acc:#0a5fc2;--pill:#eef3fa;--ok:#1a7f37;--warn:#8a5a00;--bad:#c0262d}
@media (prefers-color-scheme:dark){:root{--bg:#0e1013;--card:#171a1f;--fg:#e4e6e9;--mute:#99a1ab;--line:#2a2f37;--acc:#7cb6ff;--pill:#1d2633;--ok:#5cc46e;--warn:#e3b341;--bad:#ff7b72}}
*{box-sizing:border-box}[hidden]{display:none!important}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.55 system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;-webkit-text-size-adjust:100%}
a{color:var(--acc);text-decoration:none}a:hover{text-decoration:underline}
h1{font-size:1.5rem;margin:0 0 .2rem;overflow-wrap:anywhere}h2{font-size:1.1rem;margin:0 0 .6rem}h3{font-size:1.02rem;margin:0;overflow-wrap:anywhere}
p{margin:.3rem 0}time,.count,.st,.badge{white-space:nowrap}
.wrap{max-width:76rem;margin:0 auto;padding:1rem}
.mute,.count{color:var(--mute);font-size:.875rem}
.jump a{margin-right:.9rem}
.banner{border:1px solid var(--warn);color:var(--warn);border-radius:.5rem;padding:.5rem .8rem}
.card,.feed{background:var(--card);border:1px solid var(--line);border-radius:.7rem;padding:.75rem .9rem}
.card{margin-top:.8rem}.card .badge{background:var(--acc);color:var(--card)}
.grid{display:grid;gap:1.2rem;align-items:start}
@media (min-width:62rem){.grid{grid-template-columns:minmax(0,1fr) 22rem}#wxLatest{position:sticky;top:.8rem;max-height:calc(100vh - 1.6rem);overflow:auto}}
#wxTools{position:sticky;top:0;z-index:1;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;background:var(--bg);padding:.5rem 0 .6rem}
html:not(.js) #wxTools{display:none}
#wxQ{flex:1 1 15rem;min-width:0;font:inherit;padding:.5rem .75rem;border:1px solid var(--line);border-radius:.55rem;background:var(--card);color:inherit}
#wxQ:focus,select:focus{outline:2px solid var(--acc);outline-offset:-1px}
@media (max-width:40rem){#wxQ{flex-basis:100%}}
select{font:inherit;padding:.45rem .5rem;border:1px solid var(--line);border-radius:.55rem;background:var(--card);color:inherit}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.feeds{list-style:none;margin:0;padding:0;display:grid;gap:.6rem}
.feed{content-visibility:auto;contain-intrinsic-size:auto 8rem;scroll-margin-top:4rem}.feed:target{border-color:var(--acc);box-shadow:0 0 0 2px var(--acc)}
.head{display:flex;flex-wrap:wrap;align-items:baseline;gap:.15rem .7rem}
.newest{overflow-wrap:anywhere}.newest time{margin-left:.4rem;color:var(--mute);font-size:.875rem}
.badge{font-size:.75rem;border-radius:1rem;padding:0 .5rem;background:var(--pill);color:var(--acc)}
.st{font-size:.8rem}.st::before{content:"";display:inline-block;width:.5rem;height:.5rem;border-radius:50%;margin-right:.3rem;background:currentColor;vertical-align:.05rem}
.ok{color:var(--ok)}.cool{color:var(--warn)}.fail{color:var(--bad)}.poll{color:var(--mute)}
.links{display:flex;flex-wrap:wrap;gap:.4rem;margin:.45rem 0 0}
@media (min-width:48rem){#wxList .feed{display:grid;grid-template-columns:minmax(0,1fr) auto;column-gap:1rem;align-items:center}#wxList .feed>:not(.links){grid-column:1}#wxList .links{grid-column:2;grid-row:1/span 2;margin:0}}
.links a,.copy{font:inherit;font-size:.85rem;line-height:1.2;padding:.35rem .7rem;border-radius:1rem;background:var(--pill);color:var(--acc);border:0;text-decoration:none;cursor:pointer}
.copy{background:none;border:1px solid var(--line)}
#wxLatest ol{margin:0;padding:0 0 0 1.6rem}#wxLatest li{margin:0 0 .55rem;overflow-wrap:anywhere}#wxLatest li::marker{color:var(--mute);font-size:.8rem}
#wxLatest{background:var(--card);border:1px solid var(--line);border-radius:.7rem;padding:.8rem .9rem}
@media (max-width:30rem){.wrap{padding:.75rem}h1{font-size:1.3rem}}`;

const HEAD_SCRIPT = "document.documentElement.classList.add('js')";

/** The enhancements: search, sort (remembered), copy-link, cool-downs that end while the page is open. */
const SCRIPT = `(() => {
  const d = document;
  const T = JSON.parse(d.getElementById('wxText').textContent);
  const list = d.getElementById('wxList');
  const q = d.getElementById('wxQ');
  const sort = d.getElementById('wxSort');
  const shown = d.getElementById('wxShown');
  const none = d.getElementById('wxNone');
  const coll = new Intl.Collator(d.documentElement.lang, { numeric: true, sensitivity: 'base' });
  const norm = (s) => s.normalize('NFKC').toLowerCase();
  const num = new Intl.NumberFormat('en-US');
  const button = d.createElement('button');
  button.type = 'button';
  button.className = 'copy';
  button.title = T.copyTitle;
  button.textContent = T.copy;
  for (const p of d.querySelectorAll('.links')) p.append(button.cloneNode(true));
  const until = [...d.querySelectorAll('[data-until]')];
  const rows = Array.from(list.children, (li) => {
    const name = li.querySelector('h3').textContent;
    return { li, name, key: norm(name + ' ' + li.id), date: Number(li.dataset.date) || 0, count: Number(li.dataset.count) || 0 };
  });
  const byName = (a, b) => coll.compare(a.name, b.name);
  const orders = {
    newest: (a, b) => b.date - a.date || byName(a, b),
    name: byName,
    count: (a, b) => b.count - a.count || byName(a, b),
  };
  // Feeds that do not match are taken out of the list rather than hidden: far less style work for the browser.
  let current = rows.slice();
  const render = () => {
    const words = norm(q.value).split(/\\s+/).filter(Boolean);
    const hits = words.length ? rows.filter((r) => words.every((w) => r.key.includes(w))) : rows.slice();
    if (hits.length !== current.length || hits.some((r, i) => r !== current[i])) {
      list.replaceChildren(...hits.map((r) => r.li));
      current = hits;
    }
    shown.textContent = T.shown.replace('{n}', num.format(hits.length)).replace('{total}', num.format(rows.length));
    none.hidden = hits.length > 0;
  };
  const order = () => {
    rows.sort(orders[sort.value] || orders.newest);
    render();
  };
  q.addEventListener('input', render);
  sort.addEventListener('change', () => {
    order();
    try { localStorage.setItem('wxfeed-sort', sort.value); } catch {}
  });
  let saved = null;
  try { saved = localStorage.getItem('wxfeed-sort'); } catch {}
  if (saved && saved !== sort.value && orders[saved]) { sort.value = saved; order(); }
  else render();
  d.addEventListener('keydown', (e) => {
    const t = d.activeElement;
    if (e.key === '/' && !e.ctrlKey && !e.metaKey && !(t && /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName))) {
      e.preventDefault();
      q.focus();
    } else if (e.key === 'Escape' && t === q && q.value) {
      q.value = '';
      render();
    }
  });
  // A link to a feed the search has taken out of the list (the newest articles name their feed): clear the search.
  addEventListener('hashchange', () => {
    const id = decodeURIComponent(location.hash.slice(1));
    const r = rows.find((x) => x.li.id === id);
    if (r && !r.li.isConnected) { q.value = ''; render(); r.li.scrollIntoView(); }
  });
  d.addEventListener('click', async (e) => {
    const b = e.target instanceof Element ? e.target.closest('button.copy') : null;
    if (!b) return;
    const url = b.parentElement.querySelector('a').href;
    let ok = false;
    try { await navigator.clipboard.writeText(url); ok = true; } catch {
      const t = d.createElement('textarea');
      t.value = url;
      t.setAttribute('readonly', '');
      t.className = 'vh';
      d.body.append(t);
      t.select();
      try { ok = d.execCommand('copy'); } catch {}
      t.remove();
    }
    b.textContent = ok ? T.copied : T.copyFailed;
    clearTimeout(b.wxTimer);
    b.wxTimer = setTimeout(() => { b.textContent = T.copy; }, 2000);
    if (!ok) prompt(T.copy, url);
  });
  // A cool-down that ends while the page is open: the state after it, and no banner.
  const tick = () => {
    for (const el of until) {
      if (!el.dataset.until || Number(el.dataset.until) > Date.now()) continue;
      el.removeAttribute('data-until');
      if (el.dataset.after) { el.textContent = el.dataset.after; el.className = 'st ' + el.dataset.afterKind; }
      else el.hidden = true;
    }
  };
  tick();
  setInterval(tick, 60000);
})();`;

const hashOf = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
/** Nothing but the page's own style and two scripts; no request of any kind (the icon is empty). */
const CSP = `default-src 'none'; style-src ${hashOf(CSS)}; script-src ${hashOf(HEAD_SCRIPT)} ${hashOf(SCRIPT)}; img-src data:; base-uri 'none'; form-action 'none'`;
/** With the management panel: its style and script too, and requests to the page's own origin (the API) only. */
const MANAGE_CSP = `default-src 'none'; style-src ${hashOf(CSS + MANAGE_CSS)}; script-src ${hashOf(HEAD_SCRIPT)} ${hashOf(SCRIPT)} ${hashOf(MANAGE_SCRIPT)}; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'`;

/** The management panel's settings and texts, and its script. */
function manageScripts(m: Messages, baseUrl: string): string {
  return `
    <script type="application/json" id="wxManageText">${scriptJson(manageSettings(m, baseUrl))}</script>
    <script>${MANAGE_SCRIPT}</script>`;
}

/** The index page's HTML. */
export function renderIndex(page: IndexPage): string {
  const language = page.language ?? DEFAULT_LANGUAGE;
  const m = messages(language);
  const t = m.index;
  const { all, entries } = page;
  const autodiscovery = [all, ...entries]
    .map(
      (e) =>
        `<link rel="alternate" type="application/atom+xml" title="${esc(e.title)}" href="${esc(`${e.base}atom.xml`)}">`,
    )
    .join('\n    ');
  const opml = `${page.baseUrl}feeds.opml`;
  // Album feeds repeat their accounts' articles: they have an OPML of their own, named only when there are some.
  const albumsOpml = entries.some((e) => e.kind === 'album')
    ? `${esc(t.albumsOpmlBefore)}<a href="${esc(`${page.baseUrl}albums.opml`)}">albums.opml</a>${esc(t.albumsOpmlAfter)}`
    : '';
  const texts = {
    shown: t.shown,
    copy: t.copy,
    copyTitle: t.copyTitle,
    copied: t.copied,
    copyFailed: t.copyFailed,
  };
  const latest =
    page.latest.length > 0
      ? `<ol>\n${page.latest.map(latestItem).join('\n')}\n</ol>`
      : `<p class="mute">${esc(t.noLatest)}</p>`;
  return `<!doctype html>
<html lang="${language}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta http-equiv="Content-Security-Policy" content="${page.manage ? MANAGE_CSP : CSP}">
    <meta name="color-scheme" content="light dark">
    <meta name="referrer" content="no-referrer">
    <title>${esc(page.title)}</title>
    <link rel="icon" href="data:,">
    ${autodiscovery}
    <style>${page.manage ? CSS + MANAGE_CSS : CSS}</style>
    <script>${HEAD_SCRIPT}</script>
  </head>
  <body>
    <header class="wrap">
      <h1>${esc(page.title)}</h1>
      <p class="mute">${esc(t.feeds(entries.length))} · ${esc(t.articles(all.items))}</p>
      <p class="jump"><a href="#wxLatest">${esc(t.jumpLatest)}</a><a href="#wxFeeds">${esc(t.jumpFeeds)}</a></p>${banner(page.cooldown, t)}${paceLine(page.pace, t)}${page.manage ? managePanel(m) : ''}${troubleSection(page.trouble, t)}
      <section class="card" id="${esc(all.slug)}">
        <div class="head"><h2>${esc(all.title)}</h2><span class="badge">${esc(t.everything)}</span><span class="count">${esc(t.articles(all.items))}</span></div>
        <p>${esc(t.intro)}${esc(t.opmlBefore)}<a href="${esc(opml)}">feeds.opml</a>${esc(t.opmlAfter)}${albumsOpml}</p>
        ${newestLine(all, t)}${links(all, opml)}
      </section>
    </header>
    <div class="wrap grid">
      <main id="wxFeeds">
        <h2>${esc(t.feedsHeading)}</h2>
        <div id="wxTools" role="search">
          <label class="vh" for="wxQ">${esc(t.searchLabel)}</label><input id="wxQ" type="search" placeholder="${esc(t.search)}" autocomplete="off" spellcheck="false">
          <label class="mute" for="wxSort">${esc(t.sortLabel)}</label><select id="wxSort"><option value="newest">${esc(t.sortNewest)}</option><option value="name">${esc(t.sortName)}</option><option value="count">${esc(t.sortCount)}</option></select>
          <output id="wxShown" class="mute" for="wxQ" aria-live="polite"></output>
        </div>
        <p id="wxNone" class="mute" hidden>${esc(t.noMatch)}</p>
        <ul class="feeds" id="wxList">
${newestFirst(entries)
  .map((e) => feedItem(e, t))
  .join('\n')}
        </ul>
      </main>
      <aside id="wxLatest">
        <h2>${esc(t.latestHeading(page.latest.length))}</h2>
        ${latest}
      </aside>
    </div>${page.manage ? '' : manageHint(m)}
    <script type="application/json" id="wxText">${scriptJson(texts)}</script>
    <script>${SCRIPT}</script>${page.manage ? manageScripts(m, page.baseUrl) : ''}
  </body>
</html>
`;
}

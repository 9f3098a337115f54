/**
 * The index page's management panel: its markup (hidden until the page's script has asked the server), its style,
 * and the texts and settings its script reads (manage-script.ts). The page stays a static file: whether the server
 * offers management is found out in the browser, by `GET <base>api/status` (401: sign in; 200: signed in; anything
 * else: read-only). Pure.
 */
import { escapeDocument as esc } from '../content/escape.js';
import { type FetchResult, isFailedResult } from '../states.js';
import type { Messages } from './messages.js';

/** Every result a URL's last fetch can have (the type makes this list whole), to tell the script which failed. */
const FETCH_RESULTS: Readonly<Record<FetchResult, true>> = {
  ok: true,
  deleted: true,
  blocked: true,
  migrated: true,
  expired: true,
  captcha: true,
  unavailable: true,
  error: true,
};

/** The panel, hidden: the script shows it, and the sign-in form or the panel, once it knows what the server says. */
export function managePanel(m: Messages): string {
  const t = m.manage;
  return `
      <section class="card" id="wxManage" aria-labelledby="wxmH" hidden>
        <div class="head"><h2 id="wxmH">${esc(t.heading)}</h2><button type="button" class="mbtn" id="wxmOut" hidden>${esc(t.signOut)}</button></div>
        <p id="wxmState" class="mute" role="status" aria-live="polite"></p>
        <form id="wxmIn" hidden><input name="username" autocomplete="username" value="wxfeed" hidden><label for="wxmToken">${esc(t.tokenLabel)}</label><input id="wxmToken" name="token" type="password" autocomplete="current-password" required><button type="submit" class="mbtn pri">${esc(t.signIn)}</button></form>
        <div id="wxmPanel" hidden>
          <p id="wxmCool" class="banner" role="alert" hidden></p>
          <div class="mrow"><p id="wxmCycle" class="mute" aria-live="polite"></p><button type="button" class="mbtn" id="wxmRefresh">${esc(t.refresh)}</button></div>
          <form id="wxmFollow"><label for="wxmText"><strong>${esc(t.followLabel)}</strong> <span class="mute" id="wxmHint">${esc(t.followHint)}</span></label><textarea id="wxmText" rows="3" aria-describedby="wxmHint" autocomplete="off" spellcheck="false"></textarea><button type="submit" class="mbtn pri">${esc(t.follow)}</button></form>
          <ul id="wxmResults" aria-live="polite"></ul>
          <p id="wxmNote" role="status" aria-live="polite"></p>
          <p id="wxmStale" hidden>${esc(t.stale)} <button type="button" class="mbtn" id="wxmReload">${esc(t.reload)}</button></p>
          <h3 class="mh">${esc(t.followingHeading)}</h3>
          <ul id="wxmList"></ul>
        </div>
      </section>`;
}

/** The line a page without `server.token` shows instead of the panel. */
export function manageHint(m: Messages): string {
  const code = (s: string) => `<code>${esc(s)}</code>`;
  const text = esc(m.index.manageHint('{key}', '{daemon}', '{serve}'))
    .replace('{key}', code('server.token'))
    .replace('{daemon}', code('wxfeed daemon'))
    .replace('{serve}', code('wxfeed serve'));
  return `\n    <footer class="wrap mute"><p>${text}</p></footer>`;
}

/**
 * What the script reads: the API's base path (the server serves output/ and the API under baseUrl's path, whatever
 * address the page was opened at) and every text it writes.
 */
export function manageSettings(m: Messages, baseUrl: string): object {
  const i = m.index;
  return {
    base: new URL(baseUrl).pathname.replace(/\/?$/, '/'),
    failed: (Object.keys(FETCH_RESULTS) as FetchResult[]).filter(isFailedResult),
    texts: {
      ...m.manage,
      album: i.album,
      cooldown: {
        captcha: i.pausedCaptcha('{until}'),
        refused: i.pausedRefused('{until}'),
        unreachable: i.pausedUnreachable('{until}'),
      },
      coolChip: i.liveCooldown('{until}'),
      probablyDeleted: i.probablyDeleted,
      copy: i.copy,
    },
  };
}

/** The panel's style, after the page's (its colours and pills). */
export const MANAGE_CSS = `
#wxManage label{display:block;margin:.5rem 0 .25rem}
#wxManage input,#wxManage textarea{display:block;width:100%;font:inherit;padding:.5rem .7rem;border:1px solid var(--line);border-radius:.55rem;background:var(--bg);color:inherit}
#wxManage textarea{min-height:5.5rem;resize:vertical;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85rem}
#wxManage :focus-visible{outline:2px solid var(--acc);outline-offset:1px}
.mbtn{font:inherit;font-size:.875rem;padding:.4rem .85rem;margin:.45rem .4rem 0 0;border-radius:1rem;border:1px solid var(--line);background:var(--card);color:var(--acc);cursor:pointer}
.mbtn.pri{background:var(--acc);border-color:var(--acc);color:var(--card)}.mbtn.bad{color:var(--bad)}
.mbtn:disabled{opacity:.6;cursor:progress}
.mrow{display:flex;flex-wrap:wrap;align-items:baseline;gap:0 .8rem}#wxmCycle{flex:1 1 12rem}
.mh{margin-top:1rem}
#wxmResults,#wxmList,#wxmList ul{list-style:none;margin:.4rem 0;padding:0}
#wxmResults li{overflow-wrap:anywhere;margin:.2rem 0}#wxmResults code{font-size:.85rem}
#wxmList>li{border-top:1px solid var(--line);padding:.6rem 0}
#wxmList ul li{margin:.45rem 0 0 .8rem;padding-left:.7rem;border-left:2px solid var(--line);overflow-wrap:anywhere}
#wxmList .links{margin:.3rem 0}.mchips{display:flex;flex-wrap:wrap;gap:0 .8rem}
.murl{font-size:.85rem;overflow-wrap:anywhere}
#wxmNote{white-space:pre-line;overflow-wrap:anywhere}#wxmNote:empty,#wxmState:empty{display:none}`;

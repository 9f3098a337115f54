/**
 * The management panel's script, run under the page's strict CSP (by hash; `connect-src 'self'`): it asks
 * `<base>api/status` whether the server offers management, then signs in (a POST of the token for a session cookie:
 * never a URL or storage), follows pasted links, unfollows, refreshes, and renders what is followed from
 * `GET api/follows`. Every text from outside is set with textContent; only http(s) URLs become links.
 */

/** The script, as the page carries it (plain ES2020: no framework, no module, no request but to the API). */
export const MANAGE_SCRIPT = `(() => {
  const d = document;
  const C = JSON.parse(d.getElementById('wxManageText').textContent);
  const T = C.texts;
  const $ = (id) => d.getElementById(id);
  const box = $('wxManage');
  const state = $('wxmState');
  const signin = $('wxmIn');
  const token = $('wxmToken');
  const out = $('wxmOut');
  const panel = $('wxmPanel');
  const cool = $('wxmCool');
  const cycle = $('wxmCycle');
  const refresh = $('wxmRefresh');
  const follow = $('wxmFollow');
  const text = $('wxmText');
  const results = $('wxmResults');
  const note = $('wxmNote');
  const list = $('wxmList');
  const stale = $('wxmStale');
  // The feeds the page was written with: one published since is not in its list until the page is loaded again.
  const cards = new Set(Array.from(d.querySelectorAll('#wxList > li.feed'), (li) => li.id));
  const fill = (s, v) => s.replace(/\\{(\\w+)\\}/g, (m, k) => (v[k] === undefined ? m : String(v[k])));
  // Beijing time, as the rest of the page and the feeds give it.
  const when = (t) => {
    const ms = typeof t === 'number' ? t : Date.parse(t);
    if (!Number.isFinite(ms)) return '';
    const s = new Date(ms + 288e5).toISOString();
    return s.slice(0, 10) + ' ' + s.slice(11, 16);
  };
  const el = (tag, cls, txt) => {
    const e = d.createElement(tag);
    if (cls) e.className = cls;
    if (txt !== undefined && txt !== null) e.textContent = String(txt);
    return e;
  };
  const str = (v) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
  let sources = new Map();
  let coolUntil = 0;
  let lastEnded;
  let timer = 0;

  async function call(method, path, body) {
    const init = { method, credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json' } };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(C.base + 'api/' + path, init);
    } catch {
      return { status: 0, data: null, retry: '' };
    }
    let data = null;
    try {
      const raw = await res.text();
      data = (res.headers.get('content-type') || '').includes('json') ? JSON.parse(raw) : raw ? { error: raw } : null;
    } catch {}
    return { status: res.status, data, retry: res.headers.get('retry-after') || '' };
  }
  const errorOf = (r) => {
    if (r.status === 0) return T.offline;
    const e = r.data && (r.data.error || r.data.message);
    return fill(T.failed, { error: typeof e === 'string' ? e : 'HTTP ' + r.status });
  };
  const say = (msg, bad) => {
    note.textContent = msg;
    note.className = bad ? 'fail' : '';
  };

  function view(name, message) {
    box.hidden = false;
    state.textContent = message || '';
    signin.hidden = name !== 'signin';
    panel.hidden = name !== 'panel';
    out.hidden = name !== 'panel';
    if (name !== 'panel') {
      clearTimeout(timer);
      timer = 0;
      for (const b of d.querySelectorAll('#wxList .wxm-unf')) b.remove();
    }
  }
  // A management call answered 401: the session ended (signed out elsewhere, a token change, a restart).
  const expired = (r) => {
    if (r.status !== 401) return false;
    view('signin', T.expired);
    token.focus();
    return true;
  };

  // The banner the page was written with: the panel's own, asked now, takes its place.
  const written = d.querySelector('header > p.banner');

  function applyStatus(s) {
    if (written) written.hidden = true;
    const c = s.cycle || {};
    const running = c.running === undefined ? s.running === true : c.running === true;
    const ended = c.lastEnded || (s.lastCycle && s.lastCycle.end);
    cycle.textContent = running ? T.cycleRunning : ended ? fill(T.cycleEnded, { when: when(ended) }) : '';
    const cd = s.pace && s.pace.cooldown;
    coolUntil = cd ? Date.parse(cd.until) : 0;
    if (cd && coolUntil > Date.now()) {
      cool.textContent = fill(T.cooldown[cd.reason] || T.cooldown.captcha, { until: when(coolUntil) });
      cool.hidden = false;
    } else {
      coolUntil = 0;
      cool.hidden = true;
    }
    sources = new Map((Array.isArray(s.sources) ? s.sources : []).map((f) => [f.slug, f]));
    return { running, ended };
  }

  // While a cycle runs (or one asked for has not ended yet), the status every few seconds; then what is followed.
  function watch(before) {
    clearTimeout(timer);
    let polls = 0;
    const tick = async () => {
      const r = await call('GET', 'status');
      if (expired(r)) return;
      if (r.status !== 200 || !r.data) { timer = setTimeout(tick, 5000); return; }
      const s = applyStatus(r.data);
      polls++;
      if (s.running || (s.ended === before && polls < 20)) { timer = setTimeout(tick, 2500); return; }
      timer = 0;
      lastEnded = s.ended;
      await loadFollows();
    };
    timer = setTimeout(tick, 1500);
  }

  async function start() {
    view('checking', T.checking);
    const r = await call('GET', 'status');
    if (r.status === 401) return view('signin');
    if (r.status !== 200 || !r.data || typeof r.data !== 'object') return view('readonly', T.readOnly);
    await signedIn(r.data);
  }

  async function signedIn(s) {
    view('panel');
    const st = applyStatus(s);
    lastEnded = st.ended;
    await loadFollows();
    if (st.running) watch(st.ended);
  }

  signin.addEventListener('submit', async (e) => {
    e.preventDefault();
    const button = signin.querySelector('button');
    button.disabled = true;
    const r = await call('POST', 'session', { token: token.value });
    button.disabled = false;
    if (r.status === 200 || r.status === 204) {
      token.value = '';
      const s = await call('GET', 'status');
      if (expired(s)) return;
      await signedIn(s.data || {});
      text.focus();
    } else if (r.status === 401) state.textContent = T.signInWrong;
    else if (r.status === 429)
      state.textContent = fill(T.signInLimited, { seconds: r.retry || (r.data && r.data.retryAfter) || 60 });
    else state.textContent = errorOf(r);
  });

  out.addEventListener('click', async () => {
    await call('DELETE', 'session');
    list.replaceChildren();
    results.replaceChildren();
    say('');
    view('signin', T.signedOut);
    token.focus();
  });

  const outcomes = { added: T.outcomeAdded, already: T.outcomeAlready, refused: T.outcomeRefused };
  follow.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!text.value.trim()) return;
    const button = follow.querySelector('button');
    button.disabled = true;
    const r = await call('POST', 'urls', { text: text.value });
    button.disabled = false;
    if (expired(r)) return;
    const data = r.data || {};
    const items = Array.isArray(data) ? data : Array.isArray(data.results) ? data.results : [];
    if (items.length === 0) return say(errorOf(r), true);
    results.replaceChildren(
      ...items.map((x) => {
        const li = el('li', x.outcome === 'refused' ? 'fail' : x.outcome === 'added' ? 'ok' : 'mute');
        li.append(el('span', 'badge', outcomes[x.outcome] || str(x.outcome)), ' ', el('code', '', str(x.input)));
        // What it became, when not what was pasted (https, &, no fragment).
        if (x.url && x.url !== x.input) li.append(' → ', el('code', '', str(x.url)));
        if (x.reason) li.append(' · ', el('span', '', str(x.reason)));
        return li;
      }),
    );
    // The refused lines stay in the box, to be corrected.
    text.value = items.filter((x) => x.outcome === 'refused').map((x) => str(x.input)).join('\\n');
    const c = data.cycle;
    const started = c === 'started' || (c && c.started === true) || data.started === true;
    const queued = c === 'queued' || (c && c.queued === true) || data.queued === true;
    if (started || queued) {
      say(started ? T.cycleStarted : T.cycleQueued);
      watch(lastEnded);
    } else say('');
    // What was added shows at once (under its account once a cycle has read it).
    if (items.some((x) => x.outcome === 'added')) await loadFollows();
    if (started || queued) cycle.textContent = T.cycleRunning;
  });

  refresh.addEventListener('click', async () => {
    const resume = coolUntil > Date.now();
    if (resume && !confirm(fill(T.refreshConfirm, { until: when(coolUntil) }))) return;
    refresh.disabled = true;
    const r = await call('POST', 'refresh', resume ? { resume: true } : {});
    refresh.disabled = false;
    if (expired(r)) return;
    if (r.status >= 200 && r.status < 300) {
      say(r.data && r.data.cycle === 'queued' ? T.cycleQueued : T.refreshStarted);
      cool.hidden = true;
      coolUntil = 0;
      cycle.textContent = T.cycleRunning;
      watch(lastEnded);
    } else if (r.status === 409) {
      say(errorOf(r));
      watch(lastEnded);
    } else say(errorOf(r), true);
  });

  async function loadFollows() {
    const r = await call('GET', 'follows');
    if (expired(r)) return;
    if (r.status !== 200 || !r.data) return say(errorOf(r), true);
    const f = r.data;
    if (f.cycle) applyStatus({ cycle: f.cycle, pace: f.pace, sources: [...sources.values()] });
    renderFollows(f);
  }

  // Atom, RSS and JSON links of a feed whose URL is its folder (or one of its files).
  function links(feed) {
    const p = el('p', 'links');
    const url = feed && str(feed.url);
    if (!/^https?:\\/\\//i.test(url)) return p;
    const folder = url.endsWith('/') ? url : url.slice(0, url.lastIndexOf('/') + 1);
    for (const [file, label] of [['atom.xml', 'Atom'], ['rss.xml', 'RSS'], ['feed.json', 'JSON']]) {
      const a = el('a', '', label);
      a.href = folder + file;
      p.append(a);
    }
    return p;
  }

  async function act(confirmText, method, path, body, name) {
    if (!confirm(confirmText)) return;
    const r = await call(method, path, body);
    if (expired(r)) return;
    // The server's lines say what was done and what stays (the URL-file lines it leaves, say).
    const lines = r.data && Array.isArray(r.data.lines) ? r.data.lines.map(str) : [];
    if (r.status >= 200 && r.status < 300) say([fill(T.unfollowed, { name })].concat(lines).join('\\n'));
    else say([errorOf(r)].concat(lines).join('\\n'), true);
    await loadFollows();
  }
  const button = (label, cls, onClick) => {
    const b = el('button', 'mbtn ' + cls, label);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  };
  const unfollowAlbum = (a, name) =>
    act(fill(T.unfollowConfirm, { name }), 'DELETE', 'albums/' + encodeURIComponent(str(a.id)), undefined, name);

  const failed = (result) => C.failed.includes(result);

  function chips(li, st) {
    if (!st || typeof st !== 'object') return;
    const parent = el('div', 'mchips');
    li.append(parent);
    if (st.failing) {
      parent.append(el('span', 'st fail', fill(T.failing, { since: when(st.failing.since), polls: st.failing.polls })));
    } else if (st.lastPoll) parent.append(el('span', 'st poll', fill(T.lastPoll, { when: when(st.lastPoll.at) })));
    else parent.append(el('span', 'st poll', T.neverPolled));
    if (st.nextPoll) {
      const at = typeof st.nextPoll === 'string' ? st.nextPoll : st.nextPoll.at;
      const due = Date.parse(at) <= Date.now();
      parent.append(el('span', 'st poll', due ? T.nextPollDue : fill(T.nextPoll, { when: when(at) })));
    }
    if (coolUntil) parent.append(el('span', 'st cool', fill(T.coolChip, { until: when(coolUntil).slice(11) })));
    const why = st.lastPoll && st.lastPoll.reason;
    if (st.failing && why) li.append(el('div', 'mute', fill(T.reason, { reason: str(why) })));
    if (st.probablyDeleted) li.append(el('div', 'fail', T.probablyDeleted));
  }

  // Lists the user unfollowed stay known to the store (never followed again): they are not shown as followed.
  const albumsOf = (x) =>
    (Array.isArray(x.albums) ? x.albums : []).filter((a) => a.followed !== false && !(a.status && a.status.followed === false));

  function albumItem(a) {
    const li = el('li');
    const name = str(a.title) || str(a.id);
    const head = el('div', 'head');
    head.append(
      el('strong', '', name),
      el('span', 'badge', a.kind === 'homepage' ? T.homepage : T.album),
      button(T.unfollow, 'bad', () => unfollowAlbum(a, name)),
    );
    li.append(head);
    chips(li, a.status);
    if (a.feed) li.append(links(a.feed));
    return li;
  }

  function urlItem(u) {
    const li = el('li');
    const url = str(u.url);
    const head = el('div', 'head');
    const shown = el(/^https?:\\/\\//i.test(url) ? 'a' : 'span', 'murl', url);
    if (shown.tagName === 'A') shown.href = url;
    head.append(
      shown,
      button(T.stopUrl, 'bad', () => act(fill(T.stopUrlConfirm, { url }), 'DELETE', 'urls', { url }, url)),
    );
    li.append(head);
    li.append(
      el(
        'span',
        'st ' + (failed(u.lastResult) ? 'fail' : 'poll'),
        u.lastAt ? fill(T.lastRead, { when: when(u.lastAt), result: str(u.lastResult) }) : T.notRead,
      ),
    );
    if (u.reason) li.append(el('div', 'mute', fill(T.reason, { reason: str(u.reason) })));
    return li;
  }

  function accountItem(a) {
    const li = el('li');
    const name = str(a.name) || str(a.feed && a.feed.title) || str(a.account);
    const head = el('div', 'head');
    head.append(
      el('h3', '', name),
      el('span', 'badge', T.account),
      button(T.unfollowAccount, 'bad', () =>
        act(fill(T.unfollowAccountConfirm, { name }), 'DELETE', 'accounts/' + encodeURIComponent(str(a.account)), undefined, name),
      ),
    );
    li.append(head);
    const fetched = a.feed && (a.feed.lastFetch ? a.feed : sources.get(a.feed.slug));
    const last = fetched && fetched.lastFetch;
    if (last) {
      const bad = failed(last.result);
      li.append(el('span', 'st ' + (bad ? 'fail' : 'ok'), fill(T.lastRead, { when: when(last.at), result: str(last.result) })));
      if (bad && last.reason) li.append(el('div', 'mute', fill(T.reason, { reason: str(last.reason) })));
    }
    if (a.feed) li.append(links(a.feed));
    const albums = albumsOf(a);
    if (albums.length) {
      const ul = el('ul');
      ul.append(...albums.map(albumItem));
      li.append(ul);
    }
    appendUrls(li, a);
    return li;
  }

  // The article URLs followed of an account or a source, under their heading.
  function appendUrls(li, o) {
    const urls = Array.isArray(o.urls) ? o.urls : [];
    if (!urls.length) return;
    li.append(el('p', 'mute', T.urlsHeading));
    const ul = el('ul');
    ul.append(...urls.map(urlItem));
    li.append(ul);
  }

  // A source that is no account's (a dumps source), or article URLs whose account is not known yet.
  function otherItem(o) {
    const li = el('li');
    if (o.feed) li.append(el('strong', '', str(o.feed.title) || str(o.feed.slug)), links(o.feed));
    appendUrls(li, o);
    return li;
  }

  function renderFollows(f) {
    const accounts = Array.isArray(f.accounts) ? f.accounts : [];
    // all/ is the page's own first card.
    const other = (Array.isArray(f.other) ? f.other : []).filter(
      (o) => o.kind !== 'all' && (o.feed || (Array.isArray(o.urls) && o.urls.length)),
    );
    const items = accounts.map(accountItem);
    if (other.length) {
      const li = el('li');
      li.append(el('h3', '', T.otherHeading));
      const ul = el('ul');
      ul.append(...other.map(otherItem));
      li.append(ul);
      items.push(li);
    }
    list.replaceChildren(...(items.length ? items : [el('li', 'mute', T.nothingFollowed)]));
    const slugs = accounts.flatMap((x) => [x.feed].concat(albumsOf(x).map((a) => a.feed)));
    stale.hidden = !slugs.some((feed) => feed && feed.slug && !cards.has(str(feed.slug)));
    // The album cards of the page's own list get an unfollow button too.
    for (const b of d.querySelectorAll('#wxList .wxm-unf')) b.remove();
    for (const a of accounts.flatMap(albumsOf)) {
      const card = a.feed && a.feed.slug ? d.getElementById(str(a.feed.slug)) : null;
      if (!card || !card.classList.contains('feed')) continue;
      const name = str(a.title) || str(a.id);
      card.querySelector('.head').append(button(T.unfollow, 'bad wxm-unf', () => unfollowAlbum(a, name)));
    }
  }

  $('wxmReload').addEventListener('click', () => location.reload());
  start();
})();`;

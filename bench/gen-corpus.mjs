#!/usr/bin/env node
// Deterministic generator of a picker-style dump archive for wxfeed benchmarks.
//
//   node bench/gen-corpus.mjs --out DIR --articles N --accounts S [--dup-share 0.1] [--seed 1] [--mode bench|archive]
//                             [--manifest FILE.jsonl]
//   node bench/gen-corpus.mjs --mutate-one add|edit|delete --out DIR [--seed 1] [--recent] [--in-place]
//   (--recent: edit or delete a dump of the newest day, an article its feeds show; --print-url: print
//   "path<TAB>url<TAB>source" instead of the path alone)
//
// Layout: DIR/YYYY/MM/DD/daily/<source>_<title>.md with the real front matter (unquoted title, url, source, date,
// fetch_date), plus digest files without front matter at DIR/YYYY/MM/DD/daily.json (the real archive's place and
// shape: {source: {title: url}}) and DIR/YYYY/MM/DD/daily.md.
//
// --mode bench (default): N distinct full WeChat articles over S accounts (3–15 KB each), plus dup-share × N extra
//   files that repeat already generated articles under other URL variants (same source a few days later, or the
//   aggregator "Doonsec's feed"; sometimes as an empty-shell copy). A small share of titles are hostile.
// --mode archive: about N files imitating the real archive's mix (SOURCES.md): 41% WeChat dumps (2/3 of them from
//   "Doonsec's feed"; 75% empty shells, 16% full, 4% long, 4% captcha, 1% deleted, rare violation/migrated) and 59%
//   non-WeChat items (blogs, advisories, GitHub commits); about 731 sources; ~5 KB per file on average.
//   --accounts is the number of distinct WeChat accounts (biz) behind the dumps; dup-share is a share of the WeChat dumps.
//
// The generator streams: it keeps a small plan record per file (no bodies) and writes each file as it is rendered.
// File names longer than 255 bytes are dropped, as they were from the real archive ("never arrive").

import fs from 'node:fs';
import path from 'node:path';
import { Rng, zipfCum, cumOf } from './lib/rng.mjs';
import {
  wechatTitle,
  hostileTitle,
  webTitle,
  WEB_SOURCES_FIXED,
  BLOG_WORDS,
  BLOG_TAILS,
  GH_OWNERS,
  GH_REPOS,
} from './lib/text.mjs';
import {
  accountDetails,
  initPools,
  fullBody,
  shellBody,
  captchaBody,
  deletedBody,
  violationBody,
  migratedBody,
  webBody,
  editParagraph,
} from './lib/bodies.mjs';

const DOONSEC = "Doonsec's feed";
const DAY_MS = 86400000;

// ---- CLI -------------------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const o = { mode: 'bench', seed: '1', dupShare: 0.1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) die(`missing value for ${a}`);
      return v;
    };
    switch (a) {
      case '--out':
        o.out = val();
        break;
      case '--articles':
        o.articles = Number(val());
        break;
      case '--accounts':
        o.accounts = Number(val());
        break;
      case '--dup-share':
        o.dupShare = Number(val());
        break;
      case '--seed':
        o.seed = val();
        break;
      case '--mode':
        o.mode = val();
        break;
      case '--manifest':
        o.manifest = val();
        break;
      case '--mutate-one':
        o.mutate = val();
        break;
      case '--recent':
        o.recent = true;
        break;
      case '--in-place':
        o.inPlace = true;
        break;
      case '--print-url':
        o.printUrl = true;
        break;
      case '-h':
      case '--help':
        usage(0);
        break;
      default:
        die(`unknown argument ${a}`);
    }
  }
  if (!o.out) die('--out DIR is required');
  if (o.mutate) {
    if (!['add', 'edit', 'delete'].includes(o.mutate)) die('--mutate-one takes add|edit|delete');
    return o;
  }
  if (!['bench', 'archive'].includes(o.mode)) die('--mode is bench or archive');
  if (!(o.articles > 0)) die('--articles N (N > 0) is required');
  o.accounts ??= o.mode === 'archive' ? 3000 : 50;
  if (!(o.accounts > 0)) die('--accounts S must be > 0');
  if (!(o.dupShare >= 0 && o.dupShare < 1)) die('--dup-share must be in [0, 1)');
  return o;
}
function usage(code) {
  process.stdout.write(
    'usage: node bench/gen-corpus.mjs --out DIR --articles N --accounts S [--dup-share 0.1] [--seed 1] [--mode bench|archive] [--manifest FILE]\n' +
      '       node bench/gen-corpus.mjs --mutate-one add|edit|delete --out DIR [--seed 1] [--recent]\n',
  );
  process.exit(code);
}
function die(msg) {
  process.stderr.write(`gen-corpus: ${msg}\n`);
  process.exit(2);
}

// ---- dates -----------------------------------------------------------------------------------------------------

const dayOf = (ymd) => Math.floor(Date.parse(`${ymd}T00:00:00Z`) / DAY_MS);
const p2 = (n) => String(n).padStart(2, '0');
function ymdOf(day) {
  const d = new Date(day * DAY_MS);
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
}
/** picker's fetch_date: naive local time with microseconds. */
function stamp(ms, micro) {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(micro).padStart(6, '0')}`;
}

// ---- names -----------------------------------------------------------------------------------------------------

const NAME_A = [
  '安全',
  '网络',
  '数据',
  '信息',
  '云',
  '零信任',
  '攻防',
  '漏洞',
  '威胁',
  '红队',
  '蓝军',
  '白帽',
  '极光',
  '天穹',
  '玄武',
  '星辰',
  '鹰眼',
  '深蓝',
  '赛博',
  '量子',
  '灯塔',
  '磐石',
  '烽火',
  '长风',
  '青藤',
  '银河',
  '北斗',
  '凌云',
  '铁壁',
  '启明',
];
const NAME_B = [
  '研究',
  '情报',
  '观察',
  '实验',
  '技术',
  '应急',
  '分析',
  '攻防',
  '防御',
  '狩猎',
  '审计',
  '运营',
  '智库',
  '前哨',
  '研习',
];
const NAME_C = [
  '中心',
  '实验室',
  '团队',
  '社区',
  '之家',
  '笔记',
  '前沿',
  '周刊',
  '内参',
  '研究院',
  '联盟',
  '平台',
  '小组',
  '站',
  '说',
];
const NAME_EN = [
  'Beacon',
  'Tower',
  'Nova',
  'Orca',
  'Polaris',
  'Raven',
  'Aurora',
  'Atlas',
  'Vortex',
  'Falcon',
  'Echo',
  'Delta',
  'Cobalt',
];
const NAME_EN2 = ['Lab', 'Sec', 'Security', 'Team', 'Research', 'Labs', '安全', '安全矩阵', '安全社区'];

function accountName(r, used) {
  for (let attempt = 0; ; attempt++) {
    const x = r.next();
    let n =
      x < 0.7
        ? r.pick(NAME_A) + r.pick(NAME_B) + r.pick(NAME_C)
        : x < 0.9
          ? `${r.pick(NAME_EN)} ${r.pick(NAME_EN)} ${r.pick(NAME_EN2)}`
          : `${r.pick(NAME_EN).toLowerCase()}${r.pick(NAME_A)}${r.pick(NAME_C)}`;
    if (attempt > 30) n += String(attempt);
    if (!used.has(n) && n !== DOONSEC) {
      used.add(n);
      return n;
    }
  }
}

function makeAccounts(seed, count) {
  const r = new Rng(`accounts|${seed}`);
  const used = new Set();
  const usedBiz = new Set();
  const out = [];
  for (let i = 0; i < count; i++) {
    const name = accountName(r, used);
    let bizNum;
    do {
      const lead = r.next() < 0.78 ? '3' : r.next() < 0.85 ? '2' : '1';
      bizNum = lead + String(r.int(1e9)).padStart(9, '0');
    } while (usedBiz.has(bizNum));
    usedBiz.add(bizNum);
    out.push(accountDetails(name, bizNum));
  }
  return out;
}

const safeName = (s) => s.replace(/[/\\:*?"<>|]/g, '_');

// ---- URLs ------------------------------------------------------------------------------------------------------

const wxBare = (a, w) => `https://mp.weixin.qq.com/s?__biz=${a.biz}&mid=${w.mid}&idx=${w.idx}&sn=${w.sn}`;
const wxFull = (a, w) => `${wxBare(a, w)}&chksm=${w.chksm}&scene=58&subscene=0#rd`;

const VARIANTS = ['bare', 'noise', 'amp', 'http', 'redirect', 'chksm', 'reorder', 'combo', 'appmsg'];
function wxVariant(r, a, w, v) {
  switch (v) {
    case 'bare':
      return wxBare(a, w);
    case 'noise':
      return `${wxBare(a, w)}&chksm=${w.chksm}&scene=${r.pick([58, 27, 126])}&subscene=0&sessionid=${r.range(1700000000, 1760000000)}&key=${r.hex(96)}&ascene=1&uin=${Buffer.from(String(r.int(4e9))).toString('base64')}&devicetype=Windows+10+x64&version=${r.pick(['63090c11', '6309092b', 'f2540611'])}&lang=zh_CN&exportkey=${r.str(40)}&acctmode=0&pass_ticket=${r.str(64)}&wx_header=0#rd`;
    case 'amp':
      return wxFull(a, w).replace(/&/g, '&amp;');
    case 'http':
      return wxFull(a, w).replace(/^https:/, 'http:');
    case 'redirect':
      return `${wxBare(a, w)}&chksm=${w.chksm}&scene=21#wechat_redirect`;
    case 'chksm':
      return `${wxBare(a, w)}&chksm=${r.hex(76)}&scene=${r.pick([27, 126, 7])}&subscene=${r.pick([0, 10000, 91])}#rd`;
    case 'reorder':
      return `https://mp.weixin.qq.com/s?mid=${w.mid}&sn=${w.sn}&idx=${w.idx}&__biz=${a.biz}&chksm=${w.chksm}&scene=58#rd`;
    case 'combo':
      return `http://mp.weixin.qq.com/s?__biz=${a.biz}&amp;mid=${w.mid}&amp;idx=${w.idx}&amp;sn=${w.sn}&amp;chksm=${r.hex(76)}&amp;scene=21#wechat_redirect`;
    default:
      return `https://mp.weixin.qq.com/mp/appmsg/show?__biz=${a.biz}&appmsgid=${w.mid}&itemidx=${w.idx}&sign=${w.sn}#wechat_redirect`;
  }
}

// ---- plan ------------------------------------------------------------------------------------------------------
// A plan item: { uid, day, source, acct, kind, title, url, wx: {mid, idx, sn, chksm}, bodyUid, webType, domain, dupOf }

/** Per-day filename registry (collisions would overwrite one file with another, so avoid them). */
class Names {
  constructor() {
    this.byDay = new Map();
  }
  take(day, file) {
    let s = this.byDay.get(day);
    if (!s) {
      s = new Set();
      this.byDay.set(day, s);
    }
    if (s.has(file)) return false;
    s.add(file);
    return true;
  }
}

function titleFor(r, year, hostileShare) {
  return r.chance(hostileShare) ? hostileTitle(r, year) : wechatTitle(r, year);
}

/** Assign mid/idx per account: mids grow with date, one mass-send per day holds idx 1..8. */
function assignMids(items, _accounts, seed) {
  const wx = items.filter((it) => it.acct);
  wx.sort((a, b) =>
    a.acct.bizNum < b.acct.bizNum ? -1 : a.acct.bizNum > b.acct.bizNum ? 1 : a.day - b.day || a.uid - b.uid,
  );
  const r = new Rng(`mids|${seed}`);
  let cur = null,
    mid = 0,
    lastDay = -1,
    idx = 0;
  for (const it of wx) {
    if (it.acct !== cur) {
      cur = it.acct;
      mid = cur.midBase;
      lastDay = -1;
      idx = 0;
    }
    const step = cur.midBase >= 2600000000 ? r.range(5, 400) : r.range(1, 25);
    if (it.day !== lastDay || idx >= 8) {
      mid += step;
      idx = 0;
      lastDay = it.day;
    }
    idx++;
    it.wx.mid = mid;
    it.wx.idx = idx;
  }
}

function newWx(r) {
  return { mid: 0, idx: 0, sn: r.hex(32), chksm: r.hex(76) };
}

/** Place an item on its day under a unique file name; retries the title, then the day. */
function place(names, it, _r, retitle, lastDay) {
  for (let attempt = 0; attempt < 8; attempt++) {
    const file = `${safeName(`${it.source}_${it.title}`)}.md`;
    if (names.take(it.day, file)) {
      it.file = file;
      return true;
    }
    if (retitle && attempt < 5) it.title = retitle();
    else it.day = Math.min(lastDay, it.day + 1);
  }
  return false;
}

function planBench(o) {
  const { seed } = o;
  const accounts = makeAccounts(seed, o.accounts);
  const last = dayOf('2025-10-31');
  const first = last - 364;
  const acctCum = zipfCum(accounts.length, 0.7);
  const names = new Names();
  const items = [];
  for (let i = 0; i < o.articles; i++) {
    const r = new Rng(`${seed}|plan|${i}`);
    const acct = accounts[r.weighted(acctCum)];
    const day = first + r.int(last - first + 1);
    const year = new Date(day * DAY_MS).getUTCFullYear();
    const it = {
      uid: i,
      day,
      source: acct.name,
      acct,
      kind: 'full',
      title: titleFor(r, year, 0.04),
      wx: newWx(r),
      bodyUid: i,
      via: 'full',
    };
    place(names, it, r, () => titleFor(r, year, 0.04), last);
    items.push(it);
  }
  assignMids(items, accounts, seed);
  for (const it of items) it.url = wxFull(it.acct, it.wx);
  const nDup = Math.round(o.articles * o.dupShare);
  const dr = new Rng(`${seed}|dups`);
  for (let j = 0; j < nDup; j++) {
    const orig = items[dr.int(o.articles)];
    const x = dr.next();
    const toDoonsec = x >= 0.45 && (x < 0.8 || dr.chance(0.5));
    const shell = x >= 0.8;
    const variant = toDoonsec && dr.chance(0.5) ? 'bare' : dr.pick(VARIANTS);
    const it = {
      uid: o.articles + j,
      day: Math.min(last, orig.day + (toDoonsec ? dr.int(2) : dr.range(1, 4))),
      source: toDoonsec ? DOONSEC : orig.source,
      acct: orig.acct,
      kind: shell ? 'shell' : 'full',
      title: orig.title,
      wx: orig.wx,
      bodyUid: orig.bodyUid,
      dupOf: orig,
      via: variant,
    };
    it.url = wxVariant(dr, orig.acct, orig.wx, variant);
    if (!place(names, it, dr, null, last)) {
      it.source = DOONSEC;
      if (!place(names, it, dr, null, last)) continue;
    }
    items.push(it);
  }
  return { items, first, last };
}

/** Archive fetch_date: the real archive was re-fetched in one pass, 2025-10-02 … 10-07, older days earlier. */
function archiveFetch(r, day, first, last) {
  let ms;
  if (day > last - 60) ms = Date.parse('2025-10-02T12:00:00Z') + r.int(24 * 3600e3);
  else {
    const f = (day - first) / Math.max(1, last - 60 - first);
    ms =
      Date.parse('2025-10-03T19:00:00Z') +
      f * (Date.parse('2025-10-07T01:00:00Z') - Date.parse('2025-10-03T19:00:00Z')) +
      r.int(3 * 3600e3);
  }
  return stamp(ms, r.int(1e6));
}

function makeWebSources(seed, count) {
  const r = new Rng(`websources|${seed}`);
  const out = WEB_SOURCES_FIXED.map(([name, type]) => ({ name, type }));
  const used = new Set(out.map((s) => s.name));
  while (out.length < count) {
    const x = r.next();
    let s;
    if (x < 0.25)
      s = { name: `Recent Commits to ${r.pick(GH_REPOS)}:${r.pick(['main', 'master', 'dev'])}`, type: 'commit' };
    else if (x < 0.85)
      s = {
        name: `${r.pick(BLOG_WORDS)}${r.pick(['', ' '])}${r.pick(BLOG_WORDS)} ${r.pick(BLOG_TAILS)}`,
        type: 'blog-en',
      };
    else s = { name: `${r.pick(NAME_A)}${r.pick(NAME_B)}${r.pick(['博客', '社区', '论坛', '资讯'])}`, type: 'cn-site' };
    if (s.type === 'commit') s.owner = r.pick(GH_OWNERS);
    if (!used.has(s.name)) {
      used.add(s.name);
      out.push(s);
    }
  }
  for (const s of out) {
    s.domain =
      s.type === 'commit'
        ? 'github.com'
        : s.name
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '')
            .slice(0, 24) + (s.type === 'cn-site' ? '.cn' : s.type === 'it-news' ? '.it' : '.com');
    if (s.domain.length < 6) s.domain = `site${out.indexOf(s)}.cn`;
    s.owner ??= r.pick(GH_OWNERS);
  }
  return out;
}

function webUrl(r, s, title, day) {
  const ymd = ymdOf(day);
  const slug =
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 80) || String(r.range(10000, 99999));
  switch (s.type) {
    case 'packetstorm':
      return `https://packetstormsecurity.com/files/${r.range(160000, 199999)}/${slug}.txt`;
    case 'cxsecurity':
      return `https://cxsecurity.com/issue/WLB-${ymd.slice(0, 4)}${ymd.slice(5, 7)}${String(r.int(10000)).padStart(4, '0')}`;
    case 'ghsa': {
      const g = () => r.str(4, '23456789cfghjmpqrvwx');
      return `https://github.com/advisories/GHSA-${g()}-${g()}-${g()}`;
    }
    case 'commit':
      return `https://github.com/${s.owner}/${s.name.replace(/^Recent Commits to |:.*$/g, '')}/commit/${r.hex(40)}`;
    case 'cn-site':
      return `https://www.${s.domain}/articles/${r.pick(['web', 'vuls', 'network', 'news'])}/${r.range(300000, 450000)}.html`;
    case 'it-news':
      return `https://www.${s.domain}/${ymd.replace(/-/g, '/')}/${slug}/`;
    default:
      return `https://www.${s.domain}/blog/${ymd.slice(0, 4)}/${ymd.slice(5, 7)}/${slug}/`;
  }
}

function planArchive(o) {
  const { seed } = o;
  const accounts = makeAccounts(seed, o.accounts);
  const first = dayOf('2022-10-13');
  const last = dayOf('2025-10-31');
  const nDays = last - first + 1;
  // Later days carry more items (the archive grew); weights ramp 0.6 → 1.4.
  const dayCum = cumOf(Array.from({ length: nDays }, (_, i) => 0.6 + 0.8 * (i / nDays)));
  const digestEstimate = Math.round(nDays * 0.62);
  const total = Math.max(1, o.articles - digestEstimate);
  const W = Math.round(total * 0.41);
  const nWeb = total - W;
  const nDup = Math.round(W * o.dupShare);
  const nDoonsecOrig = Math.max(0, Math.round(0.658 * W) - Math.round(0.7 * nDup));
  const nNamedOrig = Math.max(1, W - nDup - nDoonsecOrig);
  const K = Math.min(accounts.length, 400);
  const namedCum = zipfCum(K, 0.8);
  const doonCum = zipfCum(accounts.length, 0.5);
  const names = new Names();
  const items = [];
  let uid = 0;
  const newItem = (r, source, acct, kind, hostile) => {
    const day = first + r.weighted(dayCum);
    const year = new Date(day * DAY_MS).getUTCFullYear();
    const it = { uid: uid++, day, source, acct, kind, title: titleFor(r, year, hostile), wx: newWx(r), via: 'orig' };
    it.bodyUid = it.uid;
    place(names, it, r, () => titleFor(r, year, hostile), last);
    items.push(it);
    return it;
  };
  // Named-account WeChat dumps: 35.8% carry a bare URL (→ shell/captcha), the rest chksm+scene=58 (→ content).
  const NAMED_KINDS = ['full', 'long', 'cut', 'deleted', 'violation', 'migrated', 'shell'];
  const namedKindCum = cumOf([74.5, 1.97, 17.73, 4.38, 0.24, 0.1, 1.07]);
  for (let i = 0; i < nNamedOrig; i++) {
    const r = new Rng(`${seed}|named|${i}`);
    const acct = accounts[r.weighted(namedCum)];
    const bare = r.chance(0.358);
    const kind = bare ? (r.chance(0.05) ? 'captcha' : 'shell') : NAMED_KINDS[r.weighted(namedKindCum)];
    const it = newItem(r, acct.name, acct, kind, 0.015);
    it.bare = bare;
  }
  for (let i = 0; i < nDoonsecOrig; i++) {
    const r = new Rng(`${seed}|doonsec|${i}`);
    const acct = accounts[r.weighted(doonCum)];
    const it = newItem(r, DOONSEC, acct, r.chance(0.049) ? 'captcha' : 'shell', 0.015);
    it.bare = true;
  }
  assignMids(items, accounts, seed);
  for (const it of items) it.url = it.bare ? wxBare(it.acct, it.wx) : wxFull(it.acct, it.wx);
  // Duplicates: named articles seen again, 70% through Doonsec (bare URL, shell/captcha), 30% same source + variant.
  const named = items.filter((it) => it.source !== DOONSEC);
  const dr = new Rng(`${seed}|dups`);
  for (let j = 0; j < nDup; j++) {
    const orig = named[dr.int(named.length)];
    const toDoonsec = dr.chance(0.7);
    const it = {
      uid: uid++,
      day: Math.min(last, orig.day + dr.int(4)),
      acct: orig.acct,
      title: orig.title,
      wx: orig.wx,
      dupOf: orig,
      bodyUid: orig.bodyUid,
    };
    if (toDoonsec) {
      Object.assign(it, { source: DOONSEC, kind: dr.chance(0.05) ? 'captcha' : 'shell', via: 'bare' });
      it.url = wxBare(orig.acct, orig.wx);
    } else {
      const v = dr.pick(VARIANTS.filter((x) => x !== 'bare'));
      Object.assign(it, { source: orig.source, kind: orig.kind, via: v, bare: orig.bare });
      it.url = orig.bare ? wxBare(orig.acct, orig.wx) : wxVariant(dr, orig.acct, orig.wx, v);
      it.day = Math.min(last, orig.day + dr.range(1, 4));
    }
    if (!place(names, it, dr, null, last)) continue;
    items.push(it);
  }
  // Non-WeChat items over ~330 sources (731 in all with Doonsec and the named accounts).
  const webSources = makeWebSources(seed, Math.max(WEB_SOURCES_FIXED.length, 731 - 1 - K));
  const webCum = zipfCum(webSources.length, 0.9);
  for (let i = 0; i < nWeb; i++) {
    const r = new Rng(`${seed}|web|${i}`);
    const s = webSources[r.weighted(webCum)];
    const day = first + r.weighted(dayCum);
    const year = new Date(day * DAY_MS).getUTCFullYear();
    const domain = s.type === 'commit' ? `${s.owner}/${s.name.replace(/^Recent Commits to |:.*$/g, '')}` : s.domain;
    const it = { uid: uid++, day, source: s.name, acct: null, kind: 'web', webType: s.type, domain, via: 'web' };
    it.bodyUid = it.uid;
    it.title = webTitle(r, s.type, year);
    place(names, it, r, () => webTitle(r, s.type, year), last);
    it.url = webUrl(r, s, it.title, it.day);
    items.push(it);
  }
  return { items, first, last };
}

// ---- rendering -------------------------------------------------------------------------------------------------

function renderBody(it, mode, seed) {
  const r = new Rng(`${seed}|body|${it.bodyUid}`);
  const t = it.title;
  const h = t.replace(/\\"/g, '"');
  switch (it.kind) {
    case 'shell':
      return shellBody(h);
    case 'captcha':
      return captchaBody(h);
    case 'deleted':
      return deletedBody(h);
    case 'violation':
      return violationBody(h, r.int(2));
    case 'migrated':
      return migratedBody(h);
    case 'web': {
      const x = r.next();
      const target = x < 0.2 ? r.range(250, 1400) : x < 0.6 ? 9000 : r.range(1500, 7800);
      return webBody(r, it.webType, t, it.domain, target);
    }
    case 'long':
      return fullBody(r, it.acct, t, { targetChars: r.range(7700, 7990) });
    case 'cut':
      return fullBody(r, it.acct, t, { cutAt: r.range(7960, 8069) });
    default:
      if (mode === 'bench') return fullBody(r, it.acct, t, { targetBytes: 3000 + Math.floor(11500 * r.next() ** 1.6) });
      return fullBody(r, it.acct, t, { targetChars: 1200 + Math.floor(6500 * r.next() ** 1.3) });
  }
}

function fetchDate(it, mode, seed, first, last) {
  const r = new Rng(`${seed}|fetch|${it.uid}`);
  if (mode === 'archive') return archiveFetch(r, it.day, first, last);
  return stamp(it.day * DAY_MS + 6 * 3600e3 + r.int(34 * 3600e3), r.int(1e6));
}

const frontMatter = (it, fetch) =>
  `---\ntitle: ${it.title}\nurl: ${it.url}\nsource: ${it.source}\ndate: ${ymdOf(it.day)}\nfetch_date: ${fetch}\n---\n\n`;

function digestJson(dayItems) {
  const o = {};
  for (const it of dayItems) (o[it.source] ??= {})[it.title] = it.url;
  return JSON.stringify(o, null, 4);
}
function digestMd(ymd, dayItems) {
  const bySource = new Map();
  for (const it of dayItems) {
    if (!bySource.has(it.source)) bySource.set(it.source, []);
    bySource.get(it.source).push(it);
  }
  let s = `# 每日安全资讯（${ymd}）\n\n`;
  for (const [src, list] of bySource) {
    s += `- ${src}\n`;
    for (const it of list) s += `  - [${it.title}](${it.url})\n`;
  }
  return s;
}

async function generate(o) {
  const t0 = process.hrtime.bigint();
  initPools(o.seed);
  const plan = o.mode === 'archive' ? planArchive(o) : planBench(o);
  const { items, first, last } = plan;
  const buckets = new Map();
  for (const it of items) {
    if (!it.file) continue;
    if (!buckets.has(it.day)) buckets.set(it.day, []);
    buckets.get(it.day).push(it);
  }
  const days = [...buckets.keys()].sort((a, b) => a - b);
  const out = path.resolve(o.out);
  fs.mkdirSync(out, { recursive: true });
  const manifest = o.manifest ? fs.openSync(o.manifest, 'w') : null;
  const counts = {};
  let files = 0,
    bytes = 0,
    dropped = 0,
    digests = 0;
  const dr = new Rng(`${o.seed}|digests`);
  for (const day of days) {
    const ymd = ymdOf(day);
    const dayDir = path.join(out, ymd.slice(0, 4), ymd.slice(5, 7), ymd.slice(8, 10));
    const dumpDir = path.join(dayDir, 'daily');
    fs.mkdirSync(dumpDir, { recursive: true });
    const list = buckets.get(day);
    const written = [];
    for (const it of list) {
      if (Buffer.byteLength(it.file) > 255) {
        dropped++;
        continue;
      }
      const text = frontMatter(it, fetchDate(it, o.mode, o.seed, first, last)) + renderBody(it, o.mode, o.seed);
      const buf = Buffer.from(text);
      fs.writeFileSync(path.join(dumpDir, it.file), buf);
      files++;
      bytes += buf.length;
      const k = it.dupOf ? `dup-${it.kind}` : it.kind;
      counts[k] = (counts[k] ?? 0) + 1;
      written.push(it);
      if (manifest) {
        fs.writeSync(
          manifest,
          `${JSON.stringify({
            path: path.posix.join(ymd.slice(0, 4), ymd.slice(5, 7), ymd.slice(8, 10), 'daily', it.file),
            kind: it.kind,
            source: it.source,
            key: it.acct ? `${it.acct.biz}:${it.wx.mid}:${it.wx.idx}` : null,
            sn: it.acct ? it.wx.sn : null,
            via: it.via,
            dupOf: it.dupOf ? path.posix.join(ymdOf(it.dupOf.day).replace(/-/g, '/'), 'daily', it.dupOf.file) : null,
          })}\n`,
        );
      }
    }
    const x = dr.next();
    const digest = (name, text) => {
      const buf = Buffer.from(text);
      fs.writeFileSync(path.join(dayDir, name), buf);
      files++;
      digests++;
      bytes += buf.length;
    };
    if (x < 0.4) digest('daily.json', digestJson(written));
    if (x > 0.78) digest('daily.md', digestMd(ymd, written));
  }
  if (manifest) fs.closeSync(manifest);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const kinds = Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k}:${v}`)
    .join(',');
  process.stdout.write(
    `gen-corpus: mode=${o.mode} seed=${o.seed} files=${files} bytes=${bytes} (${(bytes / 1048576).toFixed(1)} MiB) ` +
      `avg=${Math.round(bytes / Math.max(1, files))} digests=${digests} dropped_long_names=${dropped} days=${days.length} ` +
      `seconds=${secs.toFixed(2)} kinds=${kinds} out=${out}\n`,
  );
}

// ---- --mutate-one ----------------------------------------------------------------------------------------------

function listDayDirs(root) {
  const out = [];
  const num = (d, n) =>
    fs
      .readdirSync(d, { withFileTypes: true })
      .filter((e) => e.isDirectory() && new RegExp(`^\\d{${n}}$`).test(e.name))
      .map((e) => e.name)
      .sort();
  for (const y of num(root, 4))
    for (const m of num(path.join(root, y), 2))
      for (const d of num(path.join(root, y, m), 2)) {
        const dir = path.join(root, y, m, d, 'daily');
        if (fs.existsSync(dir)) out.push({ dir, ymd: `${y}-${m}-${d}` });
      }
  return out;
}

function readFront(file) {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.startsWith('---\n')) return null;
  const end = text.indexOf('\n---\n', 4);
  if (end < 0) return null;
  const fm = {};
  for (const line of text.slice(4, end).split('\n')) {
    const i = line.indexOf(': ');
    if (i > 0) fm[line.slice(0, i)] = line.slice(i + 2);
  }
  return { fm, text, bodyStart: end + 5 };
}

function mutate(o) {
  const root = path.resolve(o.out);
  const days = listDayDirs(root);
  if (days.length === 0) die(`no YYYY/MM/DD/daily folders under ${root}`);
  const r = new Rng(`${o.seed}|mutate|${o.mutate}|${days.length}`);
  initPools(o.seed);
  if (o.mutate === 'add') {
    const { dir, ymd } = days[days.length - 1];
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.md'))
      .sort();
    // Take the newest day's WeChat accounts (a dump whose URL carries chksm) and publish one more article for one.
    let acct = null,
      maxMid = 0;
    const cands = [];
    for (const f of files) {
      const fr = readFront(path.join(dir, f));
      const m = fr && /__biz=([A-Za-z0-9+/=]+)&(?:amp;)?mid=(\d+)/.exec(fr.fm.url ?? '');
      if (m && fr.fm.source !== DOONSEC) cands.push({ source: fr.fm.source, biz: m[1], mid: Number(m[2]) });
    }
    const rr = new Rng(`${o.seed}|add|${files.length}`);
    if (cands.length) {
      const c = cands[rr.int(cands.length)];
      acct = accountDetails(c.source, Buffer.from(c.biz, 'base64').toString());
      maxMid = Math.max(...cands.filter((x) => x.biz === c.biz).map((x) => x.mid));
    } else {
      acct = accountDetails('基准测试安全中心', `3${String(rr.int(1e9)).padStart(9, '0')}`);
      maxMid = acct.midBase;
    }
    const year = Number(ymd.slice(0, 4));
    let title, file;
    do {
      title = wechatTitle(rr, year);
      file = `${safeName(`${acct.name}_${title}`)}.md`;
    } while (fs.existsSync(path.join(dir, file)));
    const wx = { mid: maxMid + rr.range(1, 20), idx: 1, sn: rr.hex(32), chksm: rr.hex(76) };
    const it = { uid: 0, day: dayOf(ymd), title, url: wxFull(acct, wx), source: acct.name };
    const fetch = stamp(dayOf(ymd) * DAY_MS + 6 * 3600e3 + rr.int(34 * 3600e3), rr.int(1e6));
    const target = path.join(dir, file);
    fs.writeFileSync(target, frontMatter(it, fetch) + fullBody(rr, acct, title, { targetBytes: 3000 + rr.int(9000) }));
    process.stdout.write(`${target + (o.printUrl ? `\t${it.url}\t${it.source}` : '')}\n`);
    return;
  }
  // edit/delete: a random day (with --recent, the newest), then the first dump (front matter) from a random
  // position; edit prefers full dumps.
  for (let attempt = 0; attempt < 50; attempt++) {
    const { dir } = o.recent ? days[days.length - 1] : days[r.int(days.length)];
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.md'))
      .sort();
    if (files.length === 0) continue;
    const start = r.int(files.length);
    for (let k = 0; k < files.length; k++) {
      const file = path.join(dir, files[(start + k) % files.length]);
      const fr = readFront(file);
      if (!fr) continue;
      if (o.mutate === 'delete') {
        fs.unlinkSync(file);
        process.stdout.write(`${file + (o.printUrl ? `\t${fr.fm.url ?? ''}\t${fr.fm.source ?? ''}` : '')}\n`);
        return;
      }
      const at = fr.text.indexOf('\n\n预览时标签不可点\n');
      if (at < 0 && attempt < 40) continue;
      const para = editParagraph(new Rng(`${o.seed}|edit|${fr.text.length}`)); // repeated edits of one file differ
      const text = at >= 0 ? `${fr.text.slice(0, at)}\n\n${para}${fr.text.slice(at)}` : `${fr.text}\n\n${para}`;
      // As git and sync tools replace a file: a new file renamed over the old (the folder's time changes). With
      // --in-place the bytes are rewritten where they are, as an editor may (seen by wxfeed's hourly full walk).
      if (o.inPlace) fs.writeFileSync(file, text);
      else {
        fs.writeFileSync(`${file}.tmp-edit`, text);
        fs.renameSync(`${file}.tmp-edit`, file);
      }
      process.stdout.write(`${file + (o.printUrl ? `\t${fr.fm.url ?? ''}\t${fr.fm.source ?? ''}` : '')}\n`);
      return;
    }
  }
  die('found no dump to mutate');
}

// ---- main ------------------------------------------------------------------------------------------------------

const opts = parseArgs(process.argv.slice(2));
if (opts.mutate) mutate(opts);
else await generate(opts);

/**
 * Which alerts a cycle gives, pure: from what the targets were told before (the memory kept in the store) and what
 * the cycle left (its cool-down, its lists, its feeds, or its error), the conditions that START or END for each
 * target, and each alert's words in `feed.language` with links to the index page and the feed. A condition is told
 * once when it starts and once when it ends, never on every cycle.
 */
import { dateTimeOf } from './dashboard-data.js';
import { type AlertWords, type FeedLanguage, messages } from './messages.js';

/** The events a target may ask for (config.ts `notify[].events`). */
type AlertEvent = 'blocked' | 'unreachable' | 'recovered' | 'cycle-failed' | 'album-failing' | 'new-articles';
/** The events that start a condition, which `recovered` ends. */
type StartEvent = 'blocked' | 'unreachable' | 'cycle-failed' | 'album-failing';

/** One alert, as every kind of target gets it (the webhook's JSON is this object). */
export interface Alert {
  event: AlertEvent | 'test';
  /** For `recovered`: the event whose condition ended. */
  of?: StartEvent;
  title: string;
  /** The words, without the links. */
  body: string;
  /** Title, body and links: what a plain-text target shows. */
  text: string;
  /** The index page. */
  page: string;
  /** The feed it concerns. */
  feed?: string;
  /** When it was seen (ISO). */
  at: string;
  /** When the condition began (ISO). */
  since?: string;
  /** When the cool-down ends (ISO). */
  until?: string;
  /** New articles, or failed polls in a row. */
  count?: number;
}

/** A list (album or homepage) as the cycle's status reports it (fetch/follow.ts `AlbumStatus`). */
export interface ListReport {
  albumId: string;
  slug: string;
  title?: string;
  account?: string;
  followed: boolean;
  active: boolean;
  failing?: { since: string; polls: number };
  lastPoll?: { reason?: string };
}

/** What a cycle left, as alerts read it. */
export interface CycleOutcome {
  now: number;
  /** The first line of the error of a cycle that failed. */
  failed?: string;
  /** What a finished cycle reports; absent when it failed, and then the conditions it would tell stay as they were. */
  report?: {
    cooldown?: { until: string; reason: 'captcha' | 'refused' | 'unreachable' } | undefined;
    lists: readonly ListReport[];
    feeds: ReadonlyArray<{ slug: string; title: string; items: number }>;
  };
}

/** A target as the plan sees it: its id (the memory's key), its events, its threshold of failed polls. */
export interface AlertTarget {
  id: string;
  events: readonly AlertEvent[];
  albumFailures: number;
}

/** A condition a target was told had started (store/meta.ts keeps these). */
interface Told {
  event: string;
  since: number;
  title?: string;
  feed?: string;
}

/** What the targets were told: per target id, the conditions started and not yet ended; each feed's items. */
export interface AlertMemory {
  targets: Record<string, Record<string, Told>>;
  items?: Record<string, number>;
}

/** Where the links point and the language of the words. */
export interface AlertContext {
  baseUrl: string;
  language: FeedLanguage;
}

/** A condition in force after a cycle. */
interface Condition {
  event: StartEvent;
  since: number;
  title?: string;
  feed?: string;
  until?: number;
  captcha?: boolean;
  polls?: number;
  reason?: string;
}

const PAUSE = 'pause';
const CYCLE = 'cycle';
const listKey = (albumId: string): string => `list:${albumId}`;
/** Feeds a new-articles message names at most. */
const FEEDS_NAMED = 5;

/** Text from elsewhere (a list's title, an error) on one short line. */
function line(text: string, max: number): string {
  const flat = text
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const feedUrl = (ctx: AlertContext, slug: string): string => `${ctx.baseUrl}${slug}/atom.xml`;

/**
 * The conditions in force after the cycle, by key, and the keys that are gone without recovering (a list no longer
 * followed). A failed cycle knows only its failure: the other conditions stay as they were (`unknown`).
 */
function conditionsOf(
  outcome: CycleOutcome,
  ctx: AlertContext,
): { now: Map<string, Condition>; unknown: boolean; quiet: Set<string> } {
  const now = new Map<string, Condition>();
  const quiet = new Set<string>();
  if (outcome.failed !== undefined)
    now.set(CYCLE, { event: 'cycle-failed', since: outcome.now, reason: line(outcome.failed, 300) });
  const r = outcome.report;
  if (!r) return { now, unknown: true, quiet };
  const c = r.cooldown;
  const until = c ? Date.parse(c.until) : Number.NaN;
  if (c && until > outcome.now) {
    const event = c.reason === 'unreachable' ? 'unreachable' : 'blocked';
    now.set(PAUSE, { event, since: outcome.now, until, captcha: c.reason === 'captcha' });
  }
  for (const l of r.lists) {
    const key = listKey(l.albumId);
    if (!l.followed || !l.active) quiet.add(key);
    else if (l.failing) {
      const name = l.title ? `${line(l.title, 60)}${l.account ? ` · ${line(l.account, 30)}` : ''}` : l.slug;
      now.set(key, {
        event: 'album-failing',
        since: Date.parse(l.failing.since) || outcome.now,
        title: name,
        feed: feedUrl(ctx, l.slug),
        polls: l.failing.polls,
        ...(l.lastPoll?.reason ? { reason: line(l.lastPoll.reason, 200) } : {}),
      });
    }
  }
  return { now, unknown: false, quiet };
}

/** An alert's words with its links, as a plain-text target shows them. */
function alertOf(
  ctx: AlertContext,
  at: number,
  words: AlertWords,
  fields: Omit<Alert, 'title' | 'body' | 'text' | 'page' | 'at'>,
): Alert {
  const m = messages(ctx.language).alerts;
  const page = ctx.baseUrl;
  const links = [`${m.page}${page}`, ...(fields.feed ? [`${m.feed}${fields.feed}`] : [])];
  return {
    ...fields,
    title: words.title,
    body: words.body,
    text: [words.title, words.body, ...links].filter(Boolean).join('\n'),
    page,
    at: new Date(at).toISOString(),
  };
}

function startAlert(ctx: AlertContext, at: number, c: Condition): Alert {
  const m = messages(ctx.language).alerts;
  const since = new Date(c.since).toISOString();
  switch (c.event) {
    case 'blocked':
    case 'unreachable': {
      const until = dateTimeOf(c.until ?? at);
      const words = c.event === 'blocked' ? m.blocked(until, c.captcha === true) : m.unreachable(until);
      return alertOf(ctx, at, words, { event: c.event, since, until: new Date(c.until ?? at).toISOString() });
    }
    case 'cycle-failed':
      return alertOf(ctx, at, m.cycleFailed(c.reason ?? ''), { event: c.event, since });
    case 'album-failing':
      return alertOf(ctx, at, m.albumFailing(c.title ?? '', c.polls ?? 0, dateTimeOf(c.since), c.reason), {
        event: c.event,
        since,
        ...(c.feed ? { feed: c.feed } : {}),
        ...(c.polls !== undefined ? { count: c.polls } : {}),
      });
  }
}

function endAlert(ctx: AlertContext, at: number, told: Told & { event: StartEvent }): Alert {
  const words = messages(ctx.language).alerts.recovered(told.event, dateTimeOf(told.since), told.title);
  return alertOf(ctx, at, words, {
    event: 'recovered',
    of: told.event,
    since: new Date(told.since).toISOString(),
    ...(told.feed ? { feed: told.feed } : {}),
  });
}

const isStart = (event: string): event is StartEvent =>
  event === 'blocked' || event === 'unreachable' || event === 'cycle-failed' || event === 'album-failing';

/** What one target is told: the conditions that start for it and those that end, and what it has been told since. */
function planTarget(
  target: AlertTarget,
  before: Record<string, Told>,
  found: ReturnType<typeof conditionsOf>,
  ctx: AlertContext,
  at: number,
): { alerts: Alert[]; told: Record<string, Told> } {
  const alerts: Alert[] = [];
  const told: Record<string, Told> = {};
  const wants = (e: AlertEvent) => target.events.includes(e);
  for (const [key, c] of found.now) {
    const old = before[key];
    if (old && old.event === c.event) {
      told[key] = old;
      continue;
    }
    if (!wants(c.event) || (c.event === 'album-failing' && (c.polls ?? 0) < target.albumFailures)) continue;
    told[key] = {
      event: c.event,
      since: c.since,
      ...(c.title ? { title: c.title } : {}),
      ...(c.feed ? { feed: c.feed } : {}),
    };
    alerts.push(startAlert(ctx, at, c));
  }
  const ended: Array<Told & { event: StartEvent }> = [];
  for (const [key, old] of Object.entries(before)) {
    if (found.now.has(key) || found.quiet.has(key) || !isStart(old.event)) continue;
    // A failed cycle says nothing of the cool-down or the lists: what it cannot see has not ended.
    if (found.unknown && key !== CYCLE) told[key] = old;
    else ended.push({ ...old, event: old.event });
  }
  // The trouble that began first is told first to have ended.
  if (wants('recovered'))
    for (const old of ended.sort((a, b) => a.since - b.since)) alerts.push(endAlert(ctx, at, old));
  return { alerts, told };
}

/** The new-articles message of a cycle, if its feeds hold articles they did not before (none on the first count). */
function newArticles(
  feeds: ReadonlyArray<{ slug: string; title: string; items: number }>,
  before: Record<string, number> | undefined,
  ctx: AlertContext,
  at: number,
): Alert | undefined {
  if (!before) return undefined;
  const grown = feeds
    .filter((f) => f.slug !== 'all')
    .map((f) => ({ f, n: f.items - (before[f.slug] ?? 0) }))
    .filter((g) => g.n > 0)
    .sort((a, b) => b.n - a.n || a.f.slug.localeCompare(b.f.slug));
  if (grown.length === 0) return undefined;
  const all = feeds.find((f) => f.slug === 'all');
  const total = all ? all.items - (before.all ?? 0) : grown.reduce((sum, g) => sum + g.n, 0);
  const n = Math.max(total, grown[0]!.n);
  const m = messages(ctx.language).alerts;
  const lines = grown.slice(0, FEEDS_NAMED).map((g) => m.feedLine(line(g.f.title, 80), g.n));
  if (grown.length > FEEDS_NAMED) lines.push(m.more(grown.length - FEEDS_NAMED));
  const feed = feedUrl(ctx, grown.length === 1 ? grown[0]!.f.slug : 'all');
  return alertOf(ctx, at, m.newArticles(n, lines), { event: 'new-articles', feed, count: n });
}

/**
 * The alerts of a cycle for each target (by id), and the memory to keep in their place. Targets no longer configured
 * are forgotten; a target told nothing before is told of every condition in force (once).
 */
export function planAlerts(
  targets: readonly AlertTarget[],
  memory: AlertMemory | undefined,
  outcome: CycleOutcome,
  ctx: AlertContext,
): { sends: Array<{ target: string; alert: Alert }>; memory: AlertMemory } {
  const found = conditionsOf(outcome, ctx);
  const sends: Array<{ target: string; alert: Alert }> = [];
  const next: AlertMemory = { targets: {} };
  const feeds = outcome.report?.feeds;
  const fresh = feeds ? newArticles(feeds, memory?.items, ctx, outcome.now) : undefined;
  for (const target of targets) {
    const { alerts, told } = planTarget(target, memory?.targets[target.id] ?? {}, found, ctx, outcome.now);
    next.targets[target.id] = told;
    for (const alert of alerts) sends.push({ target: target.id, alert });
    if (fresh && target.events.includes('new-articles')) sends.push({ target: target.id, alert: fresh });
  }
  const items = feeds ? Object.fromEntries(feeds.map((f) => [f.slug, f.items])) : memory?.items;
  if (items) next.items = items;
  return { sends, memory: next };
}

/** The message of `wxfeed notify --test`. */
export function testAlert(ctx: AlertContext, at: number): Alert {
  return alertOf(ctx, at, messages(ctx.language).alerts.test, { event: 'test' });
}

/**
 * The pure plan of alerts (feeds/alerts.ts): a condition is told once when it starts and once when it ends, whatever
 * the cycles in between; what was told survives a restart (the memory); thresholds, subscriptions and languages.
 */
import { describe, expect, it } from 'vitest';
import {
  type AlertMemory,
  type AlertTarget,
  type CycleOutcome,
  type ListReport,
  planAlerts,
  testAlert,
} from '../../src/feeds/alerts.js';

const ctx = { baseUrl: 'https://feeds.example/', language: 'en' as const };
const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 6, 2, 0);
const all: AlertTarget = {
  id: 't1',
  events: ['blocked', 'unreachable', 'recovered', 'cycle-failed', 'album-failing', 'new-articles'],
  albumFailures: 3,
};

const feeds = (items: number) => [
  { slug: 'all', title: 'All', items },
  { slug: '3267269114', title: 'Account A', items },
];

function cycle(
  at: number,
  opts: {
    cooldownUntil?: number;
    reason?: 'captcha' | 'refused' | 'unreachable';
    lists?: ListReport[];
    items?: number;
  } = {},
): CycleOutcome {
  return {
    now: at,
    report: {
      ...(opts.cooldownUntil
        ? { cooldown: { until: new Date(opts.cooldownUntil).toISOString(), reason: opts.reason ?? 'captcha' } }
        : {}),
      lists: opts.lists ?? [],
      feeds: feeds(opts.items ?? 10),
    },
  };
}

/** Run cycles through the plan as the daemon does, keeping the memory; every alert sent, in order. */
function run(targets: AlertTarget[], outcomes: CycleOutcome[], memory?: AlertMemory) {
  const sent: Array<{ target: string; event: string; of?: string; text: string }> = [];
  let m = memory;
  for (const o of outcomes) {
    const plan = planAlerts(targets, m, o, ctx);
    m = JSON.parse(JSON.stringify(plan.memory)) as AlertMemory; // as the store keeps it
    for (const s of plan.sends)
      sent.push({
        target: s.target,
        event: s.alert.event,
        ...(s.alert.of ? { of: s.alert.of } : {}),
        text: s.alert.text,
      });
  }
  return { sent, memory: m };
}

const failingList = (polls: number, extra: Partial<ListReport> = {}): ListReport => ({
  albumId: '3885769611',
  slug: 'album-3885769611',
  title: 'Micro fiction',
  account: 'Your bird sings',
  followed: true,
  active: true,
  failing: { since: new Date(T0 - 3 * 3600_000).toISOString(), polls },
  lastPoll: { reason: 'base_resp.ret -2 (invalid args)' },
  ...extra,
});

describe('planAlerts', () => {
  it('a cool-down across many cycles is one blocked alert when it starts and one recovered when it ends', () => {
    const until = T0 + 15 * MIN;
    const { sent } = run(
      [all],
      [
        cycle(T0 - 5 * MIN),
        cycle(T0, { cooldownUntil: until }),
        cycle(T0 + 5 * MIN, { cooldownUntil: until }),
        // A block again at the end of the first: the pause goes on, nothing new to say.
        cycle(T0 + 16 * MIN, { cooldownUntil: T0 + 46 * MIN }),
        cycle(T0 + 50 * MIN),
        cycle(T0 + 55 * MIN),
      ],
    );
    expect(sent.map((s) => [s.event, s.of])).toEqual([
      ['blocked', undefined],
      ['recovered', 'blocked'],
    ]);
    expect(sent[0]!.text).toContain('paused until 2026-12-06 10:15'); // Beijing time
    expect(sent[0]!.text).toContain('Page: https://feeds.example/');
    expect(sent[1]!.text).toContain('WeChat takes our requests again');
  });

  it('what was told is remembered: a restart (the memory read back) does not tell it again', () => {
    const first = run([all], [cycle(T0, { cooldownUntil: T0 + 15 * MIN })]);
    expect(first.sent.map((s) => s.event)).toEqual(['blocked']);
    const again = run([all], [cycle(T0 + 5 * MIN, { cooldownUntil: T0 + 15 * MIN })], first.memory);
    expect(again.sent).toEqual([]);
    const over = run([all], [cycle(T0 + 20 * MIN)], again.memory);
    expect(over.sent.map((s) => s.event)).toEqual(['recovered']);
  });

  it('unreachable is its own event; a pause whose reason changes is not told as recovered', () => {
    const { sent } = run(
      [all],
      [
        cycle(T0, { cooldownUntil: T0 + 15 * MIN, reason: 'unreachable' }),
        cycle(T0 + 16 * MIN, { cooldownUntil: T0 + 40 * MIN, reason: 'refused' }),
        cycle(T0 + 41 * MIN),
      ],
    );
    expect(sent.map((s) => [s.event, s.of])).toEqual([
      ['unreachable', undefined],
      ['blocked', undefined],
      ['recovered', 'blocked'],
    ]);
    expect(sent[1]!.text).toContain('HTTP 429/403');
  });

  it('a failed cycle: told once however many fail; it says nothing of the pause it cannot see', () => {
    const failed = (at: number): CycleOutcome => ({ now: at, failed: 'dumps: 800 of 1000 files gone; refused' });
    const { sent } = run(
      [all],
      [cycle(T0, { cooldownUntil: T0 + 15 * MIN }), failed(T0 + 20 * MIN), failed(T0 + 30 * MIN), cycle(T0 + 40 * MIN)],
    );
    expect(sent.map((s) => [s.event, s.of])).toEqual([
      ['blocked', undefined],
      ['cycle-failed', undefined],
      ['recovered', 'blocked'],
      ['recovered', 'cycle-failed'],
    ]);
    expect(sent[1]!.text).toContain('800 of 1000 files gone');
  });

  it('a failing list alerts at albumFailures polls in a row, with its feed; its recovery once; an unfollowed one quietly', () => {
    const { sent } = run(
      [all],
      [
        cycle(T0, { lists: [failingList(2)] }),
        cycle(T0 + 60 * MIN, { lists: [failingList(3)] }),
        cycle(T0 + 120 * MIN, { lists: [failingList(4)] }),
        cycle(T0 + 180 * MIN, { lists: [failingList(0, { failing: undefined })] }),
        cycle(T0 + 240 * MIN, { lists: [failingList(5)] }),
        cycle(T0 + 300 * MIN, { lists: [failingList(0, { failing: undefined, followed: false })] }),
      ],
    );
    expect(sent.map((s) => [s.event, s.of])).toEqual([
      ['album-failing', undefined],
      ['recovered', 'album-failing'],
      ['album-failing', undefined],
    ]);
    expect(sent[0]!.text).toContain('polls of Micro fiction · Your bird sings failing');
    expect(sent[0]!.text).toContain('3 polls in a row');
    expect(sent[0]!.text).toContain('base_resp.ret -2');
    expect(sent[0]!.text).toContain('Feed: https://feeds.example/album-3885769611/atom.xml');
  });

  it('each target by its own events and threshold; recovered only of what it was told', () => {
    const pager: AlertTarget = { id: 'pager', events: ['blocked'], albumFailures: 3 };
    const lists: AlertTarget = { id: 'lists', events: ['album-failing', 'recovered'], albumFailures: 5 };
    const { sent } = run(
      [pager, lists],
      [
        cycle(T0, { cooldownUntil: T0 + 15 * MIN, lists: [failingList(3)] }),
        cycle(T0 + 20 * MIN, { lists: [failingList(5)] }),
        cycle(T0 + 80 * MIN, { lists: [failingList(0, { failing: undefined })] }),
      ],
    );
    expect(sent.map((s) => [s.target, s.event, s.of])).toEqual([
      ['pager', 'blocked', undefined],
      ['lists', 'album-failing', undefined],
      ['lists', 'recovered', 'album-failing'],
    ]);
  });

  it('new articles: one message per cycle, none on the first count or when nothing is new', () => {
    const { sent } = run(
      [all],
      [cycle(T0, { items: 10 }), cycle(T0 + MIN, { items: 10 }), cycle(T0 + 2 * MIN, { items: 13 })],
    );
    expect(sent.map((s) => s.event)).toEqual(['new-articles']);
    expect(sent[0]!.text).toContain('3 new articles');
    expect(sent[0]!.text).toContain('Account A: 3');
    expect(sent[0]!.text).toContain('Feed: https://feeds.example/3267269114/atom.xml');
  });

  it('in Chinese with feed.language zh-CN; names from elsewhere stay on one line', () => {
    const plan = planAlerts(
      [all],
      undefined,
      cycle(T0, { cooldownUntil: T0 + 15 * MIN, lists: [failingList(3, { title: '微型\n小说\u0007' })] }),
      { ...ctx, language: 'zh-CN' },
    );
    const texts = plan.sends.map((s) => s.alert.text);
    expect(texts[0]).toContain('实时抓取暂停到 2026-12-06 10:15');
    expect(texts[0]).toContain('首页：https://feeds.example/');
    expect(plan.sends[1]!.alert.title).toBe('wxfeed：微型 小说 · Your bird sings 轮询失败');
  });

  it('a target no longer configured is forgotten; the test message names the page', () => {
    const first = run([all], [cycle(T0, { cooldownUntil: T0 + 15 * MIN })]);
    const plan = planAlerts(
      [{ ...all, id: 't2' }],
      first.memory,
      cycle(T0 + MIN, { cooldownUntil: T0 + 15 * MIN }),
      ctx,
    );
    expect(Object.keys(plan.memory.targets)).toEqual(['t2']);
    // t2 was never told: it is told of the pause in force now.
    expect(plan.sends.map((s) => s.alert.event)).toEqual(['blocked']);
    expect(testAlert(ctx, T0).text).toContain('https://feeds.example/');
  });
});

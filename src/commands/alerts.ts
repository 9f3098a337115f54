/**
 * What the daemon and `wxfeed build` do once a cycle has ended: the alerts it gives (feeds/alerts.ts) queued for each
 * target of `notify` and what they were told kept in the store, and the WebSub pings of the feeds it changed; all
 * sent in the background (http/outbox.ts), never awaited by a cycle. And `wxfeed notify --test`.
 */
import type { Config } from '../types.js';
import type { Logger } from '../log.js';
import type { BuildSummary } from '../stages/summary.js';
import { type AlertMemory, type CycleOutcome, planAlerts, testAlert } from '../feeds/alerts.js';
import { Outbox, type Sent } from '../http/outbox.js';
import { alertDelivery, sendAlert, targetId, targetName } from '../http/notify.js';
import { changedFeedUrls, pingHub } from '../http/websub.js';
import { closeStore, openStoreIfExists } from '../store/db.js';
import { MetaTable } from '../store/meta.js';

/** How a cycle ended: its summary, or the first line of its error. */
export type CycleEnd = { now: number } & ({ summary: BuildSummary } | { error: string });

/** The alerts' outbox, and what the targets were told (in the store, and this process's copy). */
export interface Teller {
  outbox: Outbox;
  log: Logger;
  memory: AlertMemory | undefined;
  /** What the store holds of `memory`, as JSON: its told conditions, and each feed's items. */
  kept: { told: string; items: string } | undefined;
  /** The store whose copy of the feeds' items is older than `memory`'s: written when the teller closes. */
  unsaved: string | undefined;
}

/** How long `wxfeed build` waits for its alerts and pings before it exits. */
const BUILD_WAIT_MS = 20_000;
/** How long `wxfeed notify --test` tries each target. */
const TEST_WAIT_MS = 8000;

/** A teller with its outbox (`budgetMs`: how long one alert or ping may take, retries included). */
export function newTeller(log: Logger, budgetMs?: number): Teller {
  const outbox = new Outbox({ log, ...(budgetMs !== undefined ? { budgetMs } : {}) });
  return { outbox, log, memory: undefined, kept: undefined, unsaved: undefined };
}

/** Run `use` on the store's meta table, if the store exists and opens; undefined otherwise. */
function withMeta<T>(path: string, use: (meta: MetaTable) => T): T | undefined {
  let db: ReturnType<typeof openStoreIfExists>;
  try {
    db = openStoreIfExists(path);
    return db ? use(new MetaTable(db)) : undefined;
  } catch {
    return undefined;
  } finally {
    if (db) closeStore(db, true);
  }
}

const keptOf = (m: AlertMemory | undefined) => ({
  told: JSON.stringify(m?.targets ?? null),
  items: JSON.stringify(m?.items ?? null),
});

/** Write the teller's memory into the store at `path`; false when the store cannot take it. */
function save(t: Teller, path: string): boolean {
  const memory = t.memory;
  const written =
    memory &&
    withMeta(path, (meta) => {
      meta.alerts.set(memory);
      return true;
    });
  if (!written) return false;
  t.kept = keptOf(memory);
  t.unsaved = undefined;
  return true;
}

function outcomeOf(end: CycleEnd): CycleOutcome {
  if ('error' in end) return { now: end.now, failed: end.error };
  const s = end.summary;
  return { now: end.now, report: { cooldown: s.pace?.cooldown, lists: s.albums ?? [], feeds: s.feeds ?? [] } };
}

/**
 * Queue the alerts and pings of a cycle that ended. Synchronous and quick (what the targets were told is read once a
 * process, and written when an alert starts or ends): what is sent is sent in the background.
 */
export function tellAfterCycle(t: Teller, config: Config, end: CycleEnd): void {
  try {
    queueAfterCycle(t, config, end);
  } catch (error) {
    // Telling others never fails a cycle.
    t.log.error({ error: (error as Error).message }, 'alerts and pings not queued');
  }
}

function queueAfterCycle(t: Teller, config: Config, end: CycleEnd): void {
  const hub = config.websub.hub;
  if (hub && 'summary' in end)
    pingHub(t.outbox, hub, changedFeedUrls(end.summary.filesWritten, config.output, config.baseUrl));
  if (config.notify.length === 0) return;
  const targets = config.notify.map((target) => ({ target, id: targetId(target) }));
  // Read from the store once a process; after that this process's own copy is the newer.
  if (t.kept === undefined) {
    t.memory = withMeta(config.store, (meta) => meta.alerts.get()) ?? t.memory;
    t.kept = keptOf(t.memory);
  }
  const plan = planAlerts(
    targets.map(({ target, id }) => ({ id, events: target.events, albumFailures: target.albumFailures })),
    t.memory,
    outcomeOf(end),
    { baseUrl: config.baseUrl, language: config.feed.language },
  );
  // Each feed's items are the baseline of new-articles only: not kept when no target asks for it.
  if (!config.notify.some((n) => n.events.includes('new-articles'))) delete plan.memory.items;
  t.memory = plan.memory;
  const now = keptOf(plan.memory);
  // What was told is written at once (opening the store costs fsyncs: only when it changed); the items, which change
  // with every new article, when the teller closes or with the next change of what was told.
  if (now.told !== t.kept.told) {
    if (!save(t, config.store) && 'summary' in end)
      t.log.warn({ store: config.store }, 'alerts: what was told could not be kept in the store');
  } else if (now.items !== t.kept.items) t.unsaved = config.store;
  for (const send of plan.sends) {
    const target = targets.find((x) => x.id === send.target)!.target;
    sendAlert(t.outbox, target, send.alert);
  }
}

/** Wait for what is queued, at most `waitMs`, then stop sending; the memory's last changes written. */
export async function closeTeller(t: Teller, waitMs: number): Promise<void> {
  if (t.unsaved) save(t, t.unsaved);
  await t.outbox.close(waitMs);
}

/** After a one-off `wxfeed build`: its alerts and pings, sent before the command exits (within BUILD_WAIT_MS). */
export async function tellAfterBuild(config: Config, log: Logger, end: CycleEnd): Promise<void> {
  if (config.notify.length === 0 && !config.websub.hub) return;
  const t = newTeller(log, BUILD_WAIT_MS);
  tellAfterCycle(t, config, end);
  await closeTeller(t, BUILD_WAIT_MS);
}

/** `wxfeed notify --test`: a test message to every target, each result as a line (the target by kind and host). */
export async function notifyTest(config: Config, log: Logger): Promise<{ lines: string[]; failed: number }> {
  // Quicker than a cycle's alerts: a person waits for the answer.
  const outbox = new Outbox({ log, budgetMs: TEST_WAIT_MS, retryBaseMs: 1000 });
  const alert = testAlert({ baseUrl: config.baseUrl, language: config.feed.language }, Date.now());
  const results = await Promise.all(
    config.notify.map(async (target, i): Promise<[string, Sent]> => {
      const name = `notify[${i}] ${targetName(target)}`;
      return [name, await outbox.send(alertDelivery(target, alert))];
    }),
  );
  await outbox.close(0);
  const lines = results.map(([name, r]) =>
    r.ok ? `sent     ${name}` : `not sent ${name}: ${r.error} (${r.attempts} ${r.attempts === 1 ? 'try' : 'tries'})`,
  );
  return { lines, failed: results.filter(([, r]) => !r.ok).length };
}

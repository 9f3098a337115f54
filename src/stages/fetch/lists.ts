/**
 * One round of list polling in a build (stage.ts runs up to MAX_ROUNDS): plan which followed lists are due
 * (fetch/schedule.ts `planListPolls`), read the heads, then the walks, `fetch.concurrency` lists at a time, within the
 * build's budget (run.ts). A list polled in a round is not polled again in the build.
 */
import { type AlbumPollContext, type PollOutcome, pollHead, pollWalk } from './albums.js';
import { planListPolls } from '../../fetch/schedule.js';

export interface ListRoundContext extends AlbumPollContext {
  /** Lists polled in this build so far (heads and walks). */
  polled: Set<string>;
  /** Poll every list now (`--refetch`, a "refresh now"). */
  refetch: boolean;
  /** Lists whose first read waits for a later build (`follow.maxNewAlbumsPerRun`), counted once a build. */
  deferred: Set<string>;
}

/** Run `poll` over `lists`, `concurrency` at a time, until fetching stops for the build. */
async function each<T>(
  lists: readonly T[],
  concurrency: number,
  stopped: () => boolean,
  poll: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < lists.length && !stopped()) await poll(lists[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, lists.length) }, worker));
}

/** Poll one round's due lists; returns how many were due (0: nothing to poll). */
export async function pollLists(ctx: ListRoundContext): Promise<number> {
  const { store, config, run } = ctx;
  const all = store.albums.all();
  if (all.length === 0) return 0;
  const plan = planListPolls(all, {
    now: ctx.now(),
    baseMinutes: config.follow.albumIntervalMinutes,
    refetch: ctx.refetch,
    polled: ctx.polled,
    firstReads: run.firstReads,
  });
  for (const a of plan.deferred) {
    if (ctx.deferred.has(a.albumId)) continue;
    ctx.deferred.add(a.albumId);
    ctx.summary.deferred++;
  }
  const due = new Set([...plan.heads, ...plan.walks].map((a) => a.albumId));
  ctx.summary.due += due.size;
  if (due.size === 0) return 0;
  for (const id of due) ctx.polled.add(id);
  const stopped = () => run.stopped() || run.signal.aborted;
  const headFailed = new Set<string>();
  await each(plan.heads, config.fetch.concurrency, stopped, async (a) => {
    const outcome: PollOutcome = await pollHead(a, ctx);
    if (outcome !== 'polled') headFailed.add(a.albumId);
  });
  const walks = plan.walks.filter((a) => !headFailed.has(a.albumId));
  await each(walks, config.fetch.concurrency, stopped, async (a) => {
    // The head may have filed articles or read the page: walk from what the store says now.
    const now = store.albums.get(a.albumId) ?? a;
    if (now.walked) return;
    if (now.polledAt === null && now.walkCursor === null) run.firstReads--;
    await pollWalk(now, ctx);
  });
  return due.size;
}

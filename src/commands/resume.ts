/**
 * `wxfeed resume`: end a cool-down on purpose (fetch/pace.ts resumePace), so the next build or cycle fetches at once.
 * The pace stays slowed after a refusal, recovering from now, and a block within the hour doubles the next cool-down.
 */
import { resumePace, storedPaceState } from '../fetch/pace.js';
import { closeStore, openStoreIfExists } from '../store/db.js';
import { Store } from '../store/store.js';
import { shanghaiIso } from '../time.js';
import type { Config } from '../types.js';

/** What `resume` found and did. */
export interface ResumeResult {
  /** A cool-down was in force and is ended. */
  resumed: boolean;
  /** The cool-down that was in force: until when (Beijing time) and why. */
  cooldown?: { until: string; reason: string; level: number };
  /** The pace multiplier of `fetch.delayMs` in force afterwards (1: the configured pace). */
  multiplier: number;
  line: string;
}

/** Ends the cool-down in force, if any (the server's `POST api/refresh {"resume": true}` calls it too). */
export function resumeFetching(config: Config, now = Date.now()): ResumeResult {
  const db = openStoreIfExists(config.store);
  if (!db) return { resumed: false, multiplier: 1, line: 'no cool-down in force (no store yet)' };
  try {
    const store = new Store(db);
    return db
      .transaction((): ResumeResult => {
        const state = storedPaceState(store.meta, config.fetch);
        const next = resumePace(state, now);
        const multiplier = Math.round((next?.multiplier ?? 1) * 100) / 100;
        const ended = state?.cooldown;
        if (next === state || !ended) {
          const line = 'no cool-down in force: the next build fetches as its schedule says';
          return { resumed: false, multiplier, line };
        }
        store.meta.pace.set(JSON.stringify(next));
        // An older wxfeed's cool-down is read only when no pace is stored: the pace written now supersedes it.
        store.meta.legacyCooldown.clear();
        const until = shanghaiIso(ended.until);
        const pace = multiplier > 1 ? `; requests stay ${multiplier}× apart, recovering 10 % an hour` : '';
        return {
          resumed: true,
          cooldown: { until, reason: ended.reason, level: ended.level },
          multiplier,
          line: `cool-down ended (it ran until ${until}, ${ended.reason}): the next build fetches at once${pace}`,
        };
      })
      .immediate();
  } finally {
    closeStore(db, true);
  }
}

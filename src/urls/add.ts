/**
 * `wxfeed add URL…`: check, normalise and append article URLs to the first URL file. A non-WeChat URL is refused;
 * an article already followed or already stored (by its sn) is not added twice. Says what it did for each URL.
 */
import { existsSync } from 'node:fs';
import type { Config } from '../types.js';
import { appendUrls, checkArticleUrl, readUrlInputs } from './list.js';
import { closeStore, openStore } from '../store/db.js';
import { Store } from '../store/store.js';
import { shortKey, snKey } from '../keys.js';

export interface AddResult {
  lines: string[];
  added: string[];
  refused: number;
}

export async function addUrls(config: Config, raws: readonly string[]): Promise<AddResult> {
  const file = config.urlFiles[0];
  if (!file) throw new Error('add: the config lists no urlFiles to write to');
  const inputs = await readUrlInputs(config.urls, config.urlFiles);
  const followed = new Set(
    inputs.entries.flatMap((e) => [e.parsed.canonical, ...(e.parsed.sn ? [snKey(e.parsed.sn)] : [])]),
  );
  const db = existsSync(config.store) ? openStore(config.store) : undefined;
  const result: AddResult = { lines: [], added: [], refused: 0 };
  try {
    const store = db ? new Store(db) : undefined;
    for (const raw of raws) {
      const checked = checkArticleUrl(raw);
      if (!checked.ok) {
        result.refused++;
        result.lines.push(`refused  ${raw}: ${checked.reason}`);
        continue;
      }
      const p = checked.parsed;
      const bySn = p.sn ? snKey(p.sn) : undefined;
      if (followed.has(p.canonical) || (bySn && followed.has(bySn))) {
        result.lines.push(`already followed  ${p.canonical}`);
        continue;
      }
      const storedKey = bySn ?? (p.shortToken && store ? store.aliases.resolve(shortKey(p.shortToken)) : undefined);
      if (storedKey && store?.observations.hasKey(storedKey)) {
        result.lines.push(`already known (${storedKey})  ${p.canonical}`);
        continue;
      }
      followed.add(p.canonical);
      if (bySn) followed.add(bySn);
      result.added.push(p.canonical);
      result.lines.push(`added  ${p.canonical}`);
    }
    await appendUrls(file, result.added);
    if (result.added.length > 0)
      result.lines.push(`${result.added.length} added to ${file}; the next build fetches them.`);
  } finally {
    if (db) closeStore(db, true);
  }
  return result;
}

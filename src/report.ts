/**
 * Human output of a build: a short summary, problems grouped by reason, and how to subscribe.
 */
import { relative } from 'node:path';
import type { BuildSummary, Config } from './types.js';

const MAX_LISTED = 20;

export function formatSummary(s: BuildSummary, config: Config, cwd = process.cwd()): string {
  const rel = (p: string): string => {
    const r = relative(cwd, p);
    return r && !r.startsWith('..') ? r : p;
  };
  const lines = [
    `wxfeed: ${s.filesSeen} dump files (${s.filesRead} read, ${s.filesUnchanged} unchanged, ${s.filesRemoved} removed, ${s.problems.length} skipped)`,
    `        ${s.articles} articles, ${s.duplicatesMerged} duplicates merged, ${s.sources} sources`,
    `        feeds: ${s.feedsWritten} written, ${s.feedsUnchanged} unchanged; ${s.filesWritten.length} files written in ${(s.elapsedMs / 1000).toFixed(2)} s`,
  ];
  const f = s.fetch;
  if (f && (f.listed > 0 || f.due > 0 || f.failures.length > 0)) {
    lines.push(
      f.offline
        ? `        fetch: offline, nothing fetched (${f.listed} URLs listed)`
        : `        fetch: ${f.fetched} fetched, ${f.unchanged} unchanged, ${f.deleted} deleted, ${f.blocked} blocked, ${f.failed} failed, ${f.skippedByCooldown} skipped by cool-down, ${f.deferred} deferred (${f.listed} listed, ${f.due} due)`,
    );
    if (f.unreachable)
      lines.push(`        WeChat unreachable: fetching skipped, ${f.skippedByCooldown + f.deferred} URLs wait`);
    if (f.cooldownUntil) {
      const why = f.unreachable ? 'WeChat unreachable' : 'captcha / rate limit';
      lines.push(`        fetching paused until ${new Date(f.cooldownUntil).toISOString()} (${why})`);
    }
    for (const p of f.failures.slice(0, MAX_LISTED))
      lines.push(`  ${p.reason}: ${p.where}${p.detail ? ` (${p.detail})` : ''}`);
    if (f.failures.length > MAX_LISTED) lines.push(`  … and ${f.failures.length - MAX_LISTED} more`);
  }
  if (s.problems.length > 0) {
    const byReason = new Map<string, BuildSummary['problems']>();
    for (const p of s.problems) byReason.set(p.reason, [...(byReason.get(p.reason) ?? []), p]);
    lines.push('skipped:');
    for (const [reason, list] of [...byReason].sort((a, b) => b[1].length - a[1].length)) {
      lines.push(`  ${reason} (${list.length}):`);
      for (const p of list.slice(0, MAX_LISTED)) lines.push(`    ${rel(p.where)}${p.detail ? ` (${p.detail})` : ''}`);
      if (list.length > MAX_LISTED) lines.push(`    … and ${list.length - MAX_LISTED} more`);
    }
  }
  lines.push(
    `output: ${rel(s.outputDir)}/ (index.html, feeds.opml, all/, one folder per source)`,
    `serve:     npm run serve (wxfeed serve), or npm run daemon (wxfeed daemon) to rebuild on a schedule too: ${config.baseUrl}`,
    `subscribe: add ${config.baseUrl}feeds.opml (every source) or ${config.baseUrl}all/atom.xml to your reader;`,
    `           open ${config.baseUrl}index.html for each source's Atom, RSS and JSON links.`,
  );
  return lines.join('\n');
}

/** A one-line progress bar on a TTY: dump files read (long reads only), pages fetched (always: they are slow). */
export function progressBar(
  stream: NodeJS.WriteStream,
): (done: number, total: number, unit?: 'files' | 'pages') => void {
  let last = 0;
  return (done, total, unit = 'files') => {
    if (unit === 'files' && total < 2000) return; // only for long work
    const t = Date.now();
    if (done < total && t - last < 100) return;
    last = t;
    const width = 30;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${unit}`);
    if (done >= total) stream.write('\n');
  };
}

/**
 * Human output of a build: a short summary, problems by reason, how to subscribe. Names from outside are quoted as git
 * quotes paths, so a file name cannot clear the screen, retitle the window, forge a line or reorder the rest of it.
 */
import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import type { Config } from '../types.js';
import { shanghaiIso } from '../time.js';
import type { BuildSummary } from '../stages/summary.js';

const MAX_LISTED = 20;

/** An instant as people read it here: Beijing time to the minute (`2026-12-06 10:23 +08:00`). */
export function beijingMinute(ms: number): string {
  const s = shanghaiIso(ms);
  return `${s.slice(0, 10)} ${s.slice(11, 16)} +08:00`;
}

/**
 * Invisible characters that change what a terminal shows: bidi controls reorder a line (`abc\u202etxt.exe`), U+2028/9
 * break it, zero-width and tag characters make names look alike. Not ZWJ, ZWNJ or variation selectors: emoji need them.
 */
const FORMAT = String.raw`\u00ad\u061c\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}`;
const C_CONTROLS = String.raw`\u0000-\u001f\u007f-\u009f`;
/** Characters that make a name need quoting: controls, the format characters above, the quote and backslash. */
const NEEDS_QUOTING = new RegExp(`[${C_CONTROLS}${FORMAT}"\\\\]`, 'u');
const QUOTED = new RegExp(NEEDS_QUOTING.source, 'gu');
const CONTROL = new RegExp(`[${C_CONTROLS}${FORMAT}]`, 'gu');
const IS_FORMAT = new RegExp(`^[${FORMAT}]$`, 'u');
const C_ESCAPES: Record<number, string> = {
  7: 'a',
  8: 'b',
  9: 't',
  10: 'n',
  11: 'v',
  12: 'f',
  13: 'r',
  34: '"',
  92: '\\',
};

/**
 * One character as git writes it inside quotes: a C escape, or octal bytes (of its UTF-8) for another control; a
 * format character as its code point (`\u202e`, `\u{e0041}`), which says which one it is.
 */
function escapeChar(ch: string): string {
  const code = ch.codePointAt(0)!;
  const named = C_ESCAPES[code];
  if (named) return `\\${named}`;
  if (IS_FORMAT.test(ch))
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  return [...Buffer.from(ch, 'utf8')].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
}

/**
 * A name as git prints a path: as it is unless it holds a control or format character, `"` or `\`; else in quotes
 * with C escapes, octal for other control bytes (`"a\033[2J.md"`) and code points for format characters.
 */
export function quoteName(name: string): string {
  if (!NEEDS_QUOTING.test(name)) return name;
  return `"${name.replace(QUOTED, escapeChar)}"`;
}

/**
 * Text from elsewhere whose names cannot be told apart (a message): its control and format characters escaped, no
 * quotes.
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, escapeChar);
}

/** What JSON.stringify leaves raw that a terminal acts on: DEL, the C1 controls and the format characters. */
const RAW_IN_JSON = new RegExp(`[\\u007f-\\u009f${FORMAT}]`, 'gu');

/**
 * A value as JSON for a terminal (`--json`): DEL, the C1 controls and the format characters, which JSON.stringify
 * leaves raw, as `\u` escapes: the same value to a JSON reader, nothing raw to the terminal.
 */
export function terminalJson(value: unknown): string {
  return JSON.stringify(value).replace(RAW_IN_JSON, (ch) =>
    Array.from({ length: ch.length }, (_, i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''),
  );
}

/** A word for a shell command line: as it is when safe, else in single quotes (git-quoted when it holds controls). */
export function shellWord(word: string): string {
  if (NEEDS_QUOTING.test(word)) return quoteName(word);
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface SummaryOptions {
  /** Paths under this folder are shown relative to it. */
  cwd?: string;
  /** Add how to serve and subscribe (the CLI does on a terminal). */
  hint?: boolean;
  /** The --config given, repeated in the hint's commands. */
  configFile?: string | undefined;
  /** Problems only (`--quiet`): empty when there are none. */
  quiet?: boolean;
  /**
   * With `quiet`: the fingerprints (`problemFingerprints`) of the problems an earlier build reported. Those are
   * counted, not listed again; only the new ones are.
   */
  known?: ReadonlySet<string>;
}

/** One problem as a short fingerprint: its place and reason (a detail that changes is the same problem). */
const fingerprint = (p: { where: string; reason: string }): string =>
  createHash('sha256').update(`${p.where}\u0000${p.reason}`).digest('base64url').slice(0, 16);

/** The fingerprints of a build's problems and fetch failures, for the next quiet build to tell the new ones. */
export function problemFingerprints(s: BuildSummary): string[] {
  return [...new Set([...s.problems, ...(s.warnings ?? []), ...(s.fetch?.failures ?? [])].map(fingerprint))];
}

/** The text `wxfeed build` prints: counts, fetch failures, problems by reason and, with `hint`, how to subscribe. */
export function formatSummary(s: BuildSummary, config: Config, opts: SummaryOptions = {}): string {
  const cwd = opts.cwd ?? process.cwd();
  const rel = (p: string): string => {
    const r = relative(cwd, p);
    return quoteName(r && !r.startsWith('..') ? r : p);
  };
  const detail = (d: string | undefined): string => (d ? ` (${quoteName(d)})` : '');
  // Files used despite a problem (an unreadable date) are listed with the problems, by reason.
  const all = [...s.problems, ...(s.warnings ?? [])];
  const known = opts.quiet ? opts.known : undefined;
  const isNew = (p: { where: string; reason: string }): boolean => !known?.has(fingerprint(p));
  const listed = known ? all.filter(isNew) : all;
  const fetchFailures = known ? (s.fetch?.failures ?? []).filter(isNew) : (s.fetch?.failures ?? []);
  const knownCount = known ? all.length - listed.length + (s.fetch?.failures.length ?? 0) - fetchFailures.length : 0;
  const lines = [
    `wxfeed: ${s.filesSeen} dump files (${s.filesRead} read, ${s.filesUnchanged} unchanged, ${s.filesRemoved} removed, ${listed.length} with problems)`,
    `        ${s.articles} articles, ${s.duplicatesMerged} duplicates merged, ${s.sources} sources`,
    `        feeds: ${s.feedsWritten} written, ${s.feedsUnchanged} unchanged; ${s.filesWritten.length} files written in ${(s.elapsedMs / 1000).toFixed(2)} s`,
  ];
  const failures: string[] = [];
  const problems: string[] = [];
  const f = s.fetch;
  if (f && (f.listed > 0 || f.due > 0 || f.failures.length > 0 || f.albums)) {
    lines.push(
      f.offline
        ? `        fetch: offline, nothing fetched (${f.listed} URLs listed)`
        : `        fetch: ${f.fetched} fetched, ${f.unchanged} unchanged, ${f.deleted} deleted, ${f.blocked} blocked, ${f.failed} failed, ${f.skippedByCooldown} skipped by cool-down, ${f.deferred} deferred (${f.listed} listed, ${f.due} due)`,
    );
    const a = f.albums;
    if (a)
      lines.push(
        f.offline
          ? `        albums: ${a.active} followed, not polled (offline)`
          : `        albums: ${a.active} followed, ${a.polled} polled of ${a.due} due (${a.listRequests + a.pageRequests} of ${a.budget} list requests), ${a.newItems} new articles, ${a.discovered} newly followed, ${a.failed} failed, ${a.blocked} blocked${a.deferred ? `, ${a.deferred} deferred to the next builds` : ''}${a.overCap ? `, ${a.overCap} not followed (follow.maxAlbumsPerAccount)` : ''}`,
      );
    if (f.unreachable)
      lines.push(`        WeChat unreachable: fetching skipped, ${f.skippedByCooldown + f.deferred} URLs wait`);
    if (f.cooldownUntil) {
      const why = f.unreachable ? 'WeChat unreachable' : 'captcha / rate limit';
      lines.push(
        `        fetching paused until ${beijingMinute(f.cooldownUntil)} (${why}; \`wxfeed resume\` ends the pause now)`,
      );
    }
    for (const p of fetchFailures.slice(0, MAX_LISTED))
      failures.push(`  ${p.reason}: ${quoteName(p.where)}${detail(p.detail)}`);
    if (fetchFailures.length > MAX_LISTED) failures.push(`  … and ${fetchFailures.length - MAX_LISTED} more`);
    lines.push(...failures);
  }
  if (listed.length > 0) {
    const byReason = new Map<string, BuildSummary['problems']>();
    for (const p of listed) byReason.set(p.reason, [...(byReason.get(p.reason) ?? []), p]);
    problems.push('problems:');
    for (const [reason, list] of [...byReason].sort((a, b) => b[1].length - a[1].length)) {
      problems.push(`  ${reason} (${list.length}):`);
      for (const p of list.slice(0, MAX_LISTED)) problems.push(`    ${rel(p.where)}${detail(p.detail)}`);
      if (list.length > MAX_LISTED) problems.push(`    … and ${list.length - MAX_LISTED} more`);
    }
  }
  if (opts.quiet) {
    const counted =
      knownCount > 0
        ? [
            `${knownCount} known problems, reported before (\`wxfeed build\` without -q lists them)${failures.length + problems.length > 0 ? '; new:' : ''}`,
          ]
        : [];
    return [...counted, ...(failures.length > 0 ? ['fetch failures:', ...failures] : []), ...problems].join('\n');
  }
  lines.push(...problems, `output: ${rel(s.outputDir)}/ (index.html, feeds.opml, all/, one folder per source)`);
  if (opts.hint) {
    const base = quoteName(config.baseUrl);
    const withConfig = opts.configFile ? ` --config ${shellWord(opts.configFile)}` : '';
    lines.push(
      withConfig
        ? `serve:     npm run serve --${withConfig} (wxfeed serve${withConfig}), or npm run daemon --${withConfig} (wxfeed daemon${withConfig}) to rebuild on a schedule too: ${base}`
        : `serve:     npm run serve (wxfeed serve), or npm run daemon (wxfeed daemon) to rebuild on a schedule too: ${base}`,
      `subscribe: add ${base}feeds.opml (each account and source; albums.opml holds their albums) or ${base}all/atom.xml to your reader;`,
      `           open ${base}index.html for each source's Atom, RSS and JSON links.`,
    );
  }
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

/**
 * Pure: the page template of a site, learned from its own dumps. A browser-based dumper captures the whole page of
 * every site that is not WeChat: the site's navigation above the article and its footer below, the same in every
 * dump of that site. No list of sites: the lines that open or close most of one source's dumps of one host are its
 * template, and the article is what lies between them.
 *
 * Learning is incremental. Each dump, read on its own (in a worker, with no knowledge of other files), gives its
 * `DumpBlocks`: a fingerprint and a weight (visible characters) for each of its first HEAD_LINES and last TAIL_LINES
 * non-blank lines, and how much text lies between them. The store keeps them per file; a group's template is learned
 * again from its files' blocks when a file of the group comes, changes or goes (`learnTemplate`). The same cut
 * (`articleSpan`) strips a body when it is read (`stripTemplate`) and tells, from the blocks alone, how much text a
 * template leaves a dump (`keptWeight`): only dumps left with little text can change state, and only they are read
 * again when the template changes.
 */
import type { DumpBlocks, PageTemplate } from '../types.js';
import { isCut, mentionsNotice, nextOf, VISIBLE_KIND, visibleLength } from './classify.js';

/** Non-blank lines at the top of a dump that may be its template's. */
export const HEAD_LINES = 160;
/** Non-blank lines at the end of a dump that may be its template's. */
export const TAIL_LINES = 64;
/** A group learns its template from this many dumps or more. */
export const MIN_DUMPS = 4;
/** A line is template when it opens or closes more than this share of the group's dumps. */
export const SHARE = 0.5;
/**
 * Text between template lines weighing more than this (visible characters) is always the article's; lighter text
 * there (the page's own title, a date, an author line) is the article's only when it is the heaviest.
 */
const HEAVY_TEXT = 240;
/** A line with more visible characters than this is never template (its fingerprint is NOT_TEMPLATE). */
const LONG_LINE = 400;
/**
 * Text kept (visible characters) at or below which a dump that mentions a notice may be that notice once its template
 * is removed (a notice holds at most 400; the byline and UI words chrome.ts removes after the template, ~200 more).
 */
const SMALL_TEXT = 600;
/** Text kept at or below which a dump may be left with no text at all (a shell) once chrome.ts has run. */
const TINY_TEXT = 40;

/** Fingerprint of a line that can never be template (too long). */
export const NOT_TEMPLATE = 0;
/** Fingerprint of a line that repeats the dump's title: never learned; dropped at the top of what is kept. */
export const TITLE_LINE = 1;

export type { DumpBlocks };
/** A learned template (types.ts `PageTemplate`). */
export type Template = PageTemplate;

/**
 * The template group of a dump: its source and the host of its URL (`www.` dropped), so an aggregator's sites each
 * learn their own. None for WeChat (its page UI is chrome.ts's) and for dumps without a web URL.
 */
export function templateGroup(source: string, url: string | undefined): string | undefined {
  if (!url) return undefined;
  let host: string;
  try {
    const parsed = new URL(url.trim());
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    host = parsed.hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return undefined;
  }
  if (host === '' || host === 'weixin.qq.com' || host.endsWith('.weixin.qq.com')) return undefined;
  return `${source}\n${host}`;
}

/** For each `[` open on the line `fingerprint` reads: 1 when it opens an image (`![`), 0 a link (a stack, reused). */
let opened: Uint8Array = new Uint8Array(64);
const growStack = (stack: Uint8Array): Uint8Array => {
  const bigger = new Uint8Array(stack.length * 2);
  bigger.set(stack);
  return bigger;
};

/**
 * A 30-bit FNV-1a fingerprint (a small integer, fast as a Map key) of line [from, to) of `text` as a reader sees it:
 * whitespace squeezed, digit runs as one `0`, link targets left out (a share link names the page; image targets stay).
 */
function fingerprint(text: string, from: number, to: number): number {
  let h = FNV_OFFSET;
  let last = -1;
  let depth = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (PLAIN_KIND[c] === 0) {
      // Most characters: neither a bracket nor folded into a run.
      h = mix(h, c);
      last = c;
      continue;
    }
    if (c === 0x5b) {
      if (depth === opened.length) opened = growStack(opened);
      opened[depth++] = i > from && text.charCodeAt(i - 1) === 0x21 ? 1 : 0;
    } else if (c === 0x5d && text.charCodeAt(i + 1) === 0x28 && depth > 0 && opened[--depth] === 0) {
      // `](target)` of a link: the target is left out.
      const close = text.indexOf(')', i + 2);
      if (close >= 0 && close < to) {
        h = mix(h, 0x5d);
        last = 0x5d;
        i = close;
        continue;
      }
    }
    const code = folded(c, last);
    if (code < 0) continue;
    h = mix(h, code);
    last = code;
  }
  return finish(h);
}

const FNV_OFFSET = 0x811c9dc5;
/** One FNV-1a step. */
const mix = (h: number, code: number): number => Math.imul(h ^ code, 0x01000193);

/**
 * The code character `c` adds to a fingerprint after `last`, the code added before it: a run of digits adds one `0`,
 * a run of spaces one space; -1: nothing (the run goes on).
 */
function folded(c: number, last: number): number {
  if (c >= 0x30 && c <= 0x39) return last === 0x30 ? -1 : 0x30;
  if (c === 0x20 || c === 0x09 || c === 0x3000 || c === 0xa0) return last === 0x20 ? -1 : 0x20;
  return c;
}

/** A fingerprint's 30 bits, clear of the values that mean something else (NOT_TEMPLATE, TITLE_LINE). */
function finish(h: number): number {
  const print = h & 0x3fffffff;
  return print <= TITLE_LINE ? print + 2 : print;
}

/** True on a little-endian machine, where a Uint16Array over UTF-16LE bytes reads code units. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** The bytes `codeUnits` writes a text's code units into, reused from text to text (grown, never shrunk). */
let unitBytes = Buffer.alloc(1 << 16);
let unitView = new Uint16Array(unitBytes.buffer, unitBytes.byteOffset, unitBytes.length >> 1);

/**
 * The UTF-16 code units of `text` (lone surrogates as they are) and a 0 after them, in a view the next call reuses:
 * a typed array reads a code unit for less than `charCodeAt` on a slice of a larger string, as every dump's body is.
 */
export function codeUnits(text: string): Uint16Array {
  if (unitView.length <= text.length) {
    unitBytes = Buffer.alloc(2 * (text.length + 1));
    unitView = new Uint16Array(unitBytes.buffer, unitBytes.byteOffset, text.length + 1);
  }
  if (LITTLE_ENDIAN) unitBytes.write(text, 0, 'utf16le');
  else for (let i = 0; i < text.length; i++) unitView[i] = text.charCodeAt(i);
  // What lies past the text is read as no character (charCodeAt's NaN), never as a code unit of an earlier text.
  unitView[text.length] = 0;
  return unitView;
}

/**
 * What `lineFacts` found: the visible length (capped as visibleLength caps it), the fingerprint, and `open`: an image
 * or a link target the count began has no end on the line (read within more text, it may end on a later line).
 */
export const facts = { visible: 0, print: 0, open: false };

/**
 * `visibleLength(text, cap, from, to)` and `fingerprint(text, from, to)` of a line in one pass, into `facts` (the
 * visible length also returned). The two skip different parts (visibleLength images and link targets, fingerprint
 * link targets only): each keeps the index it reads from, and a character is read once for both while neither skips.
 * A line past `cap` stops early (never template: no fingerprint). `units`: the text's code units (`codeUnits`), read
 * instead of the string's; the string is searched for the ends of targets.
 */
export function lineFacts(text: string, from: number, to: number, cap: number, units: Uint16Array): number {
  // visibleLength's state: the count, 1 when a gap is pending before the next visible character, the index it reads
  // from (past an image or a link target it skips), its caches of the next `]` and `)`. A visible character has come
  // when the count is above 0.
  let n = 0;
  let gap = 0;
  let visibleFrom = from;
  let nextBracket = -2;
  let nextParen = -2;
  // fingerprint's state: the hash, the last code added, the `[` depth, the index it reads from, its cache of `)`.
  let h = FNV_OFFSET;
  let last = -1;
  let depth = 0;
  let printFrom = from;
  let printParen = -2;
  let open = false;
  let i = from;
  while (i < to) {
    if (i >= visibleFrom && i >= printFrom) {
      // Both read: every character up to a bracket or `![` in one loop (most lines have neither).
      for (; i < to; i++) {
        const c = units[i]!;
        const kind = PLAIN_KIND[c]!;
        if (kind === 0) {
          n += 1 + gap;
          gap = 0;
          if (n > cap) return pastCap(n, open);
          h = mix(h, c);
          last = c;
          continue;
        }
        if (kind & BRACKET || (kind & BANG && i + 1 < to && units[i + 1] === 0x5b)) break;
        if (kind & SEPARATOR) {
          if (n > 0) gap = 1;
        } else {
          n += 1 + gap;
          gap = 0;
          // visibleLength checks the cap at a visible character other than `!`.
          if (n > cap && !(kind & BANG)) return pastCap(n, open);
        }
        const code = folded(c, last);
        if (code >= 0) {
          h = mix(h, code);
          last = code;
        }
      }
      if (i >= to) break;
    } else if (i >= printFrom) {
      // Only the fingerprint reads (the count skips an image): up to a bracket or the end of the skip.
      const end = Math.min(to, visibleFrom);
      for (; i < end; i++) {
        const c = units[i]!;
        if (PLAIN_KIND[c]! & BRACKET) break;
        const code = folded(c, last);
        if (code >= 0) {
          h = mix(h, code);
          last = code;
        }
      }
      if (i >= end) continue;
    } else if (i < visibleFrom) {
      // Both skip: on to the next index either reads.
      i = Math.min(visibleFrom, printFrom);
      continue;
    }
    // A bracket or `![` (or a character only the count reads): each reading on its own.
    const c = units[i]!;
    if (i >= visibleFrom) {
      const k = VISIBLE_KIND[c]!;
      visibleFrom = i + 1;
      if (k === 0) {
        n += 1 + gap;
        gap = 0;
        if (n > cap) return pastCap(n, open);
      } else if (k === 2) {
        if (i + 1 < to && units[i + 1] === 0x5b) {
          // ![alt](target): nothing visible.
          nextBracket = nextOf(text, 0x5d, i + 2, nextBracket, to);
          if (nextBracket >= 0 && nextBracket + 1 < to && units[nextBracket + 1] === 0x28) {
            nextParen = nextOf(text, 0x29, nextBracket + 2, nextParen, to);
            if (nextParen >= 0) visibleFrom = nextParen + 1;
            else open = true;
          } else if (nextBracket < 0) open = true;
        }
        if (visibleFrom === i + 1) {
          n += 1 + gap;
          gap = 0;
        }
      } else {
        if (k === 3 && i + 1 < to && units[i + 1] === 0x28) {
          // ](target): the bracket stays (a space), the target goes.
          nextParen = nextOf(text, 0x29, i + 2, nextParen, to);
          if (nextParen >= 0) visibleFrom = nextParen + 1;
          else open = true;
        }
        if (n > 0) gap = 1;
      }
    }
    if (i >= printFrom) {
      printFrom = i + 1;
      if (c === 0x5b) {
        if (depth === opened.length) opened = growStack(opened);
        opened[depth++] = i > from && units[i - 1] === 0x21 ? 1 : 0;
      } else if (c === 0x5d && units[i + 1] === 0x28 && depth > 0 && opened[--depth] === 0) {
        // `](target)` of a link: the target is left out.
        printParen = nextOf(text, 0x29, i + 2, printParen, to);
        if (printParen >= 0) printFrom = printParen + 1;
      }
      const code = printFrom === i + 1 ? folded(c, last) : c;
      if (code >= 0) {
        h = mix(h, code);
        last = code;
      }
    }
    i++;
  }
  if (n > cap) return pastCap(n, open);
  facts.visible = n;
  facts.print = finish(h);
  facts.open = open;
  return n;
}

/** A line past the cap: its count so far (what follows on it changes neither that nor that it is past the cap). */
function pastCap(n: number, open: boolean): number {
  facts.visible = n;
  facts.print = NOT_TEMPLATE;
  facts.open = open;
  return n;
}

/**
 * For the tests only: the plain definition of a line's fingerprint, which `lineFacts` computes fused with the line's
 * visible length (the tests hold the two equal).
 */
export const forTesting = { fingerprint };

/** `PLAIN_KIND` bits: a `[` or `]`; not visible (VISIBLE_KIND 1); a digit or a space, which `folded` folds in runs; `!`. */
const BRACKET = 1;
const SEPARATOR = 2;
const FOLDED = 4;
const BANG = 8;

/** What each UTF-16 code unit is to `lineFacts`: 0 for a visible character a fingerprint adds as it is (most text). */
const PLAIN_KIND = (() => {
  const kind = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    if (c === 0x5b || c === 0x5d) kind[c]! |= BRACKET;
    if (VISIBLE_KIND[c] === 1) kind[c]! |= SEPARATOR;
    // A digit or a space: folded into a run (`0` too: the same code, but only once per run).
    if (folded(c, -1) !== c || folded(c, c) < 0) kind[c]! |= FOLDED;
    if (c === 0x21) kind[c]! |= BANG;
  }
  return kind;
})();

/** Text without whitespace, backslashes and markdown's marks, as a line and the title are compared. */
const marklessForm = (text: string): string => text.replace(/[\s\\#*_`>[\]]+/g, '');

/** The visible text of a line in marklessForm, as the title is compared with it. */
function titleForm(line: string): string {
  return marklessForm(line.replace(/!\[[^\]]*\]\([^)]*\)/g, '').replace(/\]\([^)]*\)/g, ''));
}

/** The dump's title as lines are compared with it: in marklessForm, and a letter or two of it to look for first. */
interface TitleKey {
  squashed: string;
  probe: string;
}

function titleKey(title: string): TitleKey {
  // Letters and digits: markdown escapes and emphasis never split them.
  return { squashed: marklessForm(title), probe: /[\p{L}\p{N}]{1,3}/u.exec(title)?.[0] ?? '' };
}

/** True for the code units String.prototype.trim removes that dumps hold (spaces, tabs, CR, NBSP, U+3000, BOM). */
function isSpace(c: number): boolean {
  return (
    c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0b || c === 0x0c || c === 0x3000 || c === 0xa0 || c === 0xfeff
  );
}

/** The non-blank lines of a body: where each starts and ends, without the white space around it. */
export function lineSpans(body: string): { starts: number[]; ends: number[] } {
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  while (at <= body.length) {
    let end = body.indexOf('\n', at);
    if (end < 0) end = body.length;
    let from = at;
    let to = end;
    while (from < to && isSpace(body.charCodeAt(from))) from++;
    while (to > from && isSpace(body.charCodeAt(to - 1))) to--;
    if (to > from) {
      starts.push(from);
      ends.push(to);
    }
    at = end + 1;
  }
  return { starts, ends };
}

/** True when the dump's blocks describe every line (no middle). */
const whole = (lines: number): boolean => lines <= HEAD_LINES + TAIL_LINES;

/**
 * The weight of line [from, to) of the body (trimmed), and its fingerprint: TITLE_LINE, NOT_TEMPLATE (too long, or,
 * in a dump that mentions one, a notice: a site that relays WeChat's captcha page in most dumps still relays a
 * captcha), or its own.
 */
function describe(
  body: string,
  units: Uint16Array,
  from: number,
  to: number,
  title: TitleKey,
  notice: boolean,
  out: { print: number; weight: number; count: number },
): void {
  lineFacts(body, from, to, LONG_LINE, units);
  const visible = facts.visible;
  out.count = facts.open ? OPEN_LINE : visible;
  // Weights are kept in a byte: a longer line counts 255, enough to tell text from a template's lines.
  out.weight = Math.min(visible, 255);
  // A title line shows the title's characters and little else: its visible length is close to the title's.
  if (title.squashed !== '' && visible >= title.squashed.length && visible <= 2 * title.squashed.length + 8) {
    const line = body.slice(from, to);
    if (line.includes(title.probe) && titleForm(line) === title.squashed) {
      out.print = TITLE_LINE;
      return;
    }
  }
  if (visible > LONG_LINE || (notice && mentionsNotice(body.slice(from, to)))) out.print = NOT_TEMPLATE;
  else out.print = facts.print;
}

/** Visible characters between a body's head and tail windows (none when it has no more lines), capped. */
function middleWeight(body: string, starts: number[], ends: number[]): number {
  const n = starts.length;
  if (whole(n)) return 0;
  return Math.min(visibleLength(body, SMALL_TEXT, starts[HEAD_LINES], ends[n - TAIL_LINES - 1]), SMALL_TEXT + 1);
}

/**
 * Whether a notice phrase in the body matters: only in a body whose text between its windows is short enough for a
 * template to leave a notice (the phrase is then looked for, and the lines holding one are never template).
 */
function noticeIn(body: string, middle: number): boolean {
  return middle <= SMALL_TEXT && mentionsNotice(body);
}

/** A dump's body as the template reads it: its non-blank lines, and the blocks of its first and last ones. */
export interface PageLines extends Omit<DumpBlocks, 'group'> {
  body: string;
  starts: number[];
  ends: number[];
  /** Per line of the blocks: its visible length as visibleLength counts the line alone (capped), or OPEN_LINE. */
  counts: Uint16Array;
}

/** Read a body's lines once: what learning needs of it (`dumpBlocks`), and what stripping it needs (`withoutTemplate`). */
export function pageLines(body: string, title: string): PageLines {
  const { starts, ends } = lineSpans(body);
  const lines = starts.length;
  const key = titleKey(title);
  const middle = middleWeight(body, starts, ends);
  const notice = noticeIn(body, middle);
  const count = whole(lines) ? lines : HEAD_LINES + TAIL_LINES;
  const prints = new Uint32Array(count);
  const weights = new Uint8Array(count);
  const counts = new Uint16Array(count);
  const d = { print: 0, weight: 0, count: 0 };
  const units = codeUnits(body);
  for (let k = 0; k < count; k++) {
    const li = k < HEAD_LINES || whole(lines) ? k : lines - TAIL_LINES + (k - HEAD_LINES);
    describe(body, units, starts[li]!, ends[li]!, key, notice, d);
    prints[k] = d.print;
    weights[k] = d.weight;
    counts[k] = d.count;
  }
  return { body, starts, ends, counts, lines, prints, weights, middle, cut: isCut(body), notice };
}

/** A line's count when an image or a link target it opens has no end on it (`facts.open`). */
const OPEN_LINE = 0xffff;

/**
 * At most the visible length of [from, to) of the body, whole lines of it, as visibleLength counts that part alone:
 * from its lines' counts, one gap between lines with text, up to a line with an image or link target open (that may
 * hide what follows) or past LONG_LINE (counted only that far). 0 when the blocks do not describe every line.
 */
export function visibleAtLeast(page: PageLines, from: number, to: number): number {
  if (!whole(page.lines)) return 0;
  let n = 0;
  for (let k = 0; k < page.lines; k++) {
    if (page.starts[k]! < from) continue;
    if (page.ends[k]! > to) break;
    const count = page.counts[k]!;
    if (count === OPEN_LINE) break;
    if (count > 0) n += (n > 0 ? 1 : 0) + count;
    if (count > LONG_LINE) break;
  }
  return n;
}

/** What a dump gives its group's template (`group` from templateGroup). */
export function blocksOf(page: PageLines, group: string): DumpBlocks {
  const { lines, prints, weights, middle, cut, notice } = page;
  return { group, lines, prints, weights, middle, cut, notice };
}

/** What a dump gives its group's template, from its body and title. */
export function dumpBlocks(group: string, body: string, title: string): DumpBlocks {
  return blocksOf(pageLines(body, title), group);
}

/**
 * Learn a group's template from its dumps' blocks: the fingerprints in more than SHARE of them, or in the last lines
 * of more than SHARE of the uncut ones; none below MIN_DUMPS. The same dumps give the same template in any order.
 */
export function learnTemplate(dumps: Iterable<Pick<DumpBlocks, 'lines' | 'prints' | 'cut'>>): Template | undefined {
  const slots = new PrintSlots();
  let n = 0;
  let closed = 0;
  for (const d of dumps) {
    n++;
    // The last lines of a dump the dumper cut are the article's, not the footer.
    const closingFrom = d.cut ? d.prints.length : Math.max(0, d.prints.length - TAIL_LINES);
    for (let i = 0; i < d.prints.length; i++) {
      const p = d.prints[i]!;
      if (p === NOT_TEMPLATE || p === TITLE_LINE) continue;
      slots.count(p, n, i >= closingFrom);
    }
    if (!d.cut) closed++;
  }
  const many = n >= MIN_DUMPS ? n * SHARE : Number.POSITIVE_INFINITY;
  const manyClosing = closed >= MIN_DUMPS ? closed * SHARE : Number.POSITIVE_INFINITY;
  const frequent = slots.frequent(many, manyClosing);
  return frequent.length > 0 ? { prints: frequent.sort((a, b) => a - b) } : undefined;
}

/**
 * Per fingerprint met while learning: how many dumps hold it anywhere and in their closing lines, and the last dump
 * that counted it there (a dump counts a fingerprint once). An open-addressing table of typed arrays: one probe per
 * line of every dump, no Map and no boxed numbers. Fingerprints of lines are never 0 (NOT_TEMPLATE), the empty mark.
 */
class PrintSlots {
  private keys = new Int32Array(1024);
  private anywhere = new Int32Array(1024);
  private closing = new Int32Array(1024);
  private lastAnywhere = new Int32Array(1024);
  private lastClosing = new Int32Array(1024);
  private used = 0;

  /** Dump `dump` (numbered from 1) holds `print`, in its closing lines when `closingLine`. */
  count(print: number, dump: number, closingLine: boolean): void {
    const at = this.slot(print);
    if (this.lastAnywhere[at] !== dump) {
      this.lastAnywhere[at] = dump;
      this.anywhere[at]!++;
    }
    if (closingLine && this.lastClosing[at] !== dump) {
      this.lastClosing[at] = dump;
      this.closing[at]!++;
    }
  }

  /** The fingerprints held anywhere by more than `many` dumps, or in the closing lines of more than `manyClosing`. */
  frequent(many: number, manyClosing: number): number[] {
    const out: number[] = [];
    for (let at = 0; at < this.keys.length; at++)
      if (this.keys[at] !== 0 && (this.anywhere[at]! > many || this.closing[at]! > manyClosing))
        out.push(this.keys[at]!);
    return out;
  }

  private slot(print: number): number {
    const mask = this.keys.length - 1;
    for (let at = Math.imul(print, 0x9e3779b1) & mask; ; at = (at + 1) & mask) {
      const key = this.keys[at]!;
      if (key === print) return at;
      if (key === 0) {
        if (2 * (this.used + 1) > this.keys.length) {
          this.grow();
          return this.slot(print);
        }
        this.keys[at] = print;
        this.used++;
        return at;
      }
    }
  }

  private grow(): void {
    const old = {
      keys: this.keys,
      anywhere: this.anywhere,
      closing: this.closing,
      lastAnywhere: this.lastAnywhere,
      lastClosing: this.lastClosing,
    };
    const size = old.keys.length * 2;
    this.keys = new Int32Array(size);
    this.anywhere = new Int32Array(size);
    this.closing = new Int32Array(size);
    this.lastAnywhere = new Int32Array(size);
    this.lastClosing = new Int32Array(size);
    this.used = 0;
    for (let from = 0; from < old.keys.length; from++) {
      if (old.keys[from] === 0) continue;
      const at = this.slot(old.keys[from]!);
      this.anywhere[at] = old.anywhere[from]!;
      this.closing[at] = old.closing[from]!;
      this.lastAnywhere[at] = old.lastAnywhere[from]!;
      this.lastClosing[at] = old.lastClosing[from]!;
    }
  }
}

/** A short stable name of a template (equal templates, equal ids; '' for none). */
export function templateId(t: Template | undefined): string {
  if (!t) return '';
  let h = 0x811c9dc5;
  for (const p of t.prints) {
    h ^= p >>> 16;
    h = Math.imul(h, 0x01000193);
    h ^= p & 0xffff;
    h = Math.imul(h, 0x01000193);
  }
  return `${t.prints.length}.${(h >>> 0).toString(36)}`;
}

/** Lines as articleSpan reads them: `weight` of the middle (lines outside the windows) counts as one line. */
interface Lines {
  /** Lines in the body. */
  lines: number;
  print(i: number): number;
  weight(i: number): number;
  /** Visible characters of the lines between the windows (none when the blocks describe every line). */
  middle: number;
}

const setOf = new WeakMap<Template, Set<number>>();

/**
 * The article's lines [from, to): the heaviest run between template lines, widened to every run heavier than
 * HEAVY_TEXT and to the middle (never template); a repeated title at its top dropped. All template: [0, 0).
 */
export function articleSpan(body: Lines, t: Template): { from: number; to: number } {
  let set = setOf.get(t);
  if (!set) {
    set = new Set(t.prints);
    setOf.set(t, set);
  }
  const n = body.lines;
  const middleFrom = whole(n) ? n : HEAD_LINES;
  const middleTo = whole(n) ? n : n - TAIL_LINES;
  const runs: Array<{ from: number; to: number; weight: number; middle: boolean }> = [];
  let run: { from: number; to: number; weight: number; middle: boolean } | undefined;
  for (let i = 0; i < n; ) {
    if (i === middleFrom && middleTo > middleFrom) {
      run ??= { from: i, to: i, weight: 0, middle: true };
      run.middle = true;
      run.weight += body.middle;
      i = middleTo;
      run.to = i;
      continue;
    }
    if (set.has(body.print(i))) {
      if (run) runs.push(run);
      run = undefined;
    } else {
      run ??= { from: i, to: i, weight: 0, middle: false };
      if (body.print(i) !== TITLE_LINE) run.weight += body.weight(i);
      run.to = i + 1;
    }
    i++;
  }
  if (run) runs.push(run);
  let main: (typeof runs)[number] | undefined;
  for (const r of runs) if (r.weight > 0 && (!main || r.weight > main.weight)) main = r;
  if (!main) return { from: 0, to: 0 };
  let from = main.from;
  let to = main.to;
  for (const r of runs) {
    if (r.weight <= HEAVY_TEXT && !r.middle) continue;
    from = Math.min(from, r.from);
    to = Math.max(to, r.to);
  }
  while (from < to && body.print(from) === TITLE_LINE) from++;
  return { from, to };
}

/** The lines of stored blocks, as articleSpan reads them. */
function blockLines(b: Pick<DumpBlocks, 'lines' | 'prints' | 'weights' | 'middle'>): Lines {
  const at = (i: number): number => (whole(b.lines) || i < HEAD_LINES ? i : HEAD_LINES + (i - (b.lines - TAIL_LINES)));
  return { lines: b.lines, print: (i) => b.prints[at(i)]!, weight: (i) => b.weights[at(i)]!, middle: b.middle };
}

/**
 * Visible characters a dump keeps under a template (its whole text without one), from its blocks: the middle counted
 * up to SMALL_TEXT + 1. At or below SMALL_TEXT the dump may be a shell or a notice once the template is removed.
 */
export function keptWeight(
  b: Pick<DumpBlocks, 'lines' | 'prints' | 'weights' | 'middle'>,
  t: Template | undefined,
): number {
  const lines = blockLines(b);
  const { from, to } = t ? articleSpan(lines, t) : { from: 0, to: b.lines };
  let sum = 0;
  const middleFrom = whole(b.lines) ? b.lines : HEAD_LINES;
  const middleTo = whole(b.lines) ? b.lines : b.lines - TAIL_LINES;
  for (let i = from; i < to; i++) {
    if (i === middleFrom && middleTo > middleFrom) {
      sum += b.middle;
      i = middleTo - 1;
      continue;
    }
    sum += lines.weight(i);
  }
  return sum;
}

/**
 * True when the template can change what a dump is (a shell, a notice), so it must be read with it; any other dump
 * is the article with or without it (only its text, read when a feed shows it, loses the template).
 */
export function readWithTemplate(
  b: Pick<DumpBlocks, 'lines' | 'prints' | 'weights' | 'middle' | 'notice'>,
  t: Template,
): boolean {
  const kept = keptWeight(b, t);
  return kept <= TINY_TEXT || (b.notice && kept <= SMALL_TEXT);
}

/** The body without its template: the article's lines, from the first to the last (blank lines between kept). */
export function withoutTemplate(page: PageLines, t: Template): { body: string; removed: boolean } {
  const { from, to } = articleSpan(blockLines(page), t);
  if (from === 0 && to === page.lines) return { body: page.body, removed: false };
  if (from >= to) return { body: '', removed: true };
  return { body: page.body.slice(page.starts[from], page.ends[to - 1]), removed: true };
}

/** The body without its template (`withoutTemplate` of its lines). */
export function stripTemplate(body: string, title: string, t: Template): { body: string; removed: boolean } {
  return withoutTemplate(pageLines(body, title), t);
}

/**
 * For the tests: stripChrome (dumps/chrome.ts) as it was written over an index of every line of the body, before it
 * found only the lines it looks at (the rules of which lines are chrome are chrome.ts's own). The tests hold the two
 * equal.
 */
import { forTesting, type Stripped } from '../../src/dumps/chrome.js';
import { isTrimmed } from '../../src/content/text.js';

const { UI_LINES, COVER, HEADING, SENTENCE_PUNCT, TAIL_ANCHOR, headingForm, isStrongUi, isUiish, isBylineCandidate } =
  forTesting;

/**
 * The lines of a body (split at `\n`, as `split('\n')` would) by where they start and end: a line is sliced only when
 * it is looked at, and what is kept is one slice of the body (no array of every line, no joining them again).
 */
class BodyLines {
  readonly starts: number[] = [];
  readonly ends: number[] = [];

  constructor(readonly body: string) {
    let at = 0;
    for (;;) {
      const end = body.indexOf('\n', at);
      this.starts.push(at);
      this.ends.push(end < 0 ? body.length : end);
      if (end < 0) break;
      at = end + 1;
    }
  }

  get length(): number {
    return this.starts.length;
  }

  at(i: number): string {
    return this.body.slice(this.starts[i], this.ends[i]);
  }

  /** True when line `i` holds only white space (`trim()` leaves nothing), without slicing it. */
  blank(i: number): boolean {
    for (let k = this.starts[i]!; k < this.ends[i]!; k++) if (!isTrimmed(this.body.charCodeAt(k))) return false;
    return true;
  }

  /** The line holding the character at `offset`. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Lines [from, to) as `slice(from, to).join('\n')` would give them. */
  join(from: number, to: number): string {
    return to > from ? this.body.slice(this.starts[from], this.ends[to - 1]) : '';
  }
}

function nextNonBlank(lines: BodyLines, from: number): number {
  let i = from;
  while (i < lines.length && lines.blank(i)) i++;
  return i;
}

function stripTop(
  lines: BodyLines,
  title: string,
  names: Set<string>,
): { start: number; cover?: string; hadTitle: boolean; firstHeading?: string } {
  let i = nextNonBlank(lines, 0);
  let cover: string | undefined;
  let hadTitle = false;
  let firstHeading: string | undefined;
  const want = headingForm(title);
  for (let step = 0; step < 3 && i < lines.length; step++) {
    const line = lines.at(i).trim();
    const heading = HEADING.exec(line);
    const coverMatch = COVER.exec(line);
    if (heading && firstHeading === undefined) firstHeading = heading[1];
    if (heading && (want === '' || headingForm(heading[1]!) === want) && line.startsWith('# ')) {
      hadTitle = true;
    } else if (coverMatch && cover === undefined) {
      cover = coverMatch[1] || undefined;
    } else break;
    i = nextNonBlank(lines, i + 1);
  }
  if (!hadTitle) return { start: i, cover, hadTitle, firstHeading };
  return { start: stripByline(lines, i, names), cover, hadTitle, firstHeading };
}

/**
 * The byline under the title: `原创`, the author, the account name. Removed through the line naming the account
 * (the dump's source); when the source is an aggregator, through the lines after a leading `原创`.
 */
function stripByline(lines: BodyLines, start: number, names: Set<string>): number {
  const block: number[] = [];
  let i = start;
  while (block.length < 4 && i < lines.length && isBylineCandidate(lines.at(i).trim())) {
    block.push(i);
    i = nextNonBlank(lines, i + 1);
  }
  let cut = -1;
  block.forEach((at, n) => {
    if (names.has(lines.at(at).trim()) && n < 4) cut = n;
  });
  if (cut < 0 && block.length > 0 && lines.at(block[0]!).trim() === '原创') {
    cut = 0;
    for (let n = 1; n < Math.min(block.length, 3); n++) {
      const line = lines.at(block[n]!);
      if (SENTENCE_PUNCT.test(line) || line.trim().length > 24) break;
      cut = n;
    }
  }
  return cut < 0 ? start : nextNonBlank(lines, block[cut]! + 1);
}

/**
 * The last line from `start` on that is the anchor alone (white space around it) with more UI text in the 39 lines
 * after it; -1 for none. Found by searching the body for the anchor, not by looking at every line.
 */
function findAnchor(lines: BodyLines, start: number): number {
  // Searched forward, then taken from the last: V8's lastIndexOf is far slower than indexOf on CJK text.
  const found: number[] = [];
  for (let at = lines.body.indexOf(TAIL_ANCHOR); at >= 0; at = lines.body.indexOf(TAIL_ANCHOR, at + 1)) found.push(at);
  for (let n = found.length - 1; n >= 0; n--) {
    const i = lines.lineOf(found[n]!);
    if (i < start) return -1;
    if (lines.at(i).trim() !== TAIL_ANCHOR) continue;
    for (let j = i + 1; j < Math.min(i + 40, lines.length); j++) {
      const after = lines.at(j).trim();
      if (after !== TAIL_ANCHOR && UI_LINES.has(after)) return i;
    }
  }
  return -1;
}

function stripTail(lines: BodyLines, start: number, names: Set<string>): { end: number; found: boolean } {
  const anchor = findAnchor(lines, start);
  if (anchor >= 0) return { end: anchor, found: true };
  let j = lines.length;
  while (j > start && isUiish(lines.at(j - 1).trim(), names)) j--;
  let k = j;
  while (k < lines.length && !isStrongUi(lines.at(k).trim())) k++;
  if (k >= lines.length) return { end: lines.length, found: false };
  return { end: k, found: true };
}

/** Remove the dumper's page chrome. `names` are the account names it may show (the source label, the author). */
export function stripChromeReference(body: string, title: string, names: Iterable<string>): Stripped {
  const lines = new BodyLines(body);
  const nameSet = new Set([...names].map((n) => n.trim()).filter(Boolean));
  const top = stripTop(lines, title, nameSet);
  const tail = stripTail(lines, top.start, nameSet);
  let end = Math.max(top.start, tail.end);
  while (end > top.start && lines.blank(end - 1)) end--;
  return {
    body: lines.join(top.start, end),
    at: end > top.start ? lines.starts[top.start]! : 0,
    cover: top.cover,
    hadTitleHeading: top.hadTitle,
    hadUiTail: tail.found,
    firstHeading: top.firstHeading,
  };
}

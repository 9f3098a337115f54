/**
 * Pure removal of the page UI text a browser-based dumper captures around a WeChat article: at the top the repeated
 * title headings, the `![cover_image](…)` line and the byline (account-name line); at the end the WeChat UI block
 * (预览时标签不可点 … 听过). Nothing else is removed.
 */
import { isTrimmed } from '../content/text.js';

/** Lines of the WeChat UI, as dumpers capture them. */
const UI_LINES = new Set([
  '预览时标签不可点',
  '微信扫一扫',
  '关注该公众号',
  '继续滑动看下一个',
  '轻触阅读原文',
  '向上滑动看下一个',
  '知道了',
  '使用小程序',
  '取消',
  '允许',
  '×',
  '分析',
  '微信扫一扫可打开此内容，',
  '使用完整服务',
  '微信扫一扫可打开此内容，使用完整服务',
  '视频',
  '小程序',
  '赞',
  '，轻点两下取消赞',
  '在看',
  '，轻点两下取消在看',
  '分享',
  '留言',
  '收藏',
  '听过',
  '阅读原文',
  '写留言',
  '喜欢此内容的人还喜欢',
  '人划线',
  'Scan to Follow',
  'Got It',
  'Cancel',
  'Allow',
  'Like',
  'Wow',
  'Share',
  'Comment',
  'Favorite',
  'Scan with Weixin to use this Mini Program',
  'Continue to read the next article',
  '微信扫一扫关注该公众号',
]);
const LONE_PUNCT = /^[：:，,。、；;！!？?·]+$/; // not "..." : that is how a cut dump ends
const UI_IMAGE = /^!\[(?:|跳转二维码|作者头像)\]\(\s*\)$|^!\[作者头像\]\([^)]*\)$/;
const ANY_IMAGE = /^!\[[^\]]*\]\([^)]*\)$/;
const COVER = /^!\[cover_image\]\(([^)\s]*)\)$/;
const HEADING = /^#{1,6}\s+(.*?)\s*#*$/;
const SENTENCE_PUNCT = /[。！？，,：:；;!?]/;

/** A body without the dumper's page chrome, and what the chrome showed. */
export interface Stripped {
  body: string;
  /** Where `body` starts in the text given. */
  at: number;
  cover?: string;
  /** True when the top had the dumper's title heading layout (a page capture). */
  hadTitleHeading: boolean;
  /** True when the WeChat UI block was found at the end. */
  hadUiTail: boolean;
  /** First heading text, the fallback title. */
  firstHeading?: string;
}

/** A title or heading as the two are compared: escaped quotes unescaped, no whitespace or backslashes. */
const headingForm = (text: string): string => text.replace(/\\"/g, '"').replace(/[\s\\]+/g, '');

function isStrongUi(line: string): boolean {
  return UI_LINES.has(line) || LONE_PUNCT.test(line) || UI_IMAGE.test(line);
}

/** A line that may stand in the UI block: UI text, blank, any image, or the account's name. */
function isUiish(line: string, names: Set<string>): boolean {
  return line === '' || isStrongUi(line) || ANY_IMAGE.test(line) || names.has(line);
}

/**
 * The lines of a body (split at `\n`, as `split('\n')` would), each named by the offset it starts at, and `end` after
 * the last: only the lines looked at are found (the first few, the last few, the anchor's), never every line, and
 * what is kept is one slice of the body.
 */
class BodyLines {
  /** The name of the place after the last line. */
  readonly end: number;

  constructor(readonly body: string) {
    this.end = body.length + 1;
  }

  /** Where the line starting at `at` ends (its newline, or the end of the body). */
  endOf(at: number): number {
    const end = this.body.indexOf('\n', at);
    return end < 0 ? this.body.length : end;
  }

  /** The line after the one starting at `at` (`end` after the last). */
  next(at: number): number {
    return this.endOf(at) + 1;
  }

  /** The line holding the character at `offset` (the last line for the body's length). */
  lineOf(offset: number): number {
    return offset <= 0 ? 0 : this.body.lastIndexOf('\n', offset - 1) + 1;
  }

  /** The line before the one starting at `at` (above 0, or `end`). */
  previous(at: number): number {
    return this.lineOf(at - 1);
  }

  at(line: number): string {
    return this.body.slice(line, this.endOf(line));
  }

  /** True when the line holds only white space (`trim()` leaves nothing), without slicing it. */
  blank(line: number): boolean {
    const end = this.endOf(line);
    for (let k = line; k < end; k++) if (!isTrimmed(this.body.charCodeAt(k))) return false;
    return true;
  }

  /** Lines [from, to) as `slice(from, to).join('\n')` would give them. */
  join(from: number, to: number): string {
    return to > from ? this.body.slice(from, this.endOf(this.previous(to))) : '';
  }
}

function nextNonBlank(lines: BodyLines, from: number): number {
  let i = from;
  while (i < lines.end && lines.blank(i)) i = lines.next(i);
  return i;
}

/** Byline lines worth looking at: short, plain, not markup. */
function isBylineCandidate(line: string): boolean {
  return (
    line.length > 0 && line.length <= 40 && !/^[!#*\->|[`<]|^\d+[.)]/.test(line) && !line.startsWith('以下文章来源于')
  );
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
  // The title as headings are compared with it, once a heading comes (most dumps of other sites have none on top).
  let want: string | undefined;
  for (let step = 0; step < 3 && i < lines.end; step++) {
    const line = lines.at(i).trim();
    const heading = HEADING.exec(line);
    const coverMatch = COVER.exec(line);
    if (heading && firstHeading === undefined) firstHeading = heading[1];
    want ??= heading ? headingForm(title) : undefined;
    if (heading && line.startsWith('# ') && (want === '' || headingForm(heading[1]!) === want)) {
      hadTitle = true;
    } else if (coverMatch && cover === undefined) {
      cover = coverMatch[1] || undefined;
    } else break;
    i = nextNonBlank(lines, lines.next(i));
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
  while (block.length < 4 && i < lines.end && isBylineCandidate(lines.at(i).trim())) {
    block.push(i);
    i = nextNonBlank(lines, lines.next(i));
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
  return cut < 0 ? start : nextNonBlank(lines, lines.next(block[cut]!));
}

/** The UI block's first line. Where it stands with more UI text after it, everything from it on is the UI block. */
const TAIL_ANCHOR = '预览时标签不可点';

/**
 * The last line from `start` on that is the anchor alone (white space around it) with more UI text in the 39 lines
 * after it; -1 for none. Found by searching the body for the anchor, not by looking at every line.
 */
function findAnchor(lines: BodyLines, start: number): number {
  // Searched forward, then taken from the last: V8's lastIndexOf is far slower than indexOf on CJK text.
  const found: number[] = [];
  for (let at = lines.body.indexOf(TAIL_ANCHOR); at >= 0; at = lines.body.indexOf(TAIL_ANCHOR, at + 1)) found.push(at);
  let looked = lines.end;
  for (let n = found.length - 1; n >= 0; n--) {
    // An anchor on the line of a later one: that line holds two, so it is not the anchor alone.
    if (looked <= found[n]!) continue;
    const i = lines.lineOf(found[n]!);
    looked = i;
    if (i < start) return -1;
    if (lines.at(i).trim() !== TAIL_ANCHOR) continue;
    let j = lines.next(i);
    for (let step = 1; step < 40 && j < lines.end; step++, j = lines.next(j)) {
      const after = lines.at(j).trim();
      if (after !== TAIL_ANCHOR && UI_LINES.has(after)) return i;
    }
  }
  return -1;
}

function stripTail(lines: BodyLines, start: number, names: Set<string>): { end: number; found: boolean } {
  const anchor = findAnchor(lines, start);
  if (anchor >= 0) return { end: anchor, found: true };
  let j = lines.end;
  while (j > start && isUiish(lines.at(lines.previous(j)).trim(), names)) j = lines.previous(j);
  let k = j;
  while (k < lines.end && !isStrongUi(lines.at(k).trim())) k = lines.next(k);
  if (k >= lines.end) return { end: lines.end, found: false };
  return { end: k, found: true };
}

/**
 * For the tests only: the rules of which lines are chrome, which the tests' reference (the same stripping over an
 * index of every line) shares with stripChrome.
 */
export const forTesting = {
  UI_LINES,
  COVER,
  HEADING,
  SENTENCE_PUNCT,
  TAIL_ANCHOR,
  headingForm,
  isStrongUi,
  isUiish,
  isBylineCandidate,
};

/** Remove the dumper's page chrome. `names` are the account names it may show (the source label, the author). */
export function stripChrome(body: string, title: string, names: Iterable<string>): Stripped {
  const lines = new BodyLines(body);
  const nameSet = new Set([...names].map((n) => n.trim()).filter(Boolean));
  const top = stripTop(lines, title, nameSet);
  const tail = stripTail(lines, top.start, nameSet);
  let end = Math.max(top.start, tail.end);
  while (end > top.start && lines.blank(lines.previous(end))) end = lines.previous(end);
  return {
    body: lines.join(top.start, end),
    at: end > top.start ? top.start : 0,
    cover: top.cover,
    hadTitleHeading: top.hadTitle,
    hadUiTail: tail.found,
    firstHeading: top.firstHeading,
  };
}

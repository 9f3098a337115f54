/**
 * For the tests: stripChrome (dumps/chrome.ts) as it was written over an index of every line of the body, before it
 * found only the lines it looks at. The tests hold the two equal.
 */
import type { Stripped } from '../../src/dumps/chrome.js';
import { isTrimmed } from '../../src/content/text.js';

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

/**
 * Pure: the card a reprinted WeChat article opens with, as a dump captures it, taken out of the body so that it can
 * be shown as one credit line ("转载自 X · 作者 Y") and the summary starts with the article's own text:
 *
 * ```
 * 以下文章来源于安全客          the account it comes from (sometimes "以下文章来源于X ，作者Y" on one line)
 * ，作者某某                    its author (may be missing)
 * ![](http://wx.qlogo.cn/…)    the account's avatar
 * **安全客**                    its name again
 * .                            a separator, present when a description follows
 * 安全客，安全资讯平台……        the account's description
 * ```
 *
 * The card may follow the reposting account's name (a byline line the dump kept) or an editor's note (编者荐语): the
 * name goes with the card, the note stays. Only a card near the top is taken (within the first lines of text).
 */

/** Where a reprinted article comes from, as its card names it. */
export interface Reprint {
  /** The account the article comes from. */
  from: string;
  /** Its author, when the card names one other than the account. */
  author?: string;
}

const CARD = /^以下文章来源于\s*(.*?)\s*$/;
const AUTHOR = /^[，,]\s*作者\s*(.+?)\s*$/;
const INLINE_AUTHOR = /^(.*?)\s*[，,]\s*作者\s*(.+?)\s*$/;
const IMAGE = /^!\[[^\]]*\]\([^)]*\)$/;
/** Lines of text the card may come after. */
const MAX_BEFORE = 8;
/** A line that can only be a name: short, no sentence punctuation, no markup. */
const NAME_LINE = /^[^。！？，,：:；;!?#*>|`[\]()]{1,40}$/;
const EDITOR_NOTE = /^(?:\*\*)?编者荐语/;
/** The longest account description taken as one. */
const MAX_DESCRIPTION = 200;

/** A name as the card's lines are compared with it: no whitespace, emphasis marks (`*`, `_`) or backslashes. */
const nameForm = (text: string): string => text.replace(/[\s*_\\]+/g, '');

/** The card taken out: the reprint it names and the markdown without it; the markdown as it is when it has none. */
export function splitReprint(markdown: string): { reprint?: Reprint; markdown: string } {
  if (!markdown.includes('以下文章来源于')) return { markdown };
  const lines = markdown.split('\n');
  const text = lines.flatMap((line, i) => (line.trim() ? [i] : []));
  const at = text.slice(0, MAX_BEFORE + 1).findIndex((i) => CARD.test(lines[i]!.trim()));
  if (at < 0) return { markdown };
  const card = parseCard(lines, text, at);
  if (!card) return { markdown };
  // A lone name line right before the card is the reposting account's byline: it goes with the card. An editor's
  // note (or anything else) stays.
  const before = text.slice(0, at);
  const byline =
    before.length === 1 && NAME_LINE.test(lines[before[0]!]!.trim()) && !EDITOR_NOTE.test(lines[before[0]!]!);
  const keep = byline ? [] : lines.slice(0, text[at]);
  const rest = lines.slice(card.end);
  return { reprint: card.reprint, markdown: [...keep, ...rest].join('\n').replace(/^\n+/, '') };
}

/** The card starting at the `at`-th line of text: what it names, and the line after it. */
function parseCard(lines: string[], text: number[], at: number): { reprint: Reprint; end: number } | undefined {
  let n = at;
  const line = (k: number) => (k < text.length ? lines[text[k]!]!.trim() : undefined);
  let from = CARD.exec(line(n)!)![1]!;
  let author: string | undefined;
  const inline = INLINE_AUTHOR.exec(from);
  if (inline) [from, author] = [inline[1]!, inline[2]!];
  n++;
  if (!author) {
    const next = AUTHOR.exec(line(n) ?? '');
    if (next) {
      author = next[1]!;
      n++;
    }
  }
  from = from.trim();
  if (!from) return undefined;
  // The avatar, then the account's name again: below the body's first line, at least one of them (or the author),
  // or this is a sentence that happens to start so, not a card.
  let seen = false;
  if (IMAGE.test(line(n) ?? '')) [n, seen] = [n + 1, true];
  if (line(n) !== undefined && nameForm(line(n)!) === nameForm(from)) [n, seen] = [n + 1, true];
  if (!seen && !author && at > 0) return undefined;
  if (line(n) === '.') {
    n++;
    const description = line(n);
    if (description && description.length <= MAX_DESCRIPTION && !/^[!#*>|`\-[]|^\d+[.)]/.test(description)) n++;
  }
  const end = n < text.length ? text[n]! : lines.length;
  return { reprint: { from, ...(author && author !== from ? { author } : {}) }, end };
}

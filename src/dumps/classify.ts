/**
 * Pure classification of what a dump captured: the article, a cut copy, the empty page shell, the captcha page,
 * or a notice (deleted, blocked, migrated, expired).
 */
import type { ContentState } from '../states.js';
import { isTrimmed } from '../content/text.js';

/** Notice phrases, checked in order. A notice body is short; a long article that quotes one is still an article. */
const NOTICES: Array<[ContentState, RegExp]> = [
  ['captcha', /环境异常|完成验证后即可继续访问|访问过于频繁|去验证/],
  ['deleted', /该内容已被发布者删除|The content has been deleted by the author/i],
  [
    'blocked',
    /此内容因违规无法查看|此内容发送失败无法查看|被投诉且经审核涉嫌侵权|该内容暂时无法查看|This content has been restricted/i,
  ],
  ['migrated', /该公众号已迁移|公众号迁移说明/],
  ['expired', /链接已过期|This link has expired/i],
];

/** Every phrase of the notices (no pattern above has a group: each is a plain list of alternatives). */
const PHRASES = NOTICES.flatMap(([, pattern]) => pattern.source.split('|'));
const LATIN = /[A-Za-z]/;
/**
 * Any notice phrase: the Chinese ones as they are, the English ones in any case. Two patterns, because one
 * case-insensitive pattern of both scans long bodies slower, and templates.ts scans most whole pages of other sites.
 */
const CHINESE = PHRASES.filter((p) => !LATIN.test(p));
const ENGLISH = PHRASES.filter((p) => LATIN.test(p));
const ANY_CHINESE = new RegExp(CHINESE.join('|'));
const ANY_ENGLISH = new RegExp(ENGLISH.join('|'), 'i');

/**
 * Cheap tests every text holding a phrase passes, and most bodies fail, so the patterns run on few: a part of each
 * Chinese phrase (a rare character where it holds one, else its last two), found by indexOf; for the English ones a
 * pattern of words they share, with any phrase it would miss added to it.
 */
const RARE = '迁嫌败暂异违繁删验';
const CHINESE_PROBES = [...new Set(CHINESE.map((p) => [...RARE].find((c) => p.includes(c)) ?? p.slice(-2)))];
const SHARED = /has (?:been|expired)/i;
const ENGLISH_PROBE = new RegExp([SHARED.source, ...ENGLISH.filter((p) => !SHARED.test(p))].join('|'), 'i');

function mayHoldChinese(text: string): boolean {
  for (const probe of CHINESE_PROBES) if (text.includes(probe)) return true;
  return false;
}

/** True when the text holds a notice phrase anywhere (a notice relayed inside a page, or an article quoting one). */
export function mentionsNotice(text: string): boolean {
  return (mayHoldChinese(text) && ANY_CHINESE.test(text)) || (ENGLISH_PROBE.test(text) && ANY_ENGLISH.test(text));
}

/** A notice body holds at most this much text. */
const NOTICE_MAX_TEXT = 400;
/** Dumpers cut bodies at about 8,000 characters and end them with `...`. */
const CUT_MIN_LENGTH = 6000;

/** True when the body ends the way the dumper cuts long bodies. */
export function isCut(body: string): boolean {
  const trimmed = body.trimEnd();
  return trimmed.endsWith('...') && trimmed.length >= CUT_MIN_LENGTH;
}

/** Text of a markdown body with images and link targets dropped, whitespace squeezed. */
export function visibleText(markdown: string): string {
  // One pass for the marks and the white space: a run of marks becoming a space, then a run of white space one space,
  // is a run of either becoming one space (`\s` apart from the class: V8 scans that form faster).
  return markdown
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/(?:\s|[#*_`>|[\]-])+/g, ' ')
    .trim();
}

/** What each UTF-16 code unit is to `visibleLength`: visible (0), a separator (1: `\s` or markdown punctuation), `!` (2), `]` (3). */
export const VISIBLE_KIND = (() => {
  const kind = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) if (isTrimmed(c)) kind[c] = 1;
  for (const ch of '#*_`>|[-') kind[ch.charCodeAt(0)] = 1;
  kind[0x21] = 2;
  kind[0x5d] = 3;
  return kind;
})();

/**
 * Whether the last `visibleLength` that counted a whole text to its end is `visibleText(…).length` for certain: false
 * when an image may change what visibleText reads as a link target (one starts inside a target, or right after a `]`).
 */
export const lastCount = { exact: true };

/**
 * `visibleText(markdown).length` in one linear pass, without building the text (it differs only where an image and a
 * link target overlap, which no dumper writes: `lastCount`). `cap`: stop once past it; `from`, `to`: a part counted as
 * if alone.
 */
export function visibleLength(
  markdown: string,
  cap = Number.POSITIVE_INFINITY,
  from = 0,
  to = markdown.length,
): number {
  let n = 0;
  let gap = false;
  let started = false;
  let nextBracket = -2; // position of the next ']' at or after the scan (-1: none), -2: not looked up yet
  let nextParen = -2;
  let nextImage = -2;
  let exact = true;
  const end = to;
  // A count passes a cap exactly when it passes the cap's integer part.
  const limit = Math.floor(cap);
  // (No closures here: this runs over every dump.)
  for (let i = from; i < end; ) {
    const k = VISIBLE_KIND[markdown.charCodeAt(i)]!;
    if (k === 0) {
      // A run of visible characters, counted at once: up to the one that takes the count past the cap.
      const stop = Math.min(end, i + Math.max(1, limit - n - (gap ? 1 : 0) + 1));
      let j = i + 1;
      while (j < stop && VISIBLE_KIND[markdown.charCodeAt(j)] === 0) j++;
      n += (gap ? 1 : 0) + (j - i);
      gap = false;
      started = true;
      if (n > cap) return n;
      i = j;
      continue;
    }
    if (k === 2 && i + 1 < end && markdown.charCodeAt(i + 1) === 0x5b) {
      // ![alt](target): nothing visible.
      nextBracket = nextOf(markdown, 0x5d, i + 2, nextBracket, end);
      if (nextBracket >= 0 && nextBracket + 1 < end && markdown.charCodeAt(nextBracket + 1) === 0x28) {
        nextParen = nextOf(markdown, 0x29, nextBracket + 2, nextParen, end);
        if (nextParen >= 0) {
          i = nextParen + 1;
          continue;
        }
      }
    } else if (k === 3 && i + 1 < end && markdown.charCodeAt(i + 1) === 0x28) {
      // ](target): the bracket stays (a space), the target goes.
      nextParen = nextOf(markdown, 0x29, i + 2, nextParen, end);
      if (nextParen >= 0) {
        if (nextImage !== -1 && nextImage < i + 2) nextImage = markdown.indexOf('![', i + 2);
        if (nextImage >= 0 && nextImage < nextParen) exact = false;
        if (started) gap = true;
        i = nextParen + 1;
        continue;
      }
    }
    if (k === 2) {
      if (gap) n++;
      gap = false;
      started = true;
      n++;
    } else {
      if (k === 3 && markdown.charCodeAt(i + 1) === 0x21 && markdown.charCodeAt(i + 2) === 0x5b) exact = false;
      if (started) gap = true;
    }
    i++;
  }
  lastCount.exact = exact;
  return n;
}

/** The next `code` at or after `at` and before `end` (-1: none), given the one found before (`cached`). */
export function nextOf(text: string, code: number, at: number, cached: number, end: number): number {
  if (cached === -1 || cached >= at) return cached;
  const found = text.indexOf(code === 0x5d ? ']' : ')', at);
  return found >= end ? -1 : found;
}

/** Bodies whose visible text is at most this long are looked at closely (notices, shells); longer ones are articles. */
const CLOSE_LOOK = 2000;

/**
 * State of a dump body, and the length of its text: exact for a short body; for a long one (an article) the length of
 * its markdown, enough to rank two copies of one article without counting every character. `atLeast`: a visible
 * length the body is known to reach (then it is not counted again when that is past the close look).
 */
export function classifyDump(
  stripped: string,
  rawBody: string,
  hadUiTail: boolean,
  atLeast = 0,
): { state: ContentState; textLength: number } {
  const length = atLeast > CLOSE_LOOK ? atLeast : visibleLength(stripped, CLOSE_LOOK);
  if (length <= CLOSE_LOOK && length > NOTICE_MAX_TEXT && lastCount.exact) {
    // Too long for a notice or a shell, and counted as visibleText counts: the text itself is not needed.
    return { state: stateOf(undefined, stripped, rawBody, hadUiTail), textLength: length };
  }
  const text = length <= CLOSE_LOOK ? visibleText(stripped) : undefined;
  const textLength = text?.length ?? stripped.length;
  return { state: stateOf(text, stripped, rawBody, hadUiTail), textLength };
}

function stateOf(text: string | undefined, stripped: string, rawBody: string, hadUiTail: boolean): ContentState {
  if (text !== undefined && text.length <= NOTICE_MAX_TEXT) {
    for (const [state, pattern] of NOTICES) if (pattern.test(text)) return state;
  }
  if (text === '' && !/!\[[^\]]*\]\([^)\s]+\)/.test(stripped)) return 'shell';
  if (!hadUiTail && isCut(rawBody)) return 'truncated';
  return 'full';
}

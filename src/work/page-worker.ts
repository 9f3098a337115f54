/**
 * The page-parser thread: parses fetched pages one at a time and posts each result, or its failure, back with its id.
 * Another kind of page is one more line of PARSERS.
 */
import { parentPort } from 'node:worker_threads';
import { parseArticlePage } from '../wechat/article-page.js';
import { parseAlbumPage } from '../wechat/album-page.js';
import { parseHomepagePage } from '../wechat/homepage.js';
import { type FeedLanguage, messages } from '../feeds/messages.js';

/**
 * The parser of each kind of page: pure, the page's text and URL in (and the time, for list times; the feeds'
 * language, for the texts an article's body gets), a value out.
 */
const PARSERS = {
  article: (html: string, url: string, _now: number, language: FeedLanguage) =>
    parseArticlePage(html, url, messages(language).page),
  album: (html: string, url: string, now: number) => parseAlbumPage(html, url, now),
  homepage: (html: string, url: string) => parseHomepagePage(html, url),
} satisfies Record<string, (html: string, url: string, now: number, language: FeedLanguage) => unknown>;

/** A kind of page the thread parses. */
export type PageKind = keyof typeof PARSERS;
/** What the thread answers for a page of that kind. */
export type ParsedAs<K extends PageKind> = ReturnType<(typeof PARSERS)[K]>;

/** One page to parse, as posted to the thread. */
export interface PageJob {
  id: number;
  kind: PageKind;
  html: string;
  url: string;
  /** The time of the fetch (epoch ms): lists check their times against it. */
  now: number;
  /** `feed.language`: the language of the texts the parser writes into an article's body. */
  language: FeedLanguage;
}

/** The thread's answer: a parsed page, its failure, or that it has loaded. */
export type PageReply = { id: number; page: ParsedAs<PageKind> } | { id: number; error: string } | { ready: true };

parentPort?.on('message', ({ id, kind, html, url, now, language }: PageJob) => {
  try {
    const parse = Object.hasOwn(PARSERS, kind) ? PARSERS[kind] : undefined;
    if (!parse) throw new Error(`no parser for pages of kind ${JSON.stringify(kind)}`);
    parentPort!.postMessage({ id, page: parse(html, url, now, language) } satisfies PageReply);
  } catch (error) {
    parentPort!.postMessage({ id, error: String((error as Error)?.message ?? error) } satisfies PageReply);
  }
});
// Loaded (the parsers and their libraries): budgets run from here.
parentPort?.postMessage({ ready: true } satisfies PageReply);

/**
 * The page-parser thread: parses fetched pages off the thread that serves, one at a time, and posts each result or its
 * failure back with its id. A job names its kind: an article page (wechat/article-page.ts), an album's HTML page
 * (wechat/album-page.ts) or a homepage's (wechat/homepage.ts); another kind of page is one more line of PARSERS.
 */
import { parentPort } from 'node:worker_threads';
import { parseArticlePage } from '../wechat/article-page.js';
import { parseAlbumPage } from '../wechat/album-page.js';
import { parseHomepagePage } from '../wechat/homepage.js';

/** The parser of each kind of page: pure, the page's text and URL in (and the time, for list times), a value out. */
const PARSERS = {
  article: (html: string, url: string) => parseArticlePage(html, url),
  album: (html: string, url: string, now: number) => parseAlbumPage(html, url, now),
  homepage: (html: string, url: string) => parseHomepagePage(html, url),
} satisfies Record<string, (html: string, url: string, now: number) => unknown>;

export type PageKind = keyof typeof PARSERS;
/** What the thread answers for a page of that kind. */
export type ParsedAs<K extends PageKind> = ReturnType<(typeof PARSERS)[K]>;

export interface PageJob {
  id: number;
  kind: PageKind;
  html: string;
  url: string;
  /** The time of the fetch (epoch ms): lists check their times against it. */
  now: number;
}

export type PageReply = { id: number; page: ParsedAs<PageKind> } | { id: number; error: string } | { ready: true };

parentPort?.on('message', ({ id, kind, html, url, now }: PageJob) => {
  try {
    const parse = Object.hasOwn(PARSERS, kind) ? PARSERS[kind] : undefined;
    if (!parse) throw new Error(`no parser for pages of kind ${JSON.stringify(kind)}`);
    parentPort!.postMessage({ id, page: parse(html, url, now) } satisfies PageReply);
  } catch (error) {
    parentPort!.postMessage({ id, error: String((error as Error)?.message ?? error) } satisfies PageReply);
  }
});
// Loaded (the parsers and their libraries): budgets run from here.
parentPort?.postMessage({ ready: true } satisfies PageReply);

/**
 * The page-parser thread: parses fetched article pages (wechat/article-page.ts) off the thread that serves, one at a
 * time, and posts each result or its failure back with its id.
 */
import { parentPort } from 'node:worker_threads';
import { parseArticlePage } from '../wechat/article-page.js';

export interface PageJob {
  id: number;
  html: string;
  url: string;
}

export type PageReply =
  | { id: number; page: ReturnType<typeof parseArticlePage> }
  | { id: number; error: string }
  | { ready: true };

parentPort?.on('message', ({ id, html, url }: PageJob) => {
  try {
    parentPort!.postMessage({ id, page: parseArticlePage(html, url) } satisfies PageReply);
  } catch (error) {
    parentPort!.postMessage({ id, error: String((error as Error)?.message ?? error) } satisfies PageReply);
  }
});
// Loaded (the parser and its libraries): budgets run from here.
parentPort?.postMessage({ ready: true } satisfies PageReply);

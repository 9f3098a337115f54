/**
 * Parsing fetched pages in a thread of their own, one at a time, each under a time budget: a hostile page (deep
 * nesting, a parser's quadratic corner) costs that thread, never the one that serves feeds and answers signals. A page
 * over its budget, or one that kills the thread, is a failed parse, and the thread is replaced.
 */
import { Worker } from 'node:worker_threads';
import { compiledEntry } from '../compiled.js';
import { DEFAULT_LANGUAGE, type FeedLanguage } from '../feeds/messages.js';
import type { AlbumPageResult } from '../wechat/album.js';
import type { ParsedPage } from '../wechat/article-page.js';
import type { HomepagePageResult } from '../wechat/homepage.js';
import type { PageJob, PageKind, PageReply, ParsedAs } from './page-worker.js';

/** Time one page may take to parse: far beyond what a real page takes, so only a hostile one meets it. */
export const PAGE_BUDGET_MS = 10_000;
/** Heap of the parser thread: the tree of a page at the default `fetch.maxBytes` fits many times over. */
const PAGE_HEAP_MB = 512;

/** Parses fetched pages off the thread that serves. */
interface PageParser {
  /** An article page (wechat/article-page.ts). */
  parse(html: string, url: string): Promise<ParsedPage>;
  /** An album's HTML page (wechat/album-page.ts); `now`: the time of the fetch. */
  parseAlbum(html: string, url: string, now: number): Promise<AlbumPageResult>;
  /** A homepage's HTML page (wechat/homepage.ts). */
  parseHomepage(html: string, url: string): Promise<HomepagePageResult>;
  close(): Promise<void>;
}

/**
 * The worker entry when running from the TypeScript sources, which a worker thread cannot load by itself: set by
 * whoever runs them (the tests give one that registers a TypeScript loader in the thread).
 */
let sourcesEntry: URL | undefined;

/** Sets the page worker's entry for runs from the TypeScript sources; compiled, dist/page-worker.js is used. */
export function setSourcesPageWorker(entry: URL): void {
  sourcesEntry = entry;
}

/** The worker entry next to this module: the compiled one, or the one the sources' runner gave. */
function startWorker(): Worker {
  const entry = compiledEntry('page-worker.js') ?? sourcesEntry;
  if (!entry)
    throw new Error('page parser: run from the TypeScript sources, it needs a worker entry (setSourcesPageWorker)');
  return new Worker(entry, { resourceLimits: { maxOldGenerationSizeMb: PAGE_HEAP_MB } });
}

interface Thread {
  worker: Worker;
  /** Resolves when the thread has loaded the parser; rejects if it dies first. */
  ready: Promise<void>;
}

function startThread(): Thread {
  const worker = startWorker();
  const ready = new Promise<void>((resolve, reject) => {
    const onMessage = (m: PageReply): void => {
      if (!('ready' in m)) return;
      worker.off('message', onMessage);
      resolve();
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`page parser thread exited with code ${code}`)));
  });
  ready.catch(() => {});
  return { worker, ready };
}

/** The page parser on a thread of its own, replaced after a page that kills it or runs over its budget. */
export class PageParserThread implements PageParser {
  private thread: Thread | undefined;
  private nextId = 0;
  /** One page at a time, in order: the budget runs from when the thread takes the page. */
  private queue: Promise<unknown> = Promise.resolve();

  /** `language`: the feeds' (`feed.language`), for the texts the parser writes into an article's body. */
  constructor(
    private readonly budgetMs = PAGE_BUDGET_MS,
    private readonly language: FeedLanguage = DEFAULT_LANGUAGE,
  ) {}

  parse(html: string, url: string): Promise<ParsedPage> {
    // An article page's times are its own: no time of the fetch is needed.
    return this.parseAs('article', html, url, 0);
  }

  parseAlbum(html: string, url: string, now: number): Promise<AlbumPageResult> {
    return this.parseAs('album', html, url, now);
  }

  parseHomepage(html: string, url: string): Promise<HomepagePageResult> {
    return this.parseAs('homepage', html, url, 0);
  }

  /** A page of any kind the thread parses (page-worker.ts PARSERS), after every page asked for before it. */
  parseAs<K extends PageKind>(kind: K, html: string, url: string, now: number): Promise<ParsedAs<K>> {
    const run = this.queue.then(
      () => this.once(kind, html, url, now),
      () => this.once(kind, html, url, now),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async once<K extends PageKind>(kind: K, html: string, url: string, now: number): Promise<ParsedAs<K>> {
    const thread = (this.thread ??= startThread());
    try {
      await thread.ready;
    } catch (error) {
      if (this.thread === thread) this.thread = undefined;
      throw new Error(`page parser thread failed to start: ${(error as Error).message}`);
    }
    const { worker } = thread;
    const id = this.nextId++;
    return new Promise<ParsedAs<K>>((resolve, reject) => {
      const finish = (error?: Error, page?: ParsedAs<K>): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (error) reject(error);
        else resolve(page!);
      };
      const replace = (): void => {
        if (this.thread === thread) this.thread = undefined;
        void worker.terminate();
      };
      const onMessage = (m: PageReply): void => {
        if ('ready' in m || m.id !== id) return;
        if ('error' in m) finish(new Error(m.error));
        else finish(undefined, m.page as ParsedAs<K>);
      };
      const onError = (e: Error): void => {
        replace();
        finish(new Error(`page parser thread failed: ${e.message}`));
      };
      const onExit = (code: number): void => {
        replace();
        finish(new Error(`page parser thread exited with code ${code}`));
      };
      const timer = setTimeout(() => {
        replace();
        finish(new Error(`page took over ${this.budgetMs} ms to parse`));
      }, this.budgetMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ id, kind, html, url, now, language: this.language } satisfies PageJob);
    });
  }

  async close(): Promise<void> {
    const t = this.thread;
    this.thread = undefined;
    await t?.worker.terminate();
  }
}

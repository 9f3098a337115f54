/**
 * The CPU-heavy work of a build, as plain-data jobs that run the same in a worker thread or in-process:
 * reading and parsing batches of dump files, and rendering and writing one feed from its stored articles (the feed
 * text stays in the thread that made it; only the names of the files written come back).
 */
import type { DumpFile } from '../dumps/read.js';
import { loadDump, loadDumpMarkdown, type LoadResult } from '../dumps/load.js';
import { toFeedArticle } from '../feeds/article.js';
import { markdownHtml } from '../content/markdown.js';
import { renderFeeds, type FeedMeta, type ImageOptions } from '../feeds/render.js';
import { signedImagePath } from '../content/image-sign.js';
import type { Article, Body, Config, FeedArticle } from '../types.js';
import { writeFeedFiles } from '../feeds/write.js';
import { readFileSync } from 'node:fs';
import { dumpBody } from '../content/body.js';

/** How images reach readers, as data a worker can receive (the proxy rewriter is rebuilt from it). */
export interface ImageSpec {
  mode: Config['images'];
  baseUrl: string;
  secret?: string;
}

/** An article a feed shows, with where its body is, and the body's HTML as rendered before, if it was. */
export interface ShowItem {
  article: Article;
  body: Body;
  rendered?: string | undefined;
}

export type Job =
  | { kind: 'load'; files: DumpFile[] }
  | { kind: 'render'; meta: FeedMeta; items: ShowItem[]; images: ImageSpec; dir: string };

/** The feed files written (those whose bytes changed), and the dump files that no longer held the body the store knew (to be read again). */
export interface RenderResult {
  written: string[];
  stale: Array<{ path: string; reason: string }>;
  /** Dump bodies rendered now (by body hash), for the store to keep. */
  rendered: Array<{ hash: string; html: string }>;
}

export type JobResult<J extends Job> = J extends { kind: 'load' } ? LoadResult[] : RenderResult;

export function imageOptions(spec: ImageSpec): ImageOptions {
  if (spec.mode !== 'proxy' || spec.secret === undefined) return { mode: spec.mode };
  const secret = spec.secret;
  return { mode: 'proxy', proxy: (url) => `${spec.baseUrl}${signedImagePath(secret, url)}` };
}

/** The body hash of a dump file as it is now (content/body.ts `dumpBody`), or undefined when it cannot be read. */
function fileHash(path: string): string | undefined {
  try {
    return dumpBody(path, readFileSync(path)).hash;
  } catch {
    return undefined;
  }
}

/**
 * An article with its body rendered: a dump's body as rendered before, or read from its file again and rendered
 * (and then handed back for the store to keep).
 */
function shown({ article, body, rendered }: ShowItem, result: RenderResult): FeedArticle {
  if (body.format === 'html') return toFeedArticle(article, body.text);
  // The kept rendering stands while the file holds the bytes it was made from (read and hashed: cheap, unlike
  // rendering); a file changed underneath is read and rendered anew, and reported.
  if (rendered !== undefined && fileHash(body.path) === body.hash) return toFeedArticle(article, rendered);
  const read = loadDumpMarkdown(body.path, body.hash);
  if (!read.ok) {
    result.stale.push({ path: body.path, reason: read.reason });
    return toFeedArticle(article, '');
  }
  const html = markdownHtml(read.markdown);
  if (read.changed) {
    result.stale.push({ path: body.path, reason: 'changed since it was read; read again on the next build' });
  } else result.rendered.push({ hash: body.hash, html });
  return toFeedArticle(article, html);
}

export async function runJob<J extends Job>(job: J): Promise<JobResult<J>> {
  if (job.kind === 'load') return job.files.map(loadDump) as JobResult<J>;
  const result: RenderResult = { written: [], stale: [], rendered: [] };
  const items = job.items.map((item) => shown(item, result));
  result.written = await writeFeedFiles(job.dir, renderFeeds(job.meta, items, imageOptions(job.images)));
  return result as JobResult<J>;
}

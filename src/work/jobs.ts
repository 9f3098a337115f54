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

/** How images reach readers, as data a worker can receive (the proxy rewriter is rebuilt from it). */
export interface ImageSpec {
  mode: Config['images'];
  baseUrl: string;
  secret?: string;
}

/** An article a feed shows, with where its body is. */
export interface ShowItem {
  article: Article;
  body: Body;
}

export type Job =
  | { kind: 'load'; files: DumpFile[] }
  | { kind: 'render'; meta: FeedMeta; items: ShowItem[]; images: ImageSpec; dir: string };

/** The feed files written (those whose bytes changed), and the dump files that no longer held the body the store knew (to be read again). */
export interface RenderResult {
  written: string[];
  stale: Array<{ path: string; reason: string }>;
}

export type JobResult<J extends Job> = J extends { kind: 'load' } ? LoadResult[] : RenderResult;

export function imageOptions(spec: ImageSpec): ImageOptions {
  if (spec.mode !== 'proxy' || spec.secret === undefined) return { mode: spec.mode };
  const secret = spec.secret;
  return { mode: 'proxy', proxy: (url) => `${spec.baseUrl}${signedImagePath(secret, url)}` };
}

/** An article with its body rendered: a dump's body is read from its file again. */
function shown({ article, body }: ShowItem, stale: RenderResult['stale']): FeedArticle {
  if (body.format === 'html') return toFeedArticle(article, body.text);
  const read = loadDumpMarkdown(body.path, body.hash, body.template);
  if (!read.ok) {
    stale.push({ path: body.path, reason: read.reason });
    return toFeedArticle(article, '');
  }
  if (read.changed) stale.push({ path: body.path, reason: 'changed since it was read; read again on the next build' });
  return toFeedArticle(article, markdownHtml(read.markdown));
}

export async function runJob<J extends Job>(job: J): Promise<JobResult<J>> {
  if (job.kind === 'load') return job.files.map(loadDump) as JobResult<J>;
  const stale: RenderResult['stale'] = [];
  const items = job.items.map((item) => shown(item, stale));
  const written = await writeFeedFiles(job.dir, renderFeeds(job.meta, items, imageOptions(job.images)));
  return { written, stale } as JobResult<J>;
}

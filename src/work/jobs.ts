/**
 * The CPU-heavy work of a build, as plain-data jobs that run the same in a worker thread or in-process:
 * reading and parsing batches of dump files, and rendering a feed from its stored articles.
 */
import type { DumpFile } from '../dumps/read.js';
import { loadDump, type LoadResult } from '../dumps/load.js';
import { toFeedArticle } from '../content/body.js';
import { renderFeeds, type FeedMeta, type ImageOptions } from '../feeds/render.js';
import { signedImagePath } from '../server/image-sign.js';
import type { Config, RenderedFeed, StoredArticle } from '../types.js';

/** How images reach readers, as data a worker can receive (the proxy rewriter is rebuilt from it). */
export interface ImageSpec {
  mode: Config['images'];
  baseUrl: string;
  secret?: string;
}

export type Job =
  | { kind: 'load'; files: DumpFile[] }
  | { kind: 'render'; meta: FeedMeta; items: StoredArticle[]; images: ImageSpec };

export type JobResult<J extends Job> = J extends { kind: 'load' } ? LoadResult[] : RenderedFeed;

export function imageOptions(spec: ImageSpec): ImageOptions {
  if (spec.mode !== 'proxy' || spec.secret === undefined) return { mode: spec.mode };
  const secret = spec.secret;
  return { mode: 'proxy', proxy: (url) => `${spec.baseUrl}${signedImagePath(secret, url)}` };
}

export function runJob<J extends Job>(job: J): JobResult<J> {
  if (job.kind === 'load') return job.files.map(loadDump) as JobResult<J>;
  return renderFeeds(job.meta, job.items.map((a) => toFeedArticle(a)), imageOptions(job.images)) as JobResult<J>;
}

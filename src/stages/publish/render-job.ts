/**
 * Rendering and writing one feed from its stored articles, as a plain-data job that runs the same in a worker
 * thread or in-process (stages/publish/jobs.ts): the feed text stays in the thread that made it; only the names of
 * the files written come back.
 */
import { loadDumpMarkdown } from '../../io/dumps/load.js';
import { toFeedArticle } from '../../feeds/article.js';
import { markdownHtml } from '../../content/markdown.js';
import { type Reprint, splitReprint } from '../../content/reprint.js';
import { renderFeeds, type FeedMeta, type ImageOptions } from '../../feeds/render.js';
import { signedImagePath } from '../../content/image-sign.js';
import type { Article, Body, Config, FeedArticle } from '../../types.js';
import { writeFeedFiles } from './write.js';
import { readFileSync } from 'node:fs';
import { dumpBody } from '../../content/body.js';

/** How images reach readers, as data a worker can receive (the proxy rewriter is rebuilt from it). */
export interface ImageSpec {
  mode: Config['images'];
  baseUrl: string;
  secret?: string;
}

/**
 * An article a feed shows, with where its body is, the account that published it (feeds/accounts.ts), the time it is
 * shown at, and the body as rendered before (a `KeptRendering` as JSON), if it was.
 */
export interface ShowItem {
  article: Article;
  body: Body;
  account?: string | undefined;
  /** The time the item is shown at (feeds/times.ts): its date, or a second after the article before it that day. */
  shownAt?: number | undefined;
  rendered?: string | undefined;
}

/** One feed to render: its metadata, the articles it shows, how images reach readers, and its folder. */
export interface RenderInput {
  meta: FeedMeta;
  items: ShowItem[];
  images: ImageSpec;
  dir: string;
}

/** The feed files written (their bytes changed), and the dump files whose body changed since they were read. */
export interface RenderResult {
  written: string[];
  stale: Array<{ path: string; reason: string }>;
  /** Dump bodies rendered now (by body hash, a `KeptRendering` as JSON), for the store to keep. */
  rendered: Array<{ hash: string; templateId: string | undefined; html: string }>;
}

/** The image options of a render, the proxy's URL rewriter rebuilt from the spec. */
function imageOptions(spec: ImageSpec): ImageOptions {
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

/** What the store keeps of a dump body's rendering: the HTML, and the reprint card taken out before rendering. */
interface KeptRendering {
  html: string;
  reprint?: Reprint | undefined;
}

function keptRendering(json: string): KeptRendering | undefined {
  try {
    const kept = JSON.parse(json) as unknown;
    if (typeof kept === 'object' && kept !== null && typeof (kept as KeptRendering).html === 'string')
      return kept as KeptRendering;
  } catch {
    // A kept rendering that cannot be read is rendered again.
  }
  return undefined;
}

/**
 * An article with its body rendered: a dump body's kept rendering, or its file read and rendered again (and handed
 * back for the store to keep). A reprint's card becomes one credit line.
 */
function shown({ article, body, account, shownAt, rendered }: ShowItem, result: RenderResult): FeedArticle {
  const context = { account, shownAt };
  if (body.format === 'html') return toFeedArticle(article, body.text, context);
  // The kept rendering stands while the file holds the bytes it was made from (read and hashed: cheap, unlike
  // rendering); a file changed underneath is read and rendered anew, and reported.
  const kept = rendered !== undefined ? keptRendering(rendered) : undefined;
  if (kept !== undefined && fileHash(body.path) === body.hash)
    return toFeedArticle(article, kept.html, { ...context, reprint: kept.reprint });
  const read = loadDumpMarkdown(body.path, body.hash, body.template);
  if (!read.ok) {
    result.stale.push({ path: body.path, reason: read.reason });
    return toFeedArticle(article, '', context);
  }
  const { reprint, markdown } = splitReprint(read.markdown);
  const html = markdownHtml(markdown);
  if (read.changed) {
    result.stale.push({ path: body.path, reason: 'changed since it was read; read again on the next build' });
  } else
    result.rendered.push({
      hash: body.hash,
      templateId: body.templateId,
      html: JSON.stringify({ html, reprint } satisfies KeptRendering),
    });
  return toFeedArticle(article, html, { ...context, reprint });
}

/** Renders one feed and writes the files whose bytes changed. */
export async function renderFeed(job: RenderInput): Promise<RenderResult> {
  const result: RenderResult = { written: [], stale: [], rendered: [] };
  // Newest first by the time shown (the same order as the store's, but for an article that arrived after the others
  // of its day, which is shown after them: feeds/times.ts).
  const items = job.items.map((item) => shown(item, result)).sort((a, b) => b.date - a.date);
  result.written = writeFeedFiles(job.dir, renderFeeds(job.meta, items, imageOptions(job.images)));
  return result;
}

/**
 * The summary of a build from what its stages and the store report: the arithmetic of the counts, kept apart from
 * the wiring of the stages (cycle.ts).
 */
import type { IngestResult } from './dumps/stage.js';
import type { Published } from './publish/stage.js';
import type { InputProblem } from '../types.js';
import type { FeedStatus, PaceStatus } from '../catalog/status.js';
import type { AlbumStatus } from '../fetch/follow.js';
import type { FetchSummary } from './fetch/stage.js';

/** What one build did: its counts, problems and files, and the statuses /healthz and the index page report. */
export interface BuildSummary {
  fetch?: FetchSummary;
  /** Every published feed after the build. */
  feeds?: FeedStatus[];
  /** Every album the store knows, followed or not. */
  albums?: AlbumStatus[];
  /** The request pace and cool-down after the build (fetch/pace.ts), for /healthz. */
  pace?: PaceStatus;
  filesSeen: number;
  filesRead: number;
  filesUnchanged: number;
  filesRemoved: number;
  /** Sites (source and host) whose page template was learned again; of those, how many changed; dumps read again. */
  templates?: { sites: number; changed: number; reread: number };
  problems: InputProblem[];
  /** Inputs used despite a problem (a dump whose date could not be read, published with the fallback date). */
  warnings?: InputProblem[];
  articles: number;
  duplicatesMerged: number;
  sources: number;
  feedsWritten: number;
  feedsUnchanged: number;
  filesWritten: string[];
  elapsedMs: number;
  outputDir: string;
}

/** What a build's stages return, and what the store holds once they ran. */
export interface BuildCounts {
  ingest: IngestResult;
  fetched: FetchSummary;
  published: Published;
  /** Inputs that could not be used, from every stage. */
  problems: InputProblem[];
  articles: number;
  /** Observations in the store: one article merges several. */
  observations: number;
  feeds: FeedStatus[];
  albums: AlbumStatus[];
  pace: PaceStatus;
  elapsedMs: number;
  outputDir: string;
}

/** The summary `wxfeed build` prints and the daemon reports. */
export function buildSummary(c: BuildCounts): BuildSummary {
  const { ingest, published } = c;
  return {
    fetch: c.fetched,
    feeds: c.feeds,
    // A store that never knew an album says nothing of albums.
    ...(c.albums.length > 0 ? { albums: c.albums } : {}),
    pace: c.pace,
    filesSeen: ingest.seen,
    filesRead: ingest.read,
    filesUnchanged: ingest.unchanged,
    filesRemoved: ingest.removed,
    templates: ingest.templates,
    problems: c.problems,
    warnings: ingest.warnings,
    articles: c.articles,
    duplicatesMerged: c.observations - c.articles,
    sources: published.sources,
    feedsWritten: published.feedsWritten,
    // One feed per source, and all/.
    feedsUnchanged: published.sources + 1 - published.feedsWritten,
    filesWritten: published.written,
    elapsedMs: c.elapsedMs,
    outputDir: c.outputDir,
  };
}

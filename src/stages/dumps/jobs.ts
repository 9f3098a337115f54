/** The dumps stage's job: read and parse one batch of dump files. */
import { defineJob } from '../../work/job.js';
import type { LoadResult } from '../../io/dumps/load.js';
import type { DumpFile } from '../../io/dumps/read.js';

/** Dump files per load job. */
export const READ_BATCH = 64;

/** Loads one batch of dump files (io/dumps/load.ts), on a worker thread or here. */
export const loadJob = defineJob<DumpFile[], LoadResult[]>('dumps/load', async () => {
  const { loadDump } = await import('../../io/dumps/load.js');
  return (files) => files.map(loadDump);
});

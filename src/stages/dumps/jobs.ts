/** The dumps stage's job: read and parse one batch of dump files. */
import { defineJob } from '../../work/job.js';
import type { LoadResult } from '../../io/dumps/load.js';
import type { DumpFile } from '../../io/dumps/read.js';

export const loadJob = defineJob<DumpFile[], LoadResult[]>('dumps/load', async () => {
  const { loadDump } = await import('../../io/dumps/load.js');
  return (files) => files.map(loadDump);
});

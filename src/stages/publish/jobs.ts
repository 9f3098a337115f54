/** The publish stage's job: render one feed from its stored articles and write its files. */
import { defineJob } from '../../work/job.js';
import type { RenderInput, RenderResult } from './render-job.js';

/** Renders one feed and writes its files (render-job.ts), on a worker thread or here. */
export const renderJob = defineJob<RenderInput, RenderResult>('publish/render', async () => {
  const { renderFeed } = await import('./render-job.js');
  return renderFeed;
});

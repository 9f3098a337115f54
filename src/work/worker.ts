/**
 * A build worker thread: runs the jobs it is sent (work/jobs.ts) and posts each result, or its failure, back with
 * its id.
 */
import { parentPort } from 'node:worker_threads';
import { runJob, type Job } from './jobs.js';

export interface JobMessage {
  id: number;
  job: Job;
}

export type JobReply = { id: number; result: unknown } | { id: number; error: string };

// One job at a time: a render job awaits its file writes, and starting the next job meanwhile would hold two feeds
// in memory. Jobs queue here in the order they came.
let queue: Promise<void> = Promise.resolve();
parentPort?.on('message', ({ id, job }: JobMessage) => {
  queue = queue.then(() =>
    runJob(job).then(
      (result) => parentPort!.postMessage({ id, result } satisfies JobReply),
      (error: unknown) =>
        parentPort!.postMessage({ id, error: String((error as Error)?.message ?? error) } satisfies JobReply),
    ),
  );
});

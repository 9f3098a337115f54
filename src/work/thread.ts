/**
 * The loop of a build worker thread: runs each job it is sent by its kind's name (work/job.ts) and posts the result,
 * or the failure, back with the job's id. The thread's entry (stages/worker.ts) imports the kinds it serves first.
 */
import { parentPort } from 'node:worker_threads';
import { jobKind, runJob } from './job.js';

/** A job as posted to a worker thread. */
export interface JobMessage {
  id: number;
  kind: string;
  input: unknown;
}

/** A worker's answer to a job: its result or its failure. */
export type JobReply = { id: number; result: unknown } | { id: number; error: string };

/** Serves jobs on this worker thread until it is terminated. */
export function serveJobs(): void {
  // One job at a time: a render job awaits its file writes, and starting the next meanwhile would hold two feeds in
  // memory. Jobs queue here in the order they came.
  let queue: Promise<void> = Promise.resolve();
  parentPort?.on('message', ({ id, kind, input }: JobMessage) => {
    queue = queue.then(async () => {
      try {
        const known = jobKind(kind);
        if (known === undefined) throw new Error(`no job kind ${kind} in this thread`);
        parentPort!.postMessage({ id, result: await runJob(known, input) } satisfies JobReply);
      } catch (error) {
        parentPort!.postMessage({ id, error: String((error as Error)?.message ?? error) } satisfies JobReply);
      }
    });
  });
}

/**
 * A build worker thread: runs the jobs it is sent (work/jobs.ts) and posts each result back with its id.
 */
import { parentPort } from 'node:worker_threads';
import { runJob, type Job } from './jobs.js';

export interface JobMessage {
  id: number;
  job: Job;
}

parentPort?.on('message', ({ id, job }: JobMessage) => {
  parentPort!.postMessage({ id, result: runJob(job) });
});

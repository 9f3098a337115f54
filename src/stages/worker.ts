/** The entry of a build worker thread (dist/worker.js): the kinds of job the stages run, served by work/thread.ts. */
import './dumps/jobs.js';
import './publish/jobs.js';
import { serveJobs } from '../work/thread.js';

serveJobs();

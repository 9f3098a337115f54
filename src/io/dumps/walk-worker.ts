/**
 * A walk thread: walks the folders it is given (read.ts walkFolders) and posts what it found back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { walkFolders } from './read.js';

const { dirs, seen, statFiles } = workerData as { dirs: string[]; seen: string[]; statFiles?: boolean };
parentPort!.postMessage(walkFolders(dirs, new Set(seen), statFiles ?? true));

/**
 * Whether a process runs, for files a process leaves behind with its id in them (a lock file, an atomic writer's
 * temp file): those of a process that is gone can be taken over or removed.
 */

/** True while the process with this id runs (EPERM: it runs, as another user). */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

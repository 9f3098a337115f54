/**
 * A full garbage collection between a build's phases. Reading a large archive leaves the main thread's heap full of
 * what the read is done with (the file list, the workers' answers, little of it still live), and V8 sizes its next
 * collection from that heap, so the publish after it would grow far before collecting. Collecting once at the
 * boundary sizes the publish from what is live. Node exposes `gc` only behind `--expose-gc`; the flag is set at run
 * time and the function taken from a fresh context, once. Where that fails, nothing happens.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Dump files read from which a build collects garbage at the end of the read and before it publishes. */
export const LARGE_READ = 5000;

let collect: (() => void) | null | undefined;

/** Run a full collection; false when the runtime gives no way to. */
export function collectGarbage(): boolean {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as unknown;
      collect = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      collect = null;
    }
  }
  if (!collect) return false;
  collect();
  return true;
}

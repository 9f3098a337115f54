/**
 * Walks dump folders: every `*.md`, `*.markdown`, `*.txt` below each root, following symbolic links but never
 * entering a folder twice (symlink loops are safe). Unreadable entries are reported, never fatal.
 */
import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { InputProblem } from '../types.js';

export const DUMP_FILE = /\.(?:md|markdown|txt)$/i;

export interface DumpFile {
  path: string;
  size: number;
  mtimeMs: number;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

/** List every dump file below the roots. Problems (unreadable folders, broken links) go to `problems`. */
export async function listDumpFiles(roots: readonly string[], problems: InputProblem[]): Promise<DumpFile[]> {
  const files: DumpFile[] = [];
  const seenDirs = new Set<string>();
  const found: Array<DumpFile & { id: string }> = [];
  const queue: string[] = [];
  for (const root of roots) {
    try {
      const st = await stat(root);
      const id = `${st.dev}:${st.ino}`;
      if (!seenDirs.has(id)) {
        seenDirs.add(id);
        queue.push(root);
      }
    } catch (error) {
      problems.push({ where: root, reason: 'unreadable folder', detail: errorCode(error) });
    }
  }
  while (queue.length > 0) {
    const dir = queue.pop()!;
    let handle;
    try {
      handle = await opendir(dir, { bufferSize: 256 });
    } catch (error) {
      problems.push({ where: dir, reason: 'unreadable folder', detail: errorCode(error) });
      continue;
    }
    const pending: Array<Promise<void>> = [];
    for await (const entry of handle) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() || entry.isSymbolicLink()) {
        pending.push(visitDirOrLink(path, entry.isSymbolicLink()));
      } else if (entry.isFile() && DUMP_FILE.test(entry.name)) {
        pending.push(addFile(path));
      }
      if (pending.length >= 64) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
  }
  // Sorted, then one path per file (the first by name), so the same tree always gives the same list.
  found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const seenFiles = new Set<string>();
  for (const { id, ...file } of found) {
    if (seenFiles.has(id)) continue;
    seenFiles.add(id);
    files.push(file);
  }
  return files;

  async function visitDirOrLink(path: string, isLink: boolean): Promise<void> {
    try {
      const st = await stat(path);
      if (st.isDirectory()) {
        const id = `${st.dev}:${st.ino}`;
        if (seenDirs.has(id)) return;
        seenDirs.add(id);
        queue.push(path);
      } else if (isLink && st.isFile() && DUMP_FILE.test(path)) {
        pushFile(path, st.size, st.mtimeMs, `${st.dev}:${st.ino}`);
      }
    } catch (error) {
      problems.push({ where: path, reason: isLink ? 'broken link' : 'unreadable folder', detail: errorCode(error) });
    }
  }

  async function addFile(path: string): Promise<void> {
    try {
      const st = await stat(path);
      pushFile(path, st.size, st.mtimeMs, `${st.dev}:${st.ino}`);
    } catch (error) {
      problems.push({ where: path, reason: 'unreadable file', detail: errorCode(error) });
    }
  }

  function pushFile(path: string, size: number, mtimeMs: number, id: string): void {
    found.push({ path, size, mtimeMs: Math.floor(mtimeMs), id });
  }
}

/**
 * The folder index: every dump folder with its modification time as the last full walk found it. A folder's time
 * changes when a file is added to it, removed from it or renamed in it, so a build can stat the folders alone (one
 * call per folder instead of one per file) and list only the folders that changed. A file rewritten in place under
 * the same name leaves its folder's time alone: the full walk that verifies every file runs when the index is older
 * than `RESCAN_MS`, or when asked (`wxfeed build --rescan`). The store keeps the index (store/meta.ts).
 */
import { type Dirent, readdirSync, statSync } from 'node:fs';
import { sep } from 'node:path';
import { DUMP_FILE, type DumpFile, walkFolders } from './read.js';

/** How long a full walk's verdict on every file is trusted. */
export const RESCAN_MS = 60 * 60_000;

/** What the folder index holds (kept in the store: store/meta.ts `FolderIndex`). */
interface Index {
  roots: readonly string[];
  verifiedAt: number;
  /** Folder path → modification time (ms, as precise as the file system gives). */
  folders: Readonly<Record<string, number>>;
}

/** True when the index may stand in for a full walk of `roots` at `now`. */
export function indexUsable(index: Index | undefined, roots: readonly string[], now: number): boolean {
  return (
    index !== undefined &&
    JSON.stringify(index.roots) === JSON.stringify(roots) &&
    now >= index.verifiedAt &&
    now - index.verifiedAt < RESCAN_MS
  );
}

/** What statting the indexed folders found. `full`: something only a full walk may judge (a folder gone). */
export type FolderScan = { full: true; why: string } | { full: false; changed: string[] };

/** Stat every indexed folder: which changed since the index was made. */
export function scanFolders(index: Pick<Index, 'folders'>): FolderScan {
  const changed: string[] = [];
  for (const [folder, mtimeMs] of Object.entries(index.folders)) {
    let now: number;
    try {
      const st = statSync(folder);
      if (!st.isDirectory()) return { full: true, why: `${folder} is no longer a folder` };
      now = st.mtimeMs;
    } catch {
      return { full: true, why: `${folder} is gone` };
    }
    if (now !== mtimeMs) changed.push(folder);
  }
  return { full: false, changed: changed.sort() };
}

/** The changed folders' own entries: dump files, and new subfolders walked whole. */
export type FolderListing =
  | { full: true; why: string }
  | { full: false; files: DumpFile[]; folders: Array<[string, number]>; newFolders: string[] };

/** List the changed folders' own entries (`changed` from `scanFolders`); a full walk when one cannot be judged. */
export function listChangedFolders(changed: readonly string[], index: Pick<Index, 'folders'>): FolderListing {
  const files: DumpFile[] = [];
  const folders: Array<[string, number]> = [];
  const newFolders: string[] = [];
  for (const dir of changed) {
    let before: number;
    let entries: Dirent[];
    try {
      // The time as it was before the entries were read: a change meanwhile shows next time.
      before = statSync(dir).mtimeMs;
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return { full: true, why: `${dir} cannot be read` };
    }
    folders.push([dir, before]);
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    for (const entry of entries) {
      // Links may lead anywhere, even into folders listed elsewhere: the full walk follows them safely.
      if (entry.isSymbolicLink()) return { full: true, why: `${prefix}${entry.name} is a link` };
      const path = prefix + entry.name;
      if (entry.isDirectory()) {
        if (index.folders[path] !== undefined) continue;
        let entered: number;
        try {
          entered = statSync(path).mtimeMs;
        } catch {
          return { full: true, why: `${path} cannot be read` };
        }
        const part = walkFolders([path], new Set());
        if (part.problems.length > 0) return { full: true, why: `${path} holds entries that cannot be read` };
        newFolders.push(path);
        folders.push([path, entered], ...part.folders);
        files.push(...part.files);
      } else if (entry.isFile() && DUMP_FILE.test(entry.name)) {
        try {
          const st = statSync(path);
          files.push({ path, size: st.size, mtimeMs: Math.floor(st.mtimeMs) });
        } catch {
          return { full: true, why: `${path} cannot be read` };
        }
      }
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { full: false, files, folders, newFolders };
}

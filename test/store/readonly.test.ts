/**
 * A store this process may not write (a clone and first build as root, then the service run as its own user) is
 * refused as not writable, naming the file's owner and the process's user: never as "unreadable or corrupt". Run as
 * root, where permissions do not stop the process, the store is opened by a child process running as `nobody`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeStore, openStore, StoreError, storeFailure } from '../../src/store/db.js';
import { tempDir } from '../helpers/tmp.js';

const DB_MODULE = fileURLToPath(new URL('../../src/store/db.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

let t: { dir: string; cleanup: () => void };
let path: string;

beforeEach(() => {
  t = tempDir();
  mkdirSync(join(t.dir, 'data'));
  path = join(t.dir, 'data/wxfeed.db');
  closeStore(openStore(path), true);
});
afterEach(() => {
  chmodSync(join(t.dir, 'data'), 0o755);
  chmodSync(path, 0o644);
  t.cleanup();
});

/** What opening the store says, from a process that may not write it. */
function openedByAnother(): { message: string; skipped?: string } {
  if (!asRoot) {
    chmodSync(path, 0o444);
    chmodSync(join(t.dir, 'data'), 0o555);
    try {
      closeStore(openStore(path), true);
      return { message: 'opened' };
    } catch (error) {
      expect(error).toBeInstanceOf(StoreError);
      return { message: (error as Error).message };
    }
  }
  // The file stays root's (0644), as a clone and first build as root leave it; the folders can be walked.
  chmodSync(t.dir, 0o755);
  const script = `import(${JSON.stringify(DB_MODULE)}).then((m) => {
    try { m.openStore(${JSON.stringify(path)}); console.log('opened'); } catch (e) { console.log(e.message); }
  });`;
  const r = spawnSync(process.execPath, ['--import', TSX, '-e', script], {
    uid: NOBODY,
    gid: NOBODY,
    cwd: t.dir,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', HOME: t.dir },
  });
  if (r.error) return { message: '', skipped: `cannot run a process as uid ${NOBODY} here: ${r.error.message}` };
  return { message: r.stdout.trim() || r.stderr.trim() };
}

describe('a store this process cannot write', () => {
  it('is refused as not writable, naming the owner and this user, not as corrupt', (ctx) => {
    const { message, skipped } = openedByAnother();
    if (skipped) ctx.skip(skipped);
    if (asRoot)
      expect(message).toBe(
        `store ${path}: not writable by this process (user nobody (uid ${NOBODY})): the file ${path} belongs to root (uid 0); give it to the user that runs wxfeed (chown -R), or run wxfeed as its owner; refusing to use it (the file is left as it is)`,
      );
    else
      expect(message).toMatch(
        /^store .*wxfeed\.db: not writable by this process \(user .+\): the file .*wxfeed\.db belongs to .+; give it to the user that runs wxfeed \(chown -R\), or run wxfeed as its owner; refusing to use it/,
      );
    expect(message).not.toMatch(/corrupt|unreadable/);
  });

  it('a read-only failure met while a build uses the store says so too', () => {
    const readonly = Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' });
    const failure = storeFailure(path, readonly);
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as Error).message).toMatch(
      /^store .*wxfeed\.db: not writable by this process \(user .+\): attempt to write a readonly database; refusing to use it/,
    );
    const corrupt = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
    expect((storeFailure(path, corrupt) as Error).message).toContain(': corrupt (database disk image is malformed)');
    const other = new Error('disk full');
    expect(storeFailure(path, other)).toBe(other);
  });
});

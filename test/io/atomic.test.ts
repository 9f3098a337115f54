import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEMP_FILE, writeFileAtomic, writeFileAtomicSync } from '../../src/io/atomic.js';
import { tempDir, writeFile } from '../helpers/tmp.js';

let t: { dir: string; cleanup: () => void };
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

describe.each([
  ['writeFileAtomic', (path: string, data: string) => writeFileAtomic(path, data)],
  ['writeFileAtomicSync', async (path: string, data: string) => writeFileAtomicSync(path, data)],
])('%s', (_name, write) => {
  it('replaces the file whole and leaves no temp file', async () => {
    const path = join(t.dir, 'feed.xml');
    writeFile(path, 'old');
    await write(path, 'new 新');
    expect(readFileSync(path, 'utf8')).toBe('new 新');
    expect(readdirSync(t.dir)).toEqual(['feed.xml']);
  });

  it('a write that fails leaves the old file and removes its temp file', async () => {
    // The target is a folder: the rename over it fails after the temp file was written.
    const path = join(t.dir, 'feed.xml');
    mkdirSync(path);
    await expect(write(path, 'new')).rejects.toThrow();
    expect(readdirSync(t.dir)).toEqual(['feed.xml']);
    expect(readdirSync(t.dir).filter((f) => TEMP_FILE.test(f))).toEqual([]);
  });
});

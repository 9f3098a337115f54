/** Feed files are written only when their bytes change; a new file is written from the string, the same bytes. */
import { describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeIfChanged } from '../src/stages/publish/write.js';
import { tempDir } from './helpers/tmp.js';

describe('writeIfChanged', () => {
  it('writes a new file as UTF-8 (lone surrogates as U+FFFD), leaves one with the same bytes, rewrites a changed one', () => {
    const { dir, cleanup } = tempDir();
    const path = join(dir, 'sub', 'atom.xml');
    const text = `\uFEFFa\r\nb\uD800c\uDFFF😀[(x)]${'长'.repeat(100_000)}\uD83D`;
    expect(writeIfChanged(path, text)).toBe(true);
    expect(readFileSync(path).equals(Buffer.from(text, 'utf8'))).toBe(true);
    const before = statSync(path);
    expect(writeIfChanged(path, text, true)).toBe(false);
    expect(statSync(path).ino).toBe(before.ino);
    expect(writeIfChanged(path, `${text}!`, true)).toBe(true);
    expect(readFileSync(path).equals(Buffer.from(`${text}!`, 'utf8'))).toBe(true);
    cleanup();
  });
});

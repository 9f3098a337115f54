import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A fresh temp folder, removed by the returned cleanup. */
export function tempDir(prefix = 'wxfeed-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeFile(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** A dump in the naive dumper's format. */
export function dump(fields: Record<string, string>, body: string): string {
  const head = Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return `---\n${head}\n---\n\n${body}`;
}

/** A temp folder holding a generated bench corpus in `dumps/` (bench/gen-corpus.mjs, deterministic for a seed). */
export function generatedCorpus(
  articles: number,
  accounts: number,
  seed: number,
): { dir: string; dumps: string; cleanup: () => void } {
  const t = tempDir();
  const dumps = join(t.dir, 'dumps');
  const gen = fileURLToPath(new URL('../../bench/gen-corpus.mjs', import.meta.url));
  execFileSync(
    process.execPath,
    [gen, '--out', dumps, '--articles', String(articles), '--accounts', String(accounts), '--seed', String(seed)],
    { encoding: 'utf8' },
  );
  return { ...t, dumps };
}

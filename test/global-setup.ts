/**
 * Before the suite: build src/ into dist/ (`npm run build`, the esbuild bundle) when dist is missing or older than a
 * source file. Tests that run the command as users do (`node dist/cli.js`, with its worker threads) need the built
 * code of this tree.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function newest(dir: string): number {
  let t = 0;
  for (const rel of readdirSync(dir, { recursive: true }).map(String))
    t = Math.max(t, statSync(join(dir, rel)).mtimeMs);
  return t;
}

export default function setup(): void {
  const cli = join(ROOT, 'dist/cli.js');
  const stale = !existsSync(cli) || newest(join(ROOT, 'src')) > statSync(cli).mtimeMs;
  if (stale) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * package.json's allowScripts covers every dependency with an install script: `npm install-scripts ls` lists none
 * pending. Runs where npm has `install-scripts` (npm 11.x with allowScripts); skipped cleanly elsewhere.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './helpers/tmp.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env, NODE_OPTIONS: '', npm_config_offline: 'true', npm_config_update_notifier: 'false' };
const HAVE_INSTALL_SCRIPTS =
  spawnSync('npm', ['install-scripts', '--help'], { cwd: ROOT, encoding: 'utf8', env }).stdout?.includes(
    'install-scripts ls',
  ) ?? false;

interface Listing {
  allowScripts: Array<{ name: string; changes: Array<{ key: string; change: string }> }>;
}

/** `npm install-scripts ls --json` in `dir`: the packages whose install scripts are not yet approved or denied. */
function pending(dir: string): string[] {
  const r = spawnSync('npm', ['install-scripts', 'ls', '--json'], { cwd: dir, encoding: 'utf8', env });
  expect(r.status, r.stderr).toBe(0);
  const listing = JSON.parse(r.stdout) as Listing;
  return listing.allowScripts.flatMap((p) => p.changes.filter((c) => c.change === 'pending').map((c) => c.key));
}

describe.skipIf(!HAVE_INSTALL_SCRIPTS)('install scripts (package.json allowScripts)', () => {
  it('none is pending review', () => {
    expect(pending(ROOT)).toEqual([]);
  });

  it('the check sees a dependency whose script is not covered (package.json without allowScripts)', () => {
    const t = tempDir();
    try {
      const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
      expect(pkg.allowScripts).toMatchObject({ 'better-sqlite3': true, esbuild: false });
      delete pkg.allowScripts;
      writeFileSync(join(t.dir, 'package.json'), JSON.stringify(pkg, null, 2));
      if (existsSync(join(ROOT, 'package-lock.json')))
        copyFileSync(join(ROOT, 'package-lock.json'), join(t.dir, 'package-lock.json'));
      symlinkSync(join(ROOT, 'node_modules'), join(t.dir, 'node_modules'));
      // npm trusts node_modules/.package-lock.json only while the node_modules folder is not newer than it. The test
      // runner's own cache (.vite-temp, made at its start, right after a fresh `npm ci`) makes the folder newer; npm
      // would then read every package.json and list many packages here. Nothing but those dot-folders changed since
      // npm wrote that file: it still describes the packages, so mark it current.
      const hidden = join(ROOT, 'node_modules', '.package-lock.json');
      if (existsSync(hidden)) utimesSync(hidden, new Date(), new Date());
      expect(pending(t.dir).map((k) => k.replace(/@[^@]*$/, ''))).toEqual(['better-sqlite3', 'esbuild']);
    } finally {
      t.cleanup();
    }
  });
});

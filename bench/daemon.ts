/**
 * The daemon under load: resident memory over 100 cycles of the same input, and requests per second for a feed
 * answered 200 and 304, measured with wrk (Debian's `wrk`) on loopback.
 * Run: npx tsx bench/daemon.ts [--corpus DIR] [--cycles 100] [--seconds 10]
 * The corpus defaults to .bench/c2000/dumps (npm run bench -- --articles 2000 makes it).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const opt = (name: string, def: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const CORPUS = opt('corpus', join(ROOT, '.bench/c2000/dumps'));
const CYCLES = Number(opt('cycles', '100'));
const SECONDS = Number(opt('seconds', '10'));
const PORT = 18080 + Math.floor(Math.random() * 1000);

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

function wrk(url: string, headers: string[]): string {
  const args = ['-t2', '-c32', `-d${SECONDS}s`, '--latency', ...headers.flatMap((h) => ['-H', h]), url];
  const r = spawnSync('wrk', args, { encoding: 'utf8' });
  if (r.status !== 0) return `wrk failed: ${r.stderr}`;
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(r.stdout)?.[1];
  const p50 = /50%\s+([\d.]+\w+)/.exec(r.stdout)?.[1];
  const p99 = /99%\s+([\d.]+\w+)/.exec(r.stdout)?.[1];
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(r.stdout)?.[1] ?? '0';
  return `${rps} req/s (p50 ${p50}, p99 ${p99}, errors ${non2xx})`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wxfeed-bench-daemon-'));
  writeFileSync(
    join(dir, 'wxfeed.yaml'),
    `baseUrl: http://127.0.0.1:${PORT}/\ndumps: [${JSON.stringify(CORPUS)}]\noutput: out\nstore: wxfeed.db\nurlFiles: []\nschedule:\n  cron: "* * * * * *"\nserver:\n  port: ${PORT}\n`,
  );
  const child = spawn(process.execPath, [join(ROOT, 'dist/cli.js'), 'daemon', '--config', join(dir, 'wxfeed.yaml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, WXFEED_LOG_LEVEL: 'info' },
  });
  let cycles = 0;
  const samples: Array<[number, number]> = [];
  child.stderr.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.includes('"cycle done"')) continue;
      cycles++;
      if ([1, 10, 25, 50, 75, 100].includes(cycles) || cycles === CYCLES) samples.push([cycles, rssMb(child.pid!)]);
    }
  });
  while (cycles < CYCLES) await new Promise((r) => setTimeout(r, 200));
  const feed = `http://127.0.0.1:${PORT}/all/atom.xml`;
  const etag = (await fetch(feed)).headers.get('etag')!;
  const ok = spawnSync('which', ['wrk']).status === 0;
  const r200 = ok ? wrk(feed, []) : 'wrk not installed (apt-get install wrk)';
  const r304 = ok ? wrk(feed, [`If-None-Match: ${etag}`]) : '';
  const r200gz = ok ? wrk(feed, ['Accept-Encoding: gzip']) : '';
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  rmSync(dir, { recursive: true, force: true });
  console.log(`daemon over ${CORPUS}: RSS by cycle`);
  console.log('| cycle | RSS MB |\n|---|---|');
  for (const [c, mb] of samples) console.log(`| ${c} | ${mb.toFixed(1)} |`);
  console.log(`\nwrk -t2 -c32 -d${SECONDS}s on ${feed} (server and wrk share this machine's 2 cores)`);
  console.log(`- 200: ${r200}`);
  console.log(`- 200 gzip: ${r200gz}`);
  console.log(`- 304 (If-None-Match): ${r304}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

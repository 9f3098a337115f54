/**
 * Alerts and pings wired in the daemon and the command line: a daemon whose targets never answer runs its cycles as
 * fast as one with none and stops on time; alerts reach a target that answers; no secret of a target appears in the
 * logs or /healthz; `wxfeed notify --test` reports each target; a one-off `wxfeed build` alerts what it started.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDaemon, type Daemon } from '../../src/commands/daemon.js';
import type { Alert } from '../../src/feeds/alerts.js';
import type { Logger } from '../../src/log.js';
import { type Receiver, startReceiver } from '../helpers/receiver.js';
import { dump, tempDir, writeFile } from '../helpers/tmp.js';
import { type CapturedLog, captureLog } from '../helpers/log.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'src/commands/cli.ts');
const TSX = import.meta.resolve('tsx');
const TOKEN = 'server-token-0123456789abcdef';
const SECRETS = ['hook-key-secret', '987654:bot-secret-token', 'tk_ntfy_secret'];

const url = (n: number) =>
  `https://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=${1000 + n}&idx=1&sn=${String(n).padStart(32, 'b')}`;

let t: { dir: string; cleanup: () => void };
let daemon: Daemon | undefined;
let rx: Receiver;
let captured: CapturedLog;

function logger(): Logger {
  captured = captureLog('debug');
  return captured.log;
}

/** The config: dumps, a server with a token, and these notify targets (YAML lines). */
function config(notify: string): void {
  writeFileSync(
    join(t.dir, 'wxfeed.yaml'),
    `dumps: [dumps]\noutput: out\nstore: data/wxfeed.db\nurlFiles: []\nschedule:\n  cron: "* * * * * *"\nserver:\n  port: 0\n  token: ${TOKEN}\n${notify}`,
  );
}

async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out; log: ${JSON.stringify(captured.lines.slice(-5))}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const done = () => captured.lines.filter((l) => l.msg === 'cycle done');

/** Run the CLI from the sources, without blocking this process (the receiver answers meanwhile). */
function wxfeed(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], {
      cwd: t.dir,
      env: { ...process.env, NODE_OPTIONS: '', WXFEED_LOG_LEVEL: 'warn' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

beforeEach(async () => {
  t = tempDir();
  rx = await startReceiver();
  writeFile(
    join(t.dir, 'dumps/1.md'),
    dump({ title: '第一篇', url: url(1), source: '账号', date: '2024-07-01' }, '一。'),
  );
});
afterEach(async () => {
  await daemon?.stop('test over');
  daemon = undefined;
  await rx.close();
  t.cleanup();
});

describe('alerts in the daemon', () => {
  it('targets that never answer slow no cycle nor the stop; no secret leaks to the logs or /healthz', async () => {
    // Two targets hold every request; the third records.
    rx.answers.push(...Array<'hang'>(20).fill('hang'));
    config(
      [
        'notify:',
        `  - { kind: webhook, url: "${rx.origin}/slow?key=hook-key-secret", events: [new-articles] }`,
        `  - { kind: telegram, url: "${rx.origin}/tg", botToken: "987654:bot-secret-token", chatId: 42, events: [new-articles] }`,
        '',
      ].join('\n'),
    );
    daemon = await startDaemon({ configPath: join(t.dir, 'wxfeed.yaml'), log: logger(), live: () => undefined });
    await until(() => done().length >= 1);
    writeFile(
      join(t.dir, 'dumps/2.md'),
      dump({ title: '第二篇', url: url(2), source: '账号', date: '2024-07-02' }, '二。'),
    );
    await until(() => rx.held() === 2);
    // Cycles go on, one a second, while both requests are held.
    const seen = done().length;
    await until(() => done().length >= seen + 2);
    expect(rx.held()).toBe(2);
    for (const l of done()) expect(l.ms as number).toBeLessThan(3000);

    const base = `http://127.0.0.1:${daemon.address()!.port}`;
    const full = { authorization: `Bearer ${TOKEN}` };
    for (const headers of [{}, full] as Array<Record<string, string>>) {
      const health = await (await fetch(`${base}/healthz`, { headers })).text();
      expect((JSON.parse(health) as { ok: boolean }).ok).toBe(true);
      for (const s of [...SECRETS, '/slow', rx.origin]) expect(health).not.toContain(s);
    }
    const stopping = performance.now();
    await daemon.stop('test over');
    daemon = undefined;
    expect(performance.now() - stopping).toBeLessThan(5000);
    expect(captured.lines.find((l) => l.msg === 'stopping: alerts and pings not sent')).toMatchObject({
      deliveries: 2,
    });
    for (const s of SECRETS) expect(captured.raw).not.toContain(s);
    expect(captured.raw).not.toContain('/slow');
  });

  it('a target that answers is told of the new articles of a cycle, once', async () => {
    config(
      [
        'notify:',
        `  - { kind: ntfy, url: "${rx.origin}/topic", token: tk_ntfy_secret, events: [new-articles, blocked] }`,
        'feed:\n  language: en',
        '',
      ].join('\n'),
    );
    daemon = await startDaemon({ configPath: join(t.dir, 'wxfeed.yaml'), log: logger(), live: () => undefined });
    await until(() => done().length >= 1);
    writeFile(
      join(t.dir, 'dumps/2.md'),
      dump({ title: '第二篇', url: url(2), source: '账号', date: '2024-07-02' }, '二。'),
    );
    await until(() => rx.received.length >= 1);
    const seen = done().length;
    await until(() => done().length >= seen + 2);
    expect(rx.received).toHaveLength(1);
    expect(rx.received[0]!.headers.title).toBe('wxfeed: 1 new article');
    expect(rx.received[0]!.headers.authorization).toBe('Bearer tk_ntfy_secret');
    expect(rx.received[0]!.body).toContain('3267269114/atom.xml');
    for (const s of SECRETS) expect(captured.raw).not.toContain(s);
  });
});

describe('alerts from the command line', () => {
  it('notify --test: one line per target, by kind and host; exit 1 when one is not reached', async () => {
    const gone = await startReceiver();
    const closed = new URL(gone.origin).port;
    await gone.close();
    config(
      [
        'notify:',
        `  - { kind: webhook, url: "${rx.origin}/hook?key=hook-key-secret" }`,
        `  - { kind: bark, url: "http://127.0.0.1:${closed}/bark-device-secret" }`,
        '',
      ].join('\n'),
    );
    const r = await wxfeed(['notify', '--test', '-c', 'wxfeed.yaml']);
    expect(r.code, r.err).toBe(1);
    const host = new URL(rx.origin).host;
    expect(r.out).toContain(`sent     notify[0] webhook ${host}`);
    expect(r.out).toMatch(
      new RegExp(`not sent notify\\[1\\] bark 127\\.0\\.0\\.1:${closed}: ECONNREFUSED \\(\\d+ tries\\)`),
    );
    expect(r.err).toContain('1 of 2 targets not reached');
    expect((JSON.parse(rx.received[0]!.body) as Alert).event).toBe('test');
    for (const s of [...SECRETS, 'bark-device-secret', '/hook']) expect(r.out + r.err).not.toContain(s);
    const none = await wxfeed(['notify', '-c', 'wxfeed.yaml']);
    expect(none.code).toBe(2);
    expect(none.err).toContain('--test');
  });

  it('build: a removal the guard refuses is alerted once, and so is its end', async () => {
    config(`notify:\n  - { kind: webhook, url: "${rx.origin}/hook" }\n`);
    for (const n of [2, 3])
      writeFile(
        join(t.dir, `dumps/${n}.md`),
        dump({ title: `第${n}篇`, url: url(n), source: '账号', date: '2024-07-02' }, '文。'),
      );
    expect((await wxfeed(['build', '-c', 'wxfeed.yaml'])).code).toBe(0);
    // Every file of the folder gone at once (an unmounted disk, say): the guard refuses until --prune confirms.
    for (const n of [1, 2, 3]) rmSync(join(t.dir, `dumps/${n}.md`));
    const refused = await wxfeed(['build', '-c', 'wxfeed.yaml']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('--prune');
    expect((await wxfeed(['build', '-c', 'wxfeed.yaml'])).code).toBe(1);
    expect((await wxfeed(['build', '--prune', '-c', 'wxfeed.yaml'])).code).toBe(0);
    const events = rx.received.map((r) => JSON.parse(r.body) as Alert).map((a) => [a.event, a.of]);
    expect(events).toEqual([
      ['cycle-failed', undefined],
      ['recovered', 'cycle-failed'],
    ]);
  });
});

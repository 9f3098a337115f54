/**
 * The senders (http/notify.ts, http/outbox.ts) against loopback receivers: each kind's request, retries with backoff,
 * a refusal given up at once, a target that never answers given up within its budget without holding up the caller,
 * and no secret (token, bot token, URL path or query) in any log line.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import type { Logger } from '../../src/log.js';
import { resolveConfig, type NotifyTarget } from '../../src/config.js';
import { testAlert, type Alert } from '../../src/feeds/alerts.js';
import { Outbox } from '../../src/http/outbox.js';
import { alertDelivery, sendAlert, targetId } from '../../src/http/notify.js';
import { type Receiver, startReceiver } from '../helpers/receiver.js';
import { type CapturedLog, captureLog } from '../helpers/log.js';

let rx: Receiver;
let captured: CapturedLog;

function logger(): Logger {
  captured = captureLog('debug');
  return captured.log;
}

/** The targets of a config (validated and resolved as the daemon reads them). */
function targets(notify: unknown[]): NotifyTarget[] {
  return [...resolveConfig({ notify, urlFiles: [], dumps: ['.'] }, 'test.yaml', tmpdir()).notify];
}

const alert: Alert = {
  ...testAlert({ baseUrl: 'https://feeds.example/', language: 'zh-CN' }, Date.UTC(2026, 11, 6)),
  feed: 'https://feeds.example/all/atom.xml',
};

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeEach(async () => {
  rx = await startReceiver();
});
afterEach(async () => {
  await rx.close();
});

describe('alert requests by kind', () => {
  it('webhook: the alert as JSON; ntfy: text with Title (RFC 2047), Tags, Click, the token; telegram: sendMessage; bark: /push', async () => {
    const [webhook, ntfy, telegram, bark] = targets([
      { kind: 'webhook', url: `${rx.origin}/hooks/secret-path?key=hook-secret` },
      { kind: 'ntfy', url: `${rx.origin}/wxfeed-topic`, token: 'tk_ntfy_secret' },
      { kind: 'telegram', url: rx.origin, botToken: '123456:ABC-bot-secret', chatId: -1001234 },
      { kind: 'bark', url: `${rx.origin}/bark-device-secret` },
    ]);
    const outbox = new Outbox({ log: logger() });
    for (const t of [webhook!, ntfy!, telegram!, bark!]) sendAlert(outbox, t, alert);
    await outbox.close(5000);
    const by = (prefix: string) => rx.received.find((r) => r.path.startsWith(prefix))!;

    const hook = by('/hooks/');
    expect(hook.method).toBe('POST');
    expect(hook.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(hook.body)).toEqual(alert);

    const n = by('/wxfeed-topic');
    expect(n.headers.authorization).toBe('Bearer tk_ntfy_secret');
    expect(n.headers.tags).toBe('test_tube');
    expect(n.headers.click).toBe('https://feeds.example/all/atom.xml');
    const title = /^=\?UTF-8\?B\?(.+)\?=$/.exec(String(n.headers.title))![1]!;
    expect(Buffer.from(title, 'base64').toString('utf8')).toBe('wxfeed：测试消息');
    expect(n.body).toBe(alert.text.split('\n').slice(1).join('\n'));
    expect(n.body).toContain('首页：https://feeds.example/');

    const tg = by('/bot');
    expect(tg.path).toBe('/bot123456:ABC-bot-secret/sendMessage');
    expect(JSON.parse(tg.body)).toEqual({ chat_id: '-1001234', text: alert.text, disable_web_page_preview: true });

    const b = by('/push');
    expect(JSON.parse(b.body)).toEqual({
      device_key: 'bark-device-secret',
      title: alert.title,
      body: n.body,
      url: 'https://feeds.example/all/atom.xml',
      group: 'wxfeed',
    });
    expect(rx.received).toHaveLength(4);
    // Logged by kind and host only.
    const sent = captured.lines.filter((l) => l.msg === 'alert sent').map((l) => l.target);
    expect(sent.sort()).toEqual(['bark', 'ntfy', 'telegram', 'webhook'].map((k) => `${k} ${new URL(rx.origin).host}`));
    for (const secret of ['secret', 'hook-secret', 'tk_ntfy', 'ABC-bot', '/hooks', 'wxfeed-topic'])
      expect(captured.raw).not.toContain(secret);
  });

  it('a target id is a hash: the same for the same target, another for another chat, and holds no secret', () => {
    const [a, b] = targets([
      { kind: 'telegram', botToken: '123456:ABC-bot-secret', chatId: 1 },
      { kind: 'telegram', botToken: '123456:ABC-bot-secret', chatId: 2 },
    ]);
    expect(a!.url).toBe('https://api.telegram.org');
    expect(targetId(a!)).toMatch(/^[0-9a-f]{16}$/);
    expect(targetId(a!)).toBe(
      targetId(targets([{ kind: 'telegram', botToken: '123456:ABC-bot-secret', chatId: 1 }])[0]!),
    );
    expect(targetId(a!)).not.toBe(targetId(b!));
  });
});

describe('the outbox', () => {
  it('retries a failing target with growing waits, then delivers once', async () => {
    rx.answers.push(503, 502);
    const [t] = targets([{ kind: 'webhook', url: `${rx.origin}/h` }]);
    const outbox = new Outbox({ log: logger(), retryBaseMs: 100 });
    const result = await outbox.send(alertDelivery(t!, alert));
    expect(result).toEqual({ ok: true, attempts: 3 });
    expect(rx.received).toHaveLength(3);
    const [a, b, c] = rx.received.map((r) => r.at);
    expect(b! - a!).toBeGreaterThanOrEqual(90);
    expect(c! - b!).toBeGreaterThanOrEqual(390); // ×4
  });

  it('a refusal (4xx) is not retried; it is logged by kind and host', async () => {
    rx.answers.push(401);
    const [t] = targets([{ kind: 'telegram', url: rx.origin, botToken: '99:wrong-secret-token', chatId: 5 }]);
    const outbox = new Outbox({ log: logger(), retryBaseMs: 50 });
    sendAlert(outbox, t!, alert);
    await outbox.close(5000);
    expect(rx.received).toHaveLength(1);
    const failed = captured.lines.find((l) => l.msg === 'alert not sent')!;
    expect(failed).toMatchObject({
      target: `telegram ${new URL(rx.origin).host}`,
      error: 'HTTP 401',
      attempts: 1,
      event: 'test',
    });
    expect(captured.raw).not.toContain('wrong-secret-token');
  });

  it('a target that never answers: queued at once, given up at its budget; the lane is free again after', async () => {
    rx.answers.push('hang', 'hang', 'hang');
    const [t] = targets([{ kind: 'webhook', url: `${rx.origin}/slow?token=hang-secret` }]);
    const outbox = new Outbox({ log: logger(), timeoutMs: 300, budgetMs: 700, retryBaseMs: 100 });
    const started = performance.now();
    sendAlert(outbox, t!, alert);
    expect(performance.now() - started).toBeLessThan(50);
    await until(() => outbox.idle(), 5000);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(captured.lines.find((l) => l.msg === 'alert not sent')).toMatchObject({
      error: 'timeout',
      event: 'test',
      attempts: 2,
    });
    sendAlert(outbox, t!, { ...alert, event: 'recovered' });
    await until(() => outbox.idle(), 5000);
    expect(captured.lines.find((l) => l.msg === 'alert sent')).toMatchObject({ event: 'recovered', attempts: 2 });
    expect(captured.raw).not.toContain('hang-secret');
  });

  it('close gives up what is still queued after its wait, and says how much', async () => {
    rx.answers.push('hang', 'hang');
    const [t] = targets([{ kind: 'webhook', url: `${rx.origin}/h` }]);
    const outbox = new Outbox({ log: logger(), timeoutMs: 60_000 });
    sendAlert(outbox, t!, alert);
    sendAlert(outbox, t!, alert);
    const started = performance.now();
    await outbox.close(300);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(captured.lines.find((l) => l.msg === 'stopping: alerts and pings not sent')).toMatchObject({
      deliveries: 2,
    });
  });
});

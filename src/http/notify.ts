/**
 * Alerts sent to their targets (config.ts `notify`), one request each by kind: a webhook gets the alert as JSON, ntfy
 * its text with `Title`, `Tags` and `Click`, Telegram a `sendMessage`, Bark a push. Queued on the outbox (outbox.ts),
 * one lane per target so that its alerts arrive in order. Logs name a target by its kind and host only: its URL,
 * token or bot token may be a secret.
 */
import { createHash } from 'node:crypto';
import type { NotifyTarget } from '../config.js';
import type { Alert } from '../feeds/alerts.js';
import type { Delivery, Outbox, Post } from './outbox.js';

/** Emoji tags ntfy shows before the title, by event. */
const NTFY_TAGS: Record<Alert['event'], string> = {
  blocked: 'warning',
  unreachable: 'warning',
  recovered: 'white_check_mark',
  'cycle-failed': 'x',
  'album-failing': 'warning',
  'new-articles': 'newspaper',
  test: 'test_tube',
};

const JSON_TYPE = 'application/json; charset=utf-8';

/** A header value as HTTP carries it: non-ASCII text as an RFC 2047 encoded word, which ntfy decodes. */
function headerText(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

/** The body and links of an alert, without its title (targets that show the title apart). */
const bodyWithLinks = (a: Alert): string => a.text.split('\n').slice(1).join('\n');

/** The request that tells `target` of `alert`. */
function alertPost(target: NotifyTarget, alert: Alert): Post {
  switch (target.kind) {
    case 'webhook':
      return { url: target.url, headers: { 'content-type': JSON_TYPE }, body: JSON.stringify(alert) };
    case 'ntfy':
      return {
        url: target.url,
        headers: {
          'content-type': 'text/plain; charset=utf-8',
          title: headerText(alert.title),
          tags: NTFY_TAGS[alert.event],
          click: alert.feed ?? alert.page,
          ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
        },
        body: bodyWithLinks(alert),
      };
    case 'telegram':
      return {
        url: `${target.url.replace(/\/+$/, '')}/bot${target.botToken}/sendMessage`,
        headers: { 'content-type': JSON_TYPE },
        // Plain text (no parse_mode): names and errors from elsewhere are never read as markup.
        body: JSON.stringify({ chat_id: target.chatId, text: alert.text, disable_web_page_preview: true }),
      };
    case 'bark': {
      const url = new URL(target.url);
      const parts = url.pathname.replace(/\/+$/, '').split('/');
      const key = decodeURIComponent(parts.pop() ?? '');
      const push = `${url.origin}${parts.join('/')}/push`;
      const body = { device_key: key, title: alert.title, body: bodyWithLinks(alert), url: alert.feed ?? alert.page };
      return { url: push, headers: { 'content-type': JSON_TYPE }, body: JSON.stringify({ ...body, group: 'wxfeed' }) };
    }
  }
}

/** A target as logs name it: its kind and host. */
export function targetName(target: NotifyTarget): string {
  return `${target.kind} ${new URL(target.url).host}`;
}

/** A target's stable id, the key of what it was told (store/meta.ts `alerts`): a hash, so no secret is stored. */
export function targetId(target: NotifyTarget): string {
  const what = [target.kind, target.url, target.token ?? '', target.botToken ?? '', target.chatId ?? ''];
  return createHash('sha256').update(JSON.stringify(what)).digest('hex').slice(0, 16);
}

/** The delivery of `alert` to `target`, logged by the target's kind and host. */
export function alertDelivery(target: NotifyTarget, alert: Alert): Delivery {
  return { post: alertPost(target, alert), what: 'alert', fields: { target: targetName(target), event: alert.event } };
}

/** Queue `alert` for `target`, on the target's own lane (its alerts arrive in order). */
export function sendAlert(outbox: Outbox, target: NotifyTarget, alert: Alert): void {
  outbox.add({ key: `notify:${targetId(target)}`, parallel: 1 }, alertDelivery(target, alert));
}

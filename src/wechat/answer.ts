/**
 * Pure: what the JSON lists WeChat answers (an album's list, a homepage's list) have in common: the body read as JSON
 * or why it is not (a verification page refuses the client, anything else fails the list), and `base_resp.ret` (0,
 * a refusal of the client, or a failure of the list: wechat/refusal.ts). Every value is hostile; never throws.
 */
import { text } from './album-item.js';
import { hasVerifyMarker, retRefusesClient, VERIFY_TEXT } from './refusal.js';

/** How a list's answer refuses the client: a verification page (`captcha`), or a refusal its JSON states. */
export type ListRefusal = 'captcha' | 'refused';

/** A JSON object as parsed: every value unchecked. */
export type Json = Record<string, unknown>;

/** True for a JSON object (not null, not an array). */
export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why an answer is not a list: `refused` says how WeChat refuses the client, false when the list alone failed. */
export interface NotAList {
  ok: false;
  reason: string;
  refused: false | ListRefusal;
}

const refused = (reason: string, how: ListRefusal): NotAList => ({ ok: false, reason, refused: how });
const failed = (reason: string): NotAList => ({ ok: false, reason, refused: false });

/** A short, printable form of a hostile value for a reason: shallow (never walks a nested value), at most 60 chars. */
export function show(value: unknown): string {
  let s: string;
  if (typeof value === 'string') s = JSON.stringify(value.slice(0, 60));
  else if (Array.isArray(value)) s = value.length === 0 ? '[]' : `[…] (${value.length})`;
  else if (isObject(value)) s = '{…}';
  else s = String(value);
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

/**
 * The body as JSON, or why it is not. `list` names the list in a refusal; `anyText`: any body that is not JSON is
 * checked for the verification page's text (else only an HTML one).
 */
export function readAnswer(body: unknown, list: string, anyText: boolean): { json: unknown } | NotAList {
  if (typeof body !== 'string') return failed('answer is not text');
  const trimmed = body.replace(/^\uFEFF/, '').trim();
  if (!trimmed) return failed('empty answer');
  const html = trimmed.startsWith('<');
  const checked = anyText ? !trimmed.startsWith('{') && !trimmed.startsWith('[') : html;
  if (checked && (hasVerifyMarker(trimmed) || VERIFY_TEXT.test(trimmed)))
    return refused(`verification page instead of ${list}`, 'captcha');
  if (html) return failed('HTML answer instead of JSON');
  try {
    return { json: JSON.parse(trimmed) };
  } catch {
    return failed('answer is not JSON');
  }
}

/**
 * `base_resp.ret`: undefined when it is 0, else the refusal or failure it is. `required`: no `base_resp` fails (an
 * album's list always has one; a homepage's may not). `shown` writes a hostile value into the reason.
 */
export function baseRet(json: Json, required: boolean, shown: (value: unknown) => string = show): NotAList | undefined {
  const base = json.base_resp;
  if (base === undefined) return required ? failed('no base_resp') : undefined;
  if (!isObject(base)) return failed(`base_resp is not an object: ${shown(base)}`);
  if (base.ret === undefined) return failed('base_resp has no ret');
  const ret =
    typeof base.ret === 'number'
      ? base.ret
      : typeof base.ret === 'string' && /^\s*-?\d{1,12}\s*$/.test(base.ret)
        ? Number(base.ret)
        : Number.NaN;
  if (!Number.isSafeInteger(ret)) return failed(`base_resp.ret is not a number: ${shown(base.ret)}`);
  if (ret === 0) return undefined;
  const msg = text(base.errmsg) ?? text(base.err_msg);
  const reason = `base_resp.ret ${ret}${msg ? ` (${shown(msg)})` : ''}`;
  return retRefusesClient(ret, msg) ? refused(reason, 'refused') : failed(reason);
}

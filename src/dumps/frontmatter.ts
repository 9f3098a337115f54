/**
 * Pure front matter reading for dumps written by naive dumpers: `key: value` lines whose values run raw to the end
 * of the line. A YAML parser rejects, truncates or retypes many of them (`title: CVE-2024-1234: RCE`, `title: 2024`,
 * `title: [转载] 标题`), so values are taken as written; only a value that is one whole quoted YAML string is
 * unquoted, and the dumper's literal `\"` is read as `"`.
 */
import { parse as parseYaml } from 'yaml';

/** A dump's front matter fields (keys lower-cased, the first of each kept) and the body after it. */
interface FrontMatter {
  fields: Map<string, string>;
  body: string;
}

/** The front matter and body, or why the text has no front matter. */
export type FrontMatterResult = { ok: true; value: FrontMatter } | { ok: false; reason: string };

const KEY_LINE = /^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*)|[ \t]*)$/;

/** Unquote a value that is exactly one quoted YAML scalar; leave anything else as written. */
export function unquoteValue(raw: string): string {
  const value = raw.trim();
  // Most values are neither quoted nor hold an escaped quote: two character tests instead of three patterns.
  const first = value.charCodeAt(0);
  if (first !== 0x22 && first !== 0x27) return value.includes('\\"') ? value.replace(/\\"/g, '"') : value;
  const whole = /^"(?:[^"\\]|\\.)*"$/.test(value) || /^'(?:[^']|'')*'$/.test(value);
  if (whole) {
    try {
      const parsed: unknown = parseYaml(value);
      if (typeof parsed === 'string') return parsed;
    } catch {
      // not a valid quoted scalar: keep the text as written
    }
    return value;
  }
  return value.replace(/\\"/g, '"');
}

/** Split text (BOM and CRLF already removed) into front matter fields and body. */
export function splitFrontMatter(text: string): FrontMatterResult {
  if (!/^---[ \t]*\n/.test(text)) return { ok: false, reason: 'no front matter' };
  const end = /\n(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(text.slice(3));
  if (!end) return { ok: false, reason: 'front matter not closed' };
  const head = text.slice(text.indexOf('\n') + 1, 3 + end.index + 1);
  const body = text.slice(3 + end.index + end[0].length);
  const fields = new Map<string, string>();
  for (const line of head.split('\n')) {
    const m = KEY_LINE.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    if (!fields.has(key)) fields.set(key, unquoteValue(m[2] ?? ''));
  }
  if (fields.size === 0) return { ok: false, reason: 'no front matter' };
  return { ok: true, value: { fields, body } };
}

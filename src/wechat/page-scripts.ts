/**
 * Pure readers of the values WeChat pages carry in inline scripts: `var x = "…" || "…"`, `window.cgiDataNew`
 * fields written as `JsDecode('…')` or `'…' * 1`, and `window.cgiData`.
 */

/**
 * Undo JavaScript string escapes (`\x0a`, `\u4e2d`, `\u{1f600}`, `\'`). Never throws on what JavaScript would refuse:
 * `\u` or `\x` without hex digits are the letter, a code point past U+10FFFF is U+FFFD.
 */
export function jsUnescape(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|u\{[0-9a-fA-F]+\}|[\s\S])/g, (_m, e: string) => {
    if (e.length > 1 && e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (e.length > 1 && e[0] === 'u') {
      const code = parseInt(e.replace(/[u{}]/g, ''), 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    }
    return ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0' } as Record<string, string>)[e] ?? e;
  });
}

/** Decode the few HTML entities WeChat leaves inside script strings. */
export function htmlUnescape(s: string): string {
  return s
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&nbsp;/g, ' ');
}

const STRING = String.raw`(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')`;

/**
 * Every `var name = "a" || "b" || "c"` (string operands only, optionally `* 1`) of a page, in one pass: for each
 * name, the first non-empty operand of its first declaration that has one.
 */
export function scriptVars(html: string): Map<string, string> {
  const vars = new Map<string, string>();
  const re = new RegExp(
    String.raw`(?:var|let|const)\s+([A-Za-z_$][\w$]*)\s*=\s*(${STRING}(?:\s*\|\|\s*${STRING})*)(?:\s*\*\s*1)?\s*[;\n,]`,
    'g',
  );
  const operand = new RegExp(STRING, 'g');
  for (const m of html.matchAll(re)) {
    const name = m[1]!;
    if (vars.has(name)) continue;
    for (const op of m[2]!.match(operand) ?? []) {
      const value = htmlUnescape(jsUnescape(op.slice(1, -1))).trim();
      if (value) {
        vars.set(name, value);
        break;
      }
    }
  }
  return vars;
}

/** The text of a `window.<name> = {…}` object literal, by brace matching (strings skipped). */
export function objectBlock(html: string, name: string): string | undefined {
  const at = html.indexOf(`${name} = {`);
  if (at < 0) return undefined;
  return balanced(html, html.indexOf('{', at));
}

/** From `open` (a `{` or `[`), the text through its matching close. */
export function balanced(text: string, open: number): string | undefined {
  const pairs: Record<string, string> = { '{': '}', '[': ']' };
  const stack: string[] = [];
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c === '{' || c === '[') stack.push(pairs[c]!);
    else if (c === '}' || c === ']') {
      if (stack.pop() !== c) return undefined;
      if (stack.length === 0) return text.slice(open, i + 1);
    }
  }
  return undefined;
}

/** A field of a cgiData object: `key: JsDecode('…')`, `key: '…' * 1`, `key: "…"`, or a bare number. */
export function field(block: string | undefined, key: string): string | undefined {
  if (!block) return undefined;
  const re = new RegExp(
    String.raw`(?:^|[\s{,])${key}\s*:\s*(?:JsDecode\((${STRING})\)|(${STRING})(?:\s*\*\s*1)?|(\d+))`,
  );
  const m = re.exec(block);
  if (!m) return undefined;
  const raw = m[1] ?? m[2];
  const value = raw ? htmlUnescape(jsUnescape(raw.slice(1, -1))) : m[3];
  return value?.trim() || undefined;
}

/**
 * The entries of an array field of a cgiData object, each as its own block text; at most `max` of them (the rest are
 * not cut out of the page at all).
 */
export function arrayEntries(block: string | undefined, key: string, max = Number.POSITIVE_INFINITY): string[] {
  if (!block) return [];
  const at = new RegExp(String.raw`(?:^|[\s{,])${key}\s*:\s*\[`).exec(block);
  if (!at) return [];
  return listEntries(balanced(block, at.index + at[0].length - 1), max);
}

/** The `{…}` entries of an array text (`[{…}, {…}]`), each as its own block text; at most `max` of them. */
export function listEntries(list: string | undefined, max = Number.POSITIVE_INFINITY): string[] {
  const entries: string[] = [];
  if (!list) return entries;
  for (let i = 1; i < list.length && entries.length < max; i++) {
    if (list[i] !== '{') continue;
    const entry = balanced(list, i);
    if (!entry) break;
    entries.push(entry);
    i += entry.length - 1;
  }
  return entries;
}

/**
 * The text of an object at its own level: nested objects and lists left out, strings kept whole. Built from slices,
 * so a `window.cgiData` of megabytes costs one copy, not one concatenation per character.
 */
export function ownLevel(entry: string): string {
  let depth = 0;
  const parts: string[] = [];
  /** Where the current run of own-level text started, or -1 inside a nested value. */
  let start = -1;
  for (let i = 0; i < entry.length; i++) {
    const c = entry[i]!;
    if (c === '"' || c === "'") {
      for (i++; i < entry.length && entry[i] !== c; i++) if (entry[i] === '\\') i++;
      continue;
    }
    if (c === '{' || c === '[') {
      if (depth === 1 && start >= 0) parts.push(entry.slice(start, i));
      depth++;
      start = depth === 1 ? i + 1 : -1;
    } else if (c === '}' || c === ']') {
      if (depth === 1 && start >= 0) parts.push(entry.slice(start, i));
      depth--;
      start = depth === 1 ? i + 1 : -1;
    }
  }
  if (depth === 1 && start >= 0) parts.push(entry.slice(start));
  return parts.join('');
}

/** The value of a field in the entry's own level (not in nested objects). */
export function ownField(entry: string, key: string): string | undefined {
  return field(ownLevel(entry), key);
}

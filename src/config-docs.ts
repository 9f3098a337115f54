/**
 * The config reference, written from the schema (config.ts): every key with its type, default and meaning, and the
 * environment variables. Text in, text out: `npm run docs` puts it between the markers of the docs, and
 * test/docs.test.ts fails when they differ.
 */
import type { ZodTypeAny } from 'zod';
import { computedDefault, configSchema } from './config.js';

/** One key of the reference. */
interface KeyRow {
  key: string;
  type: string;
  default: string;
  meaning: string;
}

/** An environment variable wxfeed reads, for the reference. */
interface EnvironmentVariable {
  name: string;
  values: string;
  default: string;
  meaning: string;
}

/** Every `WXFEED_*` variable src/ reads (test/docs.test.ts checks the list against the code). */
export const ENVIRONMENT: readonly EnvironmentVariable[] = [
  {
    name: 'WXFEED_LOG_LEVEL',
    values: '`trace`, `debug`, `info`, `warn`, `error`, `fatal` or `silent`',
    default: "the command's: `warn` for `build`, `info` for `daemon` and `serve`",
    meaning:
      'Log level of the commands (their logs go to stderr). `--verbose` still means `debug`; an unknown level is ignored.',
  },
  {
    name: 'WXFEED_WORKERS',
    values: 'a whole number (more than 16 counts as 16)',
    default: 'the number of cores, at most 4',
    meaning: 'Worker threads of large builds (reading dumps, rendering feeds). `0` keeps all work on the main thread.',
  },
  {
    name: 'WXFEED_IMAGE_UPSTREAM',
    values: 'an origin (`http://127.0.0.1:8081`)',
    default: 'none',
    meaning: "For tests only: the image proxy fetches WeChat's images from this origin instead, path and query kept.",
  },
];

/** The parts of a zod definition the reference reads (zod is config.ts's: this module only looks at the tree). */
interface Def {
  typeName: string;
  description?: string;
  innerType?: ZodTypeAny;
  schema?: ZodTypeAny;
  defaultValue?: () => unknown;
  checks?: Array<{ kind: string; value?: number; inclusive?: boolean }>;
  values?: readonly string[];
  type?: ZodTypeAny;
  shape?: () => Record<string, ZodTypeAny>;
}

const defOf = (schema: ZodTypeAny): Def => schema._def as Def;

/** A key's schema without its wrappers (optional, default, refinements), and what the wrappers said. */
function unwrap(schema: ZodTypeAny): {
  base: Def;
  meaning?: string;
  shown?: string;
  value?: unknown;
  optional: boolean;
} {
  let node = schema;
  let meaning: string | undefined;
  let shown: string | undefined;
  let value: unknown;
  let optional = false;
  for (;;) {
    const def = defOf(node);
    meaning ??= def.description;
    shown ??= computedDefault(node);
    if (def.typeName === 'ZodOptional' && def.innerType) {
      optional = true;
      node = def.innerType;
    } else if (def.typeName === 'ZodDefault' && def.innerType && def.defaultValue) {
      value ??= def.defaultValue();
      node = def.innerType;
    } else if (def.typeName === 'ZodEffects' && def.schema) {
      node = def.schema;
    } else {
      return { base: def, meaning, shown, value, optional };
    }
  }
}

/** The bounds of a number: `1–16`, `≥ 0`. A whole number's exclusive bound becomes the next whole number in. */
function range(checks: NonNullable<Def['checks']>, whole: boolean): string {
  let low: number | undefined;
  let high: number | undefined;
  for (const c of checks) {
    if (c.value === undefined || (c.kind !== 'min' && c.kind !== 'max')) continue;
    if (!c.inclusive && !whole) throw new Error('config-docs: no words for an exclusive bound of a fraction');
    const inward = c.inclusive ? 0 : c.kind === 'min' ? 1 : -1;
    if (c.kind === 'min') low = c.value + inward;
    else high = c.value + inward;
  }
  if (low !== undefined && high !== undefined) return ` ${low}–${high}`;
  if (low !== undefined) return ` ≥ ${low}`;
  if (high !== undefined) return ` ≤ ${high}`;
  return '';
}

/** What a value of this schema is, in words. */
function typeOf(def: Def): string {
  const checks = def.checks ?? [];
  switch (def.typeName) {
    case 'ZodString': {
      if (checks.some((c) => c.kind === 'url')) return 'URL';
      const min = checks.find((c) => c.kind === 'min')?.value ?? 0;
      return min > 1 ? `string of ${min}+ characters` : 'string';
    }
    case 'ZodNumber': {
      const whole = checks.some((c) => c.kind === 'int');
      return `${whole ? 'integer' : 'number'}${range(checks, whole)}`;
    }
    case 'ZodBoolean':
      return 'boolean';
    case 'ZodEnum': {
      const values = (def.values ?? []).map((v) => `\`${v}\``);
      return values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values.at(-1)}` : (values[0] ?? '');
    }
    case 'ZodArray': {
      const element = def.type ? unwrap(def.type).base : undefined;
      return element?.typeName === 'ZodObject' ? 'list of mappings' : 'list of strings';
    }
    case 'ZodObject':
      return 'mapping';
    default:
      throw new Error(`config-docs: no words for a ${def.typeName} in the config schema`);
  }
}

/** A default as it is written in YAML. */
function shownValue(value: unknown): string {
  if (Array.isArray(value)) return `\`[${value.join(', ')}]\``;
  if (value !== null && typeof value === 'object') return '';
  return `\`${String(value)}\``;
}

/** Every key of `schema`, parents before their keys, in the schema's order; list items as `key[].inner`. */
export function keyRows(schema: ZodTypeAny, prefix = ''): KeyRow[] {
  const def = unwrap(schema).base;
  if (def.typeName !== 'ZodObject' || !def.shape) throw new Error('config-docs: the config schema is not a mapping');
  const rows: KeyRow[] = [];
  for (const [name, child] of Object.entries(def.shape())) {
    const key = `${prefix}${name}`;
    const { base, meaning, shown, value, optional } = unwrap(child);
    if (!meaning) throw new Error(`config-docs: ${key} has no description in the config schema`);
    const fallback = value !== undefined ? shownValue(value) : optional ? 'none' : 'required';
    rows.push({ key, type: typeOf(base), default: shown ?? fallback, meaning });
    if (base.typeName === 'ZodObject') rows.push(...keyRows(child, `${key}.`));
    const element = base.typeName === 'ZodArray' && base.type ? unwrap(base.type).base : undefined;
    if (element?.typeName === 'ZodObject' && base.type) rows.push(...keyRows(base.type, `${key}[].`));
  }
  return rows;
}

const cell = (text: string): string => text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The first sentence of a meaning: what a short table shows. */
export function firstSentence(text: string): string {
  return /^.*?[.!?](?=\s|$)/s.exec(text)?.[0] ?? text;
}

/** The reference of docs/configuration.md: the keys, then the environment variables. */
function configReference(schema: ZodTypeAny, environment: readonly EnvironmentVariable[]): string {
  const keys = keyRows(schema).map((r) => [`\`${r.key}\``, r.type, r.default, r.meaning]);
  const env = environment.map((v) => [`\`${v.name}\``, v.values, v.default, v.meaning]);
  return [
    table(['key', 'type', 'default', 'meaning'], keys),
    '## Environment variables',
    'None is needed.',
    table(['variable', 'values', 'default', 'meaning'], env),
  ].join('\n\n');
}

/** The keys the README shows, in its order. */
const README_KEYS = [
  'dumps',
  'urls',
  'urlFiles',
  'baseUrl',
  'feed.language',
  'follow.albumIntervalMinutes',
  'fetch.delayMs',
  'schedule.cron',
  'server.token',
];

/** The README's short table: a few keys, their default and the first sentence of their meaning. */
export function commonKeys(schema: ZodTypeAny = configSchema, keys: readonly string[] = README_KEYS): string {
  const rows = keyRows(schema);
  return table(
    ['key', 'default', 'meaning'],
    keys.map((key) => {
      const row = rows.find((r) => r.key === key);
      if (!row) throw new Error(`config-docs: README key ${key} is not in the config schema`);
      return [`\`${key}\``, row.default, firstSentence(row.meaning)];
    }),
  );
}

const begin = (region: string) => `<!-- ${region}: written by \`npm run docs\` from src/config.ts -->`;
const end = (region: string) => `<!-- end of ${region} -->`;

/** The text between the markers of `region` in `document`, or undefined without them. */
export function generatedPart(document: string, region: string): string | undefined {
  const from = document.indexOf(begin(region));
  const to = document.indexOf(end(region));
  if (from < 0 || to < from) return undefined;
  return document.slice(from + begin(region).length, to).trim();
}

/** `document` with `body` between the markers of `region`; the hand-written text around them is kept. */
export function withGenerated(document: string, region: string, body: string, file: string): string {
  const from = document.indexOf(begin(region));
  const to = document.indexOf(end(region));
  if (from < 0 || to < from) throw new Error(`${file}: no "${begin(region)}" … "${end(region)}" markers`);
  return `${document.slice(0, from)}${begin(region)}\n\n${body}\n\n${document.slice(to)}`;
}

/** Each generated part of the docs: its file (from the project's root), the region's name and its text. */
export function generatedDocs(): Array<{ file: string; region: string; body: string }> {
  return [
    { file: 'docs/configuration.md', region: 'config reference', body: configReference(configSchema, ENVIRONMENT) },
    { file: 'README.md', region: 'common config keys', body: commonKeys() },
  ];
}

/**
 * Configuration: defaults → YAML file → schema validation → resolved, frozen Config. Relative paths, and the default
 * paths, resolve against the folder holding the config file (the working folder when there is none). Loaded once and
 * passed explicitly; there is no global config.
 */
import { readFileSync, statSync, accessSync, constants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { createRequire } from 'node:module';

const DEFAULT_CRON = '*/30 * * * *';
const DEFAULT_TIMEZONE = 'Asia/Shanghai';

/** node-cron's own check of an expression; loaded only for one that is not the default (the scheduler is the daemon's). */
function validCron(expression: string): boolean {
  if (expression === DEFAULT_CRON) return true;
  const { validate } = createRequire(import.meta.url)('node-cron') as typeof import('node-cron');
  return validate(expression);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
interface CronField {
  name: string;
  min: number;
  max: number;
  /** Names allowed for values, from `min` on (their first three letters). */
  names?: string[];
}
const CRON_FIELDS: CronField[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 0, max: 7, names: WEEKDAYS },
];

/** What is wrong with one field of a cron expression (a list of `*`, `n` or `a-b`, each with an optional `/step`). */
function cronFieldProblem(text: string, field: CronField): string | undefined {
  const value = (v: string): number | undefined => {
    if (/^\d+$/.test(v)) return Number(v);
    const i = field.names?.indexOf(v.slice(0, 3).toLowerCase()) ?? -1;
    return i >= 0 && /^[a-z]+$/i.test(v) ? field.min + i : undefined;
  };
  for (const item of text.split(',')) {
    const [range = '', step, extra] = item.split('/');
    if (extra !== undefined || range === '') return 'is not a number, a range, a step or a list';
    if (step !== undefined && !/^[1-9]\d*$/.test(step))
      return `has the step "${step}": it must be a whole number from 1`;
    if (range === '*') continue;
    const ends = range.split('-');
    if (ends.length > 2) return 'is not a number, a range, a step or a list';
    for (const end of ends) {
      const v = value(end);
      if (v === undefined) return 'is not a number, a range, a step or a list';
      if (v < field.min || v > field.max) return `is out of range ${field.min}-${field.max}`;
    }
  }
  return undefined;
}

/** Why a cron expression is refused, naming the field; undefined when node-cron accepts it. */
export function cronProblem(expression: string): string | undefined {
  const parts = expression.split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6)
    return `must have 5 fields (minute hour day-of-month month day-of-week) or 6 (a second field first); got ${parts.length}`;
  if (validCron(expression)) return undefined;
  const fields = parts.length === 6 ? CRON_FIELDS : CRON_FIELDS.slice(1);
  for (let i = 0; i < parts.length; i++) {
    const problem = cronFieldProblem(parts[i]!, fields[i]!);
    if (problem) return `${fields[i]!.name} field "${parts[i]}" ${problem}`;
  }
  return 'is not a cron expression node-cron accepts';
}
import type { Config } from './types.js';

/** An invalid config: the CLI exits 2 with this message, which names the file and the key. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const SLUG = /^[a-z0-9][a-z0-9._-]{0,79}$/;
/**
 * Names no feed folder may take, config slug or derived (sources.ts): the feed of every source, the server's own
 * routes (`img/` the image proxy, `api/`, `healthz`) and the output's own files. The one list.
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'all',
  'img',
  'api',
  'healthz',
  'index.html',
  'feeds.opml',
]);

const sourceSchema = z
  .object({
    /** A name, a biz, or an account number: written as a YAML number it is read as its digits. */
    match: z.preprocess(
      (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? String(v) : v),
      z
        .string({
          invalid_type_error: 'must be a source name, a __biz or an account number (a whole number; quote a long one)',
        })
        .trim()
        .min(1),
    ),
    slug: z
      .string()
      .regex(SLUG, 'must be lower-case letters, digits, ".", "_" or "-" (at most 80)')
      .refine((s) => !RESERVED_SLUGS.has(s), 'is reserved')
      .optional(),
    title: z.string().trim().min(1).optional(),
    include: z.array(z.string().min(1)).optional(),
    exclude: z.array(z.string().min(1)).optional(),
    limit: z.number().int().positive().max(10_000).optional(),
  })
  .strict();

export const configSchema = z
  .object({
    /** Left out: derived from server.host and server.port. */
    baseUrl: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
      .optional(),
    dumps: z.array(z.string().min(1)).default(['dumps']),
    output: z.string().min(1).default('output'),
    store: z.string().min(1).default('data/wxfeed.db'),
    feed: z
      .object({
        limit: z.number().int().positive().max(10_000).default(50),
        title: z.string().trim().min(1).optional(),
        keepDeleted: z.boolean().default(true),
        language: z.enum(['zh-CN', 'en']).default('zh-CN'),
        placeholders: z.enum(['show', 'hide']).default('show'),
      })
      .strict()
      .default({}),
    sources: z.array(sourceSchema).default([]),
    urls: z.array(z.string().trim().min(1)).default([]),
    urlFiles: z.array(z.string().min(1)).default(['urls.txt']),
    fetch: z
      .object({
        origin: z
          .string()
          .url()
          .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
          .default('https://mp.weixin.qq.com'),
        concurrency: z.number().int().min(1).max(16).default(2),
        delayMs: z.number().int().min(0).max(600_000).default(1500),
        timeoutMs: z.number().int().min(100).max(600_000).default(15_000),
        retries: z.number().int().min(0).max(10).default(2),
        retryBaseMs: z.number().int().min(0).max(600_000).default(1000),
        maxBytes: z
          .number()
          .int()
          .min(1024)
          .max(512 * 1024 * 1024)
          .default(5 * 1024 * 1024),
        dumps: z.boolean().default(true),
        maxAgeDays: z.number().min(0).max(36_500).default(30),
        maxPerRun: z.number().int().min(0).max(1_000_000).default(300),
        cooldownMinutes: z.number().min(0).max(10_000).default(15),
        cooldownMaxMinutes: z.number().min(0).max(100_000).default(360),
      })
      .strict()
      .default({}),
    follow: z
      .object({
        albums: z
          .enum(['urls', 'all', 'off'], {
            errorMap: () => ({
              message:
                'must be "urls" (follow the albums the pages of followed URLs name), "all" (also those of dumps\' pages) or "off"',
            }),
          })
          .default('urls'),
        maxPages: z
          .number({ invalid_type_error: 'must be a whole number of list pages (20 articles each)' })
          .int('must be a whole number of list pages (20 articles each)')
          .min(1, 'must be at least 1 (the first read of an album walks this many list pages)')
          .max(1000, 'must be at most 1000 (20,000 articles)')
          .default(50),
        albumIntervalMinutes: z
          .number({ invalid_type_error: 'must be a number of minutes (0: every build)' })
          .min(0, 'must be 0 (every build) or more minutes')
          .max(525_600, 'must be at most 525600 (a year)')
          .default(60),
        maxRequestsPerRun: z
          .number({ invalid_type_error: 'must be a whole number of requests' })
          .int('must be a whole number of requests')
          .min(1, 'must be at least 1 (list and list-page requests one build may make)')
          .max(1_000_000)
          .default(100),
        maxAlbumsPerAccount: z
          .number({ invalid_type_error: 'must be a whole number of albums' })
          .int('must be a whole number of albums')
          .min(1, 'must be at least 1')
          .max(100_000)
          .default(50),
        maxNewAlbumsPerRun: z
          .number({ invalid_type_error: 'must be a whole number of albums' })
          .int('must be a whole number of albums')
          .min(1, 'must be at least 1 (first reads of new albums one build may start)')
          .max(100_000)
          .default(10),
      })
      .strict()
      .default({}),
    schedule: z
      .object({
        cron: z
          .string()
          .trim()
          .superRefine((c, ctx) => {
            const problem = cronProblem(c);
            if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
          })
          .default(DEFAULT_CRON),
        timezone: z
          .string()
          .refine((tz) => {
            try {
              // The default needs no check (loading the time zone data costs a no-change build ~10 ms).
              if (tz !== DEFAULT_TIMEZONE) new Intl.DateTimeFormat('en', { timeZone: tz });
              return true;
            } catch {
              return false;
            }
          }, 'must be an IANA time zone such as Asia/Shanghai')
          .default(DEFAULT_TIMEZONE),
      })
      .strict()
      .default({}),
    images: z.enum(['direct', 'no-referrer', 'proxy']).default('no-referrer'),
    imageProxy: z
      .object({
        secret: z.string().min(16, 'must be at least 16 characters').optional(),
        maxBytes: z
          .number()
          .int()
          .min(1024)
          .max(100 * 1024 * 1024)
          .default(10 * 1024 * 1024),
        cacheMaxBytes: z
          .number()
          .int()
          .min(0)
          .default(256 * 1024 * 1024),
        cacheDir: z.string().min(1).default('data/img-cache'),
        timeoutMs: z.number().int().min(100).max(120_000).default(15_000),
        /** Test setting, off by default: fetch WeChat images from this origin instead (path and query kept). */
        upstream: z.string().url().optional(),
      })
      .strict()
      .default({}),
    server: z
      .object({
        enabled: z.boolean().default(true),
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        token: z.string().min(16, 'must be at least 16 characters').optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;

export interface Overrides {
  output?: string;
  dumps?: string[];
}

function issuePath(path: Array<string | number>): string {
  return path.reduce<string>(
    (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part),
    '',
  );
}

function formatIssues(file: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const key = issuePath(issue.path) || '(top level)';
    if (issue.code === 'unrecognized_keys') {
      const where = issuePath(issue.path);
      return issue.keys.map((k) => `${where ? `${where}.` : ''}${k}: unknown key`).join('\n  ');
    }
    return `${key}: ${issue.message}`;
  });
  return `invalid config ${file}:\n  ${lines.join('\n  ')}`;
}

function checkUnique(file: string, sources: Config['sources']): void {
  const seen = new Map<string, number>();
  sources.forEach((s, i) => {
    if (!s.slug) return;
    const before = seen.get(s.slug);
    if (before !== undefined)
      throw new ConfigError(
        `invalid config ${file}:\n  sources[${i}].slug: "${s.slug}" is already used by sources[${before}]`,
      );
    seen.set(s.slug, i);
  });
}

function checkFolder(file: string, key: string, path: string): void {
  try {
    if (!statSync(path).isDirectory())
      throw new ConfigError(`invalid config ${file}:\n  ${key}: ${path} is not a folder`);
    accessSync(path, constants.R_OK | constants.X_OK);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`invalid config ${file}:\n  ${key}: cannot read folder ${path} (${code})`);
  }
}

/** Hosts that mean this machine: a baseUrl derived from them says `localhost`. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0', '::', '[::]']);
/** The baseUrl when server.port is 0 (a free port, known only once listening) and none is set. */
const FALLBACK_BASE_URL = 'http://localhost:8080/';

/** `http://<host>:<port>/` of the feed server, `localhost` for a loopback or any-address host. */
export function serverBaseUrl(host: string, port: number): string {
  if (port === 0) return FALLBACK_BASE_URL;
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const name = LOCAL_HOSTS.has(host) ? 'localhost' : bare.includes(':') ? `[${bare}]` : bare;
  return new URL(`http://${name}:${port}/`).href;
}

/**
 * A baseUrl that points at this machine (or at server.host) on another port than the server listens on: every link
 * in the feeds misses the server. A public URL (a reverse proxy in front) is not this server, and says nothing.
 */
function portWarning(file: string, baseUrl: string, server: { host: string; port: number }): string | undefined {
  const url = new URL(baseUrl);
  const local = LOCAL_HOSTS.has(url.hostname) || url.hostname === server.host.toLowerCase();
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (!local || server.port === 0 || port === server.port) return undefined;
  return `${file}: baseUrl ${baseUrl} names port ${port}, but server.port is ${server.port}: links in the feeds, the OPML and the index page will miss the server (leave baseUrl out to derive it from server.host and server.port)`;
}

/** A config and what is worth saying about it at start (never an error: those throw ConfigError). */
export interface LoadedConfig {
  config: Config;
  warnings: string[];
}

/** Validate a parsed YAML document and resolve it against `baseDir`. */
export function resolveConfig(
  raw: unknown,
  file: string,
  baseDir: string,
  overrides: Overrides = {},
  cwd = process.cwd(),
): Config {
  return resolveLoaded(raw, file, baseDir, overrides, cwd).config;
}

function resolveLoaded(
  raw: unknown,
  file: string,
  baseDir: string,
  overrides: Overrides = {},
  cwd = process.cwd(),
): LoadedConfig {
  const parsed = configSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new ConfigError(formatIssues(file, parsed.error));
  const c = parsed.data;
  checkUnique(file, c.sources);
  const dumps = overrides.dumps?.length
    ? overrides.dumps.map((d) => resolve(cwd, d))
    : c.dumps.map((d) => resolve(baseDir, d));
  dumps.forEach((d, i) => {
    checkFolder(file, overrides.dumps?.length ? `--dumps ${overrides.dumps[i]}` : `dumps[${i}]`, d);
  });
  const given = c.baseUrl === undefined ? undefined : c.baseUrl.endsWith('/') ? c.baseUrl : `${c.baseUrl}/`;
  const baseUrl = given ?? serverBaseUrl(c.server.host, c.server.port);
  const warning = given ? portWarning(file, given, c.server) : undefined;
  const config: Config = {
    file,
    baseUrl,
    dumps,
    output: overrides.output ? resolve(cwd, overrides.output) : resolve(baseDir, c.output),
    store: resolve(baseDir, c.store),
    feed: {
      limit: c.feed.limit,
      keepDeleted: c.feed.keepDeleted,
      language: c.feed.language,
      placeholders: c.feed.placeholders,
      ...(c.feed.title ? { title: c.feed.title } : {}),
    },
    sources: c.sources,
    urls: c.urls,
    urlFiles: c.urlFiles.map((f) => resolve(baseDir, f)),
    fetch: { ...c.fetch, origin: c.fetch.origin.replace(/\/+$/, '') },
    follow: c.follow,
    schedule: c.schedule,
    server: c.server,
    images: c.images,
    imageProxy: { ...c.imageProxy, cacheDir: resolve(baseDir, c.imageProxy.cacheDir) },
  };
  return { config: deepFreeze(config), warnings: warning ? [warning] : [] };
}

/** Read, parse and validate the config file. A missing default file means built-in defaults relative to `cwd`. */
export function loadConfig(file: string | undefined, overrides: Overrides = {}, cwd = process.cwd()): Config {
  return readConfig(file, overrides, cwd).config;
}

/** loadConfig, and the warnings to print once at start. */
export function readConfig(file: string | undefined, overrides: Overrides = {}, cwd = process.cwd()): LoadedConfig {
  const path = resolve(cwd, file ?? 'config/wxfeed.yaml');
  if (!file && !existsSync(path)) return resolveLoaded({}, '(defaults)', cwd, overrides, cwd);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` line ${error.linePos[0].line}` : '';
    throw new ConfigError(`invalid config ${path}${where}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (raw !== null && raw !== undefined && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw new ConfigError(`invalid config ${path}: the top level must be a mapping of keys`);
  }
  return resolveLoaded(raw, path, dirname(path), overrides, cwd);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

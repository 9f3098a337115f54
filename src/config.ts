/**
 * Configuration: defaults → YAML file → schema validation → resolved, frozen Config. Relative paths resolve against
 * the folder holding the config file. Loaded once and passed explicitly; there is no global config.
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
import type { Config } from './types.js';

/** An invalid config: the CLI exits 2 with this message, which names the file and the key. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const SLUG = /^[a-z0-9][a-z0-9._-]{0,79}$/;
const RESERVED_SLUGS = new Set(['all', 'img', 'api', 'healthz', 'index.html', 'feeds.opml']);

const sourceSchema = z
  .object({
    match: z.string().trim().min(1),
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
    baseUrl: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
      .default('http://localhost:8080/'),
    dumps: z.array(z.string().min(1)).default(['dumps']),
    output: z.string().min(1).default('../output'),
    store: z.string().min(1).default('../data/wxfeed.db'),
    feed: z
      .object({
        limit: z.number().int().positive().max(10_000).default(50),
        title: z.string().trim().min(1).optional(),
        keepDeleted: z.boolean().default(true),
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
    schedule: z
      .object({
        cron: z
          .string()
          .trim()
          .refine(
            (c) => [5, 6].includes(c.split(/\s+/).length) && validCron(c),
            'must be a cron expression of 5 or 6 fields',
          )
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
        cacheDir: z.string().min(1).default('../data/img-cache'),
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

/** Validate a parsed YAML document and resolve it against `baseDir`. */
export function resolveConfig(
  raw: unknown,
  file: string,
  baseDir: string,
  overrides: Overrides = {},
  cwd = process.cwd(),
): Config {
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
  const baseUrl = c.baseUrl.endsWith('/') ? c.baseUrl : `${c.baseUrl}/`;
  const config: Config = {
    file,
    baseUrl,
    dumps,
    output: overrides.output ? resolve(cwd, overrides.output) : resolve(baseDir, c.output),
    store: resolve(baseDir, c.store),
    feed: { limit: c.feed.limit, keepDeleted: c.feed.keepDeleted, ...(c.feed.title ? { title: c.feed.title } : {}) },
    sources: c.sources,
    urls: c.urls,
    urlFiles: c.urlFiles.map((f) => resolve(baseDir, f)),
    fetch: { ...c.fetch, origin: c.fetch.origin.replace(/\/+$/, '') },
    schedule: c.schedule,
    server: c.server,
    images: c.images,
    imageProxy: { ...c.imageProxy, cacheDir: resolve(baseDir, c.imageProxy.cacheDir) },
  };
  return deepFreeze(config);
}

/** Read, parse and validate the config file. A missing default file means built-in defaults relative to `cwd`. */
export function loadConfig(file: string | undefined, overrides: Overrides = {}, cwd = process.cwd()): Config {
  const path = resolve(cwd, file ?? 'config/wxfeed.yaml');
  if (!file && !existsSync(path)) return resolveConfig({}, '(defaults)', cwd, overrides, cwd);
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
  return resolveConfig(raw, path, dirname(path), overrides, cwd);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

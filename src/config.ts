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

/** node-cron's check of an expression, loaded only for one other than the default (the scheduler is the daemon's). */
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
function cronProblem(expression: string): string | undefined {
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

/** What the reference shows as the default of a key whose default is computed at run time, not a schema value. */
const COMPUTED_DEFAULTS = new WeakMap<z.ZodTypeAny, string>();

/** Mark `schema` as a key whose default is computed, shown in the reference as `shown`. */
function computed<T extends z.ZodTypeAny>(schema: T, shown: string): T {
  COMPUTED_DEFAULTS.set(schema, shown);
  return schema;
}

/** The default the reference shows for a key computed at run time (see `computed`), if `schema` is one. */
export function computedDefault(schema: unknown): string | undefined {
  return COMPUTED_DEFAULTS.get(schema as z.ZodTypeAny);
}

const sourceSchema = z
  .object({
    match: z
      .preprocess(
        (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? String(v) : v),
        z
          .string({
            invalid_type_error:
              'must be a source name, a __biz or an account number (a whole number; quote a long one)',
          })
          .trim()
          .min(1),
      )
      .describe(
        "A source name (the dumps' `source:`) or an account's `__biz`: base64 (`MzI2NzI2OTExNA==`) or its number (`3267269114`, which may be written unquoted: `match: 3093190038`).",
      ),
    slug: computed(
      z
        .string()
        .regex(SLUG, 'must be lower-case letters, digits, ".", "_" or "-" (at most 80)')
        .refine((s) => !RESERVED_SLUGS.has(s), 'is reserved')
        .optional()
        .describe(
          `Folder name of the feed: lower-case letters, digits, \`.\`, \`_\` and \`-\`. Reserved, for the server's routes and the output's own files: ${[...RESERVED_SLUGS].map((s) => `\`${s}\``).join(', ')} (a source whose derived slug would be one gets a short hash added).`,
        ),
      'derived',
    ),
    title: computed(z.string().trim().min(1).optional().describe('Title of the feed.'), 'the source name'),
    include: z
      .array(z.string().min(1))
      .optional()
      .describe('Keep only the articles whose title contains one of these (applied before the limit).'),
    exclude: z.array(z.string().min(1)).optional().describe('Drop the articles whose title contains any of these.'),
    limit: computed(
      z.number().int().positive().max(10_000).optional().describe('Items in this feed, newest first.'),
      '`feed.limit`',
    ),
  })
  .strict();

/** The config file's keys, their checks, defaults and meanings: the one definition of the config. */
export const configSchema = z
  .object({
    baseUrl: computed(
      z
        .string()
        .url()
        .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
        .transform((u) => (u.endsWith('/') ? u : `${u}/`))
        .optional()
        .describe(
          'Where `output/` is served. Self links, the OPML and the index page use it; item ids never depend on it. Left out, it follows `server.host` and `server.port` (`localhost` for `127.0.0.1`, `::1` and `0.0.0.0`; `http://localhost:8080/` when the port is 0). Set to this machine on another port than `server.port`, it is warned about at start.',
        ),
      '`http://<server.host>:<server.port>/`',
    ),
    dumps: z
      .array(z.string().min(1))
      .default(['dumps'])
      .describe(
        'Folders of dumps, read recursively. The files are `*.md`, `*.markdown` and `*.txt`; symbolic links are followed, loops are safe. The files of a folder taken off this list are forgotten (with the guard of `build`: more than half of the known files at once needs `--prune`).',
      ),
    output: z.string().min(1).default('output').describe('Where the feeds are written.'),
    store: z.string().min(1).default('data/wxfeed.db').describe('The SQLite store. Its folder is created.'),
    feed: z
      .object({
        limit: z.number().int().positive().max(10_000).default(50).describe('Items per feed, newest first.'),
        title: computed(
          z.string().trim().min(1).optional().describe('Title of `all/`, of the OPML and of the index page.'),
          '`全部公众号` (`All accounts` in `en`)',
        ),
        keepDeleted: z
          .boolean()
          .default(true)
          .describe(
            'Keep deleted or blocked articles in feeds, with the stored text and a notice. `false` drops them from feeds, not from the store.',
          ),
        language: z
          .enum(['zh-CN', 'en'])
          .default('zh-CN')
          .describe(
            "The feeds' language and that of every text wxfeed writes. It sets `xml:lang`, RSS `<language>` and JSON Feed `language`, and the language of what wxfeed writes into feeds, the OPML and the index page: what the archive holds of a shell, a captcha page or a deleted article, the link to the original, feed descriptions, the default title.",
          ),
        placeholders: z
          .enum(['show', 'hide'])
          .default('show')
          .describe(
            'Whether articles with no text yet appear in feeds. `hide` keeps them out: shells and captcha pages (an item that only says "open the original"), and album items not yet read whose list gave no title; `show` publishes them with a sentence saying what the archive holds.',
          ),
      })
      .strict()
      // Title last, given or not: stages/publish hashes this object as JSON to tell whether feeds need rendering.
      .transform(({ title, ...rest }) => ({ ...rest, ...(title ? { title } : {}) }))
      .default({})
      .describe('What goes into every feed.'),
    sources: z
      .array(sourceSchema)
      .default([])
      .describe('Settings of the feed of one source (an account, or a source label of the dumps).'),
    urls: z.array(z.string().trim().min(1)).default([]).describe('Article, album and homepage URLs to follow.'),
    urlFiles: z
      .array(z.string().min(1))
      .default(['urls.txt'])
      .describe(
        'Text files of article, album and homepage URLs to follow, one per line, `#` comments. A missing file is an empty list; one that is not a regular file (a symbolic link, a FIFO, a device, a folder) is refused and reported. `add` writes to the first.',
      ),
    fetch: z
      .object({
        origin: z
          .string()
          .url()
          .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
          .transform((u) => u.replace(/\/+$/, ''))
          .default('https://mp.weixin.qq.com')
          .describe('Scheme and host to fetch article pages from (a mirror, or a test server). Path and query stay.'),
        concurrency: z.number().int().min(1).max(16).default(2).describe('Requests in flight.'),
        delayMs: z
          .number()
          .int()
          .min(0)
          .max(600_000)
          .default(1500)
          .describe(
            'Minimum gap between request starts, ±20 % jitter. After WeChat refuses the client it is doubled (at most 16×), recovering 10 % per clean hour.',
          ),
        timeoutMs: z.number().int().min(100).max(600_000).default(15_000).describe('Time limit of one request.'),
        retries: z
          .number()
          .int()
          .min(0)
          .max(10)
          .default(2)
          .describe('Retries of a request after a network error or a 5xx answer.'),
        retryBaseMs: z
          .number()
          .int()
          .min(0)
          .max(600_000)
          .default(1000)
          .describe('Wait before the first retry; it doubles before each next one.'),
        maxBytes: z
          .number()
          .int()
          .min(1024)
          .max(512 * 1024 * 1024)
          .default(5 * 1024 * 1024)
          .describe('Size cap of an answer, counted after decompression.'),
        dumps: z
          .boolean()
          .default(true)
          .describe(
            'Also fetch the URL of every dump that is not the article (a shell, a captcha page, a cut copy) until the article is had.',
          ),
        maxAgeDays: z
          .number()
          .min(0)
          .max(36_500)
          .default(30)
          .describe(
            'Fetched articles are read again up to this age: every build the first day, daily the first week, then weekly.',
          ),
        maxPerRun: z
          .number()
          .int()
          .min(0)
          .max(1_000_000)
          .default(300)
          .describe(
            'Article pages one build fetches at most; the rest wait for the next build. List requests are bounded by `follow.maxRequestsPerRun`.',
          ),
        cooldownMinutes: z
          .number()
          .min(0)
          .max(10_000)
          .default(15)
          .describe(
            'No fetching for this long after WeChat refuses the client (a captcha or verify page, frequency control, HTTP 429, 403s) or cannot be reached. A block within an hour of the end of the previous cool-down doubles it, up to `fetch.cooldownMaxMinutes`; one after a clean hour starts again at `fetch.cooldownMinutes`. A longer `Retry-After` extends it, up to `fetch.cooldownMaxMinutes`.',
          ),
        cooldownMaxMinutes: z
          .number()
          .min(0)
          .max(100_000)
          .default(360)
          .describe('The longest cool-down (see `fetch.cooldownMinutes`).'),
      })
      .strict()
      .default({})
      .describe('Fetching article pages from WeChat.'),
    follow: z
      .object({
        albums: z
          .enum(['urls', 'all', 'off'], {
            errorMap: () => ({
              message:
                'must be "urls" (follow the albums the pages of followed URLs name), "all" (also those of dumps\' pages) or "off"',
            }),
          })
          .default('urls')
          .describe(
            "Which albums (合集) are followed besides those listed in `urls` and `urlFiles` (always followed). `urls`: the albums the pages of followed URLs name, and in turn those their articles' pages name; `all`: also those named by the pages fetched for dumps; `off`: none.",
          ),
        maxPages: z
          .number({ invalid_type_error: 'must be a whole number of list pages (20 articles each)' })
          .int('must be a whole number of list pages (20 articles each)')
          .min(1, 'must be at least 1 (the first read of an album walks this many list pages)')
          .max(1000, 'must be at most 1000 (20,000 articles)')
          .default(50)
          .describe(
            'The first read of a list (album or homepage) takes at most this many × 20 articles, whatever size the pages come in. It reads at most this many pages in one build (it may go on over several builds); later reads stop at the first article already known.',
          ),
        albumIntervalMinutes: z
          .number({ invalid_type_error: 'must be a number of minutes (0: every build)' })
          .min(0, 'must be 0 (every build) or more minutes')
          .max(525_600, 'must be at most 525600 (a year)')
          .default(60)
          .describe(
            'The shortest interval between two polls of a list. A list with recent activity is polled this often, a quiet one less often (its quiet time / 90, at most a day apart), and every list of an account this often for 2 hours after a new article in it; a failing one backs off from 1 hour (or this, if longer) to a day. `0`: every build (see [How often it polls](following.md)).',
          ),
        maxRequestsPerRun: z
          .number({ invalid_type_error: 'must be a whole number of requests' })
          .int('must be a whole number of requests')
          .min(1, 'must be at least 1 (list and list-page requests one build may make)')
          .max(1_000_000)
          .default(100)
          .describe(
            'List and list-page requests one build makes at most (album and homepage lists and their HTML pages). The rest wait for the next builds; a first read goes on where it stopped.',
          ),
        maxAlbumsPerAccount: z
          .number({ invalid_type_error: 'must be a whole number of albums' })
          .int('must be a whole number of albums')
          .min(1, 'must be at least 1')
          .max(100_000)
          .default(50)
          .describe(
            'Lists of one account followed at most. Those that pages name beyond it are not followed (counted in the build summary); the lists you list are always followed.',
          ),
        maxNewAlbumsPerRun: z
          .number({ invalid_type_error: 'must be a whole number of albums' })
          .int('must be a whole number of albums')
          .min(1, 'must be at least 1 (first reads of new albums one build may start)')
          .max(100_000)
          .default(10)
          .describe(
            'First reads of lists never read that one build starts at most; the rest wait for the next builds.',
          ),
      })
      .strict()
      .default({})
      .describe(
        'Following albums (合集) and homepages: which are followed, how far the first read goes, how often they are polled.',
      ),
    schedule: z
      .object({
        cron: z
          .string()
          .trim()
          .superRefine((c, ctx) => {
            const problem = cronProblem(c);
            if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
          })
          .default(DEFAULT_CRON)
          .describe(
            'When the daemon runs a cycle: 5 fields, or 6 with seconds first. A field out of range is named (`minute field "61" is out of range 0-59`).',
          ),
        timezone: z
          .string()
          .refine((tz) => {
            try {
              // The default needs no check: loading the time zone data would slow every no-change build.
              if (tz !== DEFAULT_TIMEZONE) new Intl.DateTimeFormat('en', { timeZone: tz });
              return true;
            } catch {
              return false;
            }
          }, 'must be an IANA time zone such as Asia/Shanghai')
          .default(DEFAULT_TIMEZONE)
          .describe('Time zone of `schedule.cron`.'),
      })
      .strict()
      .default({})
      .describe("The daemon's schedule."),
    images: z
      .enum(['direct', 'no-referrer', 'proxy'])
      .default('no-referrer')
      .describe(
        'How images in feeds reach readers. `direct` leaves image URLs as they are; `no-referrer` adds `referrerpolicy="no-referrer"` to images in content (WeChat serves images asked without a Referer); `proxy` rewrites WeChat images in content, covers and enclosures to `<baseUrl>img/<signature>/<url>`.',
      ),
    imageProxy: z
      .object({
        secret: computed(
          z.string().min(16, 'must be at least 16 characters').optional().describe('HMAC key of the proxy URLs.'),
          'generated once, kept in the store',
        ),
        maxBytes: z
          .number()
          .int()
          .min(1024)
          .max(100 * 1024 * 1024)
          .default(10 * 1024 * 1024)
          .describe('Size cap of one image.'),
        cacheMaxBytes: z
          .number()
          .int()
          .min(0)
          .default(256 * 1024 * 1024)
          .describe('Size of the disk cache of images; the oldest are evicted first.'),
        cacheDir: z.string().min(1).default('data/img-cache').describe('Folder of the disk cache of images.'),
        timeoutMs: z.number().int().min(100).max(120_000).default(15_000).describe('Time limit of fetching one image.'),
      })
      .strict()
      .default({})
      .describe('The image proxy of `images: proxy`.'),
    server: z
      .object({
        enabled: z
          .boolean()
          .default(true)
          .describe('Whether the daemon serves `output/` (`wxfeed serve` always does).'),
        host: z.string().min(1).default('127.0.0.1').describe('Address the server listens on.'),
        port: z.number().int().min(0).max(65535).default(8080).describe('Port the server listens on; `0`: a free one.'),
        token: z
          .string()
          .min(16, 'must be at least 16 characters')
          .optional()
          .describe(
            'Enables the full `/healthz` report, `POST /api/urls` and `POST /api/refresh` for requests with `Authorization: Bearer <token>`.',
          ),
      })
      .strict()
      .default({})
      .describe('The feed server: `wxfeed serve`, and the daemon unless `server.enabled` is false.'),
  })
  .strict();

type Parsed = z.output<typeof configSchema>;

/** The validated, resolved configuration: absolute paths, defaults applied, frozen. */
export type Config = Omit<Parsed, 'baseUrl'> & {
  /** Path of the config file it was loaded from (absolute), or `(defaults)`. */
  file?: string;
  /** Always ends with `/`. */
  baseUrl: string;
};
/** The settings of one source's feed. */
export type SourceConfig = Config['sources'][number];
/** Live fetching of article pages. */
export type FetchConfig = Config['fetch'];
/** Following albums and homepages. */
type FollowConfig = Config['follow'];
/** Which albums are followed besides those listed. */
export type FollowAlbums = FollowConfig['albums'];

/** The command line's `--out` and `--dumps`, which win over the config file's `output` and `dumps`. */
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
function serverBaseUrl(host: string, port: number): string {
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
  const { baseUrl: given, ...rest } = c;
  const warning = given ? portWarning(file, given, c.server) : undefined;
  // Past the schema, only paths and the derived baseUrl are computed: paths resolve against the config's folder.
  const config: Config = {
    file,
    baseUrl: given ?? serverBaseUrl(c.server.host, c.server.port),
    ...rest,
    dumps,
    output: overrides.output ? resolve(cwd, overrides.output) : resolve(baseDir, c.output),
    store: resolve(baseDir, c.store),
    urlFiles: c.urlFiles.map((f) => resolve(baseDir, f)),
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

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
    if (step !== undefined && Number(step) > field.max) return stepRange(step, field);
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

/** A step larger than its field's values (61 for minutes). */
const stepRange = (step: string, field: CronField): string =>
  `has the step "${step}": it is out of range 1-${field.max}`;

/** A step of a field beyond its range, which node-cron takes though it never repeats within the field. */
function stepProblem(text: string, field: CronField): string | undefined {
  for (const item of text.split(',')) {
    const step = item.split('/')[1];
    if (step !== undefined && /^\d+$/.test(step) && Number(step) > field.max) return stepRange(step, field);
  }
  return undefined;
}

/** Why a cron expression is refused, naming the field; undefined when node-cron accepts it. */
function cronProblem(expression: string): string | undefined {
  const parts = expression.split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6)
    return `must have 5 fields (minute hour day-of-month month day-of-week) or 6 (a second field first); got ${parts.length}`;
  const fields = parts.length === 6 ? CRON_FIELDS : CRON_FIELDS.slice(1);
  for (let i = 0; i < parts.length; i++) {
    const problem = stepProblem(parts[i]!, fields[i]!);
    if (problem) return `${fields[i]!.name} field "${parts[i]}" ${problem}`;
  }
  if (validCron(expression)) return undefined;
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
  'albums.opml',
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

/** What can be alerted: `recovered` is the end of any of the others but `new-articles` (see `notify[].events`). */
const ALERT_EVENTS = ['blocked', 'unreachable', 'recovered', 'cycle-failed', 'album-failing', 'new-articles'] as const;
const TELEGRAM_API = 'https://api.telegram.org';
const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');

const notifyTargetSchema = z
  .object({
    kind: z
      .enum(['webhook', 'ntfy', 'telegram', 'bark'])
      .describe(
        '`webhook`: a JSON POST to `url` (its shape: docs/operations.md, "Alerts and WebSub"); `ntfy`: the text POSTed to the topic URL `url`, with `Title`, `Tags` and `Click`; `telegram`: `sendMessage` of the bot `botToken` to `chatId`; `bark`: a push to the device whose key ends `url` (`https://api.day.app/<key>`, as the Bark app shows it).',
      ),
    url: computed(
      httpUrl
        .optional()
        .describe(
          'Where the alert goes: the webhook, the ntfy topic, the Bark device URL, or the Telegram Bot API server. It may be an internal address. Logs name only its host.',
        ),
      `required; \`${TELEGRAM_API}\` for \`telegram\``,
    ),
    token: z
      .string()
      .min(1)
      .optional()
      .describe('`ntfy`: an access token, sent as `Authorization: Bearer`. Never logged.'),
    botToken: z
      .string()
      .regex(/^\d+:[\w-]+$/, 'must be a bot token as BotFather gives it (<digits>:<letters>)')
      .optional()
      .describe('`telegram`: the bot token BotFather gave. Never logged.'),
    chatId: z
      .preprocess(
        (v) => (typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : v),
        z.string({ invalid_type_error: 'must be a chat id (a whole number) or @channel' }).trim().min(1),
      )
      .optional()
      .describe('`telegram`: the chat (a number, or `@channel`) the bot writes to.'),
    events: z
      .array(z.enum(ALERT_EVENTS))
      .min(1)
      .default(ALERT_EVENTS.filter((e) => e !== 'new-articles'))
      .describe(
        'What is alerted, once when it starts: `blocked` (WeChat refused the client; with the end of the cool-down), `unreachable` (WeChat could not be reached), `cycle-failed` (a cycle or build failed, say the removal guard refused), `album-failing` (a followed list failed `albumFailures` polls in a row), `new-articles` (one message per cycle that found some); and `recovered`: the end of each of the others this target was told of.',
      ),
    albumFailures: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(3)
      .describe('Failed polls in a row of a list before `album-failing`.'),
  })
  .strict()
  .superRefine((t, ctx) => {
    const missing = (key: string, why: string) =>
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: `is required for kind ${t.kind}: ${why}` });
    if (t.kind === 'telegram') {
      if (!t.botToken) missing('botToken', 'the bot that writes');
      if (!t.chatId) missing('chatId', 'the chat it writes to');
    } else if (!t.url) missing('url', 'where the alert goes');
    if (t.kind === 'bark' && t.url && new URL(t.url).pathname.replace(/\/+$/, '') === '')
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['url'],
        message: 'must end with the device key, as the Bark app shows it (https://api.day.app/<key>)',
      });
    for (const key of ['token', 'botToken', 'chatId'] as const)
      if (t[key] !== undefined && !(key === 'token' ? t.kind === 'ntfy' : t.kind === 'telegram'))
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: `is not a key of kind ${t.kind}` });
  })
  .transform((t) => ({ ...t, url: t.url ?? TELEGRAM_API }));

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
    notify: z
      .array(notifyTargetSchema)
      .max(20)
      .default([])
      .describe(
        'Where alerts go: each target a `kind`, a `url` and the `events` it is told of. Sent after each daemon cycle and each `build`, in the background: a target that fails is retried with backoff, then logged; it never slows a cycle. `wxfeed notify --test` sends a test message to each.',
      ),
    websub: z
      .object({
        hub: httpUrl
          .optional()
          .describe(
            'A WebSub hub: every feed names it (`<link rel="hub">`, `hubs`), and after a build or cycle the hub is told of each feed file that changed (`hub.mode=publish`).',
          ),
      })
      .strict()
      .default({})
      .describe('WebSub: feed readers told of new articles within seconds instead of at their next poll.'),
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
            'Enables sign-in on the index page and the management API (follow, unfollow, refresh, status; scripts send `Authorization: Bearer <token>`), and the full `/healthz` report.',
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
/** One alert target of `notify`. */
export type NotifyTarget = Config['notify'][number];
/** Following albums and homepages. */
type FollowConfig = Config['follow'];
/** Which albums are followed besides those listed. */
export type FollowAlbums = FollowConfig['albums'];

/** The command line's `--out`, `--dumps` and `--port`, which win over the config file's `output`, `dumps` and `server.port`. */
export interface Overrides {
  output?: string;
  dumps?: string[];
  port?: number;
}

/** A folder given by a command-line flag, checked: the error names the flag as it was typed. */
function checkFlagFolder(flag: string, given: string, path: string, mustExist: boolean): void {
  const fail = (why: string): never => {
    throw new ConfigError(`${flag} ${given}: ${why}${given === path ? '' : ` (${path})`}`);
  };
  const unreadable = (error: unknown): never =>
    fail(`cannot read folder (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  let isFolder = false;
  try {
    isFolder = statSync(path).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') unreadable(error);
    if (mustExist) fail('no such folder');
    return;
  }
  if (!isFolder) fail('not a folder');
  if (!mustExist) return;
  try {
    accessSync(path, constants.R_OK | constants.X_OK);
  } catch (error) {
    unreadable(error);
  }
}

function issuePath(path: Array<string | number>): string {
  return path.reduce<string>(
    (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part),
    '',
  );
}

/** A schema without its wrappers (optional, default, refinements). */
function bare(schema: z.ZodTypeAny): z.ZodTypeAny {
  for (let s = schema; ; ) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodDefault) s = s._def.innerType as z.ZodTypeAny;
    else if (s instanceof z.ZodEffects) s = s._def.schema as z.ZodTypeAny;
    else return s;
  }
}

/** Every key of the schema, parents first; the keys of a list's items as `key[].inner`. */
function keyPaths(schema: z.ZodTypeAny, prefix = ''): string[] {
  const base = bare(schema);
  if (!(base instanceof z.ZodObject)) return [];
  const out: string[] = [];
  for (const [name, child] of Object.entries(base.shape as Record<string, z.ZodTypeAny>)) {
    const key = `${prefix}${name}`;
    const inner = bare(child);
    out.push(key, ...keyPaths(inner, `${key}.`));
    if (inner instanceof z.ZodArray) out.push(...keyPaths(inner.element as z.ZodTypeAny, `${key}[].`));
  }
  return out;
}

/** Edits (insert, delete, replace, swap of neighbours) from `a` to `b`, case aside. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d = Array.from({ length: x.length + 1 }, (_, i) => [i, ...Array<number>(y.length).fill(0)]);
  for (let j = 1; j <= y.length; j++) d[0]![j] = j;
  for (let i = 1; i <= x.length; i++)
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[x.length]![y.length]!;
}

/**
 * The key an unknown key `name` under `where` was probably meant to be: a key of that name elsewhere in the schema,
 * else a close spelling in the same section (` or `-joined when several are as likely).
 */
function suggestKey(where: string, name: string): string | undefined {
  const section = where.replace(/\[\d+\]/g, '[]');
  const all = keyPaths(configSchema);
  const leaf = (k: string): string => k.slice(k.lastIndexOf('.') + 1);
  const elsewhere = all.filter((k) => leaf(k) === name && k !== (section ? `${section}.${name}` : name));
  // A section's key is likelier meant than a key of a list's items (`server.token` before `notify[].token`).
  const sections = elsewhere.filter((k) => !k.includes('[]'));
  if (elsewhere.length) return (sections.length ? sections : elsewhere).join(' or ');
  const siblings = all.filter((k) =>
    section ? k.startsWith(`${section}.`) && !k.slice(section.length + 1).includes('.') : !k.includes('.'),
  );
  const allowed = name.length <= 4 ? 1 : 2;
  let best: string[] = [];
  let bestDistance = allowed + 1;
  for (const k of siblings) {
    const dist = distance(leaf(k), name);
    if (dist > allowed) continue;
    if (dist < bestDistance) [best, bestDistance] = [[k], dist];
    else if (dist === bestDistance) best.push(k);
  }
  // A suggestion inside a list names the item the key was written in (`sources[2].slug`).
  return best.length ? best.map((k) => (where ? `${where}${k.slice(section.length)}` : k)).join(' or ') : undefined;
}

function formatIssues(file: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const key = issuePath(issue.path) || '(top level)';
    if (issue.code === 'unrecognized_keys') {
      const where = issuePath(issue.path);
      return issue.keys
        .map((k) => {
          const hint = suggestKey(where, k);
          return `${where ? `${where}.` : ''}${k}: unknown key${hint ? `; did you mean ${hint}?` : ''}`;
        })
        .join('\n  ');
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
function portWarning(
  file: string,
  baseUrl: string,
  server: { host: string; port: number },
  portKey: string,
): string | undefined {
  const url = new URL(baseUrl);
  const local = LOCAL_HOSTS.has(url.hostname) || url.hostname === server.host.toLowerCase();
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (!local || server.port === 0 || port === server.port) return undefined;
  return `${file}: baseUrl ${baseUrl} names port ${port}, but ${portKey} is ${server.port}: links in the feeds, the OPML and the index page will miss the server (leave baseUrl out to derive it from server.host and server.port)`;
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
    if (overrides.dumps?.length) checkFlagFolder('--dumps', overrides.dumps[i]!, d, true);
    else checkFolder(file, `dumps[${i}]`, d);
  });
  if (overrides.output) checkFlagFolder('--out', overrides.output, resolve(cwd, overrides.output), false);
  const { baseUrl: given, ...parsedRest } = c;
  const port = overrides.port;
  const rest = port === undefined ? parsedRest : { ...parsedRest, server: { ...parsedRest.server, port } };
  const warning = given
    ? portWarning(file, given, rest.server, port === undefined ? 'server.port' : '--port')
    : undefined;
  // Past the schema, only paths and the derived baseUrl are computed: paths resolve against the config's folder.
  const config: Config = {
    file,
    baseUrl: given ?? serverBaseUrl(rest.server.host, rest.server.port),
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
    const code = (error as NodeJS.ErrnoException).code;
    // The file was named on the command line (the default one is read only when it exists).
    if (file && code === 'ENOENT') throw new ConfigError(`--config ${file}: no such file (${path})`);
    throw new ConfigError(`cannot read config ${path}: ${code ?? String(error)}`);
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

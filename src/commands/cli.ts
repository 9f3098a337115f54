#!/usr/bin/env node
/**
 * Command line: parse argv, call a command, map errors to exit codes (0 ok, 1 fatal, 2 invalid config or usage, 130
 * interrupted). With `--json`, every failure is also a JSON object `{ error, exitCode }` on stdout. Names from outside
 * are printed quoted (report.ts) so no control character reaches the terminal.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { packageFile } from '../compiled.js';
import { ConfigError, type Overrides, readConfig } from '../config.js';
import { createLogger } from '../log.js';
import {
  escapeControls,
  formatSummary,
  problemFingerprints,
  progressBar,
  quoteName,
  shellWord,
  terminalJson,
} from './report.js';
import { liveFor } from './live.js';
import type { Config } from '../types.js';
import type { Logger } from '../log.js';
import type { BuildSummary } from '../stages/summary.js';
// Each command loads what it needs when it runs: a build with nothing to do starts without the server, the
// scheduler, or the fetching and rendering libraries.

interface BuildFlags {
  config?: string;
  out?: string;
  dumps?: string[];
  offline?: boolean;
  refetch?: boolean;
  verbose?: boolean;
  json?: boolean;
  quiet?: boolean;
  prune?: boolean;
  rescan?: boolean;
}

/** A usage problem met after parsing (exit 2). */
class UsageError extends Error {}

/** A failure with its exit code; `shown` is how the terminal gets it (names quoted), `message` the plain text. */
class Failure extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly shown = message,
  ) {
    super(message);
  }
}

const INTERRUPTED = 'interrupted; the next build resumes where this one stopped';

/**
 * A build's refusal to forget dump files (stages/dumps/stage.ts RemovalRefused), told by its name: that module loads
 * with the build, not before.
 */
interface Refusal extends Error {
  describe(quote: (name: string) => string, prune: string): string;
}
const isRefusal = (error: unknown): error is Refusal =>
  error instanceof Error &&
  error.name === 'RemovalRefused' &&
  typeof (error as Partial<Refusal>).describe === 'function';

/** The version in package.json. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Load the config and print its warnings, once, to stderr. */
function loadConfig(file: string | undefined, overrides: Overrides = {}): Config {
  const { config, warnings } = readConfig(file, overrides);
  for (const w of warnings) process.stderr.write(`wxfeed: warning: ${escapeControls(w)}\n`);
  return config;
}

/** A message from elsewhere, each line with its control characters escaped. */
const shownLines = (message: string): string => message.split('\n').map(escapeControls).join('\n');

/** Resolve on SIGINT or SIGTERM. */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => resolve(sig));
  });
}

/** `--port`: a whole number 0–65535. */
function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535)
    throw new InvalidArgumentError('it must be a whole number from 0 to 65535 (0: a free one)');
  return Number(value);
}

/** A failure to listen that a setting can fix, saying which key or flag to change; any other error as it is. */
function listenFailure(error: unknown, config: Config, port: number | undefined): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${config.server.host}:${config.server.port}`;
  const file = config.file && config.file !== '(defaults)' ? ` in ${config.file}` : ' in the config file';
  const change = port !== undefined ? 'pass another --port' : `change server.port${file} or pass --port`;
  if (code === 'EADDRINUSE') return new Failure(`cannot listen on ${where}: the port is in use; ${change}`, 1);
  if (code === 'EACCES')
    return new Failure(`cannot listen on ${where}: a port below 1024 needs privileges; ${change}`, 1);
  if (code === 'EADDRNOTAVAIL')
    return new Failure(`cannot listen on ${where}: no such address on this machine; change server.host${file}`, 1);
  return error;
}

async function runDaemon(flags: { config?: string; verbose?: boolean; port?: number }): Promise<void> {
  const overrides = flags.port !== undefined ? { port: flags.port } : {};
  // Its warnings, once; the daemon reads the file itself (and again when it changes).
  const config = loadConfig(flags.config, overrides);
  const log = createLogger(flags.verbose ? { level: 'debug' } : { usual: 'info' });
  const { startDaemon } = await import('./daemon.js');
  // Listening before the daemon starts: its first cycle begins at once, and a signal meanwhile must stop it, not
  // kill the process.
  const signalled = untilSignal();
  const daemon = await startDaemon({
    configPath: flags.config,
    overrides,
    log,
    live: (c) => liveFor(c, { offline: false, refetch: false }),
  }).catch((error: unknown) => {
    throw listenFailure(error, config, flags.port);
  });
  const sig = await Promise.race([signalled, daemon.stopped.then(() => 'stopped')]);
  await daemon.stop(sig);
}

async function runServe(flags: { config?: string; verbose?: boolean; port?: number }): Promise<void> {
  const config = loadConfig(flags.config, flags.port !== undefined ? { port: flags.port } : {});
  const log = createLogger(flags.verbose ? { level: 'debug' } : { usual: 'info' });
  const [{ createApp, listen }, { serverRoutes }] = await Promise.all([
    import('../server/app.js'),
    import('./daemon.js'),
  ]);
  const server = createApp({
    output: config.output,
    baseUrl: config.baseUrl,
    health: () => ({ ok: true, body: { serving: config.output }, summary: { ok: true } }),
    token: config.server.token,
    routes: serverRoutes(config),
  });
  const addr = await listen(server, config.server.host, config.server.port).catch((error: unknown) => {
    throw listenFailure(error, config, flags.port);
  });
  log.info(
    { url: `http://${addr.address}:${addr.port}${new URL(config.baseUrl).pathname}`, output: config.output },
    'serving feeds',
  );
  await untilSignal();
  await new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });
}

async function runAdd(urls: string[], flags: { config?: string }): Promise<void> {
  const config = loadConfig(flags.config);
  const { addUrls } = await import('./add.js');
  // The URLs as given and the URL file are quoted where they appear; any other control character is escaped.
  const result = await addUrls(config, urls, { quote: quoteName });
  process.stdout.write(`${result.lines.map(escapeControls).join('\n')}\n`);
  if (result.refused > 0) throw new UsageError(`${result.refused} of ${urls.length} URLs refused`);
}

async function runUnfollow(
  targets: string[],
  flags: { config?: string; remove?: boolean; url?: boolean },
): Promise<void> {
  const config = loadConfig(flags.config);
  const { unfollowTargets } = await import('./unfollow.js');
  const result = await unfollowTargets(config, targets, {
    remove: flags.remove ?? false,
    url: flags.url ?? false,
    quote: quoteName,
  });
  process.stdout.write(`${result.lines.map(escapeControls).join('\n')}\n`);
  if (result.refused > 0) throw new UsageError(`${result.refused} of ${targets.length} refused`);
}

async function runResume(flags: { config?: string }): Promise<void> {
  const config = loadConfig(flags.config);
  const { resumeFetching } = await import('./resume.js');
  process.stdout.write(`${resumeFetching(config).line}\n`);
}

async function runList(flags: { config?: string; json?: boolean }): Promise<void> {
  const config = loadConfig(flags.config);
  const { formatFollowed, listFollowed } = await import('./list.js');
  const followed = await listFollowed(config);
  const text = flags.json
    ? terminalJson(followed)
    : formatFollowed(followed).split('\n').map(escapeControls).join('\n');
  process.stdout.write(`${text}\n`);
}

/** The alerts and WebSub pings of a one-off build (commands/alerts.ts), loaded only when the config has any. */
async function tell(config: Config, log: Logger, end: { summary: BuildSummary } | { error: string }): Promise<void> {
  if (config.notify.length === 0 && !config.websub.hub) return;
  const { tellAfterBuild } = await import('./alerts.js');
  await tellAfterBuild(config, log, { now: Date.now(), ...end });
}

async function runNotify(flags: { config?: string; test?: boolean; verbose?: boolean }): Promise<void> {
  if (!flags.test) throw new UsageError('notify: nothing to do (--test sends a test message to every target)');
  const config = loadConfig(flags.config);
  if (config.notify.length === 0) throw new UsageError(`notify: ${config.file ?? '(defaults)'} lists no targets`);
  // Each target's result is printed: the log says only what went wrong besides.
  const log = createLogger(flags.verbose ? { level: 'debug' } : { usual: 'error' });
  const { notifyTest } = await import('./alerts.js');
  const result = await notifyTest(config, log);
  process.stdout.write(`${result.lines.map(escapeControls).join('\n')}\n`);
  if (result.failed > 0) throw new Failure(`${result.failed} of ${config.notify.length} targets not reached`, 1);
}

/**
 * The problems an earlier quiet build reported (their fingerprints), and this build's kept in their place: kept in the
 * store, so that builds in separate processes (cron) print each problem once, as the daemon logs it once.
 */
async function reportedBefore(config: Config, summary: BuildSummary): Promise<Set<string>> {
  const [{ closeStore, openStoreIfExists }, { MetaTable }] = await Promise.all([
    import('../store/db.js'),
    import('../store/meta.js'),
  ]);
  const db = openStoreIfExists(config.store);
  if (!db) return new Set();
  try {
    const meta = new MetaTable(db);
    const before = new Set(meta.reportedProblems.get() ?? []);
    meta.reportedProblems.set(problemFingerprints(summary));
    return before;
  } finally {
    closeStore(db, true);
  }
}

async function runBuild(flags: BuildFlags): Promise<void> {
  const config = loadConfig(flags.config, { output: flags.out, dumps: flags.dumps });
  const log = createLogger(flags.verbose ? { level: 'debug' } : { usual: 'warn' });
  let drawn = false;
  const bar = !flags.quiet && process.stderr.isTTY ? progressBar(process.stderr) : undefined;
  const progress = bar
    ? (done: number, total: number) => {
        drawn ||= total >= 2000;
        bar(done, total);
      }
    : undefined;
  const live = liveFor(config, { offline: flags.offline ?? false, refetch: flags.refetch ?? false });
  const { build } = await import('../stages/cycle.js');
  // Ctrl-C (or SIGTERM) aborts the build at its next safe point; a second one stops at once (the store is safe at
  // any point: the next build resumes either way).
  const abort = new AbortController();
  let stoppedBy: number | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    const code = signal === 'SIGINT' ? 130 : 143;
    if (stoppedBy !== undefined) {
      process.stderr.write(`${drawn ? '\n' : ''}wxfeed: ${INTERRUPTED}\n`);
      process.exit(code);
    }
    stoppedBy = code;
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let summary: Awaited<ReturnType<typeof build>>;
  try {
    summary = await build(config, {
      log,
      live,
      signal: abort.signal,
      prune: flags.prune ?? false,
      rescan: flags.rescan ?? false,
      ...(progress ? { progress } : {}),
    });
  } catch (error) {
    if (stoppedBy !== undefined) {
      if (drawn) process.stderr.write('\n');
      throw new Failure(INTERRUPTED, stoppedBy);
    }
    await tell(config, log, { error: (error as Error).message.split('\n')[0] || 'failed' });
    if (isRefusal(error)) {
      // The command that confirms it: this build's folders, with --prune.
      const words = ['wxfeed', 'build', '--prune'];
      if (flags.config) words.push('--config', flags.config);
      if (flags.dumps?.length) words.push('--dumps', ...flags.dumps);
      if (flags.out) words.push('--out', flags.out);
      const prune = words.map(shellWord).join(' ');
      throw new Failure(
        error.describe((n) => n, prune),
        1,
        error.describe(quoteName, prune),
      );
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const known = flags.quiet && !flags.json ? await reportedBefore(config, summary) : undefined;
  const text = flags.json
    ? terminalJson(summary)
    : formatSummary(summary, config, {
        hint: process.stdout.isTTY === true,
        configFile: flags.config,
        quiet: flags.quiet ?? false,
        ...(known ? { known } : {}),
      });
  if (text) process.stdout.write(`${text}\n`);
  await tell(config, log, { summary });
}

function program(): Command {
  const cmd = new Command('wxfeed')
    .description('Follow WeChat Official Accounts in any feed reader: dumps and URLs in, Atom, RSS and JSON feeds out.')
    .option('--verbose', 'print stack traces and debug logs')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .showHelpAfterError('(wxfeed --help lists the commands and their options)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  cmd
    .command('build')
    .description('read the dump folders, update the store and write the feeds')
    .option('-c, --config <file>', 'config file', undefined)
    .option('-o, --out <dir>', 'output folder (overrides `output`)')
    .option('-d, --dumps <dir...>', 'dump folders (override `dumps`)')
    .option('--offline', 'use no network: read dumps only, fetch nothing')
    .option('--refetch', 'fetch every followed URL now, whatever the re-read schedule says')
    .option(
      '--json',
      'print the build summary as JSON (files read and written, problems, fetch counts); a failure as {error, exitCode}',
    )
    .option('-q, --quiet', 'print nothing but problems and errors')
    .option(
      '--prune',
      'confirm a removal of dump files the build refuses (every file of a folder, or more than half at once)',
    )
    .option('--rescan', 'check every dump file now (a file rewritten in place is otherwise seen within the hour)')
    .addHelpText(
      'after',
      '\nThe default config file is config/wxfeed.yaml. Exit codes: 0 feeds written, 1 fatal error, 2 invalid config,\n130 interrupted.',
    )
    .action(async (flags: BuildFlags, command: Command) =>
      runBuild({ ...flags, verbose: command.optsWithGlobals().verbose }),
    );
  cmd
    .command('daemon')
    .description('run a cycle now and on schedule.cron, and serve output/ (unless server.enabled is false)')
    .option('-c, --config <file>', 'config file')
    .option('--port <port>', 'port to listen on (overrides server.port; 0: a free one)', parsePort)
    .action(async (flags: { config?: string; port?: number }, command: Command) =>
      runDaemon({ ...flags, verbose: command.optsWithGlobals().verbose }),
    );
  cmd
    .command('serve')
    .description('serve output/ over HTTP under the path of baseUrl, with conditional GET')
    .option('-c, --config <file>', 'config file')
    .option('--port <port>', 'port to listen on (overrides server.port; 0: a free one)', parsePort)
    .action(async (flags: { config?: string; port?: number }, command: Command) =>
      runServe({ ...flags, verbose: command.optsWithGlobals().verbose }),
    );
  cmd
    .command('follow')
    .alias('add')
    .description(
      'follow WeChat article, album and homepage URLs: check, normalise and append them to the first URL file (a URL or account unfollowed before is followed again)',
    )
    .argument(
      '<url...>',
      'article URLs (https://mp.weixin.qq.com/s?__biz=…&sn=… or /s/<token>), album URLs (/mp/appmsgalbum?__biz=…&album_id=…), homepage URLs (/mp/homepage?__biz=…&hid=…)',
    )
    .option('-c, --config <file>', 'config file')
    .action(async (urls: string[], flags: { config?: string }) => runAdd(urls, flags));
  cmd
    .command('unfollow')
    .description(
      'stop following accounts, albums and homepages, or (--url) single article URLs: no more reads or polls, never followed again by discovery; stored articles and feeds stay',
    )
    .argument(
      '<target...>',
      'an account (its number, an article URL of it, or its feed folder), or an album or homepage (URL, album id, or feed folder album-<id>, home-<account number>-<hid>[-<cid>]); with --url, article URLs',
    )
    .option('-c, --config <file>', 'config file')
    .option('--remove', "an account's feeds too: the next build removes their folders (its stored articles stay)")
    .option('--url', 'stop reading these article URLs alone, not their accounts')
    .action(async (targets: string[], flags: { config?: string; remove?: boolean; url?: boolean }) =>
      runUnfollow(targets, flags),
    );
  cmd
    .command('resume')
    .description('end a cool-down now: the next build or cycle fetches at once (the pace after a refusal stays slowed)')
    .option('-c, --config <file>', 'config file')
    .action(async (flags: { config?: string }) => runResume(flags));
  cmd
    .command('notify')
    .description('send a test message to every alert target of notify, and print how each went')
    .option('-c, --config <file>', 'config file')
    .option('--test', 'send the test message')
    .action(async (flags: { config?: string; test?: boolean }, command: Command) =>
      runNotify({ ...flags, verbose: command.optsWithGlobals().verbose }),
    );
  cmd
    .command('list')
    .description(
      'print what is followed: article URLs, and albums and homepages by account, with articles known, last and next poll',
    )
    .option('-c, --config <file>', 'config file')
    .option('--json', 'print it as JSON')
    .action(async (flags: { config?: string; json?: boolean }) => runList(flags));
  return cmd;
}

/** Runs the command line `argv`; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  const json = argv.includes('--json');
  /** Say why on stderr (and as JSON on stdout with --json); the exit code. */
  const fail = (message: string, code: number, shown = shownLines(message)): number => {
    process.stderr.write(`wxfeed: ${shown}\n`);
    if (json) process.stdout.write(`${terminalJson({ error: message, exitCode: code })}\n`);
    return code;
  };
  try {
    const cmd = program();
    if (argv.length <= 2) {
      cmd.outputHelp();
      return 0;
    }
    await cmd.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0 (`wxfeed help`, `--help`, `--version`); commander has printed any usage error.
      if (error.exitCode === 0) return 0;
      if (json)
        process.stdout.write(`${terminalJson({ error: error.message.replace(/^error: /, ''), exitCode: 2 })}\n`);
      return 2;
    }
    if (error instanceof Failure) return fail(error.message, error.code, error.shown);
    if (error instanceof UsageError || error instanceof ConfigError) return fail(error.message, 2);
    const message = error instanceof Error ? error.message : String(error);
    const code = fail(message.split('\n')[0]!, 1);
    if (verbose && error instanceof Error && error.stack) process.stderr.write(`${shownLines(error.stack)}\n`);
    return code;
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});

#!/usr/bin/env node
/**
 * Command line: parse argv, call a command, map errors to exit codes (0 ok, 1 fatal, 2 invalid config or usage, 130
 * interrupted). With `--json`, every failure is also a JSON object `{ error, exitCode }` on stdout. Names from outside
 * are printed quoted (report.ts) so no control character reaches the terminal.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { packageFile } from '../compiled.js';
import { ConfigError, type Overrides, readConfig } from '../config.js';
import { createLogger } from '../log.js';
import { escapeControls, formatSummary, progressBar, quoteName, shellWord, terminalJson } from './report.js';
import { liveFor } from './live.js';
import type { Config } from '../types.js';
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

async function runDaemon(flags: { config?: string; verbose?: boolean }): Promise<void> {
  loadConfig(flags.config); // its warnings, once; the daemon reads the file itself (and again when it changes)
  const log = createLogger(flags.verbose ? { level: 'debug' } : { usual: 'info' });
  const { startDaemon } = await import('./daemon.js');
  // Listening before the daemon starts: its first cycle begins at once, and a signal meanwhile must stop it, not
  // kill the process.
  const signalled = untilSignal();
  const daemon = await startDaemon({
    configPath: flags.config,
    log,
    live: (config) => liveFor(config, { offline: false, refetch: false }),
  });
  const sig = await Promise.race([signalled, daemon.stopped.then(() => 'stopped')]);
  await daemon.stop(sig);
}

async function runServe(flags: { config?: string; verbose?: boolean }): Promise<void> {
  const config = loadConfig(flags.config);
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
    routes: serverRoutes(config, () => false),
  });
  const addr = await listen(server, config.server.host, config.server.port);
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

async function runUnfollow(targets: string[], flags: { config?: string }): Promise<void> {
  const config = loadConfig(flags.config);
  const { unfollowAlbums } = await import('./unfollow.js');
  const result = await unfollowAlbums(config, targets, quoteName);
  process.stdout.write(`${result.lines.map(escapeControls).join('\n')}\n`);
  if (result.refused > 0) throw new UsageError(`${result.refused} of ${targets.length} albums refused`);
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
  const text = flags.json
    ? terminalJson(summary)
    : formatSummary(summary, config, {
        hint: process.stdout.isTTY === true,
        configFile: flags.config,
        quiet: flags.quiet ?? false,
      });
  if (text) process.stdout.write(`${text}\n`);
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
    .action(async (flags: { config?: string }, command: Command) =>
      runDaemon({ ...flags, verbose: command.optsWithGlobals().verbose }),
    );
  cmd
    .command('serve')
    .description('serve output/ over HTTP under the path of baseUrl, with conditional GET')
    .option('-c, --config <file>', 'config file')
    .action(async (flags: { config?: string }, command: Command) =>
      runServe({ ...flags, verbose: command.optsWithGlobals().verbose }),
    );
  cmd
    .command('add')
    .description(
      'follow WeChat article, album and homepage URLs: check, normalise and append them to the first URL file',
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
      'stop following albums and homepages: no more polls, never followed again by discovery; their articles and feeds stay',
    )
    .argument(
      '<album...>',
      'album or homepage URLs, album ids, or feed folders (album-<id>, home-<account number>-<hid>[-<cid>])',
    )
    .option('-c, --config <file>', 'config file')
    .action(async (targets: string[], flags: { config?: string }) => runUnfollow(targets, flags));
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

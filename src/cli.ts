#!/usr/bin/env node
/**
 * Command line: parse argv, call a command, map errors to exit codes (0 ok, 1 fatal, 2 invalid config or usage).
 */
import { Command, CommanderError } from 'commander';
import { loadConfig, ConfigError } from './config.js';
import { createLogger } from './log.js';
import { formatSummary, progressBar } from './report.js';
import { liveFor } from './live.js';
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
}

/** A usage problem met after parsing (exit 2). */
class UsageError extends Error {}

/** Resolve on SIGINT or SIGTERM. */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => resolve(sig));
  });
}

async function runDaemon(flags: { config?: string; verbose?: boolean }): Promise<void> {
  const log = createLogger({ level: flags.verbose ? 'debug' : 'info' });
  const { startDaemon } = await import('./daemon.js');
  const daemon = await startDaemon({
    configPath: flags.config,
    log,
    live: (config) => liveFor(config, { offline: false, refetch: false }),
  });
  const sig = await Promise.race([untilSignal(), daemon.stopped.then(() => 'stopped')]);
  await daemon.stop(sig);
}

async function runServe(flags: { config?: string; verbose?: boolean }): Promise<void> {
  const config = loadConfig(flags.config);
  const log = createLogger({ level: flags.verbose ? 'debug' : 'info' });
  const [{ createApp, listen }, { serverRoutes }] = await Promise.all([
    import('./server/app.js'),
    import('./daemon.js'),
  ]);
  const server = createApp({
    output: config.output,
    baseUrl: config.baseUrl,
    health: () => ({ ok: true, body: { serving: config.output } }),
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
  const { addUrls } = await import('./urls/add.js');
  const result = await addUrls(config, urls);
  process.stdout.write(`${result.lines.join('\n')}\n`);
  if (result.refused > 0) throw new UsageError(`${result.refused} of ${urls.length} URLs refused`);
}

async function runBuild(flags: BuildFlags): Promise<void> {
  const config = loadConfig(flags.config, { output: flags.out, dumps: flags.dumps });
  const log = createLogger({ level: flags.verbose ? 'debug' : 'warn' });
  const progress = process.stderr.isTTY ? progressBar(process.stderr) : undefined;
  const live = liveFor(config, { offline: flags.offline ?? false, refetch: flags.refetch ?? false });
  const { build } = await import('./cycle.js');
  const summary = await build(config, { log, live, ...(progress ? { progress } : {}) });
  process.stdout.write(flags.json ? `${JSON.stringify(summary)}\n` : `${formatSummary(summary, config)}\n`);
}

function program(): Command {
  const cmd = new Command('wxfeed')
    .description('Follow WeChat Official Accounts in any feed reader: dumps and URLs in, Atom, RSS and JSON feeds out.')
    .option('--verbose', 'print stack traces and debug logs')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  cmd
    .command('build')
    .description('read the dump folders, update the store and write the feeds')
    .option('-c, --config <file>', 'config file', undefined)
    .option('-o, --out <dir>', 'output folder (overrides `output`)')
    .option('-d, --dumps <dir...>', 'dump folders (override `dumps`)')
    .option('--offline', 'use no network: read dumps only, fetch nothing')
    .option('--refetch', 'fetch every followed URL now, whatever the re-read schedule says')
    .option('--json', 'print the build summary as JSON (files read and written, problems, fetch counts)')
    .addHelpText(
      'after',
      '\nThe default config file is config/wxfeed.yaml. Exit codes: 0 feeds written, 1 fatal error, 2 invalid config.',
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
    .description('follow WeChat article URLs: check, normalise and append them to the first URL file')
    .argument('<url...>', 'article URLs (https://mp.weixin.qq.com/s?__biz=…&sn=… or /s/<token>)')
    .option('-c, --config <file>', 'config file')
    .action(async (urls: string[], flags: { config?: string }) => runAdd(urls, flags));
  return cmd;
}

export async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
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
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`wxfeed: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`wxfeed: ${error.message}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`wxfeed: ${message.split('\n')[0]}\n`);
    if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});

/**
 * One logger with key/value fields (pino): pretty lines on a TTY, JSON lines otherwise. pino (and pino-pretty) load
 * on the first line logged at an enabled level: a build that logs nothing (the usual one: it logs warnings only)
 * never loads them.
 */
import { createRequire } from 'node:module';
import type { Logger } from 'pino';

export type { Logger };

const LEVELS: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};
const METHODS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

function realLogger(level: string, pretty: boolean): Logger {
  const require = createRequire(import.meta.url);
  const pino = require('pino') as typeof import('pino');
  const base = { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime };
  if (pretty) {
    // A terminal: JSON lines need no formatter.
    const prettify = require('pino-pretty') as typeof import('pino-pretty');
    return pino(
      base,
      prettify({ destination: 2, sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }),
    );
  }
  return pino(base, pino.destination({ dest: 2, sync: true }));
}

/** A logger that makes the real one when a line at an enabled level is first logged. */
function lazyLogger(level: string, make: () => Logger): Logger {
  let real: Logger | undefined;
  const threshold = LEVELS[level] ?? LEVELS.info!;
  const get = (): Logger => (real ??= make());
  const logger: Record<string, unknown> = {
    level,
    isLevelEnabled: (l: string) => (LEVELS[l] ?? Infinity) >= threshold,
    child: (bindings: Record<string, unknown>) => get().child(bindings),
  };
  for (const name of METHODS) {
    logger[name] = (...args: unknown[]) => {
      if (LEVELS[name]! >= threshold) (get()[name] as (...a: unknown[]) => void)(...args);
    };
  }
  return logger as unknown as Logger;
}

/**
 * A logger at `level` when given (--verbose, tests), else at `WXFEED_LOG_LEVEL` when it names a level, else at
 * `usual` (the command's own level).
 */
export function createLogger(options: { level?: string; usual?: string; pretty?: boolean } = {}): Logger {
  const fromEnv = process.env.WXFEED_LOG_LEVEL;
  const level = options.level ?? (fromEnv && Object.hasOwn(LEVELS, fromEnv) ? fromEnv : (options.usual ?? 'info'));
  const pretty = options.pretty ?? process.stderr.isTTY === true;
  return lazyLogger(level, () => realLogger(level, pretty));
}

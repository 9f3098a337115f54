import { Writable } from 'node:stream';
import pino from 'pino';
import { createLogger, type Logger } from '../../src/log.js';

/** A logger that drops everything: builds and daemons in tests log nothing. */
export const silentLogger: Logger = createLogger({ level: 'silent', pretty: false });

/** A JSON logger whose lines the test reads back: parsed (`lines`) and as written (`raw`, to look for leaks). */
export interface CapturedLog {
  log: Logger;
  lines: Array<Record<string, unknown>>;
  readonly raw: string;
}

export function captureLog(level: 'info' | 'debug'): CapturedLog {
  let raw = '';
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw += chunk.toString();
      for (const l of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return {
    log: pino({ level }, sink) as unknown as Logger,
    lines,
    get raw() {
      return raw;
    },
  };
}

import { createLogger, type Logger } from '../../src/log.js';

/** A logger that drops everything: builds and daemons in tests log nothing. */
export const silentLogger: Logger = createLogger({ level: 'silent', pretty: false });

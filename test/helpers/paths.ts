import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** ../shared seen from the project root: real fixtures from public projects. Tests that use them skip without it. */
const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const REAL_DUMPS = `${SHARED}fixtures/dumps-real/`;
export const REAL_PAGES = `${SHARED}fixtures/wechat-html/`;
export const HAVE_SHARED = existsSync(`${SHARED}fixtures`);
/** Our own fixtures. */
export const OWN_FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const SEED = fileURLToPath(new URL('../../config/dumps/000_d7e054598282a5f6.txt', import.meta.url));
/** The compiled command (test/global-setup.ts keeps it current): how users run wxfeed, worker threads included. */
export const DIST_CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/**
 * Tests run src/ from its TypeScript sources, where the page parser's thread (src/work/page-parser.ts) needs a
 * TypeScript loader that src/ never names: this setup file (vitest.config.ts) gives the thread an entry that registers
 * tsx, then loads page-worker.ts. The compiled package needs none of it.
 */
import { setSourcesPageWorker } from '../../src/work/page-parser.js';

// A data: URL resolves no package name: both imports are absolute.
const tsx = import.meta.resolve('tsx/esm/api');
const worker = new URL('../../src/work/page-worker.ts', import.meta.url).href;
const boot = `const { register } = await import(${JSON.stringify(tsx)});
register();
await import(${JSON.stringify(worker)});`;
setSourcesPageWorker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));

/**
 * Whether this code runs compiled or from the TypeScript sources. Compiled, every module is bundled into the one
 * flat folder dist/, so an entry point (a worker thread's) sits beside the code that starts it, and the package's
 * files are one folder up, as they are from src/ for the sources.
 */

/** True in dist/ (compiled); false from the sources (tests, tsx). */
const COMPILED = import.meta.url.endsWith('.js');

/** A compiled entry point of dist/ by its file name (`worker.js`), or undefined when running from the sources. */
export function compiledEntry(name: string): URL | undefined {
  return COMPILED ? new URL(`./${name}`, import.meta.url) : undefined;
}

/** A file at the package's top level (`package.json`), from dist/ and src/ alike. */
export function packageFile(name: string): URL {
  return new URL(`../${name}`, import.meta.url);
}

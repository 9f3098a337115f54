/**
 * WebSub publishing: after a build writes feed files, the hub (`websub.hub`) is told of each feed URL that changed
 * (`hub.mode=publish`, `hub.url=<feed url>`, a form POST, as public hubs take it), once per change, on the outbox
 * (outbox.ts): retried, logged, never fatal.
 */
import { relative, sep } from 'node:path';
import type { Outbox } from './outbox.js';

/** The files of a feed folder, each a feed URL of its own. */
const FEED_FILES = new Set(['atom.xml', 'rss.xml', 'feed.json']);
/** Pings to one hub in flight at once. */
const PARALLEL = 4;

/** The feed URLs of the files a build wrote (`written`, under `output`): `<baseUrl><slug>/<file>` of each feed file. */
export function changedFeedUrls(written: readonly string[], output: string, baseUrl: string): string[] {
  const urls = new Set<string>();
  for (const path of written) {
    const parts = relative(output, path).split(sep);
    if (parts.length !== 2 || parts[0] === '..' || !FEED_FILES.has(parts[1]!)) continue;
    urls.add(`${baseUrl}${parts[0]}/${parts[1]}`);
  }
  return [...urls];
}

/** Queue a publish ping to `hub` for each of `feeds`. */
export function pingHub(outbox: Outbox, hub: string, feeds: readonly string[]): void {
  const host = new URL(hub).host;
  for (const feed of feeds) {
    const body = new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': feed }).toString();
    outbox.add(
      { key: `websub:${hub}`, parallel: PARALLEL },
      {
        post: { url: hub, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body },
        what: 'hub ping',
        fields: { hub: host, feed },
      },
    );
  }
}

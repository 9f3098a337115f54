/**
 * The image proxy's signing secret when the config gives none: generated once, kept in the store.
 */
import { randomBytes } from 'node:crypto';

export interface MetaStore {
  meta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
}

export function imageSecret(store: MetaStore): string {
  let secret = store.meta('image-secret');
  if (!secret) {
    secret = randomBytes(32).toString('base64url');
    store.setMeta('image-secret', secret);
  }
  return secret;
}

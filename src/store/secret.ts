/**
 * The image proxy's signing secret when the config gives none: generated once, kept in the store.
 */
import { randomBytes } from 'node:crypto';

import type { MetaTable } from './meta.js';

/** The store's image secret, made and kept on first use. */
export function imageSecret(meta: MetaTable): string {
  let secret = meta.imageSecret.get();
  if (!secret) {
    secret = randomBytes(32).toString('base64url');
    meta.imageSecret.set(secret);
  }
  return secret;
}

/**
 * The image proxy's signing secret when the config gives none: generated once, kept in the store.
 */
import { randomBytes } from 'node:crypto';

import type { MetaTable } from './meta.js';

export function imageSecret(meta: MetaTable): string {
  let secret = meta.get('image-secret');
  if (!secret) {
    secret = randomBytes(32).toString('base64url');
    meta.set('image-secret', secret);
  }
  return secret;
}

/**
 * `npm run docs`: writes the config reference generated from the schema into docs/configuration.md and the README's
 * short table, between their markers; the text around the markers is left as it is.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generatedDocs, withGenerated } from '../../src/config-docs.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

for (const { file, region, body } of generatedDocs()) {
  const before = readFileSync(`${ROOT}${file}`, 'utf8');
  const after = withGenerated(before, region, body, file);
  if (after === before) continue;
  writeFileSync(`${ROOT}${file}`, after);
  process.stdout.write(`wrote ${file}\n`);
}

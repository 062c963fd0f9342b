// Writes the env files of a throwaway compose stack (scripts/lib/compose-env.ts) into a folder:
//   npm run compose-env -- --out <folder>      then  MARKETPLACE_ENV_DIR=<folder> docker compose up …
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { composeEnvFiles, freshSecrets } from './lib/compose-env.js';
import { repoRoot } from './lib/proc.js';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
if (!values.out) {
  process.stderr.write('usage: npm run compose-env -- --out <folder>\n');
  process.exit(2);
}
const out = path.resolve(values.out);
mkdirSync(out, { recursive: true, mode: 0o700 });
const files = composeEnvFiles(readFileSync(path.join(repoRoot, '.env.example'), 'utf8'), freshSecrets());
for (const [name, text] of Object.entries(files)) writeFileSync(path.join(out, `${name}.env`), text, { mode: 0o600 });
process.stdout.write(`wrote ${Object.keys(files).length} env files to ${out}\n`);

// `pnpm openapi`: writes docs/openapi.json from the zod schemas in shared/ (shared/src/openapi.ts).
// `pnpm openapi --check` fails when the committed copy is stale instead of writing it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApiJson } from '../shared/src/openapi.ts';

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/openapi.json');
const json = openApiJson();
if (process.argv.includes('--check')) {
  const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (committed !== json) {
    console.error('docs/openapi.json is stale: run `pnpm openapi`');
    process.exit(1);
  }
  console.log('docs/openapi.json is up to date');
} else {
  fs.writeFileSync(file, json);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

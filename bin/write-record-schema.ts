// `node bin/write-record-schema.ts`: writes protocol/export-record.schema.json from the zod schema
// (test/unit/protocol/export-record-schema.test.ts fails while the committed file is stale).
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateRecordJsonSchema } from '../protocol/export-record-json-schema.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.join(root, 'protocol/export-record.schema.json');
await writeFile(file, generateRecordJsonSchema());
// In the repository's own format, so that the lint stays at zero.
execFileSync(path.join(root, 'node_modules/.bin/biome'), ['format', '--write', file], { stdio: 'ignore' });

/* Build step: writes the JSON Schema of every event type and the AsyncAPI document for partners. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAsyncApiDocument } from '../asyncapi';
import { allEventJsonSchemas } from '../json-schema';

const outDir = join(__dirname, '..', '..', 'dist', 'artifacts');
mkdirSync(join(outDir, 'schemas'), { recursive: true });
const schemas = allEventJsonSchemas();
for (const [type, schema] of Object.entries(schemas)) {
  writeFileSync(join(outDir, 'schemas', `${type}.schema.json`), JSON.stringify(schema, null, 2) + '\n');
}
writeFileSync(join(outDir, 'asyncapi.json'), JSON.stringify(buildAsyncApiDocument(), null, 2) + '\n');
process.stdout.write(`contracts: wrote ${Object.keys(schemas).length} event schemas and asyncapi.json to ${outDir}\n`);

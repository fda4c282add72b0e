/** Writes src/generated/openapi.ts from the coordinator's current OpenAPI document. */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { coordinatorDocument, GENERATED_FILE, generateTypes } from './openapi-types.js';

await writeFile(GENERATED_FILE, await generateTypes(await coordinatorDocument()));
process.stdout.write(`wrote ${fileURLToPath(GENERATED_FILE)}\n`);

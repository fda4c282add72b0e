import { readFile } from 'node:fs/promises';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';

/*
 * The types of src/generated/openapi.ts come from the coordinator's OpenAPI
 * document, built in-process (no server) by apps/coordinator/src/openapi.ts.
 * The coordinator is loaded by path, not by package: this lib depends on it
 * only to generate and check its types, never at run time.
 */

export const GENERATED_FILE = new URL('../src/generated/openapi.ts', import.meta.url);
export const REGENERATE_COMMAND = 'npx nx run @concurrency-lab/api-client:generate';

const COORDINATOR_OPENAPI = new URL('../../../apps/coordinator/src/openapi.ts', import.meta.url);

const HEADER = `/*
 * Generated from the coordinator's OpenAPI document (apps/coordinator/src/openapi.ts)
 * by openapi-typescript. Do not edit: run \`${REGENERATE_COMMAND}\`.
 */
`;

export async function coordinatorDocument(): Promise<Record<string, unknown>> {
  const module = (await import(COORDINATOR_OPENAPI.href)) as { openApiDocument: () => Record<string, unknown> };
  return module.openApiDocument();
}

/** The file's text for a document; request fields with a default stay optional, as the coordinator accepts them. */
export async function generateTypes(document: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS(document as unknown as OpenAPI3, { defaultNonNullable: false });
  return HEADER + astToString(ast);
}

export async function checkedInTypes(): Promise<string> {
  return readFile(GENERATED_FILE, 'utf8');
}

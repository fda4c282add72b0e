/**
 * `npm run compare`: one comparison, printed for a person. The coordinator
 * does the work; this only asks and formats.
 */
import type { CompareReport } from '@concurrency-lab/simulation';
import { formatComparison } from './lib/format.js';
import { parseCompareOptions, USAGE } from './lib/options.js';

function fail(message: string): never {
  process.stderr.write(`compare: ${message}\n`);
  process.exit(1);
}

let options;
try {
  options = parseCompareOptions(process.argv.slice(2));
} catch (error) {
  fail(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
}
if (options.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

let response: Response;
try {
  response = await fetch(`${options.url}/simulations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(options.body),
  });
} catch {
  fail(`no coordinator at ${options.url} (start one with \`npm start\` or \`docker compose up\`)`);
}
const body = (await response.json()) as Record<string, unknown>;
if (response.status === 202) fail(`the comparison is still running after 2 minutes: see ${options.url}${String(response.headers.get('location'))}`);
if (response.status !== 201) fail(`${response.status} ${String(body['detail'] ?? body['title'] ?? '')}`);
process.stdout.write(`${formatComparison(body as unknown as CompareReport)}\n`);

/**
 * `npm run compare`: one comparison, printed for a person. The coordinator
 * does the work; this only asks and formats.
 */
import {
  CoordinatorProblem,
  CoordinatorUnreachable,
  createCoordinatorClient,
  type SimulationAnswer,
  type SimulationRequest,
} from '@concurrency-lab/api-client';
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

const client = createCoordinatorClient({ baseUrl: options.url });
let answer: SimulationAnswer;
try {
  // The words on the command line become the body as they are: the coordinator validates them and says what is wrong.
  answer = await client.simulate(options.body as SimulationRequest);
} catch (error) {
  if (error instanceof CoordinatorUnreachable)
    fail(`no coordinator at ${options.url} (start one with \`npm start\` or \`docker compose up\`)`);
  if (error instanceof CoordinatorProblem) fail(`${error.status} ${error.detail ?? error.title}`);
  throw error;
}
if (answer.status === 202) fail(`the comparison is still running after 2 minutes: see ${options.url}${answer.location}`);
if (answer.report.mode !== 'compare') fail(`expected a comparison, got a ${answer.report.mode} run`);
process.stdout.write(`${formatComparison(answer.report)}\n`);

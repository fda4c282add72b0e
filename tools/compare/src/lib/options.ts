import { parseArgs } from 'node:util';

export interface CompareOptions {
  url: string;
  body: Record<string, unknown>;
  help: boolean;
}

export const USAGE = `Usage: npm run compare -- [options]

Asks the coordinator to run the same tasks in every mode and prints one row per mode.

  --url URL          coordinator (default http://127.0.0.1:3000, or COORDINATOR_URL)
  --modes a,b        modes to compare (default all: sequential,processes,pool,threads,async)
  --workload io|cpu  wait (the lesson's downloads) or compute (default io)
  --count N          N random tasks (default: the lesson's two files)
  --min-ms N         shortest random task (with --count)
  --max-ms N         longest random task (with --count)
  --seed N           repeat an earlier draw
  --scale X          multiply every duration (default 0.1 for the lesson's files, else 1)
  -h, --help         this text`;

const numberOption = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`--${name} takes a number, got ${JSON.stringify(value)}`);
  return parsed;
};

/** Command-line words → the POST /simulations body; the coordinator validates the values. */
export function parseCompareOptions(argv: string[], env: Record<string, string | undefined> = process.env): CompareOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      modes: { type: 'string' },
      workload: { type: 'string' },
      count: { type: 'string' },
      'min-ms': { type: 'string' },
      'max-ms': { type: 'string' },
      seed: { type: 'string' },
      scale: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const count = numberOption('count', values.count);
  const body: Record<string, unknown> = {
    mode: 'compare',
    workload: values.workload ?? 'io',
    scale: numberOption('scale', values.scale) ?? (count === undefined ? 0.1 : 1),
    waitMs: 120_000,
  };
  if (values.modes) body['modes'] = values.modes.split(',').map((mode) => mode.trim());
  if (count !== undefined) body['count'] = count;
  const optional = {
    minMs: numberOption('min-ms', values['min-ms']),
    maxMs: numberOption('max-ms', values['max-ms']),
    seed: numberOption('seed', values.seed),
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) body[key] = value;
  return { url: (values.url ?? env['COORDINATOR_URL'] ?? 'http://127.0.0.1:3000').replace(/\/$/, ''), body, help: values.help };
}

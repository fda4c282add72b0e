/**
 * `npm run nats:password [-- USER... | --check]`: nats-server keeps only
 * bcrypt hashes of the passwords (deploy/nats/nats.conf); each user's password
 * itself lives in one place, its env file: deploy/env/<service>.env for the
 * services, deploy/env/ops.env and sys.env for people with the nats CLI. After
 * changing a password there, this writes the matching hash into nats.conf.
 * Exit codes: 0 done (or, with --check, every hash matches), 1 a stale hash or
 * an error, 2 bad usage.
 */
import {
  deployEnvFiles,
  deployEnvironment,
  NATS_CLI_USERS,
  NATS_CONFIG_FILE,
  serviceConfigSchemas,
  type NatsCliUser,
  type ServiceName,
} from '@concurrency-lab/config';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { usersOf } from './lib/nats-conf.js';
import { DEFAULT_COST, syncHashes } from './lib/sync-hashes.js';

const USAGE = `Usage: npm run nats:password [-- [--check] [--cost N] [USER...]]

Writes into ${NATS_CONFIG_FILE} the bcrypt hash of each NATS user's password,
read from the user's env file (deploy/env/<user>.env: NATS_USER, NATS_PASSWORD).
A hash that already matches is kept. Without USER: every user in the config.

  --check     change nothing; exit 1 if a hash does not match its env file
  --cost N    bcrypt cost of new hashes (default ${DEFAULT_COST}, as \`nats server passwd\`)`;

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fail = (message: string, code = 1): never => {
  process.stderr.write(`nats:password: ${message}\n`);
  process.exit(code);
};

function parseCommandLine() {
  try {
    return parseArgs({
      options: { check: { type: 'boolean' }, cost: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    });
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`, 2);
  }
}
const { values, positionals } = parseCommandLine();
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const cost = Number(values.cost ?? DEFAULT_COST);
if (!Number.isInteger(cost) || cost < 4 || cost > 31)
  fail(`--cost takes a whole number from 4 to 31, got ${JSON.stringify(values.cost)}`, 2);

const isKnownUser = (user: string): user is ServiceName | NatsCliUser =>
  Object.hasOwn(serviceConfigSchemas, user) || (NATS_CLI_USERS as readonly string[]).includes(user);

/** The user's password from its env file, which must name that user. */
function passwordFromEnvFile(user: string): string {
  if (!isKnownUser(user))
    return fail(
      `no env file for NATS user ${JSON.stringify(user)}: users are ${[...Object.keys(serviceConfigSchemas), ...NATS_CLI_USERS].join(', ')}`,
      2,
    );
  const file = deployEnvFiles(user).at(-1);
  const environment = deployEnvironment(repoRoot, user);
  if (environment['NATS_USER'] !== user) fail(`${file} sets NATS_USER=${environment['NATS_USER'] ?? ''}, expected ${user}`);
  return environment['NATS_PASSWORD'] || fail(`${file} sets no NATS_PASSWORD`);
}

const configPath = resolve(repoRoot, NATS_CONFIG_FILE);
try {
  const conf = readFileSync(configPath, 'utf8');
  const users = positionals.length > 0 ? positionals : usersOf(conf);
  const passwords = new Map(users.map((user) => [user, passwordFromEnvFile(user)]));
  const { conf: next, outcomes } = syncHashes(conf, passwords, { check: values.check === true, cost });
  for (const { user, status, hash } of outcomes) {
    const what = { unchanged: 'matches its env file', updated: 'new hash written', stale: 'STALE: does not match its env file' }[status];
    process.stdout.write(`${user.padEnd(12)} ${what}  ${hash}\n`);
  }
  if (next !== conf) {
    writeFileSync(configPath, next);
    process.stdout.write(
      `\nUpdated ${NATS_CONFIG_FILE}. Restart nats-server to use it: \`docker compose restart nats\`, or stop and rerun \`npm start\`.\n`,
    );
  }
  if (outcomes.some((outcome) => outcome.status === 'stale'))
    fail(`stale hashes in ${NATS_CONFIG_FILE}: run \`npm run nats:password\` to rewrite them`);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

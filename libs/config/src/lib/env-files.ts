import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * One line an env file may hold besides blanks and comments: NAME=value,
 * with no spaces, quotes, `#`, `$` or backslashes in the value. Compose v1,
 * Compose v2 and util.parseEnv differ on quotes, `$` expansion, `export` and
 * comments after a value; in this subset they read every value alike, so
 * `docker compose`, `docker-compose`, `npm start` and the tests cannot
 * disagree about what a file says.
 */
const PORTABLE_LINE = /^[A-Z][A-Z0-9_]*=[^\s'"`#$\\]*$/;

/** A line of an env file that the three readers would not read alike. */
export class EnvFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'EnvFileError';
  }
}

function readEnvFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`env file ${file} could not be read: ${reason}`);
  }
  text.split(/\r?\n/).forEach((line, index) => {
    // Blank means empty and a comment starts the line: Node 20's parseEnv runs a line of spaces, or
    // an indented comment, into the name of the next variable.
    if (line === '' || line.startsWith('#') || PORTABLE_LINE.test(line)) return;
    throw new EnvFileError(
      file,
      index + 1,
      'expected NAME=value (the value without spaces, quotes, #, $ or backslashes), # comment or an empty line, nothing indented',
    );
  });
  const parsed = parseEnv(text);
  return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/**
 * Reads env files the way Compose's `env_file:` does: NAME=value lines,
 * `#` comments, and a later file overriding an earlier one. Throws on a file
 * that is missing or has a line outside the portable subset, naming both.
 */
export function readEnvFiles(files: readonly string[]): Record<string, string> {
  return Object.assign({}, ...files.map(readEnvFile)) as Record<string, string>;
}

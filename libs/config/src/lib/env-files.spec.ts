import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvFileError, readEnvFiles } from './env-files.js';

const dir = mkdtempSync(join(tmpdir(), 'clab-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;
function envFile(text: string): string {
  const file = join(dir, `${++count}.env`);
  writeFileSync(file, text);
  return file;
}

function envFileErrorOf(run: () => unknown): EnvFileError {
  try {
    run();
  } catch (error) {
    if (error instanceof EnvFileError) return error;
    throw error;
  }
  throw new Error('expected an EnvFileError');
}

describe('readEnvFiles', () => {
  it('reads NAME=value lines, skipping blanks and comments', () => {
    const file = envFile("# a comment, with 'quotes' and NAME=value\n\nLOG_LEVEL=info\n#NATS_USER=reader\nNATS_USER=writer\nEMPTY=\n");
    expect(readEnvFiles([file])).toEqual({ LOG_LEVEL: 'info', NATS_USER: 'writer', EMPTY: '' });
  });

  it('lets a later file override an earlier one, as Compose does with env_file', () => {
    const common = envFile('LOG_LEVEL=info\nLOG_FORMAT=json\n');
    const own = envFile('LOG_LEVEL=debug\nACK_WAIT_MS=2000\n');
    expect(readEnvFiles([common, own])).toEqual({ LOG_LEVEL: 'debug', LOG_FORMAT: 'json', ACK_WAIT_MS: '2000' });
    expect(readEnvFiles([])).toEqual({});
  });

  it('takes values with URL and password characters as they are', () => {
    const file = envFile('NATS_URL=nats://a:4222,nats://b:4222\nNATS_PASSWORD=dev-only_pass.word:1/2@3\r\n');
    expect(readEnvFiles([file])).toEqual({ NATS_URL: 'nats://a:4222,nats://b:4222', NATS_PASSWORD: 'dev-only_pass.word:1/2@3' });
  });

  it.each([
    ['a quoted value', 'NATS_PASSWORD="secret"'],
    ['a single-quoted value', "NATS_PASSWORD='secret'"],
    ['a comment after the value', 'LOG_LEVEL=info # quiet'],
    ['a variable reference', 'NATS_PASSWORD=$OTHER'],
    ['spaces around =', 'LOG_LEVEL = info'],
    ['export', 'export LOG_LEVEL=info'],
    ['a line without =', 'LOG_LEVEL'],
    ['a lower-case name', 'log_level=info'],
    ['a backslash', 'NATS_PASSWORD=a\\nb'],
    ['an indented comment', '  # the next name would swallow this line in Node 20'],
    ['a line of spaces', '   '],
  ])('rejects %s, which Compose v1, Compose v2 and Node read differently, naming file and line', (_what, line) => {
    const file = envFile(`# ok\nLOG_FORMAT=json\n${line}\n`);
    const error = envFileErrorOf(() => readEnvFiles([file]));
    expect(error.file).toBe(file);
    expect(error.line).toBe(3);
    expect(error.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: expected NAME=value`));
  });

  it('names a file that cannot be read', () => {
    const missing = join(dir, 'missing.env');
    expect(() => readEnvFiles([missing])).toThrow(`env file ${missing} could not be read`);
  });
});

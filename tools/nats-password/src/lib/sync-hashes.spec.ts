import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { passwordOf } from './nats-conf.js';
import { syncHashes } from './sync-hashes.js';

// The lowest cost bcrypt allows keeps the spec fast; the tool's default is 11.
const cost = 4;
const hashOf = (password: string) => bcrypt.hashSync(password, cost);
const confWith = (writer: string, reader: string) =>
  `accounts { LAB { users: [\n  { user: writer, password: "${writer}" }\n  { user: reader, password: ${reader} }\n] } }\n`;

describe('syncHashes', () => {
  it("writes a hash of each user's password where the config has none that matches, and keeps one that does", () => {
    const writerHash = hashOf('writer-secret');
    const conf = confWith(writerHash, '$OLD_PLAIN_VARIABLE');
    const passwords = new Map([
      ['writer', 'writer-secret'],
      ['reader', 'reader-secret'],
    ]);
    const { conf: next, outcomes } = syncHashes(conf, passwords, { cost });
    expect(outcomes.map(({ user, status }) => [user, status])).toEqual([
      ['writer', 'unchanged'],
      ['reader', 'updated'],
    ]);
    expect(passwordOf(next, 'writer')).toBe(writerHash);
    const readerHash = passwordOf(next, 'reader');
    expect(bcrypt.compareSync('reader-secret', readerHash)).toBe(true);
    expect(outcomes[1]?.hash).toBe(readerHash);
    // Run again: nothing left to do, the file stays byte for byte the same.
    const again = syncHashes(next, passwords, { cost });
    expect(again.conf).toBe(next);
    expect(again.outcomes.every((outcome) => outcome.status === 'unchanged')).toBe(true);
  });

  it('replaces the hash once the password in the env file changed', () => {
    const conf = confWith(hashOf('old-password'), '"x"');
    const { conf: next, outcomes } = syncHashes(conf, new Map([['writer', 'new-password']]), { cost });
    expect(outcomes[0]?.status).toBe('updated');
    expect(bcrypt.compareSync('new-password', passwordOf(next, 'writer'))).toBe(true);
    expect(bcrypt.compareSync('old-password', passwordOf(next, 'writer'))).toBe(false);
  });

  it('only reports stale hashes when checking, and writes nothing', () => {
    const conf = confWith(hashOf('old-password'), '"x"');
    const { conf: next, outcomes } = syncHashes(conf, new Map([['writer', 'new-password']]), { check: true, cost });
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['stale']);
    expect(next).toBe(conf);
  });
});

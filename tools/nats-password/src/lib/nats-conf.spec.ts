import { describe, expect, it } from 'vitest';
import { BCRYPT_HASH, passwordOf, usersOf, withPasswordHash } from './nats-conf.js';

const HASH_A = '$2b$11$Fh7JKkgxkIf.1fX4tCCKWur9uH27fJpo0W./hqbdmUgt32ubwZPxq';
const HASH_B = '$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';

const CONF = `# users: writer is the one that writes
accounts {
  LAB {
    users: [
      {
        user: writer
        password: "${HASH_A}"
        permissions: { publish: { allow: ["lab.>"] } }
      }
      # { user: reader, password: "old" }
      { user: reader, password: "${HASH_A}" }
      { user: "writer2", password: $OLD_VARIABLE }
    ]
  }
}
`;

describe('the users of nats.conf', () => {
  it('lists every user that has a password, skipping comments', () => {
    expect(usersOf(CONF)).toEqual(['writer', 'reader', 'writer2']);
  });

  it("reads a user's password, quoted or not, and not another user's whose name starts the same", () => {
    expect(passwordOf(CONF, 'writer')).toBe(HASH_A);
    expect(passwordOf(CONF, 'writer2')).toBe('$OLD_VARIABLE');
  });

  it("replaces one user's password by a quoted hash and leaves every other byte alone", () => {
    const next = withPasswordHash(CONF, 'reader', HASH_B);
    expect(passwordOf(next, 'reader')).toBe(HASH_B);
    expect(passwordOf(next, 'writer')).toBe(HASH_A);
    expect(next).toBe(CONF.replace(`{ user: reader, password: "${HASH_A}" }`, `{ user: reader, password: "${HASH_B}" }`));
    expect(next).toContain('# { user: reader, password: "old" }');
    expect(passwordOf(withPasswordHash(CONF, 'writer2', HASH_B), 'writer2')).toBe(HASH_B);
  });

  it('refuses an unknown user, a user twice, a name that is not one and a value that is not a bcrypt hash', () => {
    expect(() => passwordOf(CONF, 'ops')).toThrow('no entries for user ops');
    expect(() => passwordOf(`${CONF}{ user: reader, password: "x" }`, 'reader')).toThrow('2 entries for user reader');
    expect(() => passwordOf(CONF, 'a.*')).toThrow('not a NATS user name');
    expect(() => withPasswordHash(CONF, 'reader', 'plain-password')).toThrow('not a bcrypt hash');
  });

  it('knows a bcrypt hash when it sees one', () => {
    expect(BCRYPT_HASH.test(HASH_A)).toBe(true);
    expect(BCRYPT_HASH.test(HASH_B)).toBe(true);
    expect(BCRYPT_HASH.test('dev-only-writer-password')).toBe(false);
    expect(BCRYPT_HASH.test(`${HASH_A}x`)).toBe(false);
  });
});

import bcrypt from 'bcryptjs';
import { BCRYPT_HASH, passwordOf, withPasswordHash } from './nats-conf.js';

/** nats-server's own default (`nats server passwd`): about a tenth of a second per connection here. */
export const DEFAULT_COST = 11;

export interface UserOutcome {
  user: string;
  /** unchanged: the hash already matches; updated: a new hash was written; stale: it does not match (check only). */
  status: 'unchanged' | 'updated' | 'stale';
  /** The hash the config now holds for the user. */
  hash: string;
}

/**
 * Brings the config's hash of each user in line with the user's password (from
 * its env file): a hash that already matches stays as it is, so the file only
 * changes when a password did. With `check`, nothing is rewritten: stale
 * hashes are only reported.
 */
export function syncHashes(
  conf: string,
  passwords: ReadonlyMap<string, string>,
  { check = false, cost = DEFAULT_COST }: { check?: boolean; cost?: number } = {},
): { conf: string; outcomes: UserOutcome[] } {
  let next = conf;
  const outcomes: UserOutcome[] = [];
  for (const [user, password] of passwords) {
    const current = passwordOf(next, user);
    if (BCRYPT_HASH.test(current) && bcrypt.compareSync(password, current)) {
      outcomes.push({ user, status: 'unchanged', hash: current });
    } else if (check) {
      outcomes.push({ user, status: 'stale', hash: current });
    } else {
      const hash = bcrypt.hashSync(password, cost);
      next = withPasswordHash(next, user, hash);
      outcomes.push({ user, status: 'updated', hash });
    }
  }
  return { conf: next, outcomes };
}

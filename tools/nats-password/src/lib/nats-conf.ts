/**
 * The user entries of deploy/nats/nats.conf, read and rewritten as text so
 * that its comments and layout survive: each user is written
 *   user: NAME
 *   password: "BCRYPT HASH"
 * (on one line or two), the hash in double quotes, which nats-server takes
 * literally (an unquoted $2b$... would be read as a variable reference).
 */

/** A bcrypt hash as nats-server recognises one: $2a$, $2b$ (bcryptjs) or $2y$, a two-digit cost, then 53 characters. */
export const BCRYPT_HASH = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;

const USER_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** The user's `user: NAME` followed by its `password: ...` value (quoted or not), within one entry. */
function entryPattern(user: string): RegExp {
  if (!USER_NAME.test(user)) throw new Error(`not a NATS user name: ${JSON.stringify(user)}`);
  return new RegExp(`(\\buser:\\s*"?${user}"?[\\s,]+password:\\s*)("[^"\\n]*"|[^\\s,}]+)`, 'g');
}

/** Comments blanked out (same length), so that a commented-out entry is never read or rewritten. */
function withoutComments(conf: string): string {
  return conf.replace(/#[^\n]*/g, (comment) => ' '.repeat(comment.length));
}

/** Every user that has an entry, in the order of the file. */
export function usersOf(conf: string): string[] {
  return [...withoutComments(conf).matchAll(/\buser:\s*"?([A-Za-z][A-Za-z0-9_-]*)"?[\s,]+password:/g)].map((match) => match[1] ?? '');
}

/** Where the user's password value is: exactly one entry, or an error naming the user. */
function locate(conf: string, user: string): { start: number; end: number; value: string } {
  const matches = [...withoutComments(conf).matchAll(entryPattern(user))];
  if (matches.length !== 1) {
    throw new Error(
      `${matches.length === 0 ? 'no' : matches.length} entries for user ${user} in the NATS config (expected one "user: ${user}" followed by "password:")`,
    );
  }
  const [match] = matches;
  const start = (match?.index ?? 0) + (match?.[1]?.length ?? 0);
  const value = conf.slice(start, start + (match?.[2]?.length ?? 0));
  return { start, end: start + value.length, value };
}

/** The password value the config gives the user, without its quotes. */
export function passwordOf(conf: string, user: string): string {
  const { value } = locate(conf, user);
  return value.startsWith('"') ? value.slice(1, -1) : value;
}

/** The config with the user's password replaced by the hash, in quotes; nothing else changes. */
export function withPasswordHash(conf: string, user: string, hash: string): string {
  if (!BCRYPT_HASH.test(hash)) throw new Error(`not a bcrypt hash: ${JSON.stringify(hash)}`);
  const { start, end } = locate(conf, user);
  return `${conf.slice(0, start)}"${hash}"${conf.slice(end)}`;
}

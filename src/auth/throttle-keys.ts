import { createHmac } from 'node:crypto';

/**
 * The login throttle's row keys. Emails and client addresses go in as keyed digests (HMAC-SHA256
 * with the server's secret): the table then holds nobody's address, not even a mistyped one, and
 * without the secret a key cannot be matched back by hashing candidate emails.
 * Hex digests, so an account's prefix is safe in a LIKE pattern.
 */
export function createThrottleKeys(secret: string) {
  const digest = (value: string) => createHmac('sha256', secret).update(value).digest('hex');
  const account = (email: string) => `account:${digest(`email\n${normaliseEmail(email)}`)}:`;

  return {
    /** Every failure from one client address, whatever the accounts tried. */
    address: (ip: string) => `address:${digest(`ip\n${ip}`)}`,
    /** One account tried from one client address: the owner elsewhere is never slowed by it. */
    accountAtAddress: (email: string, ip: string) => `${account(email)}${digest(`ip\n${ip}`)}`,
    /** The start shared by all of an account's keys, to clear them at once. */
    accountPrefix: account,
  };
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export type ThrottleKeys = ReturnType<typeof createThrottleKeys>;

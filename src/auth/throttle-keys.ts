import { createHmac } from 'node:crypto';
import { ipKeyGenerator } from 'express-rate-limit';

/**
 * The login throttle's row keys. Emails and client addresses go in as keyed digests (HMAC-SHA256
 * with the server's secret): the table then holds nobody's address, not even a mistyped one, and
 * without the secret a key cannot be matched back by hashing candidate emails.
 * Hex digests, so an account's prefix is safe in a LIKE pattern.
 */
export function createThrottleKeys(secret: string) {
  const digest = (value: string) => createHmac('sha256', secret).update(value).digest('hex');
  const account = (email: string) => `account:${digest(`email\n${normaliseEmail(email)}`)}:`;
  const network = (ip: string) => digest(`ip\n${clientNetwork(ip)}`);

  return {
    /** Every failure from one client address, whatever the accounts tried. */
    address: (ip: string) => `address:${network(ip)}`,
    /** One account tried from one client address: the owner elsewhere is never slowed by it. */
    accountAtAddress: (email: string, ip: string) => `${account(email)}${network(ip)}`,
    /** The start shared by all of an account's keys, to clear them at once. */
    accountPrefix: account,
  };
}

/**
 * What one client controls: an IPv4 address, or an IPv6 address's /56, the block a home or office
 * line is given (the request rate limit groups them the same way). Keyed by the full IPv6 address,
 * anyone with one line could try a password from a new address every time and never be locked.
 */
export function clientNetwork(ip: string): string {
  // It also reads an IPv4 address mapped into IPv6 (::ffff:203.0.113.5) as the IPv4 one.
  return ipKeyGenerator(ip, 56);
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export type ThrottleKeys = ReturnType<typeof createThrottleKeys>;

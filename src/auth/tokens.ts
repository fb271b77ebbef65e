import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe. Only the hash is stored, so a database leak yields no usable link. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

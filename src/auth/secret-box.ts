import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Secrets at rest (TOTP seeds) sealed with AES-256-GCM under a key derived (HKDF-SHA256) from the
 * server's session secret, so a copy of the database alone does not reveal them. The account id is
 * bound as associated data: a sealed secret moved to another account's row does not open.
 * Changing SESSION_SECRET makes every sealed secret unreadable: those accounts then sign in with a
 * recovery code, or an administrator resets their second factor.
 */
export function createSecretBox(serverSecret: string) {
  const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', serverSecret, 'vigie', purpose, 32));
  const sealKey = derive('second-factor secrets');
  const hashKey = derive('second-factor recovery codes');

  return {
    seal(plain: string, context: string): string {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', sealKey, iv);
      cipher.setAAD(Buffer.from(context));
      const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url')}`;
    },

    /** The plain secret, or null when the box was sealed under another key or tampered with. */
    open(box: string, context: string): string | null {
      const [version, body] = box.split('.');
      if (version !== VERSION || !body) return null;
      const bytes = Buffer.from(body, 'base64url');
      if (bytes.length <= IV_BYTES + TAG_BYTES) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', sealKey, bytes.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        return null;
      }
    },

    /**
     * A recovery code's stored form: keyed, so a stolen database cannot be searched offline for
     * codes. A fast hash suffices: each code carries about 50 random bits, not a chosen password.
     */
    hashRecoveryCode(code: string): string {
      return createHmac('sha256', hashKey).update(code).digest('base64url');
    },
  };
}

export type SecretBox = ReturnType<typeof createSecretBox>;

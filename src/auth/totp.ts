import { timingSafeEqual } from 'node:crypto';
import { HOTP, Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { TOTP_PERIOD_SECONDS, candidateSteps, timeStepAt } from '../domain/second-factor';

/** 160 bits, SHA-1, six digits, 30 seconds: what every authenticator app reads from a QR code. */
const SECRET_BYTES = 20;

export function newTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

/** The code of one time step (tests compute the code a phone would show with it). */
export function totpCodeAt(secretBase32: string, step: number): string {
  return HOTP.generate({ secret: Secret.fromBase32(secretBase32), counter: step, digits: 6, algorithm: 'SHA1' });
}

/** The time step the code belongs to among those allowed around `at`, or null if none. */
export function matchingStep(secretBase32: string, code: string, at: Date): number | null {
  const typed = Buffer.from(code);
  for (const step of candidateSteps(timeStepAt(at))) {
    const expected = Buffer.from(totpCodeAt(secretBase32, step));
    if (expected.length === typed.length && timingSafeEqual(expected, typed)) return step;
  }
  return null;
}

/** The otpauth:// address an authenticator app reads, naming Vigie and the account. */
export function otpauthUri(secretBase32: string, accountLabel: string): string {
  return new TOTP({
    issuer: 'Vigie',
    label: accountLabel,
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
  }).toString();
}

/** The QR code as inline SVG, drawn here: no request leaves the server, no script runs. */
export function qrCodeSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' } });
}

/** The secret as people type it into an app by hand: groups of four. */
export function groupedSecret(secretBase32: string): string {
  return secretBase32.replace(/(.{4})(?=.)/g, '$1 ');
}

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/**
 * The only reader of process.env. Every setting is validated once at start-up so a typo
 * fails fast with a message naming the variable, instead of surfacing later as odd behaviour.
 */

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], {
    error: 'doit valoir true ou false / must be true or false',
  })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** What express's 'trust proxy' accepts besides booleans and hop counts: named ranges, IPs, IP/prefix. */
function isTrustedProxyEntry(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length > 0 || !address || isIP(address) === 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (isIP(address) === 4 ? 32 : 128));
}

/** A retention period in whole days, from one day to ten years. */
const retentionDays = (fallback: number) =>
  z.coerce
    .number({ error: 'doit être un nombre de jours / must be a number of days' })
    .int('doit être un nombre entier de jours / must be a whole number of days')
    .min(1, 'doit être au moins 1 / must be at least 1')
    .max(3650, 'doit être au plus 3650, soit 10 ans / must be at most 3650, i.e. 10 years')
    .default(fallback);

const envSchema = z
  .object({
    PORT: z.coerce
      .number({ error: 'doit être un nombre / must be a number' })
      .int('doit être un entier / must be an integer')
      .min(0, 'doit être entre 0 et 65535 / must be between 0 and 65535')
      .max(65535, 'doit être entre 0 et 65535 / must be between 0 and 65535')
      .default(3000),
    // The address to listen on: 127.0.0.1 behind a proxy on the same server, so only the proxy reaches it.
    HOST: optionalString.pipe(
      z
        .string()
        .refine((v) => isIP(v) !== 0 || v === 'localhost', 'doit être une adresse IP / must be an IP address')
        .optional(),
    ),
    DATA_DIR: z.string().trim().min(1, 'ne peut pas être vide / cannot be empty').default('data'),
    BASE_URL: optionalString.pipe(
      z
        .url({ protocol: /^https?$/, error: 'doit être une URL http(s) / must be an http(s) URL' })
        .optional(),
    ),
    TRUST_PROXY: z
      .string()
      .trim()
      .default('false')
      .transform((v, ctx) => {
        if (v === 'false' || v === '0' || v === '') return false as const;
        if (v === 'true') return true as const;
        if (/^\d+$/.test(v)) return Number(v);
        if (v.split(',').every((entry) => isTrustedProxyEntry(entry.trim()))) return v;
        ctx.addIssue({
          code: 'custom',
          message:
            'doit valoir false, true, un nombre de proxys ou une liste d’adresses / must be false, true, a hop count or an address list',
        });
        return z.NEVER;
      }),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error:
          'doit être fatal, error, warn, info, debug, trace ou silent / must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
    SESSION_SECRET: optionalString.pipe(
      z
        .string()
        .min(32, 'doit faire au moins 32 caractères / must be at least 32 characters')
        .optional(),
    ),
    SMTP_HOST: optionalString,
    SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
    SMTP_SECURE: booleanFlag.default(false),
    SMTP_USER: optionalString,
    SMTP_PASSWORD: optionalString,
    SMTP_FROM: optionalString.pipe(
      z.email({ error: 'doit être une adresse e-mail / must be an email address' }).optional(),
    ),
    RATE_LIMIT_PER_MINUTE: z.coerce
      .number({ error: 'doit être un nombre / must be a number' })
      .int('doit être un entier / must be an integer')
      .min(10, 'doit être au moins 10 / must be at least 10')
      .default(600),
    PUBLIC_FORM_LIMIT_PER_HOUR: z.coerce
      .number({ error: 'doit être un nombre / must be a number' })
      .int()
      .min(1, 'doit être au moins 1 / must be at least 1')
      .default(10),
    REQUEST_RETENTION_DAYS: retentionDays(90),
    // Three years, the longest a closed case can still matter: a sanction stays citable in new
    // proceedings for three years (L1332-5), so a rep may need the old case until then.
    CLOSED_CASE_RETENTION_DAYS: retentionDays(3 * 365),
    // A year, the upper end of the CNIL's six months to a year for access logs.
    AUDIT_RETENTION_DAYS: retentionDays(365),
    NODE_ENV: optionalString,
    // Where the nightly backups go (only read by `cli doctor`, to say when the last one is too old).
    BACKUP_DIR: optionalString,
    // age public keys (age1…), separated by commas or spaces: backups are then encrypted to them.
    BACKUP_RECIPIENT: optionalString.pipe(
      z
        .string()
        .regex(/^age1[0-9a-z]{20,}([\s,]+age1[0-9a-z]{20,})*$/, {
          error: 'doit être une ou plusieurs clés publiques age (age1…) / must be one or more age public keys (age1…)',
        })
        .optional(),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.SMTP_HOST && !env.SMTP_FROM) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMTP_FROM'],
        message: 'est obligatoire quand SMTP_HOST est défini / is required when SMTP_HOST is set',
      });
    }
  });

export interface SmtpConfig {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
}

export interface Config {
  port: number;
  /** The address to listen on; undefined: every interface. */
  host: string | undefined;
  dataDir: string;
  databaseFile: string;
  baseUrl: string;
  /** Cookies get the Secure flag when the public address is https. */
  secureCookies: boolean;
  trustProxy: boolean | number | string;
  logLevel: string;
  sessionSecret: string;
  smtp: SmtpConfig | null;
  /** Support requests never turned into a case: days after their last activity. */
  requestRetentionDays: number;
  /** Closed cases: days after their last activity (the closure, or anything later). */
  closedCaseRetentionDays: number;
  /** Audit log entries: days after they were written. */
  auditRetentionDays: number;
  /** Requests per minute and per address before 429. */
  rateLimitPerMinute: number;
  /** Public form submissions per hour and per address. */
  publicFormLimitPerHour: number;
  /**
   * Signed-in sessions: idle and absolute limits. Anonymous ones (a login or public form's token):
   * a fixed life from their creation, and a bound on how many are kept.
   */
  session: { idleMinutes: number; absoluteHours: number; anonymousMinutes: number; maxAnonymous: number };
  setupLinkHours: number;
  invitationLinkDays: number;
  /**
   * CSV imports of cases (case_imports): an upload waits `uploadHours` for the rep's choice, the file's
   * content goes when the job ends, and the summary stays `summaryHours` after that.
   */
  caseImport: { uploadHours: number; summaryHours: number };
  /** Batch exports of briefs (ZIP files under DATA_DIR/exports): deleted once downloaded, else this long after they are ready. */
  exportFileHours: number;
  /** NODE_ENV=production: `cli doctor` then holds the deployment to production rules. */
  production: boolean;
  /** Backups: the folder they go to (if told), and the age public keys they are encrypted to (none: plain copies). */
  backup: { dir: string | null; recipients: string[] };
  /** The file the session secret is kept in, or null when SESSION_SECRET gives it. */
  sessionSecretFile: string | null;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(
      `Configuration invalide / Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  options: { sessionSecret?: string } = {},
): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'env'} ${issue.message}`),
    );
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const baseUrl = (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const smtp: SmtpConfig | null =
    e.SMTP_HOST && e.SMTP_FROM
      ? {
          host: e.SMTP_HOST,
          port: e.SMTP_PORT,
          secure: e.SMTP_SECURE,
          user: e.SMTP_USER,
          password: e.SMTP_PASSWORD,
          from: e.SMTP_FROM,
        }
      : null;

  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseFile: path.join(dataDir, 'vigie.db'),
    baseUrl,
    secureCookies: baseUrl.startsWith('https:'),
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    sessionSecret: options.sessionSecret ?? e.SESSION_SECRET ?? readOrCreateSessionSecret(dataDir),
    smtp,
    requestRetentionDays: e.REQUEST_RETENTION_DAYS,
    closedCaseRetentionDays: e.CLOSED_CASE_RETENTION_DAYS,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    publicFormLimitPerHour: e.PUBLIC_FORM_LIMIT_PER_HOUR,
    session: { idleMinutes: 120, absoluteHours: 12, anonymousMinutes: 120, maxAnonymous: 10_000 },
    setupLinkHours: 24,
    invitationLinkDays: 7,
    caseImport: { uploadHours: 2, summaryHours: 24 },
    exportFileHours: 1,
    production: e.NODE_ENV === 'production',
    backup: {
      dir: e.BACKUP_DIR ? path.resolve(e.BACKUP_DIR) : null,
      recipients: e.BACKUP_RECIPIENT ? e.BACKUP_RECIPIENT.split(/[\s,]+/) : [],
    },
    sessionSecretFile: e.SESSION_SECRET ? null : path.join(dataDir, 'session-secret'),
  });
}

/** Kept beside the database so sessions survive a restart without the admin managing a secret. */
function readOrCreateSessionSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= 32) return secret;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

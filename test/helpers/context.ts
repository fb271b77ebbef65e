import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/app';
import { hashPassword } from '../../src/auth/passwords';
import { createSecretBox } from '../../src/auth/secret-box';
import { createSecondFactorRepository } from '../../src/auth/second-factor.repository';
import { totpCodeAt } from '../../src/auth/totp';
import { timeStepAt } from '../../src/domain/second-factor';
import { seedReferenceCampaigns } from '../../src/campaigns/campaign-seed';
import { loadConfig } from '../../src/config';
import { type DB, openDatabase } from '../../src/db/database';
import type { Role, UserStatus } from '../../src/db/schema';
import { migrateToLatest } from '../../src/db/migrate';
import { createLogger } from '../../src/logger';
import { buildServices } from '../../src/services';
import type { Mailer } from '../../src/mail/mailer';

export type Agent = ReturnType<typeof request.agent>;

/** A signed-in user and the agent carrying its session, as ctx.signedIn gives them. */
export type Signed = { agent: Agent; user: { id: number; email: string } };

export const DEFAULT_PASSWORD = 'un mot de passe très long';

/** A clock tests can move forward to reach expiries without waiting, or stop. */
export class TestClock {
  private offsetMs = 0;
  private frozenAt: number | undefined;
  now = (): Date => new Date((this.frozenAt ?? Date.now()) + this.offsetMs);
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  /**
   * Stops the time where it is (advance still moves it): for a test comparing two readings of the
   * time, such as a minute shown by one page and the minute a later request stores, which a slow
   * machine could place on either side of a minute's boundary.
   */
  freeze(): void {
    this.frozenAt ??= Date.now();
  }
  /** Lets the time run again from where it was stopped. */
  resume(): void {
    if (this.frozenAt === undefined) return;
    this.offsetMs += this.frozenAt - Date.now();
    this.frozenAt = undefined;
  }
}

/**
 * Argon2id hashes by password, made once per test process: with the production cost (19 MiB, two
 * passes) each hash takes tens of milliseconds of CPU, and test files create many users with the
 * same password. Each is a genuine hash of that password: logging in still verifies it at full cost.
 */
const passwordHashes = new Map<string, Promise<string>>();
function passwordHashOf(password: string): Promise<string> {
  let hash = passwordHashes.get(password);
  if (!hash) passwordHashes.set(password, (hash = hashPassword(password)));
  return hash;
}

/**
 * The TOTP secret of the accounts createUser enrols (every administrator, unless told otherwise):
 * ctx.login then answers the code page with the code of the test clock's time step, as a phone would.
 */
export const TEST_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/**
 * `secondFactor`: enrol the account with TEST_TOTP_SECRET (default: administrators only, who must
 * have one). Set it to false for an administrator who has yet to enrol.
 */
export type UserOptions = { role?: Role; regions?: string[]; email?: string; name?: string; password?: string; status?: UserStatus; secondFactor?: boolean };

/** The people the suites sign in as most, by the part they play: each suite picks those it needs. */
export const PEOPLE = {
  admin: { role: 'admin', name: 'Alice Admin' },
  /** Covers Hauts-de-France only. */
  rep: { role: 'rep', name: 'Rémi Représentant', regions: ['HDF'] },
  /** A second Hauts-de-France rep, to be assigned to cases. */
  colleague: { role: 'rep', name: 'Chloé Collègue', regions: ['HDF'] },
  /** Covers Île-de-France only: must never reach a Hauts-de-France case. */
  outsider: { role: 'rep', name: 'Inès Francilienne', regions: ['IDF'] },
  /** The Hauts-de-France rep of the list and import suites, and their partner. */
  repNord: { role: 'rep', name: 'Rémi Nord', regions: ['HDF'] },
  binome: { role: 'rep', name: 'Bruno Binôme', regions: ['HDF'] },
} as const satisfies Record<string, UserOptions>;

/** Rate limits out of the way, for suites that send hundreds of requests from one address. */
export const NO_RATE_LIMIT = { RATE_LIMIT_PER_MINUTE: '100000' };

/**
 * A fresh in-memory database, migrated and seeded, behind a full app: one per test file. With
 * `onDisk`, the database is DATA_DIR/vigie.db instead, for tests that read the files themselves.
 */
export async function createTestContext(env: Record<string, string> = {}, options: { mailer?: Mailer | null; onDisk?: boolean } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vigie-test-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env }, { sessionSecret: 'test-secret-'.padEnd(48, 'x') });
  const databaseFile = options.onDisk ? path.join(dataDir, 'vigie.db') : ':memory:';
  const { db, close } = openDatabase(databaseFile);
  await migrateToLatest(db);
  await seedReferenceCampaigns(db, new Date());
  const clock = new TestClock();
  const services = buildServices(db, config, clock.now, { mailer: options.mailer ?? null });
  const app = createApp({ db, config, logger: createLogger('silent'), services });
  let counter = 0;
  const enrolSecondFactor = (userId: number) => enrolTestSecondFactor(db, config.sessionSecret, userId, clock.now());

  async function createUser(options: UserOptions = {}) {
    counter += 1;
    const email = options.email ?? `user${counter}@exemple.fr`;
    const password = options.password ?? DEFAULT_PASSWORD;
    const id = await services.users.create({
      email,
      name: options.name ?? `Utilisateur ${counter}`,
      role: options.role ?? 'rep',
      status: options.status ?? 'active',
      passwordHash: await passwordHashOf(password),
      regions: options.regions ?? (options.role === 'admin' ? [] : ['HDF']),
      now: new Date(),
    });
    if (options.secondFactor ?? options.role === 'admin') await enrolSecondFactor(id);
    return { id, email, password };
  }

  /**
   * Signs in through the login form; an account with the test secret answers the code page too,
   * and the final response is returned (a wrong password's, or the code step's redirect).
   */
  async function login(agent: Agent, email: string, password = DEFAULT_PASSWORD) {
    const csrf = await csrfFrom(agent, '/connexion');
    const res = await agent.post('/connexion').type('form').send({ _csrf: csrf, email, password });
    if (res.status !== 303 || res.headers.location !== '/connexion/code') return res;
    const user = await services.users.findByEmail(email);
    // Suites sign the same account in several times within one 30-second step: the replay rule
    // would refuse the second. Replays are test/http/second-factor.test.ts's subject, not theirs.
    await db.updateTable('userSecondFactors').set({ lastUsedStep: null }).where('userId', '=', user!.id).execute();
    const codeCsrf = await csrfFrom(agent, '/connexion/code');
    return agent.post('/connexion/code').type('form').send({ _csrf: codeCsrf, code: testTotpCode(clock.now()) });
  }

  /** A signed-in agent for a new user of the given role. */
  async function signedIn(options: UserOptions = {}) {
    const user = await createUser(options);
    const agent = request.agent(app);
    const res = await login(agent, user.email, user.password);
    if (res.status !== 303) throw new Error(`login failed with ${res.status}`);
    return { agent, user };
  }

  type SignedUser = Awaited<ReturnType<typeof signedIn>>;

  /** Signs each one in, one after the other: users get their ids and addresses in the order given. */
  async function signInAll<T extends readonly UserOptions[]>(...people: T): Promise<{ -readonly [K in keyof T]: SignedUser }> {
    const signed: SignedUser[] = [];
    for (const who of people) signed.push(await signedIn(who));
    return signed as { -readonly [K in keyof T]: SignedUser };
  }

  /** The id of the seeded reference campaign of that wave. */
  async function waveId(wave: number): Promise<number> {
    return (await db.selectFrom('campaigns').select('id').where('wave', '=', wave).executeTakeFirstOrThrow()).id;
  }

  /** The audit entries about one entity, oldest first: who did what to it. */
  function auditOf(entityType: string, entityId: number | string) {
    return db
      .selectFrom('auditLog')
      .select(['actorUserId', 'action', 'entityType', 'entityId'])
      .where('entityType', '=', entityType)
      .where('entityId', '=', String(entityId))
      .orderBy('id')
      .execute();
  }

  /** How many audit entries a user is the actor of. */
  async function auditCountBy(userId: number): Promise<number> {
    const row = await db.selectFrom('auditLog').select((eb) => eb.fn.countAll<number>().as('n')).where('actorUserId', '=', userId).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The id of the latest audit entry (0 when there is none): what a test compares later entries with. */
  async function lastAuditId(): Promise<number> {
    const row = await db.selectFrom('auditLog').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  const agent = () => request.agent(app);
  return { app, db, databaseFile, config, services, clock, createUser, enrolSecondFactor, login, signedIn, signInAll, waveId, auditOf, auditCountBy, lastAuditId, close, agent };
}

export type TestContext = Awaited<ReturnType<typeof createTestContext>>;

/**
 * An account's second factor on, with TEST_TOTP_SECRET, written as a confirmed enrolment leaves it
 * (the enrolment itself is test/http/second-factor.test.ts's).
 */
export async function enrolTestSecondFactor(db: DB, sessionSecret: string, userId: number, now: Date): Promise<void> {
  const sealed = createSecretBox(sessionSecret).seal(TEST_TOTP_SECRET, `user:${userId}`);
  await createSecondFactorRepository(db).enable(userId, sealed, 0, [], now);
}

/** The code a phone holding TEST_TOTP_SECRET shows at that time. */
export function testTotpCode(at: Date): string {
  return totpCodeAt(TEST_TOTP_SECRET, timeStepAt(at));
}

export function extractCsrf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF token in page');
  return match[1];
}

/** Loads a page with the agent and returns the CSRF token its forms carry. */
export async function csrfFrom(agent: Agent, url: string): Promise<string> {
  const res = await agent.get(url);
  return extractCsrf(res.text);
}

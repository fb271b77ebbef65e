import { parseArgs } from 'node:util';
import { UsageError } from './usage-error';

/**
 * `cli user:reset-2fa --email …`: the way back for an administrator who lost both their phone and
 * their recovery codes, when no other administrator can reset them from the app. Whoever runs it
 * already holds the server; the account enrols again at its next login, and the journal says the
 * console did it.
 */
export async function resetSecondFactorCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { email: { type: 'string' } }, strict: true });
  if (!values.email?.trim()) throw new UsageError('--email est obligatoire.');
  const [{ loadConfig }, { openDatabase }, { migrateToLatest }, { createUsersRepository }, secondFactor, { createSecretBox }, { createLoginThrottleRepository }, { createAuditLog }] =
    await Promise.all([
      import('../config'),
      import('../db/database'),
      import('../db/migrate'),
      import('../users/users.repository'),
      import('../auth/second-factor.service'),
      import('../auth/secret-box'),
      import('../auth/login-throttle.repository'),
      import('../audit/audit.repository'),
    ]);
  const { createSecondFactorRepository } = await import('../auth/second-factor.repository');
  const config = loadConfig();
  const { db, close } = openDatabase(config.databaseFile);
  try {
    await migrateToLatest(db);
    const user = await createUsersRepository(db).findByEmail(values.email.trim());
    if (!user) throw new UsageError(`Aucun compte pour ${values.email.trim()}.`);
    const now = () => new Date();
    const service = secondFactor.createSecondFactorService({
      repository: createSecondFactorRepository(db),
      box: createSecretBox(config.sessionSecret),
      throttle: createLoginThrottleRepository(db),
      audit: createAuditLog(db, now),
      now,
    });
    await service.reset('cli', user.id);
    console.log(`Double authentification réinitialisée pour ${user.email} : à sa prochaine connexion, le compte l’active à nouveau${user.role === 'admin' ? ' avant toute autre page' : ''}.`);
  } finally {
    await close();
  }
}

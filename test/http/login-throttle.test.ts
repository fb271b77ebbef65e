import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestContext, extractCsrf } from '../helpers/context';

/**
 * Login throttling seen from several networks, behind a reverse proxy on this machine
 * (TRUST_PROXY=loopback): each X-Forwarded-For value is a different client.
 */

const ATTACKER = '203.0.113.5';
const OWNER_HOME = '198.51.100.7';
const SPRAYER = '192.0.2.9';
const WRONG = 'pas le bon mot de passe';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext({ TRUST_PROXY: 'loopback' });
});
after(() => ctx.close());

async function loginFrom(ip: string, email: string, password: string) {
  const agent = ctx.agent();
  const page = await agent.get('/connexion').set('X-Forwarded-For', ip);
  return agent.post('/connexion').set('X-Forwarded-For', ip).type('form').send({ _csrf: extractCsrf(page.text), email, password });
}

async function throttleKeys(): Promise<string[]> {
  return (await ctx.db.selectFrom('loginThrottle').select('key').execute()).map((row) => row.key);
}

describe('login throttling by client address', () => {
  it('slows whoever fails on an account from one network, never the owner signing in from another', async () => {
    const owner = await ctx.createUser({ email: 'Titulaire.Compte@Exemple.fr' });
    for (let i = 0; i < 6; i++) assert.equal((await loginFrom(ATTACKER, owner.email, WRONG)).status, 401, `failure ${i + 1}`);
    const lockedOut = await loginFrom(ATTACKER, owner.email, owner.password);
    assert.equal(lockedOut.status, 429, 'from the failing network even the right password waits');
    assert.ok(Number(lockedOut.headers['retry-after']) > 0);

    const ownerLogin = await loginFrom(OWNER_HOME, owner.email, owner.password);
    assert.equal(ownerLogin.status, 303, 'the owner, elsewhere, is in at once');
    assert.equal(ownerLogin.headers.location, '/');
  });

  it('locks an address that tries many accounts, and only that address', async () => {
    for (let i = 0; i < 21; i++) assert.equal((await loginFrom(SPRAYER, `inconnu${i}@exemple.fr`, WRONG)).status, 401, `failure ${i + 1}`);
    const victim = await ctx.createUser();
    assert.equal((await loginFrom(SPRAYER, victim.email, victim.password)).status, 429, 'a fresh account from the spraying address');
    assert.equal((await loginFrom(OWNER_HOME, victim.email, victim.password)).status, 303, 'the same account from elsewhere');
  });

  it('counts every one of many wrong passwords sent at once', async () => {
    const owner = await ctx.createUser();
    const burst = await Promise.all(Array.from({ length: 6 }, () => ctx.services.auth.login(owner.email, WRONG, '203.0.113.99')));
    assert.ok(burst.every((outcome) => !outcome.ok));
    const next = await ctx.services.auth.login(owner.email, owner.password, '203.0.113.99');
    assert.equal(next.ok ? 'signed in' : next.reason, 'locked', 'six failures counted, not one');
  });

  it('lets no guess of a burst sent at once past the lock: each waits for the failures counted before it', async () => {
    const owner = await ctx.createUser();
    const burst = await Promise.all(Array.from({ length: 12 }, () => ctx.services.auth.login(owner.email, WRONG, '203.0.113.77')));
    assert.deepEqual(
      burst.map((outcome) => (outcome.ok ? 'signed in' : outcome.reason)),
      [...Array(6).fill('invalid'), ...Array(6).fill('locked')],
      'five free failures, the sixth sets the lock, the rest are refused without a guess',
    );
  });

  it('counts an IPv6 client by its /56, so that a new address of the same line is no new start', async () => {
    const owner = await ctx.createUser();
    for (let i = 1; i <= 6; i++) assert.equal((await loginFrom(`2001:db8:77:${i.toString(16)}::${i.toString(16)}`, owner.email, WRONG)).status, 401, `failure ${i}`);
    assert.equal((await loginFrom('2001:db8:77:ff::abcd', owner.email, owner.password)).status, 429, 'another address of the same /56 is locked too');
    assert.equal((await loginFrom('2001:db8:78::1', owner.email, owner.password)).status, 303, 'another line is not');
  });

  it('forgets failures once they no longer count, and not before', async () => {
    await ctx.db.deleteFrom('loginThrottle').execute();
    for (let i = 0; i < 7; i++) await ctx.services.auth.login('oubli@exemple.fr', WRONG, '203.0.113.88');
    const rows = async () => (await ctx.db.selectFrom('loginThrottle').select('key').execute()).length;
    assert.equal(await rows(), 2, 'the address, and the account at that address');
    ctx.clock.advance(59 * 60_000);
    assert.equal(await ctx.services.auth.pruneThrottle(), 0, 'within the hour, they still count');
    ctx.clock.advance(2 * 60_000);
    assert.equal(await ctx.services.auth.pruneThrottle(), 2);
    assert.equal(await rows(), 0);
  });

  it('keeps no email and no client address in clear in the throttle table', async () => {
    await loginFrom(ATTACKER, '  Faute.De.Frappe@Exemple.FR ', WRONG);
    const keys = await throttleKeys();
    assert.ok(keys.length > 0, 'the failures above are recorded');
    for (const key of keys) {
      assert.match(key, /^(address:[0-9a-f]{64}|account:[0-9a-f]{64}:[0-9a-f]{64})$/, 'keys are digests only');
      assert.doesNotMatch(key, /@|exemple|frappe|titulaire|inconnu|203\.0|198\.51|192\.0/i);
    }
    const rows = await ctx.db.selectFrom('loginThrottle').selectAll().execute();
    assert.doesNotMatch(JSON.stringify(rows), /@|exemple|203\.0\.113|192\.0\.2/i, 'no other column holds them either');
  });

  it('counts one account under one key whatever the case and spaces typed', async () => {
    const before = new Set(await throttleKeys());
    await loginFrom(OWNER_HOME, 'meme.personne@exemple.fr', WRONG);
    await loginFrom(OWNER_HOME, '  MEME.Personne@Exemple.fr', WRONG);
    const added = (await throttleKeys()).filter((key) => key.startsWith('account:') && !before.has(key));
    assert.equal(added.length, 1, 'one account-at-address row, two failures');
    const row = await ctx.db.selectFrom('loginThrottle').selectAll().where('key', '=', added[0]!).executeTakeFirstOrThrow();
    assert.equal(row.failures, 2);
  });

  it('clears every lock on an account once its owner chooses a new password through a link', async () => {
    const admin = await ctx.createUser({ role: 'admin' });
    const owner = await ctx.createUser();
    for (const ip of [ATTACKER, '203.0.113.77']) {
      for (let i = 0; i < 6; i++) await loginFrom(ip, owner.email, WRONG);
      assert.equal((await loginFrom(ip, owner.email, owner.password)).status, 429);
    }
    // Whoever knew the old password may also have run up the lock of the code step.
    const codeLock = `second-factor:${owner.id}`;
    await ctx.db.insertInto('loginThrottle').values({ key: codeLock, failures: 9, lastFailureAt: new Date().toISOString(), lockedUntil: new Date(Date.now() + 3_600_000).toISOString() }).execute();
    const link = await ctx.services.accounts.issueResetLink(admin.id, owner.id);
    const chosen = 'lanterne pivoine marée calcaire';
    assert.equal((await ctx.services.auth.choosePassword(link.token, chosen)).ok, true);
    for (const ip of [ATTACKER, '203.0.113.77']) assert.equal((await loginFrom(ip, owner.email, chosen)).status, 303, `unlocked at ${ip}`);
    assert.equal(await ctx.db.selectFrom('loginThrottle').select('key').where('key', '=', codeLock).executeTakeFirst(), undefined, 'the code step’s lock is gone too');
  });
});

/**
 * Two-factor authentication through the app's own pages, as a phone would answer them: enrolment
 * (QR code, secret, first code, recovery codes shown once), the login's second step (wrong,
 * replayed and throttled codes, recovery codes spent once), an administrator's reset (audited, the
 * holder told at next login), administrators obliged to enrol, reps obliged by the setting.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { totpCodeAt } from '../../src/auth/totp';
import { timeStepAt } from '../../src/domain/second-factor';
import { type Agent, type TestContext, type UserOptions, createTestContext, csrfFrom } from '../helpers/context';
import { decode, text } from '../helpers/html';

const ENROL = '/compte/double-authentification/activer';
const CODE = '/connexion/code';
const STEP_MS = 30_000;

let ctx: TestContext;
let admin: Awaited<ReturnType<TestContext['signedIn']>>;

before(async () => {
  ctx = await createTestContext();
  // One 30-second step at a time, moved by the tests: a code and its check never straddle a step.
  ctx.clock.freeze();
  admin = await ctx.signedIn({ role: 'admin', name: 'Alice Admin' });
});
after(() => ctx.close());

const codeNow = (secret: string, stepsAhead = 0) => totpCodeAt(secret, timeStepAt(ctx.clock.now()) + stepsAhead);

async function post(agent: Agent, url: string, fields: Record<string, string>, csrfPage = url) {
  const csrf = await csrfFrom(agent, csrfPage);
  return agent.post(url).type('form').send({ _csrf: csrf, ...fields });
}

/** The password step alone: where it leads. */
async function password(agent: Agent, email: string) {
  const res = await post(agent, '/connexion', { email, password: 'un mot de passe très long' });
  assert.equal(res.status, 303);
  return String(res.headers.location);
}

/** A rep who signs in and enrols through the pages; returns the secret their phone holds and their recovery codes. */
async function enrolledRep(options: UserOptions = {}) {
  const user = await ctx.createUser({ role: 'rep', regions: ['HDF'], ...options });
  const agent = ctx.agent();
  assert.equal(await password(agent, user.email), '/');
  const page = await agent.get(ENROL);
  const secret = /class="link-box secret-key">([A-Z2-7 ]+)</.exec(page.text)?.[1]?.replace(/ /g, '');
  assert.ok(secret, 'the secret is shown as text');
  const done = await post(agent, ENROL, { code: codeNow(secret) }, ENROL);
  assert.equal(done.status, 200);
  const recoveryCodes = [...done.text.matchAll(/<code>([a-z2-9]{5}-[a-z2-9]{5})<\/code>/g)].map((m) => m[1]!);
  ctx.clock.advance(STEP_MS);
  return { user, agent, secret, recoveryCodes };
}

/** Password then code, in a new browser: the code step's answer. */
async function loginWith(email: string, code: string) {
  const agent = ctx.agent();
  assert.equal(await password(agent, email), CODE);
  const res = await post(agent, CODE, { code });
  return { agent, res };
}

describe('enrolment', () => {
  it('shows a server-drawn QR code and the secret, stores the secret sealed, and turns on only after a right first code', async () => {
    const user = await ctx.createUser({ role: 'rep', regions: ['HDF'] });
    const agent = ctx.agent();
    assert.equal(await password(agent, user.email), '/', 'optional for a rep: signed in at once');
    const status = await agent.get('/compte/double-authentification');
    assert.match(text(status.text), /Non activée/);

    const page = await agent.get(ENROL);
    assert.equal(page.status, 200);
    assert.match(page.text, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/, 'QR code inline, drawn by the server');
    assert.doesNotMatch(page.text, /<script|src="http/, 'no script, nothing fetched elsewhere');
    const secret = /class="link-box secret-key">([A-Z2-7 ]+)</.exec(page.text)![1]!.replace(/ /g, '');
    assert.equal(secret.length, 32);
    const again = await agent.get(ENROL);
    assert.match(again.text, new RegExp(secret.replace(/(.{4})(?=.)/g, '$1 ')), 'a reload shows the same secret');

    assert.equal(await ctx.db.selectFrom('userSecondFactors').select('userId').where('userId', '=', user.id).executeTakeFirst(), undefined, 'nothing stored before a first code');
    const sessions = await ctx.db.selectFrom('sessions').select('data').execute();
    assert.ok(sessions.every((row) => !row.data.includes(secret)), 'the pending secret is sealed in the session');

    const wrong = await post(agent, ENROL, { code: codeNow(secret, 5) }, ENROL);
    assert.equal(wrong.status, 401);
    assert.match(text(wrong.text), /Ce code n’est pas le bon/);
    assert.equal(await ctx.db.selectFrom('userSecondFactors').select('userId').where('userId', '=', user.id).executeTakeFirst(), undefined);

    const done = await post(agent, ENROL, { code: codeNow(secret) }, ENROL);
    assert.equal(done.status, 200);
    const codes = [...done.text.matchAll(/<code>([a-z2-9]{5}-[a-z2-9]{5})<\/code>/g)].map((m) => m[1]!);
    assert.equal(new Set(codes).size, 10, 'ten distinct recovery codes, shown once');
    const row = await ctx.db.selectFrom('userSecondFactors').selectAll().where('userId', '=', user.id).executeTakeFirstOrThrow();
    assert.ok(row.confirmedAt && row.secretBox && !row.secretBox.includes(secret), 'on, its secret sealed');
    const stored = await ctx.db.selectFrom('secondFactorRecoveryCodes').select('codeHash').where('userId', '=', user.id).execute();
    assert.equal(stored.length, 10);
    for (const { codeHash } of stored) assert.ok(!codes.some((c) => codeHash.includes(c)), 'stored hashed');
    assert.deepEqual((await ctx.auditOf('second_factor', user.id)).map((e) => e.action), ['create']);
    assert.match(text((await agent.get('/compte/double-authentification')).text), /Activée le .* 10 sur 10/);
    assert.equal((await agent.get(ENROL)).headers.location, '/compte/double-authentification', 'no second enrolment over a working one');
  });
});

describe('the login’s second step', () => {
  it('asks for the code after the password, the session not signed in until the code is right', async () => {
    const { user, secret } = await enrolledRep();
    const sessionsOf = async () => (await ctx.db.selectFrom('sessions').select('sid').where('userId', '=', user.id).execute()).length;
    const before = await sessionsOf();
    const agent = ctx.agent();
    assert.equal(await password(agent, user.email), CODE);
    const meanwhile = await agent.get('/dossiers');
    assert.equal(meanwhile.headers.location, '/connexion', 'no page before the code');
    assert.equal(await sessionsOf(), before, 'no new session holds the account yet');

    const wrong = await post(agent, CODE, { code: codeNow(secret, 3) });
    assert.equal(wrong.status, 401);
    assert.match(text(wrong.text), /Ce code n’est pas le bon/);
    assert.equal((await agent.get('/dossiers')).headers.location, '/connexion');
    assert.equal((await ctx.auditOf('second_factor', user.id)).at(-1)?.action, 'login_failed');

    const right = await post(agent, CODE, { code: codeNow(secret) });
    assert.equal(right.status, 303);
    assert.equal(right.headers.location, '/dossiers', 'on to the page asked for meanwhile');
    assert.equal((await agent.get('/dossiers')).status, 200);
  });

  it('accepts a code once: the same code again is refused, the next step’s code is not', async () => {
    const { user, secret } = await enrolledRep();
    const code = codeNow(secret);
    assert.equal((await loginWith(user.email, code)).res.status, 303);
    const replay = await loginWith(user.email, code);
    assert.equal(replay.res.status, 401);
    assert.match(text(replay.res.text), /Ce code a déjà servi/);
    // An older code after a newer one is a replay too.
    assert.equal((await loginWith(user.email, codeNow(secret, -1))).res.status, 401);
    ctx.clock.advance(STEP_MS);
    assert.equal((await loginWith(user.email, codeNow(secret))).res.status, 303);
  });

  it('throttles wrong codes as it throttles passwords: past five, even the right code waits', async () => {
    const { user, secret } = await enrolledRep();
    const agent = ctx.agent();
    assert.equal(await password(agent, user.email), CODE);
    for (let i = 0; i < 5; i += 1) assert.equal((await post(agent, CODE, { code: '000000' })).status, 401);
    assert.equal((await post(agent, CODE, { code: '000001' })).status, 401, 'the sixth failure sets the lock');
    const locked = await post(agent, CODE, { code: codeNow(secret) });
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers['retry-after']) > 0);
    assert.match(text(locked.text), /Trop de codes erronés/);
    ctx.clock.advance(2 * 60_000);
    assert.equal((await post(agent, CODE, { code: codeNow(secret) })).status, 303);
  });

  it('judges a session again when its account is made administrator: no administrator page on a password alone', async () => {
    const rep = await ctx.createUser({ role: 'rep', regions: ['HDF'] });
    const agent = ctx.agent();
    assert.equal((await ctx.login(agent, rep.email, rep.password)).status, 303);
    assert.equal((await agent.get('/dossiers')).status, 200, 'a rep without a factor, signed in');
    await ctx.db.updateTable('users').set({ role: 'admin' }).where('id', '=', rep.id).execute();
    const res = await agent.get('/admin/comptes');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, ENROL, 'the new administrator enrols first');
  });

  it('sends a session waiting for enrolment to the code page once the account enrolled from another one, never round in circles', async () => {
    const admin = await ctx.createUser({ role: 'admin', secondFactor: false });
    const first = ctx.agent();
    assert.equal((await ctx.login(first, admin.email, admin.password)).status, 303);
    assert.equal((await first.get('/dossiers')).headers.location, ENROL);
    await ctx.enrolSecondFactor(admin.id);
    const res = await first.get(ENROL);
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, CODE, 'to the code page');
    assert.equal((await first.get(CODE)).status, 200, 'which shows, the session waiting for its code');
    assert.equal((await first.get('/dossiers')).headers.location, '/connexion', 'no longer signed in meanwhile');
  });

  it('signs in once with each recovery code, which is then spent', async () => {
    const { user, recoveryCodes } = await enrolledRep();
    const [first] = recoveryCodes;
    const once = await loginWith(user.email, first!.toUpperCase().replace('-', ' '));
    assert.equal(once.res.status, 303);
    assert.match(text((await once.agent.get('/')).text), /Code de secours utilisé .* Il vous en reste 9/);
    assert.equal((await loginWith(user.email, first!)).res.status, 401, 'spent');
    assert.equal((await loginWith(user.email, recoveryCodes[1]!)).res.status, 303);
  });

  it('after a password link, an enrolled account still gives its code before any page', async () => {
    const { user, secret } = await enrolledRep();
    const link = await ctx.services.accounts.issueResetLink(admin.user.id, user.id);
    // The reset ends the sessions signed in up to now: the stopped clock moves on past it.
    ctx.clock.advance(1000);
    const agent = ctx.agent();
    const set = await post(agent, `/acces/${link.token}`, { password: 'une autre phrase de passe bien longue', passwordConfirm: 'une autre phrase de passe bien longue' });
    assert.equal(set.status, 303);
    const next = await agent.get('/');
    assert.equal(next.headers.location, CODE);
    assert.equal((await agent.get('/dossiers')).headers.location, '/connexion');
    assert.equal((await post(agent, CODE, { code: codeNow(secret) })).status, 303);
    assert.equal((await agent.get('/dossiers')).status, 200);
  });
});

describe('an administrator’s reset', () => {
  it('voids the factor and its recovery codes, is audited, and the rep is told once at next login', async () => {
    const { user, recoveryCodes } = await enrolledRep({ name: 'Perdu Téléphone' });
    const page = await admin.agent.get(`/admin/comptes/${user.id}`);
    assert.match(text(page.text), /Double authentification Activée le/);
    const res = await post(admin.agent, `/admin/comptes/${user.id}/double-authentification`, {}, `/admin/comptes/${user.id}`);
    assert.equal(res.status, 303);
    const entries = await ctx.auditOf('second_factor', user.id);
    assert.deepEqual(entries.at(-1), { actorUserId: admin.user.id, action: 'delete', entityType: 'second_factor', entityId: String(user.id) });
    assert.equal((await ctx.db.selectFrom('secondFactorRecoveryCodes').select('id').where('userId', '=', user.id).execute()).length, 0);

    const agent = ctx.agent();
    assert.equal(await password(agent, user.email), '/', 'no code asked any more (optional for reps)');
    assert.match(decode((await agent.get('/')).text), /réinitialisée par un·e administrateur·rice/);
    const later = ctx.agent();
    await password(later, user.email);
    assert.doesNotMatch(decode((await later.get('/')).text), /réinitialisée/, 'told once');
    assert.equal((await loginWith(user.email, recoveryCodes[0]!).catch(() => ({ res: { status: 0 } }))).res.status, 0, 'the code step is gone with the factor');
  });

  it('cannot be done by a rep, nor by an administrator on their own account', async () => {
    const { agent: repAgent, user } = await enrolledRep();
    const asRep = await post(repAgent, `/admin/comptes/${user.id}/double-authentification`, {}, '/compte/double-authentification');
    assert.equal(asRep.status, 403);
    await post(admin.agent, `/admin/comptes/${admin.user.id}/double-authentification`, {}, `/admin/comptes/${admin.user.id}`);
    assert.ok((await ctx.db.selectFrom('userSecondFactors').select('confirmedAt').where('userId', '=', admin.user.id).executeTakeFirstOrThrow()).confirmedAt);
  });
});

describe('who must enrol', () => {
  it('leads an administrator without a second factor to the enrolment right after the password, before any other page', async () => {
    const other = await ctx.createUser({ role: 'admin', secondFactor: false });
    const agent = ctx.agent();
    assert.equal(await password(agent, other.email), ENROL);
    for (const url of ['/', '/dossiers', '/admin/comptes', '/compte/double-authentification']) {
      assert.equal((await agent.get(url)).headers.location, ENROL, url);
    }
    const page = await agent.get(ENROL);
    assert.match(text(page.text), /obligatoire pour votre compte/);
    assert.doesNotMatch(page.text, /href="\/dossiers"/, 'no menu to elsewhere');
    const secret = /class="link-box secret-key">([A-Z2-7 ]+)</.exec(page.text)![1]!.replace(/ /g, '');
    assert.equal((await post(agent, ENROL, { code: codeNow(secret) }, ENROL)).status, 200);
    assert.equal((await agent.get('/admin/comptes')).status, 200);
  });

  it('leads reps too once an administrator requires it (audited), and no longer once it is lifted', async () => {
    const rep = await ctx.createUser({ role: 'rep', regions: ['HDF'] });
    const on = await post(admin.agent, '/admin/double-authentification', { requiredForReps: 'on' }, '/admin/comptes');
    assert.equal(on.status, 303);
    assert.match(text((await admin.agent.get('/admin/comptes')).text), /elle est obligatoire/);
    assert.equal((await ctx.auditOf('second_factor_policy', 'reps_required')).length, 1);
    const agent = ctx.agent();
    assert.equal(await password(agent, rep.email), ENROL);
    assert.equal((await agent.get('/dossiers')).headers.location, ENROL);
    assert.equal((await post(agent, '/deconnexion', {}, ENROL)).status, 303, 'signing out stays possible');

    await post(admin.agent, '/admin/double-authentification', {}, '/admin/comptes');
    assert.equal(await password(ctx.agent(), rep.email), '/');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_PASSWORD, type TestContext, createTestContext, csrfFrom } from '../helpers/context';
import { text } from '../helpers/html';

const NEW_PASSWORD = 'cornemuse pivoine escabeau tramontane';

describe('changing one’s password, signed in', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext({ RATE_LIMIT_PER_MINUTE: '100000' });
  });
  after(() => ctx.close());

  const change = async (agent: ReturnType<TestContext['agent']>, fields: Record<string, string>) =>
    agent.post('/compte/mot-de-passe').type('form').send({ _csrf: await csrfFrom(agent, '/compte/mot-de-passe'), ...fields });

  it('asks for the current password, refuses a weak or mismatched new one without sending any back, then ends the other sessions only', async () => {
    const { agent, user } = await ctx.signedIn({ role: 'rep', regions: ['HDF'] });
    const elsewhere = ctx.agent();
    assert.equal((await ctx.login(elsewhere, user.email)).status, 303);
    assert.equal((await elsewhere.get('/dossiers')).status, 200, 'a second session, on another device');

    const wrong = await change(agent, { currentPassword: 'pas le bon mot de passe', password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD });
    assert.equal(wrong.status, 400);
    assert.match(text(wrong.text), /Ce n’est pas votre mot de passe actuel/);
    const weak = await change(agent, { currentPassword: DEFAULT_PASSWORD, password: 'aaaaaaaaaaaa', passwordConfirm: 'aaaaaaaaaaaa' });
    assert.equal(weak.status, 400);
    assert.match(text(weak.text), /phrase/);
    const mismatched = await change(agent, { currentPassword: DEFAULT_PASSWORD, password: NEW_PASSWORD, passwordConfirm: `${NEW_PASSWORD}!` });
    assert.equal(mismatched.status, 400);
    assert.match(text(mismatched.text), /ne sont pas identiques/);
    for (const res of [wrong, weak, mismatched]) assert.doesNotMatch(res.text, new RegExp(`${DEFAULT_PASSWORD}|aaaaaaaaaaaa|${NEW_PASSWORD}|pas le bon`), 'no password printed back');

    const done = await change(agent, { currentPassword: DEFAULT_PASSWORD, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD });
    assert.equal(done.status, 303);
    assert.match(text((await agent.get(done.headers.location!)).text), /Votre mot de passe est changé\. Votre autre session ouverte est fermée\./);
    assert.equal((await agent.get('/dossiers')).status, 200, 'this session goes on');
    const ended = await elsewhere.get('/dossiers');
    assert.equal(ended.status, 303, 'the other one is over');
    assert.equal(ended.headers.location, '/connexion');

    assert.equal((await ctx.login(ctx.agent(), user.email, DEFAULT_PASSWORD)).status, 401, 'the old password no longer signs in');
    assert.equal((await ctx.login(ctx.agent(), user.email, NEW_PASSWORD)).status, 303, 'the new one does');
    const logged = await ctx.db.selectFrom('auditLog').select(['action', 'actorUserId']).where('entityType', '=', 'user').where('entityId', '=', String(user.id)).execute();
    assert.ok(logged.some((e) => e.action === 'update' && e.actorUserId === user.id), 'the change is in the journal');
    assert.ok(logged.some((e) => e.action === 'login_failed'), 'so is the wrong current password');
  });

  it('throttles guesses of the current password from an open session like failed logins', async () => {
    const { agent } = await ctx.signedIn({ role: 'rep', regions: ['HDF'] });
    const guess = (n: number) => change(agent, { currentPassword: `essai numéro ${n} faux`, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD });
    for (let i = 1; i <= 6; i++) assert.equal((await guess(i)).status, 400, `guess ${i}`);
    const locked = await change(agent, { currentPassword: DEFAULT_PASSWORD, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD });
    assert.equal(locked.status, 429, 'even the right one waits');
    assert.ok(Number(locked.headers['retry-after']) > 0);
    assert.match(text(locked.text), /Trop d’essais erronés/);
  });

  it('sends a visitor without a session to the login page', async () => {
    const res = await ctx.agent().get('/compte/mot-de-passe');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/connexion');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dictionaryLoads } from '../../src/auth/password-strength';
import { type TestContext, createTestContext, extractCsrf } from '../helpers/context';

/** Weak passwords refused wherever a password is chosen on the web: set-up, invitation, reset. */

const GOOD = 'lanterne pivoine marée calcaire';
const WEAK: [password: string, why: RegExp][] = [
  ['aaaaaaaaaaaa', /répète les mêmes caractères/],
  ['123456789012', /fait partie des plus utilisés/],
];
const ADVICE = /Choisissez plutôt une phrase de quatre mots ou plus/;

let ctx: TestContext;
let loadsAtStart: number;
before(async () => {
  ctx = await createTestContext();
  loadsAtStart = dictionaryLoads();
});
after(() => ctx.close());

async function submit(url: string, fields: Record<string, string>) {
  const agent = ctx.agent();
  const page = await agent.get(url);
  assert.equal(page.status, 200, `${url} answered ${page.status}`);
  return agent.post(url).type('form').send({ _csrf: extractCsrf(page.text), ...fields });
}

/** Each weak password, then one made of the person's own words, is refused; the link still works for a good one. */
async function refusesWeakThenAcceptsGood(url: string, fields: Record<string, string>, personal: string) {
  for (const [password, why] of [...WEAK, [personal, /reprend votre nom ou votre adresse e-mail/] as const]) {
    const res = await submit(url, { ...fields, password, passwordConfirm: password });
    assert.equal(res.status, 400, `${password} refused`);
    assert.match(res.text, why);
    assert.match(res.text, ADVICE);
    assert.doesNotMatch(res.text, new RegExp(`value="${password}"`), 'the refused password is not sent back');
  }
  const res = await submit(url, { ...fields, password: GOOD, passwordConfirm: GOOD });
  assert.equal(res.status, 303, 'a phrase of several words is accepted');
}

describe('password strength where passwords are chosen', () => {
  let adminId: number;

  it('does not load the dictionaries to start the app', () => {
    assert.equal(loadsAtStart, 0);
  });

  it('refuses weak passwords at the first administrator’s set-up link', async () => {
    const link = await ctx.services.auth.issueSetupLinkIfNeeded();
    assert.ok(link);
    const fields = { name: 'Clémence Arnaud', email: 'clemence.arnaud@exemple.fr' };
    await refusesWeakThenAcceptsGood(`/installation/${link.token}`, fields, 'clemence.arnaud');
    const admin = await ctx.services.users.findByEmail(fields.email);
    assert.equal(admin?.role, 'admin');
    adminId = admin.id;
  });

  it('refuses weak passwords when an invitation is accepted', async () => {
    const invited = await ctx.services.accounts.invite(adminId, { email: 'berenice.fontaine@exemple.fr', name: 'Bérénice Fontaine', role: 'rep', regions: ['HDF'] });
    assert.ok(invited.ok);
    await refusesWeakThenAcceptsGood(`/acces/${invited.link.token}`, {}, 'Bérénice Fontaine');
    assert.equal((await ctx.services.users.findById(invited.userId))?.status, 'active');
  });

  it('refuses weak passwords when a password is changed through a reset link', async () => {
    const rep = await ctx.createUser({ email: 'gaspard.leroy@exemple.fr', name: 'Gaspard Leroy' });
    const link = await ctx.services.accounts.issueResetLink(adminId, rep.id);
    await refusesWeakThenAcceptsGood(`/acces/${link.token}`, {}, 'gaspard.leroy@exemple.fr');
  });

  it('loaded the dictionaries once for all of these', () => {
    assert.equal(dictionaryLoads(), 1);
  });
});

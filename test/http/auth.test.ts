import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestContext, csrfFrom, extractCsrf } from '../helpers/context';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

function sessionCookie(res: { headers: Record<string, unknown> }): string | undefined {
  const cookies = (res.headers['set-cookie'] as string[] | undefined) ?? [];
  return cookies.find((c) => c.startsWith('vigie.sid='))?.split(';')[0];
}

describe('login', () => {
  it('shows the login page in French with a CSRF token', async () => {
    const res = await ctx.agent().get('/connexion');
    assert.equal(res.status, 200);
    assert.match(res.text, /<h1>Connexion<\/h1>/);
    assert.ok(extractCsrf(res.text));
  });

  it('signs in with the right password and lands on the home page', async () => {
    const user = await ctx.createUser({ name: 'Nadia Ferhat' });
    const agent = ctx.agent();
    const res = await ctx.login(agent, user.email);
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/');
    const home = await agent.get('/');
    assert.equal(home.status, 200);
    assert.match(home.text, /Bonjour Nadia Ferhat/);
  });

  it('accepts the email whatever its case and surrounding spaces', async () => {
    const user = await ctx.createUser({ email: 'casse@exemple.fr' });
    const res = await ctx.login(ctx.agent(), '  CASSE@Exemple.FR ', user.password);
    assert.equal(res.status, 303);
  });

  it('gives the same message for an unknown email and a wrong password', async () => {
    const user = await ctx.createUser();
    const wrongPassword = await ctx.login(ctx.agent(), user.email, 'pas le bon mot de passe');
    const unknownEmail = await ctx.login(ctx.agent(), 'personne@exemple.fr', 'pas le bon mot de passe');
    assert.equal(wrongPassword.status, 401);
    assert.equal(unknownEmail.status, 401);
    const message = 'Adresse e-mail ou mot de passe incorrect.';
    assert.ok(wrongPassword.text.includes(message));
    assert.ok(unknownEmail.text.includes(message));
    assert.ok(wrongPassword.text.includes(`value="${user.email}"`), 'the typed email is kept');
  });

  it('re-renders missing fields with French messages and keeps the email', async () => {
    const agent = ctx.agent();
    const csrf = await csrfFrom(agent, '/connexion');
    const res = await agent.post('/connexion').type('form').send({ _csrf: csrf, email: 'a@exemple.fr', password: '' });
    assert.equal(res.status, 400);
    assert.match(res.text, /Le mot de passe est obligatoire\./);
    assert.match(res.text, /value="a@exemple.fr"/);
    assert.doesNotMatch(res.text, /name="password"[^>]*value="[^"]+"/);
  });

  it('refuses a login without a valid CSRF token', async () => {
    const user = await ctx.createUser();
    const agent = ctx.agent();
    await agent.get('/connexion');
    const missing = await agent.post('/connexion').type('form').send({ email: user.email, password: user.password });
    assert.equal(missing.status, 403);
    const wrong = await agent.post('/connexion').type('form').send({ _csrf: 'forged', email: user.email, password: user.password });
    assert.equal(wrong.status, 403);
    assert.equal((await agent.get('/')).status, 303, 'still signed out');
  });

  it('gives a new session id at login: the pre-login cookie is dead afterwards', async () => {
    const user = await ctx.createUser();
    const agent = ctx.agent();
    const page = await agent.get('/connexion');
    const before = sessionCookie(page);
    assert.ok(before, 'a session exists before login (it carries the CSRF token)');
    const res = await agent.post('/connexion').type('form').send({ _csrf: extractCsrf(page.text), email: user.email, password: user.password });
    const afterLogin = sessionCookie(res);
    assert.ok(afterLogin);
    assert.notEqual(afterLogin, before);
    const withOld = await ctx.agent().get('/').set('Cookie', before);
    assert.equal(withOld.status, 303, 'the planted session id grants nothing');
    const withNew = await ctx.agent().get('/').set('Cookie', afterLogin);
    assert.equal(withNew.status, 200);
  });

  it('returns to the page first asked for, and only to a local path', async () => {
    const user = await ctx.createUser();
    const agent = ctx.agent();
    const guarded = await agent.get('/campagnes');
    assert.equal(guarded.status, 303);
    assert.equal(guarded.headers.location, '/connexion');
    const res = await ctx.login(agent, user.email);
    assert.equal(res.headers.location, '/campagnes');
  });

  it('refuses a disabled account with the same message', async () => {
    const user = await ctx.createUser({ status: 'disabled' });
    const res = await ctx.login(ctx.agent(), user.email);
    assert.equal(res.status, 401);
    assert.ok(res.text.includes('Adresse e-mail ou mot de passe incorrect.'));
  });

  it('locks an account after repeated failures, says when to retry, and lets the rep back in after the lock', async () => {
    const user = await ctx.createUser();
    for (let i = 0; i < 5; i++) {
      const res = await ctx.login(ctx.agent(), user.email, 'mauvais mot de passe');
      assert.equal(res.status, 401, `failure ${i + 1} is a plain refusal`);
    }
    const sixth = await ctx.login(ctx.agent(), user.email, 'mauvais mot de passe');
    assert.equal(sixth.status, 401, 'the sixth failure is recorded and starts the lock');
    const locked = await ctx.login(ctx.agent(), user.email);
    assert.equal(locked.status, 429, 'even the right password is refused while locked');
    assert.match(locked.text, /Trop de tentatives de connexion\. Par sécurité, réessayez à partir du/);
    assert.ok(Number(locked.headers['retry-after']) > 0);
    const other = await ctx.createUser();
    assert.equal((await ctx.login(ctx.agent(), other.email)).status, 303, 'other accounts are not affected');
    ctx.clock.advance(2 * 60_000);
    assert.equal((await ctx.login(ctx.agent(), user.email)).status, 303);
  });

  it('locks a whole address after many failures across accounts', async () => {
    const local = await createTestContext();
    try {
      for (let i = 0; i < 21; i++) {
        await local.login(local.agent(), `inconnu${i}@exemple.fr`, 'mauvais mot de passe');
      }
      const user = await local.createUser();
      const res = await local.login(local.agent(), user.email);
      assert.equal(res.status, 429);
    } finally {
      await local.close();
    }
  });
});

describe('logout and session lifetime', () => {
  it('logs out by POST with CSRF and ends the session', async () => {
    const { agent } = await ctx.signedIn();
    const csrf = await csrfFrom(agent, '/');
    const refused = await agent.post('/deconnexion').type('form').send({ _csrf: 'forged' });
    assert.equal(refused.status, 403);
    assert.equal((await agent.get('/')).status, 200, 'still signed in after a forged logout');
    const res = await agent.post('/deconnexion').type('form').send({ _csrf: csrf });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/connexion');
    assert.equal((await agent.get('/')).status, 303);
  });

  it('has no logout by GET', async () => {
    const { agent } = await ctx.signedIn();
    assert.equal((await agent.get('/deconnexion')).status, 404);
    assert.equal((await agent.get('/')).status, 200);
  });

  it('ends a session after its absolute lifetime even when active', async () => {
    const local = await createTestContext();
    try {
      const { agent } = await local.signedIn();
      for (let hour = 0; hour < 12; hour++) {
        local.clock.advance(60 * 60_000);
        if (hour < 11) assert.equal((await agent.get('/')).status, 200, `still valid after ${hour + 1} h`);
      }
      local.clock.advance(60_000);
      const res = await agent.get('/');
      assert.equal(res.status, 303);
      const login = await agent.get('/connexion');
      assert.match(login.text, /Votre session a expiré/);
    } finally {
      await local.close();
    }
  });

  it('ends an idle session after two hours', async () => {
    const local = await createTestContext();
    try {
      const { agent } = await local.signedIn();
      local.clock.advance(121 * 60_000);
      assert.equal((await agent.get('/')).status, 303);
    } finally {
      await local.close();
    }
  });
});

describe('first administrator set-up link', () => {
  async function freshContext() {
    const local = await createTestContext();
    const link = await local.services.auth.issueSetupLinkIfNeeded();
    assert.ok(link, 'a set-up link is issued when no admin exists');
    return { local, url: `/installation/${link.token}` };
  }

  async function submitSetup(local: TestContext, url: string, fields: Record<string, string>) {
    const agent = local.agent();
    const page = await agent.get(url);
    if (page.status !== 200) return { agent, res: page };
    const res = await agent.post(url).type('form').send({ _csrf: extractCsrf(page.text), ...fields });
    return { agent, res };
  }

  const valid = { name: 'Claire Admin', email: 'claire@exemple.fr', password: 'phrase de passe solide', passwordConfirm: 'phrase de passe solide' };

  it('creates the first admin, signs them in, and cannot be used twice', async () => {
    const { local, url } = await freshContext();
    try {
      const { agent, res } = await submitSetup(local, url, valid);
      assert.equal(res.status, 303);
      // Signed in, but an administrator sets up a second factor before any other page.
      const home = await agent.get('/');
      assert.equal(home.status, 303);
      assert.equal(home.headers.location, '/compte/double-authentification/activer');
      const enrol = await agent.get('/compte/double-authentification/activer');
      assert.match(enrol.text, /Activer la double authentification/);
      assert.match(enrol.text, /Claire Admin/);
      const user = await local.services.users.findByEmail('claire@exemple.fr');
      assert.equal(user?.role, 'admin');
      assert.match(user?.passwordHash ?? '', /^\$argon2id\$/);

      const reused = await local.agent().get(url);
      assert.equal(reused.status, 404);
      assert.match(reused.text, /Ce lien n’est pas valable/);
      assert.equal(await local.services.auth.issueSetupLinkIfNeeded(), null, 'no new link once an admin exists');
    } finally {
      await local.close();
    }
  });

  it('refuses an expired link', async () => {
    const { local, url } = await freshContext();
    try {
      local.clock.advance(25 * 3_600_000);
      const { res } = await submitSetup(local, url, valid);
      assert.equal(res.status, 404);
      assert.equal(await local.services.users.findByEmail(valid.email), undefined);
    } finally {
      await local.close();
    }
  });

  it('refuses a made-up token and a previous link once a new one is issued', async () => {
    const { local, url } = await freshContext();
    try {
      assert.equal((await local.agent().get('/installation/abcdefghijklmnopqrstuvwxyz012345')).status, 404);
      await local.services.auth.issueSetupLinkIfNeeded();
      assert.equal((await local.agent().get(url)).status, 404, 'each start voids the previous link');
    } finally {
      await local.close();
    }
  });

  it('keeps values and explains each invalid field', async () => {
    const { local, url } = await freshContext();
    try {
      const { res } = await submitSetup(local, url, { name: 'Claire', email: 'pas-une-adresse', password: 'court', passwordConfirm: 'autre' });
      assert.equal(res.status, 400);
      assert.match(res.text, /L’adresse e-mail n’est pas valide/);
      assert.match(res.text, /au moins 12 caractères/);
      assert.match(res.text, /value="Claire"/);
      assert.match(res.text, /value="pas-une-adresse"/);
      const mismatch = await submitSetup(local, url, { ...valid, passwordConfirm: 'une autre phrase de passe' });
      assert.equal(mismatch.res.status, 400);
      assert.match(mismatch.res.text, /Les deux mots de passe ne sont pas identiques\./);
      assert.equal(await local.services.users.findByEmail(valid.email), undefined);
    } finally {
      await local.close();
    }
  });
});

/**
 * Sessions, server side: what the other suites do not already prove.
 *
 * Already covered elsewhere, not repeated here:
 *  - test/http/auth.test.ts: a new session id at password sign-in and the planted pre-login id dead
 *    afterwards; logout by POST with CSRF only; idle expiry after two hours; absolute expiry after
 *    twelve hours of activity;
 *  - test/http/security.test.ts: cookie attributes (HttpOnly, SameSite=Lax, Secure under https);
 *  - test/http/admin-accounts.test.ts: disabling an account or resetting its password ends its
 *    sessions at once, even a session row written back by a request in flight; a changed role or
 *    region applies to the open session at once.
 *
 * Added here: fixation through the two other ways in (invitation link, first set-up link) and the
 * pre-login CSRF token; logout proven server-side by replaying the old cookie from another client;
 * idle expiry as a sliding window (activity keeps a session alive, the absolute limit still ends
 * it) checked with replayed cookies, so no client-side cookie expiry can hide a server that keeps
 * sessions; a disabled account's session refused on a state-changing request, with nothing changed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { type TestContext, createTestContext, extractCsrf } from '../helpers/context';
import { encode } from '../helpers/forms';
import { sql } from 'kysely';
import { SqliteSessionStore } from '../../src/auth/session-store';
import { UNLIMITED, assertUnchanged, sessionPair, snapshot } from './support';

const MINUTE = 60_000;

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext(UNLIMITED);
});
after(async () => {
  await ctx.close();
});

/** A request carrying exactly this cookie, from a client that has never seen any other. */
function replay(context: TestContext, pair: string, url = '/') {
  return request(context.app).get(url).set('Cookie', pair);
}

async function sessionRows(context: TestContext, pair: string) {
  const sid = decodeURIComponent(pair.slice('vigie.sid='.length)).replace(/^s:/, '').split('.')[0]!;
  return context.db.selectFrom('sessions').selectAll().where('sid', '=', sid).execute();
}

/** Signs in by hand and returns the session cookie pair the sign-in set. */
async function signIn(context: TestContext, options: Parameters<TestContext['createUser']>[0] = {}) {
  const user = await context.createUser(options);
  const page = await request(context.app).get('/connexion');
  const pre = sessionPair(page)!;
  const res = await request(context.app).post('/connexion').set('Cookie', pre).type('form').send(encode({ _csrf: extractCsrf(page.text), email: user.email, password: user.password }));
  assert.equal(res.status, 303);
  const pair = sessionPair(res);
  assert.ok(pair, 'signing in sets a session cookie');
  return { user, pair, pre, preToken: extractCsrf(page.text) };
}

describe('session fixation', () => {
  it('gives a new session id when an invitation link is used, and the planted id stays anonymous', async () => {
    const admin = await ctx.createUser({ role: 'admin' });
    const invited = await ctx.services.accounts.invite(admin.id, { email: 'invitee.fixation@exemple.fr', name: 'Invitée Fixation', role: 'rep', regions: ['HDF'] });
    assert.ok(invited.ok);
    const url = `/acces/${invited.link.token}`;
    const page = await request(ctx.app).get(url);
    assert.equal(page.status, 200);
    const planted = sessionPair(page);
    assert.ok(planted, 'the link page starts a session (it carries the CSRF token)');
    const password = 'une phrase de passe bien longue';
    const res = await request(ctx.app).post(url).set('Cookie', planted).type('form').send(encode({ _csrf: extractCsrf(page.text), password, passwordConfirm: password }));
    assert.equal(res.status, 303);
    const fresh = sessionPair(res);
    assert.ok(fresh, 'choosing the password signs in with a new cookie');
    assert.notEqual(fresh, planted);
    assert.equal((await replay(ctx, fresh)).status, 200, 'the new session is signed in');
    const old = await replay(ctx, planted);
    assert.equal(old.status, 303, 'the planted id grants nothing');
    assert.equal(old.headers.location, '/connexion');
    assert.equal((await sessionRows(ctx, planted)).length, 0, 'the planted session is gone from the store');
  });

  it('gives a new session id when the first administrator uses the set-up link', async () => {
    const local = await createTestContext(UNLIMITED);
    try {
      const link = await local.services.auth.issueSetupLinkIfNeeded();
      assert.ok(link);
      const url = `/installation/${link.token}`;
      const page = await request(local.app).get(url);
      const planted = sessionPair(page);
      assert.ok(planted);
      const password = 'une phrase de passe bien longue';
      const res = await request(local.app)
        .post(url)
        .set('Cookie', planted)
        .type('form')
        .send(encode({ _csrf: extractCsrf(page.text), name: 'Première Admin', email: 'premiere@exemple.fr', password, passwordConfirm: password }));
      assert.equal(res.status, 303);
      const fresh = sessionPair(res);
      assert.ok(fresh);
      assert.notEqual(fresh, planted);
      // Signed in, held at the second factor's enrolment an administrator owes before any page.
      assert.equal((await replay(local, fresh, '/compte/double-authentification/activer')).status, 200);
      const planted303 = await replay(local, planted, '/compte/double-authentification/activer');
      assert.equal(planted303.status, 303, 'the planted id grants nothing');
      assert.equal(planted303.headers.location, '/connexion');
    } finally {
      await local.close();
    }
  });

  it('voids the pre-login CSRF token: a form read before sign-in cannot be posted after it', async () => {
    const { pair, preToken } = await signIn(ctx);
    const before = await snapshot(ctx.db);
    const res = await request(ctx.app).post('/deconnexion').set('Cookie', pair).type('form').send(encode({ _csrf: preToken }));
    assert.equal(res.status, 403);
    await assertUnchanged(ctx.db, before, 'a post with the pre-login token');
    assert.equal((await replay(ctx, pair)).status, 200, 'still signed in');
  });
});

describe('logout, server side', () => {
  it('destroys the session in the store: the old cookie, replayed from another client, is anonymous', async () => {
    const { pair } = await signIn(ctx);
    const home = await replay(ctx, pair);
    assert.equal(home.status, 200);
    assert.equal((await sessionRows(ctx, pair)).length, 1);
    const res = await request(ctx.app).post('/deconnexion').set('Cookie', pair).type('form').send(encode({ _csrf: extractCsrf(home.text) }));
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/connexion');
    assert.equal((await sessionRows(ctx, pair)).length, 0, 'the row is deleted, not just the browser’s cookie replaced');
    for (const url of ['/', '/dossiers', '/admin/comptes']) {
      const again = await replay(ctx, pair, url);
      assert.equal(again.status, 303, url);
      assert.equal(again.headers.location, '/connexion', url);
    }
    // The stolen cookie cannot even post: its session, and so its token, are gone.
    const post = await request(ctx.app).post('/deconnexion').set('Cookie', pair).type('form').send(encode({ _csrf: extractCsrf(home.text) }));
    assert.equal(post.status, 403);
  });

  it('ends only the session logged out of: the same account’s other session goes on', async () => {
    const user = await ctx.createUser();
    const sessions = [];
    for (let i = 0; i < 2; i++) {
      const page = await request(ctx.app).get('/connexion');
      const res = await request(ctx.app).post('/connexion').set('Cookie', sessionPair(page)!).type('form').send(encode({ _csrf: extractCsrf(page.text), email: user.email, password: user.password }));
      sessions.push(sessionPair(res)!);
    }
    const [first, second] = sessions as [string, string];
    const home = await replay(ctx, first);
    await request(ctx.app).post('/deconnexion').set('Cookie', first).type('form').send(encode({ _csrf: extractCsrf(home.text) }));
    assert.equal((await replay(ctx, first)).status, 303);
    assert.equal((await replay(ctx, second)).status, 200);
  });
});

describe('expiry, server side', () => {
  it('slides the idle limit with activity, ends a session idle for two hours, and the store no longer serves it', async () => {
    const local = await createTestContext(UNLIMITED);
    try {
      const { pair } = await signIn(local);
      // Active every 110 minutes for five and a half hours: never two idle hours in a row.
      for (let i = 1; i <= 3; i++) {
        local.clock.advance(110 * MINUTE);
        assert.equal((await replay(local, pair)).status, 200, `still signed in after ${i * 110} minutes of spaced activity`);
      }
      local.clock.advance(121 * MINUTE);
      const res = await replay(local, pair);
      assert.equal(res.status, 303, 'idle for two hours: signed out, whatever the cookie');
      assert.equal(res.headers.location, '/connexion');
      // The store itself holds the expiry (the app's clock, not the cookie's): the row is past it, and pruning erases it.
      const rows = await sessionRows(local, pair);
      assert.ok(rows.every((r) => r.expiresAt <= local.clock.now().getTime()), 'the old row is expired in the store');
      await local.services.sessions.prune();
      assert.equal((await sessionRows(local, pair)).length, 0, 'pruning erases it');
      assert.equal((await replay(local, pair)).status, 303);
    } finally {
      await local.close();
    }
  });

  it('ends a session after twelve hours even with activity every ten minutes of the last hour, for a replayed cookie too', async () => {
    const local = await createTestContext(UNLIMITED);
    try {
      const { pair } = await signIn(local);
      for (let hour = 1; hour <= 11; hour++) {
        local.clock.advance(60 * MINUTE);
        assert.equal((await replay(local, pair)).status, 200, `hour ${hour}`);
      }
      for (let minutes = 10; minutes <= 50; minutes += 10) {
        local.clock.advance(10 * MINUTE);
        assert.equal((await replay(local, pair)).status, 200, `11 h ${minutes} min`);
      }
      local.clock.advance(11 * MINUTE);
      const res = await replay(local, pair);
      assert.equal(res.status, 303, 'past twelve hours: signed out');
      assert.equal((await replay(local, pair)).status, 303, 'and stays so');
    } finally {
      await local.close();
    }
  });
});

describe('a disabled account', () => {
  it('cannot change anything with its open session and a valid token, from the very next request', async () => {
    const { user, pair } = await signIn(ctx, { role: 'rep', regions: ['HDF'] });
    const form = await replay(ctx, pair, '/dossiers/nouveau');
    assert.equal(form.status, 200);
    const token = extractCsrf(form.text);
    await ctx.services.accounts.disable(user.id, user.id);
    const before = await snapshot(ctx.db);
    const res = await request(ctx.app)
      .post('/dossiers')
      .set('Cookie', pair)
      .type('form')
      .send(encode({ _csrf: token, fullName: 'Agent Après Désactivation', regionCode: 'HDF', employmentStatus: 'private', campaignId: '2', situations: 'odd_hours' }));
    assert.ok(res.status === 403 || (res.status === 303 && res.headers.location === '/connexion'), `refused: ${res.status} ${String(res.headers.location)}`);
    await assertUnchanged(ctx.db, before, 'a post from a disabled account’s session');
    assert.equal((await replay(ctx, pair)).status, 303);
  });
});

describe('what an anonymous visitor leaves', () => {
  const sessionCount = async (context: TestContext) => Number((await sql<{ n: number }>`select count(*) n from sessions`.execute(context.db)).rows[0]!.n);
  const changes = async (context: TestContext) => Number((await sql<{ n: number }>`select total_changes() n`.execute(context.db)).rows[0]!.n);

  it('reads the guide, its PDF, an error page and the health check without a cookie and without writing anything', async () => {
    const before = await snapshot(ctx.db);
    const [sessions, written] = [await sessionCount(ctx), await changes(ctx)];
    // (A signed-in page redirects to the login form, whose session then keeps where to return.)
    for (const url of ['/guide', '/guide.pdf', '/healthz', '/nulle-part', '/demande/suivi/inconnu', '/assets/app.css']) {
      const res = await request(ctx.app).get(url);
      assert.ok([200, 404].includes(res.status), `${url}: ${res.status}`);
      assert.equal(res.headers['set-cookie'], undefined, `${url} sets no cookie`);
    }
    assert.equal(await sessionCount(ctx), sessions, 'no session stored');
    assert.equal(await changes(ctx), written, 'nothing written at all');
    await assertUnchanged(ctx.db, before, 'anonymous reads');
  });

  it('gives the login and the public forms one cookie, for their token', async () => {
    for (const url of ['/connexion', '/demande']) {
      const res = await request(ctx.app).get(url);
      assert.equal(res.status, 200);
      assert.ok(sessionPair(res), `${url} sets the session cookie its form's token needs`);
      assert.equal(res.headers['set-cookie']!.length, 1, `${url}: that one cookie only`);
    }
  });

  it('ends an anonymous session two hours after it began, however often its page is reloaded', async () => {
    const local = await createTestContext(UNLIMITED);
    try {
      const page = await request(local.app).get('/connexion');
      const pair = sessionPair(page)!;
      const token = extractCsrf(page.text);
      for (let i = 1; i <= 3; i++) {
        local.clock.advance(30 * MINUTE);
        const again = await replay(local, pair, '/connexion');
        assert.equal(extractCsrf(again.text), token, `the same session after ${i * 30} minutes`);
      }
      local.clock.advance(31 * MINUTE);
      const user = await local.createUser();
      const late = await request(local.app).post('/connexion').set('Cookie', pair).type('form').send(encode({ _csrf: token, email: user.email, password: user.password }));
      assert.equal(late.status, 403, 'two hours after the form was first shown, its token is dead');
      assert.ok((await sessionRows(local, pair)).every((r) => r.expiresAt <= local.clock.now().getTime()), 'reloading never pushed its expiry back');
    } finally {
      await local.close();
    }
  });

  it('keeps at most a bounded number of anonymous sessions, the newest, and never drops a signed-in one', async () => {
    const local = await createTestContext(UNLIMITED);
    try {
      const { pair } = await signIn(local);
      const store = new SqliteSessionStore(local.db, local.clock.now, { idleMs: 60 * MINUTE, anonymousMs: 60 * MINUTE, maxAnonymous: 5 });
      const save = (sid: string) => new Promise<void>((resolve, reject) => store.set(sid, { cookie: {} } as never, (err) => (err ? reject(err) : resolve())));
      // The bound is enforced at the first write, then once every 64 writes: after 129, exactly the bound is left.
      for (let i = 1; i <= 129; i++) {
        local.clock.advance(1000);
        await save(`anonymous-${i}`);
      }
      const anonymous = await local.db.selectFrom('sessions').select('sid').where('userId', 'is', null).orderBy('sid').execute();
      assert.deepEqual(anonymous.map((r) => r.sid), ['anonymous-125', 'anonymous-126', 'anonymous-127', 'anonymous-128', 'anonymous-129']);
      assert.equal((await sessionRows(local, pair)).length, 1, 'the signed-in session is kept');
      assert.equal((await replay(local, pair)).status, 200);
    } finally {
      await local.close();
    }
  });

  it('does not send the session cookie again with every page once signed in', async () => {
    const { pair } = await signIn(ctx);
    // The first page after signing in stores the new session's form token, and sends the cookie with it.
    assert.equal((await replay(ctx, pair, '/')).status, 200);
    for (const url of ['/dossiers', '/', '/demandes']) {
      const res = await replay(ctx, pair, url);
      assert.equal(res.status, 200);
      assert.equal(res.headers['set-cookie'], undefined, url);
    }
  });
});

import path from 'node:path';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import request from 'supertest';
import { createLogger } from '../../src/logger';
import { HttpError } from '../../src/web/errors';
import { errorHandler, notFoundHandler } from '../../src/web/error-handler';
import { configureViews } from '../../src/web/view-engine';
import { totpCodeAt } from '../../src/auth/totp';
import { timeStepAt } from '../../src/domain/second-factor';
import { type Agent, type TestContext, TEST_TOTP_SECRET, createTestContext, csrfFrom, extractCsrf, PEOPLE } from '../helpers/context';
import { type Fields, encode, postWithFreshCsrf } from '../helpers/forms';

/** Cross-cutting protections: headers, caching, error pages, body limits, cookies, escaping. */

let ctx: TestContext;
let admin: { agent: Agent; user: { id: number } };
let rep: { agent: Agent; user: { id: number } };

before(async () => {
  ctx = await createTestContext();
  [admin, rep] = await ctx.signInAll(PEOPLE.admin, { role: 'rep', name: 'Rémi Représentant' });
});
after(() => ctx.close());

/** Posts a form as the administrator, with a token read just before. */
function adminPost(url: string, fields: Fields) {
  return postWithFreshCsrf(admin.agent, url, fields);
}

function cspDirectives(header: unknown): Map<string, string[]> {
  assert.equal(typeof header, 'string', 'a Content-Security-Policy header is sent');
  const map = new Map<string, string[]>();
  for (const part of String(header).split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name, values);
  }
  return map;
}

function setCookies(res: { headers: Record<string, unknown> }): string[] {
  const raw = res.headers['set-cookie'];
  return Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
}

function sessionCookie(res: { headers: Record<string, unknown> }): string | undefined {
  return setCookies(res).find((c) => c.startsWith('vigie.sid='));
}

function cookieAttributes(cookie: string): string[] {
  return cookie
    .split(';')
    .slice(1)
    .map((a) => a.trim().toLowerCase());
}

/** No trace of the machinery behind an error page. */
function assertNoStackTrace(text: string): void {
  assert.doesNotMatch(text, /\n\s+at [\w.<>]+ \(/, 'no stack frame');
  assert.doesNotMatch(text, /\.(ts|js):\d+/, 'no source location');
  assert.doesNotMatch(text, /node_modules|\/work\/|src\//, 'no file path');
  assert.doesNotMatch(text, /(Error|Exception):/, 'no error class name');
}

describe('security headers', () => {
  it('sends a strict Content-Security-Policy on pages', async () => {
    for (const res of [await ctx.agent().get('/connexion'), await admin.agent.get('/campagnes')]) {
      const csp = cspDirectives(res.headers['content-security-policy']);
      assert.deepEqual(csp.get('default-src'), ["'self'"]);
      assert.deepEqual(csp.get('script-src'), ["'none'"], 'no script at all, not even our own');
      assert.deepEqual(csp.get('style-src'), ["'self'"]);
      assert.deepEqual(csp.get('object-src'), ["'none'"]);
      assert.deepEqual(csp.get('base-uri'), ["'none'"]);
      assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
      assert.deepEqual(csp.get('form-action'), ["'self'"]);
      const raw = String(res.headers['content-security-policy']);
      assert.doesNotMatch(raw, /unsafe-inline/);
      assert.doesNotMatch(raw, /unsafe-eval/);
      assert.doesNotMatch(raw, /\*/, 'no wildcard source');
      assert.ok(!csp.has('upgrade-insecure-requests'), 'no upgrade on a plain http deployment');
    }
  });

  it('sends exactly the policy the README quotes', async () => {
    const readme = readFileSync(path.join(import.meta.dirname, '../../README.md'), 'utf8');
    const quoted = /CSP, sent as `Content-Security-Policy: ([^`]+)`/.exec(readme)?.[1];
    assert.ok(quoted, 'the README quotes the header');
    const sent = String((await ctx.agent().get('/connexion')).headers['content-security-policy']);
    assert.equal(sent.split(';').map((d) => d.trim()).join('; '), quoted);
  });

  it('sends the other protective headers and hides the framework', async () => {
    const res = await ctx.agent().get('/connexion');
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'same-origin');
    assert.equal(res.headers['x-powered-by'], undefined);
    assert.equal(res.headers['strict-transport-security'], undefined, 'no HSTS over plain http');
  });

  it('pages carry no inline script at all', async () => {
    for (const url of ['/', '/campagnes', '/admin/comptes']) {
      const res = await admin.agent.get(url);
      assert.equal(res.status, 200, url);
      assert.doesNotMatch(res.text, /<script/i, url);
      assert.doesNotMatch(res.text, /\son[a-z]+=/i, `${url}: no inline event handler`);
      assert.doesNotMatch(res.text, /style="/i, `${url}: no inline style (style-src 'self')`);
    }
  });
});

describe('caching', () => {
  it('forbids storing authenticated pages', async () => {
    for (const [agent, url] of [
      [admin.agent, '/'],
      [admin.agent, '/admin/comptes'],
      [rep.agent, '/campagnes'],
      [rep.agent, '/campagnes/1'],
    ] as const) {
      const res = await agent.get(url);
      assert.equal(res.status, 200, url);
      assert.match(String(res.headers['cache-control']), /no-store/, url);
    }
  });

  it('forbids storing error pages and redirects too', async () => {
    assert.match(String((await rep.agent.get('/admin/comptes')).headers['cache-control']), /no-store/);
    assert.match(String((await ctx.agent().get('/nulle-part')).headers['cache-control']), /no-store/);
  });

  it('lets the stylesheet be cached', async () => {
    const res = await ctx.agent().get('/assets/app.css');
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /text\/css/);
    assert.match(String(res.headers['cache-control']), /max-age=3600/);
  });
});

describe('GET /healthz', () => {
  it('answers JSON {status: "ok"} without a session', async () => {
    const res = await request(ctx.app).get('/healthz');
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /application\/json/);
    assert.deepEqual(res.body, { status: 'ok' });
    assert.match(String(res.headers['cache-control']), /no-store/);
    assert.equal(sessionCookie(res), undefined, 'a health check creates no session');
  });

  it('answers 503 {status: "error"} when the database is gone', async () => {
    const broken = await createTestContext();
    await broken.close();
    const res = await request(broken.app).get('/healthz');
    assert.equal(res.status, 503);
    assert.deepEqual(res.body, { status: 'error' });
  });
});

describe('error pages', () => {
  it('answers an unknown route with a French 404 page and no stack trace', async () => {
    for (const agent of [ctx.agent(), rep.agent]) {
      const res = await agent.get('/cette-page-nexiste-pas');
      assert.equal(res.status, 404);
      assert.match(String(res.headers['content-type']), /text\/html/);
      assert.match(res.text, /<html lang="fr">/);
      assert.match(res.text, /Erreur 404/);
      assert.match(res.text, /<h1>Page introuvable<\/h1>/);
      assert.match(res.text, /Cette page n’existe pas, ou vous n’y avez pas accès\./);
      assertNoStackTrace(res.text);
    }
  });

  it('answers JSON to a client that only accepts JSON', async () => {
    const res = await ctx.agent().get('/inconnue').set('Accept', 'application/json');
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error: 'Page introuvable' });
  });

  it('refuses an oversized form (300 KB) with a French 413 page', async () => {
    const agent = ctx.agent();
    const csrf = await csrfFrom(agent, '/connexion');
    const body = encode({ _csrf: csrf, email: 'gros@exemple.fr', password: 'x'.repeat(300 * 1024) });
    const res = await agent.post('/connexion').type('form').send(body);
    assert.equal(res.status, 413);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.text, /<h1>Envoi trop volumineux<\/h1>/);
    assert.match(res.text, /Le texte envoyé dépasse la taille autorisée\./);
    assertNoStackTrace(res.text);
    assert.doesNotMatch(res.text, /request entity too large/i);
  });

  it('refuses a form with too many fields with 413', async () => {
    const agent = ctx.agent();
    const csrf = await csrfFrom(agent, '/connexion');
    const fields: Fields = { _csrf: csrf };
    for (let i = 0; i < 600; i += 1) fields[`f${i}`] = '1';
    const res = await agent.post('/connexion').type('form').send(encode(fields));
    assert.equal(res.status, 413);
    assert.match(res.text, /Envoi trop volumineux/);
  });

  describe('a thrown error (500), through the app’s error handler', () => {
    function brokenApp() {
      const app = express();
      configureViews(app, { cache: false });
      app.get('/boom', () => {
        throw new Error('secret database detail at /srv/vigie/src/cases.ts:42');
      });
      app.get('/async-boom', async () => {
        await Promise.resolve();
        throw new TypeError('Cannot read properties of undefined (reading "agent")');
      });
      app.get('/refused', () => {
        throw new HttpError(409, 'Ce dossier a été modifié entre-temps.');
      });
      app.use(notFoundHandler);
      app.use(errorHandler(createLogger('silent')));
      return app;
    }

    it('shows a French apology without the message or the stack', async () => {
      for (const path of ['/boom', '/async-boom']) {
        const res = await request(brokenApp()).get(path);
        assert.equal(res.status, 500, path);
        assert.match(String(res.headers['content-type']), /text\/html/);
        assert.match(res.text, /<h1>Erreur inattendue<\/h1>/);
        assert.match(res.text, /Une erreur s’est produite de notre côté\./);
        assert.doesNotMatch(res.text, /secret database detail|Cannot read properties/);
        assertNoStackTrace(res.text);
        assert.equal(res.headers['cache-control'], 'no-store');
      }
    });

    it('answers JSON clients with a title only', async () => {
      const res = await request(brokenApp()).get('/boom').set('Accept', 'application/json');
      assert.equal(res.status, 500);
      assert.deepEqual(res.body, { error: 'Erreur inattendue' });
    });

    it('shows the French message of an expected refusal', async () => {
      const res = await request(brokenApp()).get('/refused');
      assert.equal(res.status, 409);
      assert.match(res.text, /Ce dossier a été modifié entre-temps\./);
    });
  });
});

describe('session cookie', () => {
  it('is HttpOnly and SameSite=Lax, and not Secure over plain http', async () => {
    const agent = ctx.agent();
    const page = await agent.get('/connexion');
    const first = sessionCookie(page);
    assert.ok(first, 'the login page starts a session (for its CSRF token)');
    const user = await ctx.createUser();
    const login = await agent.post('/connexion').type('form').send(encode({ _csrf: extractCsrf(page.text), email: user.email, password: user.password }));
    assert.equal(login.status, 303);
    const cookie = sessionCookie(login);
    assert.ok(cookie, 'signing in issues a cookie');
    for (const c of [first, cookie]) {
      const attributes = cookieAttributes(c);
      assert.ok(attributes.includes('httponly'), c);
      assert.ok(attributes.includes('samesite=lax'), c);
      assert.ok(attributes.includes('path=/'), c);
      assert.ok(!attributes.includes('secure'), c);
    }
    assert.notEqual(first.split(';')[0], cookie.split(';')[0], 'a new session id at sign-in');
  });

  describe('behind an https reverse proxy (BASE_URL https, TRUST_PROXY=true)', () => {
    let https: TestContext;
    before(async () => {
      https = await createTestContext({ BASE_URL: 'https://vigie.exemple.fr', TRUST_PROXY: 'true' });
    });
    after(async () => {
      await https.close();
    });

    /** Signs in by hand: supertest speaks plain http, so its cookie jar would drop a Secure cookie. */
    async function httpsSignIn(email: string, password: string) {
      const page = await request(https.app).get('/connexion').set('X-Forwarded-Proto', 'https');
      assert.equal(page.status, 200);
      const first = sessionCookie(page);
      assert.ok(first, 'the login page starts a session');
      const login = await request(https.app)
        .post('/connexion')
        .set('X-Forwarded-Proto', 'https')
        .set('Cookie', first.split(';')[0]!)
        .type('form')
        .send(encode({ _csrf: extractCsrf(page.text), email, password }));
      assert.equal(login.status, 303);
      assert.ok(['/', '/connexion/code'].includes(String(login.headers.location)), String(login.headers.location));
      let cookie = sessionCookie(login);
      assert.ok(cookie, 'signing in issues a cookie');
      if (login.headers.location === '/connexion/code') {
        // An administrator's second step, with the code of the test secret.
        const waiting = cookie.split(';')[0]!;
        const codePage = await request(https.app).get('/connexion/code').set('X-Forwarded-Proto', 'https').set('Cookie', waiting);
        const done = await request(https.app)
          .post('/connexion/code')
          .set('X-Forwarded-Proto', 'https')
          .set('Cookie', waiting)
          .type('form')
          .send(encode({ _csrf: extractCsrf(codePage.text), code: totpCodeAt(TEST_TOTP_SECRET, timeStepAt(https.clock.now())) }));
        assert.equal(done.status, 303);
        assert.equal(done.headers.location, '/');
        cookie = sessionCookie(done);
        assert.ok(cookie, 'the code step issues the signed-in cookie');
      }
      return { first, cookie, pair: cookie.split(';')[0]! };
    }

    it('marks the session cookie Secure, HttpOnly and SameSite=Lax, through sign-in', async () => {
      const user = await https.createUser();
      const { first, cookie, pair } = await httpsSignIn(user.email, user.password);
      for (const c of [first, cookie]) {
        const attributes = cookieAttributes(c);
        assert.ok(attributes.includes('secure'), c);
        assert.ok(attributes.includes('httponly'), c);
        assert.ok(attributes.includes('samesite=lax'), c);
      }
      const home = await request(https.app).get('/').set('X-Forwarded-Proto', 'https').set('Cookie', pair);
      assert.equal(home.status, 200, 'the secure session works');
    });

    it('never sends the session cookie without Secure, even on a plain-http hop', async () => {
      const res = await request(https.app).get('/connexion');
      assert.equal(res.status, 200);
      for (const c of setCookies(res).filter((x) => x.startsWith('vigie.sid='))) {
        assert.ok(cookieAttributes(c).includes('secure'), c);
      }
    });

    it('adds HSTS and upgrade-insecure-requests', async () => {
      const res = await request(https.app).get('/connexion').set('X-Forwarded-Proto', 'https');
      assert.match(String(res.headers['strict-transport-security']), /max-age=31536000/);
      assert.match(String(res.headers['strict-transport-security']), /includeSubDomains/);
      assert.ok(cspDirectives(res.headers['content-security-policy']).has('upgrade-insecure-requests'));
    });

    it('builds invitation links on the public https address', async () => {
      const user = await https.createUser({ role: 'admin' });
      const cookie = (await httpsSignIn(user.email, user.password)).pair;
      const form = await request(https.app).get('/admin/comptes/nouveau').set('X-Forwarded-Proto', 'https').set('Cookie', cookie);
      const created = await request(https.app)
        .post('/admin/comptes')
        .set('X-Forwarded-Proto', 'https')
        .set('Cookie', cookie)
        .type('form')
        .send(encode({ _csrf: extractCsrf(form.text), email: 'https@exemple.fr', name: 'Lien Https', role: 'admin' }));
      assert.equal(created.status, 201);
      assert.match(created.text, /<code class="link-box">https:\/\/vigie\.exemple\.fr\/acces\/[A-Za-z0-9_-]{20,}<\/code>/);
      assert.doesNotMatch(created.text, /http:\/\/[^"<\s]*\/acces\//, 'never a plain-http link');
    });
  });
});

describe('escaping', () => {
  const payload = '<script>alert(1)</script>';

  it('escapes a campaign name on its page and in the list', async () => {
    const res = await adminPost('/campagnes', {
      name: payload,
      description: '<img src=x onerror=alert(2)>',
      commitmentText: '"><b>gras</b>',
      excludesSanctions: 'on',
      status: 'active',
      situations: ['odd_hours', 'political_figure'],
    });
    assert.equal(res.status, 303);
    const location = String(res.headers.location);
    for (const url of [location, '/campagnes', '/']) {
      const page = await rep.agent.get(url);
      assert.equal(page.status, 200, url);
      assert.ok(page.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), `${url}: escaped name`);
      assert.ok(!page.text.includes(payload), `${url}: no raw script tag`);
      assert.doesNotMatch(page.text, /<script/i, url);
    }
    const show = await rep.agent.get(location);
    assert.ok(show.text.includes('&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;'));
    assert.ok(!show.text.includes('<img src=x'));
    assert.ok(show.text.includes('&quot;&gt;&lt;b&gt;gras&lt;/b&gt;'));
    assert.ok(!show.text.includes('<b>gras</b>'));
  });

  it('escapes submitted values kept in a re-rendered form', async () => {
    const res = await adminPost('/campagnes', { name: '"><script>alert(3)</script>', status: 'active' });
    assert.equal(res.status, 400);
    assert.ok(res.text.includes('value="&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"'));
    assert.doesNotMatch(res.text, /<script/i);
  });

  it('escapes an account name in the list, on its page and in the flash message', async () => {
    const res = await adminPost('/admin/comptes', { email: 'xss@exemple.fr', name: '<i>Agnès</i>', role: 'admin' });
    assert.equal(res.status, 201);
    // The invitation answers with the account page itself, flash included.
    assert.ok(res.text.includes('Compte créé pour &lt;i&gt;Agnès&lt;/i&gt;.'), 'escaped in the flash');
    assert.ok(res.text.includes('<h1>&lt;i&gt;Agnès&lt;/i&gt;</h1>'), 'escaped as the page title');
    assert.ok(!res.text.includes('<i>Agnès</i>'));
    const id = /<form method="post" action="\/admin\/comptes\/(\d+)"/.exec(res.text)?.[1];
    assert.ok(id, 'an account page');
    const page = await admin.agent.get(`/admin/comptes/${id}`);
    assert.equal(page.status, 200);
    assert.ok(page.text.includes('<h1>&lt;i&gt;Agnès&lt;/i&gt;</h1>'), 'escaped on its page');
    assert.ok(!page.text.includes('<i>Agnès</i>'));
    const list = await admin.agent.get('/admin/comptes');
    assert.ok(list.text.includes('&lt;i&gt;Agnès&lt;/i&gt;'));
    assert.ok(!list.text.includes('<i>Agnès</i>'));
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { type Agent, type TestContext, createTestContext, csrfFrom, extractCsrf, PEOPLE } from '../helpers/context';
import { type Fields, freshCsrfOf as csrfOf, postForm, postWithFreshCsrf } from '../helpers/forms';
import { escapeRegExp } from '../helpers/html';

/**
 * Every route under /admin/comptes: what an administrator can do to accounts, and every way
 * a request is refused (no session, rep, bad CSRF, invalid fields, unknown or malformed id).
 */

let ctx: TestContext;
let admin: { agent: Agent; user: { id: number; email: string; password: string } };
let rep: { agent: Agent; user: { id: number; email: string; password: string } };

before(async () => {
  ctx = await createTestContext();
  [admin, rep] = await ctx.signInAll(PEOPLE.admin, PEOPLE.rep);
});
after(() => ctx.close());

/** Posts a form as the administrator, with a token read just before. */
function adminPost(url: string, fields: Fields) {
  return postWithFreshCsrf(admin.agent, url, fields);
}

function linkPattern(): RegExp {
  return new RegExp(`${escapeRegExp(ctx.config.baseUrl)}/acces/([A-Za-z0-9_-]{20,100})`);
}

function extractLink(html: string): string {
  const match = linkPattern().exec(html);
  if (!match?.[1]) throw new Error('no account link in page');
  return `/acces/${match[1]}`;
}

let invited = 0;

/** Invites an account through the admin UI; returns its id and the link revealed once. */
async function invite(fields: Fields = {}) {
  invited += 1;
  const body: Fields = {
    email: `invite${invited}@exemple.fr`,
    name: `Invité·e ${invited}`,
    role: 'rep',
    regions: ['HDF'],
    ...fields,
  };
  const res = await adminPost('/admin/comptes', body);
  assert.equal(res.status, 201, `invitation failed: ${res.status}`);
  assert.equal(res.headers.location, undefined, 'the account page is answered directly, not through a redirect');
  const id = accountIdOf(res.text);
  assert.equal((await ctx.services.users.findByEmail(String(body.email)))?.id, id);
  return { id, link: extractLink(res.text), page: res, email: String(body.email), name: String(body.name) };
}

/** The account an account page is about, read from its edit form. */
function accountIdOf(html: string): number {
  const match = /<form method="post" action="\/admin\/comptes\/(\d+)"/.exec(html);
  if (!match?.[1]) throw new Error('not an account page');
  return Number(match[1]);
}

/** Every session row's data, whoever it belongs to: a revealed link must never be kept there. */
async function allSessionData(): Promise<string[]> {
  return (await ctx.db.selectFrom('sessions').select('data').execute()).map((r) => r.data);
}

function tokenOf(link: string): string {
  return link.split('/').pop()!;
}

/** Follows an account link in a fresh browser and chooses a password; the agent ends signed in. */
async function usePasswordLink(link: string, password: string) {
  const agent = ctx.agent();
  const form = await agent.get(link);
  assert.equal(form.status, 200, `link page answered ${form.status}`);
  const res = await postForm(agent, link, { _csrf: extractCsrf(form.text), password, passwordConfirm: password });
  return { agent, form, res };
}

async function sessionCount(userId: number): Promise<number> {
  const row = await ctx.db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('userId', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The stored session rows of one account, as a request in flight would write them back. */
async function sessionRows(userId: number) {
  return ctx.db.selectFrom('sessions').selectAll().where('userId', '=', userId).execute();
}

async function tokenRows(userId: number) {
  return ctx.db.selectFrom('accountTokens').select(['id', 'purpose', 'usedAt']).where('userId', '=', userId).orderBy('id').execute();
}

async function userCount(): Promise<number> {
  return (await ctx.services.users.list()).length;
}

/** Everything a refused request must leave untouched about one account. */
async function snapshot(userId: number) {
  const user = await ctx.services.users.findById(userId);
  assert.ok(user, `user ${userId} exists`);
  return {
    name: user.name,
    role: user.role,
    status: user.status,
    regions: user.regions,
    passwordHash: user.passwordHash,
    tokens: await tokenRows(userId),
    sessions: await sessionCount(userId),
  };
}

/** Collapses whitespace (including the narrow no-break spaces of French formatting). */
function squash(html: string): string {
  return html.replace(/\s+/g, ' ');
}

/** What an admin page does for anyone else: a visitor goes to the login page, a rep gets a French 403 page that shows no account. */
function refusesAllButAdmins(url: string): void {
  it('sends a visitor without a session to the login page', async () => {
    const res = await ctx.agent().get(url);
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/connexion');
  });

  it('refuses a rep with 403 and a French page', async () => {
    const res = await rep.agent.get(url);
    assert.equal(res.status, 403);
    assert.match(res.text, /Vous n’avez pas accès à cette page\./);
    assert.ok(!res.text.includes(admin.user.email), 'no account data leaks into the refusal');
  });
}

describe('GET /admin/comptes (list)', () => {
  it('lists every account with its e-mail, role, regions and status', async () => {
    const res = await admin.agent.get('/admin/comptes');
    assert.equal(res.status, 200);
    assert.match(res.text, /<h1>Comptes<\/h1>/);
    assert.ok(res.text.includes(`<a href="/admin/comptes/${admin.user.id}">Alice Admin</a>`));
    assert.ok(res.text.includes(`<a href="/admin/comptes/${rep.user.id}">Rémi Représentant</a>`));
    assert.ok(res.text.includes(rep.user.email));
    assert.match(res.text, /Administrateur·rice/);
    assert.match(res.text, /Représentant·e/);
    assert.match(res.text, /Hauts-de-France/);
    assert.match(res.text, /badge--ok">Actif/);
    assert.match(res.text, /href="\/admin\/comptes\/nouveau"/);
  });

  it('says that invitation links must be passed on by hand when SMTP is not configured', async () => {
    const res = await admin.agent.get('/admin/comptes');
    assert.match(res.text, /L’envoi d’e-mails n’est pas configuré/);
  });

  refusesAllButAdmins('/admin/comptes');
});

describe('GET /admin/comptes/nouveau (invitation form)', () => {
  it('shows an empty form with rep preselected, every region and a CSRF token', async () => {
    const res = await admin.agent.get('/admin/comptes/nouveau');
    assert.equal(res.status, 200);
    assert.match(res.text, /<h1>Inviter un compte<\/h1>/);
    assert.match(res.text, /<form method="post" action="\/admin\/comptes"/);
    assert.match(res.text, /name="email"/);
    assert.match(res.text, /name="role" value="rep" checked/);
    assert.doesNotMatch(res.text, /name="role" value="admin" checked/);
    assert.match(res.text, /name="regions" value="IDF" >/);
    assert.match(res.text, /Île-de-France/);
    assert.match(res.text, /Mayotte/);
    assert.ok(extractCsrf(res.text));
  });

  refusesAllButAdmins('/admin/comptes/nouveau');
});

describe('POST /admin/comptes (invitation)', () => {
  it('creates an invited account and reveals its activation link once, in the response to the invitation', async () => {
    const res = await adminPost('/admin/comptes', {
      email: '  Camille.Martin@Exemple.FR ',
      name: 'Camille Martin',
      role: 'rep',
      regions: ['NOR', 'IDF'],
    });
    assert.equal(res.status, 201);
    assert.equal(res.headers.location, undefined, 'no redirect: the link is in this response');
    assert.match(String(res.headers['cache-control']), /no-store/, 'a page carrying the link is never cached');
    const id = accountIdOf(res.text);

    const user = await ctx.services.users.findById(id);
    assert.ok(user);
    assert.equal(user.email, 'camille.martin@exemple.fr');
    assert.equal(user.name, 'Camille Martin');
    assert.equal(user.role, 'rep');
    assert.equal(user.status, 'invited');
    assert.equal(user.passwordHash, null);
    assert.deepEqual(user.regions, ['IDF', 'NOR']);
    const tokens = await tokenRows(id);
    assert.equal(tokens.length, 1);
    assert.equal(tokens[0]?.purpose, 'invitation');
    assert.equal(tokens[0]?.usedAt, null);

    assert.match(res.text, /<h1>Camille Martin<\/h1>/);
    assert.match(res.text, /Compte créé pour Camille Martin\./);
    assert.match(res.text, /Lien d’activation/);
    assert.match(res.text, new RegExp(`<code class="link-box">${linkPattern().source}</code>`));
    assert.match(res.text, /badge">Invité·e/);
    const token = tokenOf(extractLink(res.text));
    assert.ok(!(await allSessionData()).some((data) => data.includes(token)), 'the link is kept in no session');

    const reload = await admin.agent.get(`/admin/comptes/${id}`);
    assert.equal(reload.status, 200);
    assert.doesNotMatch(reload.text, /\/acces\//, 'the link is shown only once');
    assert.doesNotMatch(reload.text, /Lien d’activation/);
    assert.doesNotMatch(reload.text, /Compte créé pour/, 'the flash message is shown only once');
  });

  it('stores only a hash of the link token, never the token itself, and keeps it in no session', async () => {
    const { id, link } = await invite();
    const token = tokenOf(link);
    const rows = await ctx.db.selectFrom('accountTokens').select('tokenHash').where('userId', '=', id).execute();
    assert.equal(rows.length, 1);
    assert.notEqual(rows[0]?.tokenHash, token);
    assert.ok(!rows[0]?.tokenHash.includes(token));
    const sessions = await allSessionData();
    assert.ok(sessions.length > 0, 'the admin’s session is stored');
    assert.ok(!sessions.some((data) => data.includes(token)), 'the raw token is in no session row');
    assert.ok(!sessions.some((data) => data.includes('/acces/')), 'no link at all is in a session row');
  });

  it('lets the invitee choose a password through the link and ends signed in; the link then dies', async () => {
    const { id, link } = await invite({ name: 'Inès Invitée', email: 'ines@exemple.fr' });

    const visitor = ctx.agent();
    const form = await visitor.get(link);
    assert.equal(form.status, 200);
    assert.match(form.text, /Activer votre compte/);
    assert.match(form.text, /Inès Invitée/);
    assert.match(form.text, /ines@exemple\.fr/);

    const mismatch = await postForm(visitor, link, {
      _csrf: extractCsrf(form.text),
      password: 'une phrase de passe solide',
      passwordConfirm: 'une autre phrase de passe',
    });
    assert.equal(mismatch.status, 400);
    assert.match(mismatch.text, /Les deux mots de passe ne sont pas identiques\./);
    assert.equal((await ctx.services.users.findById(id))?.status, 'invited', 'a refused form does not activate');

    const done = await postForm(visitor, link, {
      _csrf: extractCsrf(mismatch.text),
      password: 'une phrase de passe solide',
      passwordConfirm: 'une phrase de passe solide',
    });
    assert.equal(done.status, 303);
    assert.equal(done.headers.location, '/');
    const home = await visitor.get('/');
    assert.equal(home.status, 200);
    assert.match(home.text, /Bonjour Inès Invitée/);
    assert.match(home.text, /Votre mot de passe est enregistré\./);

    const user = await ctx.services.users.findById(id);
    assert.equal(user?.status, 'active');
    assert.ok(user?.passwordHash);

    const again = await ctx.agent().get(link);
    assert.equal(again.status, 404);
    assert.match(again.text, /Ce lien n’est pas valable/);
    const other = ctx.agent();
    const csrf = await csrfFrom(other, '/connexion');
    const repost = await postForm(other, link, { _csrf: csrf, password: 'encore un autre mot de passe', passwordConfirm: 'encore un autre mot de passe' });
    assert.equal(repost.status, 404);

    const login = await ctx.login(ctx.agent(), 'ines@exemple.fr', 'une phrase de passe solide');
    assert.equal(login.status, 303, 'the chosen password works for a normal login');
  });

  it('invites an administrator without any region', async () => {
    const res = await adminPost('/admin/comptes', { email: 'adjointe@exemple.fr', name: 'Adjointe Admin', role: 'admin' });
    assert.equal(res.status, 201);
    const user = await ctx.services.users.findByEmail('adjointe@exemple.fr');
    assert.equal(user?.role, 'admin');
    assert.deepEqual(user?.regions, []);
  });

  it('sends a visitor without a session to the login page and creates nothing', async () => {
    const before = await userCount();
    const visitor = ctx.agent();
    const csrf = await csrfFrom(visitor, '/connexion');
    const res = await postForm(visitor, '/admin/comptes', { _csrf: csrf, email: 'anonyme@exemple.fr', name: 'Anonyme', role: 'admin' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/connexion');
    assert.equal(await userCount(), before);
    assert.equal(await ctx.services.users.findByEmail('anonyme@exemple.fr'), undefined);
  });

  it('refuses a rep with 403 and creates nothing', async () => {
    const before = await userCount();
    const res = await postForm(rep.agent, '/admin/comptes', {
      _csrf: await csrfOf(rep.agent),
      email: 'parrep@exemple.fr',
      name: 'Créé par un rep',
      role: 'admin',
    });
    assert.equal(res.status, 403);
    assert.equal(await userCount(), before);
    assert.equal(await ctx.services.users.findByEmail('parrep@exemple.fr'), undefined);
  });

  for (const [label, csrf] of [
    ['missing', undefined],
    ['wrong', 'pas-le-bon-jeton'],
  ] as const) {
    it(`refuses a ${label} CSRF token with 403 and creates nothing`, async () => {
      const before = await userCount();
      await csrfOf(admin.agent); // the session has a token; the request does not carry it
      const res = await postForm(admin.agent, '/admin/comptes', { _csrf: csrf, email: `csrf-${label}@exemple.fr`, name: 'Sans jeton', role: 'admin' });
      assert.equal(res.status, 403);
      assert.match(res.text, /Action refusée/);
      assert.match(res.text, /Le formulaire a expiré ou ne provient pas de Vigie/);
      assert.equal(await userCount(), before);
      assert.equal(await ctx.services.users.findByEmail(`csrf-${label}@exemple.fr`), undefined);
    });
  }

  it('refuses an invalid e-mail with 400, a French message and the typed values kept', async () => {
    const before = await userCount();
    const res = await adminPost('/admin/comptes', { email: 'pas-une-adresse', name: 'Dominique Dupont', role: 'rep', regions: ['BRE', 'OCC'] });
    assert.equal(res.status, 400);
    assert.match(res.text, /Le formulaire contient des erreurs\./);
    assert.match(res.text, /L’adresse e-mail n’est pas valide/);
    assert.match(res.text, /value="pas-une-adresse"/);
    assert.match(res.text, /value="Dominique Dupont"/);
    assert.match(res.text, /name="role" value="rep" checked/);
    assert.match(res.text, /name="regions" value="BRE" checked/);
    assert.match(res.text, /name="regions" value="OCC" checked/);
    assert.match(res.text, /name="regions" value="IDF" >/);
    assert.equal(await userCount(), before);
  });

  it('refuses a missing name with 400 and keeps the e-mail', async () => {
    const before = await userCount();
    const res = await adminPost('/admin/comptes', { email: 'sans-nom@exemple.fr', name: '   ', role: 'admin' });
    assert.equal(res.status, 400);
    assert.match(res.text, /Le nom est obligatoire\./);
    assert.match(res.text, /value="sans-nom@exemple\.fr"/);
    assert.match(res.text, /name="role" value="admin" checked/);
    assert.equal(await userCount(), before);
  });

  it('refuses an unknown role and an unknown region with 400', async () => {
    const before = await userCount();
    const badRole = await adminPost('/admin/comptes', { email: 'role@exemple.fr', name: 'Rôle Inconnu', role: 'superadmin', regions: ['HDF'] });
    assert.equal(badRole.status, 400);
    assert.match(badRole.text, /Choisissez un rôle : représentant·e ou administrateur·rice\./);
    assert.match(badRole.text, /value="Rôle Inconnu"/);
    const badRegion = await adminPost('/admin/comptes', { email: 'region@exemple.fr', name: 'Région Inconnue', role: 'rep', regions: ['HDF', 'XXX'] });
    assert.equal(badRegion.status, 400);
    assert.match(badRegion.text, /Région inconnue\./);
    assert.equal(await userCount(), before);
  });

  it('refuses a rep without any region with 400', async () => {
    const before = await userCount();
    const res = await adminPost('/admin/comptes', { email: 'sans-region@exemple.fr', name: 'Sans Région', role: 'rep' });
    assert.equal(res.status, 400);
    assert.match(res.text, /Cochez au moins une région suivie par ce·tte représentant·e\./);
    assert.match(res.text, /value="Sans Région"/);
    assert.match(res.text, /value="sans-region@exemple\.fr"/);
    assert.equal(await userCount(), before);
    assert.equal(await ctx.services.users.findByEmail('sans-region@exemple.fr'), undefined);
  });

  it('refuses an e-mail that already has an account (whatever its case) with 400', async () => {
    const before = await userCount();
    const res = await adminPost('/admin/comptes', { email: rep.user.email.toUpperCase(), name: 'Doublon Dupont', role: 'rep', regions: ['HDF'] });
    assert.equal(res.status, 400);
    assert.match(res.text, /Un compte existe déjà avec cette adresse\./);
    assert.match(res.text, /value="Doublon Dupont"/);
    assert.equal(await userCount(), before);
    assert.equal((await ctx.services.users.findById(rep.user.id))?.name, 'Rémi Représentant', 'the existing account is untouched');
  });

  it('keeps a single ticked region checked when the form is shown again', async () => {
    // A lone checkbox arrives as a string, not an array: the form must still show it ticked.
    const res = await adminPost('/admin/comptes', { email: 'pas-une-adresse', name: 'Une Seule Région', role: 'rep', regions: 'BRE' });
    assert.equal(res.status, 400);
    assert.match(res.text, /value="Une Seule Région"/);
    assert.ok(/name="regions" value="BRE" checked/.test(res.text), 'the one region the admin ticked is lost');
  });
});

describe('GET /admin/comptes/:id (account page)', () => {
  it('shows the account with its role and regions ticked, and records the consultation', async () => {
    const res = await admin.agent.get(`/admin/comptes/${rep.user.id}`);
    assert.equal(res.status, 200);
    assert.match(res.text, /<h1>Rémi Représentant<\/h1>/);
    assert.ok(res.text.includes(rep.user.email));
    assert.match(res.text, /value="Rémi Représentant"/);
    assert.match(res.text, /name="role" value="rep" checked/);
    assert.match(res.text, /name="regions" value="HDF" checked/);
    assert.match(res.text, /name="regions" value="IDF" >/);
    assert.match(res.text, /Désactiver le compte/);
    assert.match(res.text, /Réinitialiser le mot de passe/);
    assert.match(res.text, /dernière connexion le/);

    const views = await ctx.db
      .selectFrom('auditLog')
      .select(['actorUserId', 'action'])
      .where('entityType', '=', 'user')
      .where('entityId', '=', String(rep.user.id))
      .where('action', '=', 'view')
      .execute();
    assert.ok(views.length >= 1);
    assert.ok(views.every((v) => v.actorUserId === admin.user.id));
  });

  it('offers no way to disable one’s own account', async () => {
    const res = await admin.agent.get(`/admin/comptes/${admin.user.id}`);
    assert.equal(res.status, 200);
    assert.doesNotMatch(res.text, /Désactiver le compte/);
    assert.doesNotMatch(res.text, new RegExp(`/admin/comptes/${admin.user.id}/desactiver`));
  });

  it('answers 404 for an unknown id and for malformed ids', async () => {
    for (const path of ['/admin/comptes/99999', '/admin/comptes/abc', '/admin/comptes/0', '/admin/comptes/-1', '/admin/comptes/1.5']) {
      const res = await admin.agent.get(path);
      assert.equal(res.status, 404, path);
      assert.match(res.text, /Page introuvable/, path);
    }
  });

  it('answers 404 for non-canonical spellings of an existing id', async () => {
    // idParam uses z.coerce.number(): Number('0x1') === Number('1e0') === Number('1.0') === 1.
    for (const raw of ['0x1', '1e0', '1.0', '01']) {
      const res = await admin.agent.get(`/admin/comptes/${raw}`);
      assert.equal(res.status, 404, `/admin/comptes/${raw} should not resolve to account 1`);
    }
  });

  it('sends a visitor without a session to the login page', async () => {
    const res = await ctx.agent().get(`/admin/comptes/${rep.user.id}`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/connexion');
  });

  it('refuses a rep with 403, even on their own account', async () => {
    assert.equal((await rep.agent.get(`/admin/comptes/${rep.user.id}`)).status, 403);
    assert.equal((await rep.agent.get(`/admin/comptes/${admin.user.id}`)).status, 403);
  });
});

describe('POST /admin/comptes/:id (edit)', () => {
  it('updates name, role and regions, and the account’s open session sees the change at once', async () => {
    const target = await ctx.signedIn({ role: 'rep', name: 'Paul Périmètre', regions: ['HDF'] });
    const beforeHome = await target.agent.get('/');
    assert.match(squash(beforeHome.text), /Vous suivez Hauts-de-France\./);

    const res = await adminPost(`/admin/comptes/${target.user.id}`, { name: '  Paul Périmètre-Élargi ', role: 'rep', regions: ['IDF', 'GUY'] });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `/admin/comptes/${target.user.id}`);
    const user = await ctx.services.users.findById(target.user.id);
    assert.equal(user?.name, 'Paul Périmètre-Élargi');
    assert.deepEqual(user?.regions, ['IDF', 'GUY']);

    const page = await admin.agent.get(`/admin/comptes/${target.user.id}`);
    assert.match(page.text, /Compte mis à jour\./);
    assert.match(page.text, /name="regions" value="GUY" checked/);

    const home = await target.agent.get('/');
    assert.equal(home.status, 200);
    assert.match(squash(home.text), /Vous suivez Île-de-France, Guyane\./);
    assert.match(home.text, /Bonjour Paul Périmètre-Élargi/);
  });

  it('promotes a rep to administrator, effective at once for their session: its second factor first', async () => {
    const target = await ctx.signedIn({ role: 'rep', name: 'Future Admin' });
    assert.equal((await target.agent.get('/admin/comptes')).status, 403);
    const res = await adminPost(`/admin/comptes/${target.user.id}`, { name: 'Future Admin', role: 'admin' });
    assert.equal(res.status, 303);
    assert.equal((await ctx.services.users.findById(target.user.id))?.role, 'admin');
    const next = await target.agent.get('/admin/comptes');
    assert.equal(next.status, 303, 'an administrator without a second factor reaches no administrator page');
    assert.equal(next.headers.location, '/compte/double-authentification/activer');
  });

  it('refuses an invalid name with 400, a French message and the typed values kept', async () => {
    const target = await ctx.createUser({ name: 'Nom Stable', regions: ['HDF'] });
    const before = await snapshot(target.id);
    const longName = 'Très long nom '.repeat(10); // 140 characters
    const res = await adminPost(`/admin/comptes/${target.id}`, { name: longName, role: 'rep', regions: ['BRE', 'PAC'] });
    assert.equal(res.status, 400);
    assert.match(res.text, /Le nom ne peut pas dépasser 120 caractères\./);
    assert.ok(res.text.includes(`value="${longName}"`), 'the typed name is kept');
    assert.match(res.text, /name="regions" value="BRE" checked/);
    assert.match(res.text, /name="regions" value="PAC" checked/);
    assert.doesNotMatch(res.text, /name="regions" value="HDF" checked/);
    assert.deepEqual(await snapshot(target.id), before);

    const empty = await adminPost(`/admin/comptes/${target.id}`, { name: '', role: 'rep', regions: ['HDF'] });
    assert.equal(empty.status, 400);
    assert.match(empty.text, /Le nom est obligatoire\./);
    assert.deepEqual(await snapshot(target.id), before);
  });

  it('refuses to leave a rep without any region (400, nothing changed)', async () => {
    const target = await ctx.createUser({ name: 'Rep Régional', regions: ['HDF', 'IDF'] });
    const before = await snapshot(target.id);
    const res = await adminPost(`/admin/comptes/${target.id}`, { name: 'Rep Renommé', role: 'rep' });
    assert.equal(res.status, 400);
    assert.match(res.text, /Cochez au moins une région suivie par ce·tte représentant·e\./);
    assert.match(res.text, /value="Rep Renommé"/);
    assert.deepEqual(await snapshot(target.id), before);
  });

  it('shows the regions as submitted (none ticked) when a rep is left without region', async () => {
    const target = await ctx.createUser({ name: 'Rep Décoché', regions: ['HDF'] });
    const res = await adminPost(`/admin/comptes/${target.id}`, { name: 'Rep Décoché', role: 'rep' });
    assert.equal(res.status, 400);
    assert.ok(
      !/name="regions" value="HDF" checked/.test(res.text),
      'the admin unticked every region, the re-rendered form ticks the stored ones again',
    );
  });

  it('keeps a single ticked region checked when the edit form is shown again', async () => {
    const target = await ctx.createUser({ name: 'Rep Une Région', regions: ['HDF'] });
    const res = await adminPost(`/admin/comptes/${target.id}`, { name: '', role: 'rep', regions: 'MTQ' });
    assert.equal(res.status, 400);
    assert.ok(/name="regions" value="MTQ" checked/.test(res.text), 'the one region the admin ticked is lost');
  });

  it('refuses an administrator removing their own admin role (400, still admin)', async () => {
    const res = await adminPost(`/admin/comptes/${admin.user.id}`, { name: 'Alice Admin', role: 'rep', regions: ['HDF'] });
    assert.equal(res.status, 400);
    assert.match(res.text, /Vous ne pouvez pas retirer votre propre rôle d’administrateur·rice\./);
    const me = await ctx.services.users.findById(admin.user.id);
    assert.equal(me?.role, 'admin');
    assert.deepEqual(me?.regions, []);
    assert.equal((await admin.agent.get('/admin/comptes')).status, 200);
  });

  it('lets an administrator rename themself while staying admin', async () => {
    const res = await adminPost(`/admin/comptes/${admin.user.id}`, { name: 'Alice Admin', role: 'admin' });
    assert.equal(res.status, 303);
    assert.equal((await ctx.services.users.findById(admin.user.id))?.role, 'admin');
  });
});

describe('POST /admin/comptes/:id/desactiver', () => {
  it('disables the account, kills its open session at once and blocks its login', async () => {
    const target = await ctx.signedIn({ role: 'rep', name: 'Denise Désactivée' });
    assert.equal((await target.agent.get('/')).status, 200);
    assert.equal(await sessionCount(target.user.id), 1);

    const res = await adminPost(`/admin/comptes/${target.user.id}/desactiver`, {});
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `/admin/comptes/${target.user.id}`);
    assert.equal((await ctx.services.users.findById(target.user.id))?.status, 'disabled');
    assert.equal(await sessionCount(target.user.id), 0);

    const home = await target.agent.get('/');
    assert.equal(home.status, 303);
    assert.equal(home.headers.location, '/connexion');
    const campaigns = await target.agent.get('/campagnes');
    assert.equal(campaigns.status, 303);
    assert.equal(campaigns.headers.location, '/connexion');

    const login = await ctx.login(ctx.agent(), target.user.email, target.user.password);
    assert.equal(login.status, 401);
    assert.match(login.text, /Adresse e-mail ou mot de passe incorrect\./);

    const page = await admin.agent.get(`/admin/comptes/${target.user.id}`);
    assert.match(page.text, /Le compte de Denise Désactivée est désactivé ; ses sessions sont fermées\./);
    assert.match(page.text, /badge--danger">Désactivé/);
    assert.match(page.text, /Réactiver le compte/);
    assert.doesNotMatch(page.text, new RegExp(`action="/admin/comptes/${target.user.id}/lien"`), 'no reset for a disabled account');
  });

  it('refuses an open session as soon as its account is disabled, even if the session row survives', async () => {
    // Belt and braces: the account is re-read on every request, whatever ended up in the session store.
    const target = await ctx.signedIn({ role: 'rep', name: 'Statut Relu' });
    await ctx.services.users.setStatus(target.user.id, 'disabled', new Date());
    assert.equal(await sessionCount(target.user.id), 1);
    const res = await target.agent.get('/');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/connexion');
  });

  it('refuses a session row written back after the disable by a request in flight, even once reactivated', async () => {
    const target = await ctx.createUser({ role: 'rep', name: 'Session Réécrite' });
    const login = await ctx.login(ctx.agent(), target.email, target.password);
    assert.equal(login.status, 303);
    const cookie = login.headers['set-cookie'];
    const pair = (Array.isArray(cookie) ? cookie : [String(cookie)]).find((c) => c.startsWith('vigie.sid='))?.split(';')[0];
    assert.ok(pair, 'signing in issues a session cookie');
    const get = (url: string) => request(ctx.app).get(url).set('Cookie', pair);
    assert.equal((await get('/')).status, 200);
    const rows = await sessionRows(target.id);
    assert.equal(rows.length, 1);

    const res = await adminPost(`/admin/comptes/${target.id}/desactiver`, {});
    assert.equal(res.status, 303);
    assert.equal(await sessionCount(target.id), 0);

    // A request of the target's, started before the disable, saves its session after it.
    await ctx.db.insertInto('sessions').values(rows).execute();
    assert.equal(await sessionCount(target.id), 1);
    const home = await get('/');
    assert.equal(home.status, 303);
    assert.equal(home.headers.location, '/connexion');
    assert.equal(await sessionCount(target.id), 0, 'the revived session is discarded');

    // Reactivated, the account is active again; a session from before the disable stays dead.
    assert.equal((await adminPost(`/admin/comptes/${target.id}/reactiver`, {})).status, 303);
    assert.equal((await ctx.services.users.findById(target.id))?.status, 'active');
    await ctx.db.insertInto('sessions').values(rows).execute();
    const campaigns = await get('/campagnes');
    assert.equal(campaigns.status, 303);
    assert.equal(campaigns.headers.location, '/connexion');
    assert.equal(await sessionCount(target.id), 0);

    const fresh = await ctx.login(ctx.agent(), target.email, target.password);
    assert.equal(fresh.status, 303, 'a new sign-in after reactivation works');
  });

  it('voids a pending invitation link', async () => {
    const { id, link } = await invite({ name: 'Invitation Annulée' });
    assert.equal((await ctx.agent().get(link)).status, 200);
    const res = await adminPost(`/admin/comptes/${id}/desactiver`, {});
    assert.equal(res.status, 303);
    const dead = await ctx.agent().get(link);
    assert.equal(dead.status, 404);
    assert.ok((await tokenRows(id)).every((t) => t.usedAt !== null));
  });

  it('refuses to disable one’s own account', async () => {
    const res = await adminPost(`/admin/comptes/${admin.user.id}/desactiver`, {});
    assert.equal(res.status, 303);
    assert.equal((await ctx.services.users.findById(admin.user.id))?.status, 'active');
    const page = await admin.agent.get(String(res.headers.location));
    assert.equal(page.status, 200, 'the admin is still signed in');
    assert.match(page.text, /Vous ne pouvez pas désactiver votre propre compte\./);
  });
});

describe('POST /admin/comptes/:id/reactiver', () => {
  it('reactivates a disabled account: its holder can sign in again with the same password', async () => {
    const target = await ctx.createUser({ name: 'Roger Réactivé', status: 'disabled' });
    const res = await adminPost(`/admin/comptes/${target.id}/reactiver`, {});
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `/admin/comptes/${target.id}`);
    assert.equal((await ctx.services.users.findById(target.id))?.status, 'active');
    const page = await admin.agent.get(`/admin/comptes/${target.id}`);
    assert.match(page.text, /Le compte de Roger Réactivé est réactivé\./);
    const login = await ctx.login(ctx.agent(), target.email, target.password);
    assert.equal(login.status, 303);
  });

  it('returns a never-activated account to “invited”, not “active”', async () => {
    const { id } = await invite({ name: 'Jamais Activé' });
    await adminPost(`/admin/comptes/${id}/desactiver`, {});
    const res = await adminPost(`/admin/comptes/${id}/reactiver`, {});
    assert.equal(res.status, 303);
    assert.equal((await ctx.services.users.findById(id))?.status, 'invited');
  });
});

describe('POST /admin/comptes/:id/lien (reset)', () => {
  it('voids the old password, kills the account’s sessions, and reveals a working one-time link', async () => {
    const target = await ctx.signedIn({ role: 'rep', name: 'Rita Réinitialisée' });
    assert.equal((await target.agent.get('/')).status, 200);
    const rows = await sessionRows(target.user.id);
    assert.equal(rows.length, 1);

    const res = await adminPost(`/admin/comptes/${target.user.id}/lien`, {});
    assert.equal(res.status, 200);
    assert.equal(res.headers.location, undefined, 'no redirect: the link is in this response');
    assert.match(String(res.headers['cache-control']), /no-store/);
    assert.equal(accountIdOf(res.text), target.user.id);
    const stored = await ctx.services.users.findById(target.user.id);
    assert.equal(stored?.passwordHash, null);
    assert.equal(stored?.status, 'active');
    assert.equal(await sessionCount(target.user.id), 0);

    assert.match(res.text, /Lien de réinitialisation/);
    assert.match(res.text, /l’ancien mot de passe ne fonctionne plus et les sessions de ce compte sont fermées/);
    const link = extractLink(res.text);
    assert.ok(!(await allSessionData()).some((data) => data.includes(tokenOf(link))), 'the link is kept in no session');
    const reload = await admin.agent.get(`/admin/comptes/${target.user.id}`);
    assert.equal(reload.status, 200);
    assert.doesNotMatch(reload.text, /\/acces\//, 'shown once');
    assert.doesNotMatch(reload.text, /Lien de réinitialisation/);

    // Even written back by a request in flight, the session from before the reset is refused.
    await ctx.db.insertInto('sessions').values(rows).execute();
    const home = await target.agent.get('/');
    assert.equal(home.status, 303);
    assert.equal(home.headers.location, '/connexion');
    assert.equal(await sessionCount(target.user.id), 0);

    const oldPassword = await ctx.login(ctx.agent(), target.user.email, target.user.password);
    assert.equal(oldPassword.status, 401);

    const { agent, form, res: chosen } = await usePasswordLink(link, 'mon tout nouveau mot de passe');
    assert.match(form.text, /Choisir un nouveau mot de passe/);
    assert.equal(chosen.status, 303);
    assert.equal(chosen.headers.location, '/');
    const after = await agent.get('/');
    assert.equal(after.status, 200);
    assert.match(after.text, /Bonjour Rita Réinitialisée/);

    const newLogin = await ctx.login(ctx.agent(), target.user.email, 'mon tout nouveau mot de passe');
    assert.equal(newLogin.status, 303);
    assert.equal((await ctx.agent().get(link)).status, 404, 'the link works once');
  });

  it('a second reset voids the first link', async () => {
    const target = await ctx.createUser({ name: 'Double Lien' });
    const firstReset = await adminPost(`/admin/comptes/${target.id}/lien`, {});
    assert.equal(firstReset.status, 200);
    const first = extractLink(firstReset.text);
    const secondReset = await adminPost(`/admin/comptes/${target.id}/lien`, {});
    assert.equal(secondReset.status, 200);
    const second = extractLink(secondReset.text);
    assert.notEqual(first, second);
    assert.doesNotMatch((await admin.agent.get(`/admin/comptes/${target.id}`)).text, /\/acces\//, 'neither link is shown again');
    assert.equal((await ctx.agent().get(first)).status, 404);
    assert.equal((await ctx.agent().get(second)).status, 200);
  });

  it('gives an invited account a new activation link and voids the old one', async () => {
    const { id, link: oldLink } = await invite({ name: 'Lien Perdu' });
    const res = await adminPost(`/admin/comptes/${id}/lien`, {});
    assert.equal(res.status, 200);
    assert.equal(res.headers.location, undefined);
    assert.match(res.text, /Nouveau lien d’invitation créé ; l’ancien ne fonctionne plus\./);
    assert.match(res.text, /Lien d’activation/);
    const newLink = extractLink(res.text);
    assert.notEqual(newLink, oldLink);
    assert.doesNotMatch((await admin.agent.get(`/admin/comptes/${id}`)).text, /\/acces\//, 'shown once');
    assert.equal((await ctx.agent().get(oldLink)).status, 404);
    const { res: chosen } = await usePasswordLink(newLink, 'activation par le nouveau lien');
    assert.equal(chosen.status, 303);
    assert.equal((await ctx.services.users.findById(id))?.status, 'active');
  });

  it('refuses to issue a link for a disabled account', async () => {
    const target = await ctx.createUser({ name: 'Toujours Désactivé', status: 'disabled' });
    const before = await snapshot(target.id);
    const res = await adminPost(`/admin/comptes/${target.id}/lien`, {});
    assert.equal(res.status, 303);
    const page = await admin.agent.get(`/admin/comptes/${target.id}`);
    assert.match(page.text, /Réactivez d’abord ce compte\./);
    assert.doesNotMatch(page.text, /\/acces\//);
    assert.deepEqual(await snapshot(target.id), before);
  });
});

describe('refusals on every account action', () => {
  const actions: Array<{ suffix: string; targetStatus: 'active' | 'disabled'; body: Fields }> = [
    { suffix: '', targetStatus: 'active', body: { name: 'Nom Piraté', role: 'admin', regions: ['IDF'] } },
    { suffix: '/desactiver', targetStatus: 'active', body: {} },
    { suffix: '/reactiver', targetStatus: 'disabled', body: {} },
    { suffix: '/lien', targetStatus: 'active', body: {} },
  ];

  for (const { suffix, targetStatus, body } of actions) {
    describe(`POST /admin/comptes/:id${suffix}`, () => {
      let targetId: number;
      let targetAgent: Agent | undefined;

      before(async () => {
        if (targetStatus === 'active') {
          const target = await ctx.signedIn({ role: 'rep', name: `Cible ${suffix || 'modification'}`, regions: ['HDF'] });
          targetId = target.user.id;
          targetAgent = target.agent;
        } else {
          targetId = (await ctx.createUser({ name: `Cible ${suffix}`, status: 'disabled' })).id;
        }
      });

      async function assertUnchanged(run: () => Promise<void>) {
        const before = await snapshot(targetId);
        await run();
        assert.deepEqual(await snapshot(targetId), before);
        if (targetAgent) assert.equal((await targetAgent.get('/')).status, 200, 'the target’s session is still alive');
      }

      it('sends a visitor without a session to the login page, nothing changed', async () => {
        await assertUnchanged(async () => {
          const visitor = ctx.agent();
          const csrf = await csrfFrom(visitor, '/connexion');
          const res = await postForm(visitor, `/admin/comptes/${targetId}${suffix}`, { _csrf: csrf, ...body });
          assert.equal(res.status, 303);
          assert.equal(res.headers.location, '/connexion');
        });
      });

      it('refuses a rep with 403, nothing changed', async () => {
        await assertUnchanged(async () => {
          const res = await postForm(rep.agent, `/admin/comptes/${targetId}${suffix}`, { _csrf: await csrfOf(rep.agent), ...body });
          assert.equal(res.status, 403);
          assert.match(res.text, /Vous n’avez pas accès à cette page\./);
        });
      });

      it('refuses a missing CSRF token with 403, nothing changed', async () => {
        await assertUnchanged(async () => {
          await csrfOf(admin.agent);
          const res = await postForm(admin.agent, `/admin/comptes/${targetId}${suffix}`, body);
          assert.equal(res.status, 403);
          assert.match(res.text, /Action refusée/);
        });
      });

      it('refuses a wrong CSRF token with 403, nothing changed', async () => {
        await assertUnchanged(async () => {
          const csrf = await csrfOf(admin.agent);
          // The token is hex and kept for the whole session: a fixed "00" ending would be the real token 1 time in 256.
          const wrong = `${csrf.slice(0, -2)}${csrf.endsWith('00') ? '11' : '00'}`;
          assert.notEqual(wrong, csrf);
          const res = await postForm(admin.agent, `/admin/comptes/${targetId}${suffix}`, { _csrf: wrong, ...body });
          assert.equal(res.status, 403);
        });
      });

      it('refuses another session’s CSRF token with 403, nothing changed', async () => {
        await assertUnchanged(async () => {
          const otherAdmin = await ctx.signedIn({ role: 'admin' });
          const foreign = await csrfOf(otherAdmin.agent);
          const res = await postForm(admin.agent, `/admin/comptes/${targetId}${suffix}`, { _csrf: foreign, ...body });
          assert.equal(res.status, 403);
        });
      });

      it('answers 404 for an unknown or malformed id', async () => {
        for (const id of ['99999', 'abc']) {
          const res = await adminPost(`/admin/comptes/${id}${suffix}`, body);
          assert.equal(res.status, 404, `/admin/comptes/${id}${suffix}`);
          assert.match(res.text, /Page introuvable/);
        }
      });
    });
  }
});

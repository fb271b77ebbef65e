import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Handlebars from 'handlebars';
import { sql } from 'kysely';
import { type Agent, type TestContext, createTestContext, csrfFrom, extractCsrf, NO_RATE_LIMIT, PEOPLE } from '../helpers/context';
import { type Fields, encode } from '../helpers/forms';
import { decode } from '../helpers/html';
import { uniqueNames } from '../fixtures/names';

/**
 * Support requests (demandes d'accompagnement): the public form and private follow-up link an
 * agent uses without an account, and the reps' side (queue, request page, reply, assignment,
 * duplicates, closing, conversion into a case). Every refusal is checked for what it leaves
 * behind: nothing stored, nothing changed. The purge command is in integration/requests-purge.test.ts,
 * the browser journey in e2e/requests.e2e.test.ts.
 */

let ctx: TestContext;
type Signed = { agent: Agent; user: { id: number; email: string } };
/** outsider covers Île-de-France only: must never reach a Hauts-de-France request. */
let admin: Signed, rep: Signed, colleague: Signed, outsider: Signed;
let wave1Id: number;
let wave2Id: number;

before(async () => {
  // The per-IP public limit is exercised in its own context below; here it must not get in the way.
  ctx = await createTestContext({ RATE_LIMIT_PER_MINUTE: '100000', PUBLIC_FORM_LIMIT_PER_HOUR: '100000' });
  [admin, rep, colleague, outsider] = await ctx.signInAll(PEOPLE.admin, PEOPLE.rep, PEOPLE.colleague, PEOPLE.outsider);
  const campaigns = await ctx.db.selectFrom('campaigns').select(['id', 'wave']).execute();
  wave1Id = campaigns.find((c) => c.wave === 1)?.id ?? 0;
  wave2Id = campaigns.find((c) => c.wave === 2)?.id ?? 0;
  assert.ok(wave1Id > 0 && wave2Id > 0, 'both reference campaigns are seeded');
});
after(() => ctx.close());

// ---------------------------------------------------------------- helpers

function squash(html: string): string {
  return html.replace(/[\s\u202f\u00a0]+/g, ' ');
}


/** The page as text, tags and escaping removed, whitespace collapsed. */
function text(html: string): string {
  return squash(decode(html.replace(/<[^>]+>/g, ' ')));
}

/** The state an agent reads on their follow-up page. */
function stateOf(html: string): string | undefined {
  return /État : <strong>([^<]+)<\/strong>/.exec(html)?.[1];
}

/** The inside of <main>: what differs from page to page. */
function main(html: string): string {
  const start = html.indexOf('<main');
  const end = html.indexOf('</main>');
  assert.ok(start >= 0 && end > start, 'the page has a <main>');
  return html.slice(start, end);
}

const uniqueName = uniqueNames('Demandeur');

/** A complete, valid public request for a Hauts-de-France agent; tests override what they test. */
function requestForm(overrides: Fields = {}): Fields {
  return {
    name: uniqueName(),
    email: 'karine.perso@exemple.fr',
    phone: '06 12 34 56 78',
    preferredContact: 'email',
    regionCode: 'HDF',
    site: 'Agence Lille Hellemmes',
    convocationDate: '2024-09-02',
    interviewDate: '2024-09-16',
    summonedBy: 'Ma manager de proximité',
    situation: 'odd_hours',
    message: 'Convoquée pour des consultations faites le soir, en télétravail.',
    consent: 'on',
    precisions: '',
    ...overrides,
  };
}

/** The one-time submission key a public form carries. */
function submissionKeyOf(html: string): string {
  const key = /<input type="hidden" name="submissionKey" value="([A-Za-z0-9_-]{22})">/.exec(html)?.[1];
  assert.ok(key, 'the form carries a submission key');
  return key;
}

/**
 * A visitor without an account who has loaded the public form: a session with its CSRF token, and
 * the form's submission key.
 */
async function visitor(agent: Agent = ctx.agent()) {
  const page = await agent.get('/demande');
  assert.equal(page.status, 200);
  return { agent, csrf: extractCsrf(page.text), key: submissionKeyOf(page.text) };
}

type Visitor = Awaited<ReturnType<typeof visitor>>;

async function submit(overrides: Fields = {}, who?: Visitor) {
  const v = who ?? (await visitor());
  return v.agent.post('/demande').type('form').send(encode({ _csrf: v.csrf, submissionKey: v.key, ...requestForm(overrides) }));
}

/** Where a stored request sends the browser: its follow-up link. */
function followUpLocation(res: { status: number; headers: Record<string, unknown>; text: string }): { path: string; token: string } {
  assert.equal(res.status, 303, `request refused: ${text(res.text).slice(0, 600)}`);
  const path = String(res.headers.location);
  const token = /^\/demande\/suivi\/([A-Za-z0-9_-]{22})$/.exec(path)?.[1];
  assert.ok(token, `redirected to the follow-up link, not to ${path}`);
  return { path, token };
}

async function sessionRows(db = ctx.db): Promise<string> {
  return JSON.stringify(await db.selectFrom('sessions').selectAll().execute());
}

interface Submitted {
  id: number;
  reference: string;
  token: string;
  /** The agent's browser: it holds the session whose CSRF token the follow-up forms need. */
  agent: Agent;
  csrf: string;
  /** The form's submission key, spent by this request. */
  key: string;
  /** The confirmation: the follow-up page as first shown, after the redirect. */
  html: string;
}

/** Sends a valid request, follows the redirect as a browser does, and reads the reference and private link off the confirmation. */
async function submitOk(overrides: Fields = {}): Promise<Submitted> {
  const v = await visitor();
  const res = await submit(overrides, v);
  const { path, token } = followUpLocation(res);
  const page = await v.agent.get(path);
  assert.equal(page.status, 200);
  const reference = /<strong class="reference">(D-[A-Z0-9]{4}-[A-Z0-9]{4})<\/strong>/.exec(page.text)?.[1];
  assert.ok(reference, 'the confirmation shows a reference');
  assert.ok(page.text.includes(`/demande/suivi/${token}</a>`), 'the confirmation shows the private link');
  const row = await ctx.db.selectFrom('supportRequests').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
  return { id: row.id, reference, token, agent: v.agent, csrf: v.csrf, key: v.key, html: page.text };
}

function followUpPost(s: { agent: Agent; csrf: string; token: string }, action: 'message' | 'contact' | 'effacer', fields: Fields) {
  return s.agent.post(`/demande/suivi/${s.token}/${action}`).type('form').send(encode({ _csrf: s.csrf, ...fields }));
}

const repTokens = new WeakMap<Agent, string>();
async function repCsrf(agent: Agent): Promise<string> {
  let token = repTokens.get(agent);
  if (!token) {
    token = await csrfFrom(agent, '/demandes');
    repTokens.set(agent, token);
  }
  return token;
}

async function repPost(who: Signed, url: string, fields: Fields) {
  return who.agent.post(url).type('form').send(encode({ _csrf: await repCsrf(who.agent), ...fields }));
}

async function requestRow(id: number) {
  return ctx.db.selectFrom('supportRequests').selectAll().where('id', '=', id).executeTakeFirst();
}

async function messagesOf(id: number) {
  return ctx.db.selectFrom('supportRequestMessages').selectAll().where('requestId', '=', id).orderBy('id').execute();
}

async function countRequests(): Promise<number> {
  const row = await ctx.db.selectFrom('supportRequests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function countAudit(): Promise<number> {
  const row = await ctx.db.selectFrom('auditLog').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function auditOf(id: number) {
  return ctx.db
    .selectFrom('auditLog')
    .select(['actorUserId', 'actorLabel', 'action'])
    .where('entityType', '=', 'support_request')
    .where('entityId', '=', String(id))
    .orderBy('id')
    .execute();
}

/** Everything stored about a request: what a refused action must leave as it was. */
async function snapshot(id: number) {
  return { row: await requestRow(id), messages: await messagesOf(id), audit: await auditOf(id) };
}

/** The 404 page a visitor without a session gets for a page that never existed. */
async function notFoundBody(path = '/nimporte-quoi'): Promise<string> {
  const res = await ctx.agent().get(path);
  assert.equal(res.status, 404);
  return res.text;
}

/** Every row of every table, as JSON: to look for a secret anywhere in the database. */
async function wholeDatabase(): Promise<Map<string, string>> {
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(ctx.db);
  const dump = new Map<string, string>();
  for (const { name } of tables.rows) {
    const rows = await sql.raw(`select * from "${name.replace(/"/g, '""')}"`).execute(ctx.db);
    dump.set(name, JSON.stringify(rows.rows));
  }
  return dump;
}

// ---------------------------------------------------------------- the public form

describe('GET /demande (public form)', () => {
  it('is open without an account, in French, with consent, the privacy notice, the retention period and a hidden honeypot', async () => {
    const res = await ctx.agent().get('/demande');
    assert.equal(res.status, 200);
    assert.match(res.text, /<html lang="fr">/);
    assert.match(res.text, /<h1>Convoqué·e \? Demandez l’accompagnement de la CGT<\/h1>/);
    assert.match(res.text, /<form method="post" action="\/demande"/);
    assert.ok(extractCsrf(res.text), 'the form carries a CSRF token');
    assert.match(res.text, /name="consent" value="on"/);
    assert.match(squash(text(res.text)), /effacée après 90 jours/);
    assert.match(text(res.text), /Rien n’est transmis à la direction ni à des tiers/);
    assert.match(res.text, /<div class="visually-hidden" aria-hidden="true">\s*<label for="f-precisions">/);
    assert.match(res.text, /id="f-precisions" name="precisions" type="text" tabindex="-1" autocomplete="off" value=""/);
    assert.match(res.text, /value="unknown" checked> Je ne sais pas/, '« Je ne sais pas » is the default situation');
    assert.match(res.text, /value="email" checked> Par e-mail/);
    assert.doesNotMatch(res.text, /Navigation principale/, 'no reps’ navigation for the public');
  });

  it('gives each showing of the form its own submission key', async () => {
    const agent = ctx.agent();
    const keys = new Set<string>();
    for (let i = 0; i < 3; i++) keys.add(submissionKeyOf((await agent.get('/demande')).text));
    keys.add(submissionKeyOf((await ctx.agent().get('/demande')).text));
    assert.equal(keys.size, 4);
  });

  it('names the honeypot so that no autofill heuristic fills it in, and keeps it hidden from people', async () => {
    // A browser or password manager filling a field that looks like a URL, an address or a name
    // would have a real agent's request silently dropped as a robot's.
    const AUTOFILL_TOKENS = ['url', 'website', 'site', 'web', 'homepage', 'email', 'mail', 'name', 'nom', 'phone', 'tel', 'address', 'adresse', 'company', 'organisation', 'city', 'zip', 'postal', 'country', 'user', 'login', 'password'];
    const html = (await ctx.agent().get('/demande')).text;
    const hidden = /<div class="visually-hidden" aria-hidden="true">\s*<label for="([^"]+)">([^<]*)<\/label>\s*<input ([^>]*)>\s*<\/div>/.exec(html);
    assert.ok(hidden, 'the honeypot is inside an aria-hidden, visually hidden block');
    const [, labelFor, label, attributes] = hidden;
    const id = /\bid="([^"]+)"/.exec(attributes!)?.[1];
    const name = /\bname="([^"]+)"/.exec(attributes!)?.[1];
    assert.equal(id, labelFor, 'the label names the field');
    assert.equal(name, 'precisions');
    assert.match(attributes!, /\btabindex="-1"/, 'out of the tab order');
    assert.match(attributes!, /\bautocomplete="off"/);
    assert.match(attributes!, /\btype="text"/);
    for (const [what, value] of [['name', name], ['id', id], ['label', label]] as const) {
      const lower = decode(value ?? '').toLowerCase();
      for (const token of AUTOFILL_TOKENS) assert.ok(!lower.includes(token), `the honeypot's ${what} « ${value} » contains « ${token} »`);
    }
    // The only field of that name: the one whose filling drops a request (tested below).
    assert.equal((html.match(/name="precisions"/g) ?? []).length, 1);
  });
});

describe('the public flow', () => {
  it('stores a request, redirects to its private link, which shows the reference and the link once, then the follow-up page', async () => {
    const before = await countRequests();
    const name = uniqueName('Karine');
    const s = await submitOk({ name });
    assert.equal(await countRequests(), before + 1);
    assert.match(s.html, /<title>Demande envoyée · Vigie<\/title>/);
    assert.match(s.html, /<h1>Votre demande est envoyée<\/h1>/);
    assert.match(s.reference, /^D-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/, 'reference without ambiguous characters (0/O, 1/I)');
    // 128 random bits in base64url: 22 characters.
    assert.match(s.token, /^[A-Za-z0-9_-]{22}$/);
    assert.match(s.html, new RegExp(`<a class="link-box" href="http://[^"<]+/demande/suivi/${s.token}">http://[^<]+/demande/suivi/${s.token}</a>`));
    assert.match(text(s.html), /Gardez ce lien privé : c’est l’adresse de cette page\./);
    assert.equal(stateOf(s.html), 'Reçue', 'the confirmation is the follow-up page itself');
    assert.match(s.html, new RegExp(`action="/demande/suivi/${s.token}/message"`));

    const row = await requestRow(s.id);
    assert.ok(row);
    assert.equal(row.name, name);
    assert.equal(row.email, 'karine.perso@exemple.fr');
    assert.equal(row.phone, '06 12 34 56 78');
    assert.equal(row.preferredContact, 'email');
    assert.equal(row.regionCode, 'HDF');
    assert.equal(row.site, 'Agence Lille Hellemmes');
    assert.equal(row.convocationDate, '2024-09-02');
    assert.equal(row.interviewDate, '2024-09-16');
    assert.equal(row.summonedBy, 'Ma manager de proximité');
    assert.equal(row.situation, 'odd_hours');
    assert.equal(row.status, 'received');
    assert.equal(row.assignedUserId, null);
    assert.equal(row.caseId, null);
    assert.ok(row.consentAt, 'the consent is dated');
    assert.equal(row.tokenHash, createHash('sha256').update(s.token).digest('hex'), 'only the sha256 of the token is kept');

    // The link works from any browser, with or without the session that sent the request.
    for (const agent of [s.agent, ctx.agent()]) {
      const page = await agent.get(`/demande/suivi/${s.token}`);
      assert.equal(page.status, 200);
      assert.equal(page.headers['referrer-policy'], 'no-referrer');
      assert.match(String(page.headers['cache-control']), /no-store/);
      assert.match(page.text, new RegExp(`<h1>Votre demande ${s.reference}</h1>`));
      assert.doesNotMatch(page.text, /class="link-box"|Gardez ce lien privé/, 'the confirmation was shown once');
      assert.equal(stateOf(page.text), 'Reçue');
      assert.match(text(page.text), /Pas encore de message\./);
      assert.match(page.text, new RegExp(`action="/demande/suivi/${s.token}/message"`));
      assert.match(page.text, new RegExp(`action="/demande/suivi/${s.token}/effacer"`));
      // What the agent sent, for them to read again.
      const sent = text(page.text);
      for (const shown of [`Nom ${name}`, 'Région, site Hauts-de-France, Agence Lille Hellemmes', 'Convocation 2 septembre 2024, par Ma manager de proximité', 'Entretien 16 septembre 2024', 'Convoquée pour des consultations faites le soir, en télétravail.']) {
        assert.ok(sent.includes(shown), `the follow-up page shows « ${shown} »: ${sent.slice(0, 600)}`);
      }
    }
  });

  it('the follow-up page has no <meta name="referrer"> that weakens its no-referrer header', async () => {
    // The layout's <meta name="referrer" content="same-origin"> overrides the Referrer-Policy header
    // in browsers: the stylesheet request and any same-site link then carry the secret URL as Referer
    // (and land in a reverse proxy's access log). The browser test checks the effect itself.
    const s = await submitOk();
    const page = await ctx.agent().get(`/demande/suivi/${s.token}`);
    assert.equal(page.status, 200);
    const meta = /<meta name="referrer" content="([^"]+)">/.exec(page.text)?.[1];
    assert.ok(meta === undefined || meta === 'no-referrer', `the follow-up page declares <meta name="referrer" content="${meta}">`);
  });

  it('never stores the token itself: no table, session or audit row holds it', async () => {
    const s = await submitOk();
    // Use the link every way an agent can, so every table that could pick it up has had the chance.
    await s.agent.get(`/demande/suivi/${s.token}`);
    assert.equal((await followUpPost(s, 'message', { body: 'Une question.' })).status, 303);
    assert.equal((await followUpPost(s, 'contact', { email: 'autre@exemple.fr', phone: '', preferredContact: 'email' })).status, 303);
    assert.equal((await followUpPost(s, 'message', { body: '' })).status, 400);
    const dump = await wholeDatabase();
    assert.ok(dump.has('sessions') && dump.has('audit_log') && dump.has('support_requests'), 'all tables are searched');
    assert.ok(dump.get('sessions')!.includes('csrfToken'), 'the visitor’s session is in the database');
    for (const [table, rows] of dump) {
      assert.ok(!rows.includes(s.token), `the raw token is stored in ${table}`);
    }
    const hash = createHash('sha256').update(s.token).digest('hex');
    assert.ok(dump.get('support_requests')!.includes(hash));
  });

  it('answers a guessed or malformed link with the very same 404 as any unknown page', async () => {
    await submitOk();
    const reference = await notFoundBody();
    assert.match(reference, /Page introuvable/);
    const guesses = Array.from({ length: 20 }, () => randomBytes(16).toString('base64url'));
    const malformed = ['x', 'a'.repeat(300), '..%2F..%2Fadmin', '%00', 'AAAAAAAAAAAAAAAAAAAAAA%27%20or%201%3D1'];
    for (const token of [...guesses, ...malformed]) {
      const res = await ctx.agent().get(`/demande/suivi/${token}`);
      assert.equal(res.status, 404, `token ${token}`);
      assert.equal(res.text, reference, `the 404 for ${token} is the generic one`);
    }
    // Forms posted to a guessed link are 404 too, and store nothing.
    const v = await visitor();
    const requestsBefore = await countRequests();
    const messagesBefore = (await ctx.db.selectFrom('supportRequestMessages').select('id').execute()).length;
    for (const action of ['message', 'contact', 'effacer'] as const) {
      const res = await followUpPost({ ...v, token: guesses[0]! }, action, { body: 'x', email: 'a@exemple.fr', preferredContact: 'email', confirm: 'on' });
      assert.equal(res.status, 404, action);
      assert.equal(main(res.text), main(reference));
    }
    assert.equal(await countRequests(), requestsBefore);
    assert.equal((await ctx.db.selectFrom('supportRequestMessages').select('id').execute()).length, messagesBefore);
  });

  it('drops a request whose honeypot is filled: a neutral 200, no redirect, nothing stored, nothing audited, not even the key', async () => {
    const before = { requests: await countRequests(), audit: await countAudit() };
    const v = await visitor();
    const res = await submit({ precisions: 'https://spam.example' }, v);
    assert.equal(res.status, 200);
    assert.equal(res.headers.location, undefined, 'no follow-up link to go to: none exists');
    assert.match(res.text, /<h1>Merci<\/h1>/);
    assert.doesNotMatch(res.text, /demande\/suivi/, 'no link is given');
    assert.equal(await countRequests(), before.requests);
    assert.equal(await countAudit(), before.audit);
    assert.ok(!(await sessionRows()).includes(v.key), 'the key is not remembered');
    // And a reload of that page (the same post) is the same neutral page.
    const again = await submit({ precisions: 'https://spam.example' }, v);
    assert.equal(again.status, 200);
    assert.match(again.text, /<h1>Merci<\/h1>/);
    assert.equal(await countRequests(), before.requests);
  });
});

describe('POST /demande: Post/Redirect/Get, and one request per form', () => {
  it('answers 303 to the follow-up link; the session holds the form’s key and the request’s id, never the token', async () => {
    const v = await visitor();
    const before = await countRequests();
    const res = await submit({}, v);
    const { path, token } = followUpLocation(res);
    assert.match(String(res.headers['cache-control']), /no-store/);
    assert.equal(await countRequests(), before + 1);
    const id = (await ctx.db.selectFrom('supportRequests').select('id').where('tokenHash', '=', createHash('sha256').update(token).digest('hex')).executeTakeFirstOrThrow()).id;

    // What the browser carries to the follow-up page, as the session store holds it.
    const stored = await sessionRows();
    assert.ok(!stored.includes(token), 'the plain token is in the sessions table');
    assert.ok(!stored.includes(token.slice(0, 12)), 'part of the token is in the sessions table');
    const session = (await ctx.db.selectFrom('sessions').select('data').execute())
      .map((r) => JSON.parse(r.data) as { publicRequestKeys?: string[]; publicRequestSent?: unknown })
      .find((d) => d.publicRequestKeys?.includes(v.key));
    assert.ok(session, 'the form’s key is remembered in the visitor’s session');
    const { at, ...sent } = session.publicRequestSent as { at: number };
    assert.deepEqual(sent, { key: v.key, requestId: id, emailSent: false, shown: false });
    assert.ok(Math.abs(at - ctx.clock.now().getTime()) < 60_000, 'with the time it was sent');

    // The confirmation, once: a reload shows the plain follow-up page and sends nothing.
    const first = await v.agent.get(path);
    assert.equal(first.status, 200);
    assert.equal(first.headers['referrer-policy'], 'no-referrer');
    assert.match(String(first.headers['cache-control']), /no-store/);
    assert.match(first.text, /<h1>Votre demande est envoyée<\/h1>/);
    assert.ok(first.text.includes(`/demande/suivi/${token}</a>`));
    assert.match(text(first.text), /Aucun e-mail ne vous est envoyé/, 'no SMTP in this context');
    const reload = await v.agent.get(path);
    assert.equal(reload.status, 200);
    assert.match(reload.text, /<h1>Votre demande D-[A-Z0-9]{4}-[A-Z0-9]{4}<\/h1>/);
    assert.doesNotMatch(reload.text, /class="link-box"|Gardez ce lien privé|Votre demande est envoyée/);
    assert.equal(await countRequests(), before + 1);
    const after = await sessionRows();
    assert.ok(!after.includes(token), 'the plain token is in the sessions table');
    assert.match(after, /shown\\*":true/, 'the confirmation is marked as shown');
  });

  it('shows the confirmation only to the browser that sent the request: the link opened elsewhere first is the plain page', async () => {
    const v = await visitor();
    const { path } = followUpLocation(await submit({}, v));
    const elsewhere = await ctx.agent().get(path);
    assert.equal(elsewhere.status, 200);
    assert.doesNotMatch(elsewhere.text, /class="link-box"|Votre demande est envoyée/);
    const own = await v.agent.get(path);
    assert.match(own.text, /<h1>Votre demande est envoyée<\/h1>/, 'still shown once to the sender');
  });

  it('the same form sent again stores nothing and says the request is already sent, without the link, offering a new one', async () => {
    const v = await visitor();
    const sent = await submit({}, v);
    const { path, token } = followUpLocation(sent);
    const creations = async () => (await ctx.db.selectFrom('auditLog').select('id').where('action', '=', 'create').where('entityType', '=', 'support_request').execute()).length;
    const before = { requests: await countRequests(), created: await creations() };

    // Sent again before the confirmation was seen (« back » at once, or a second click).
    const again = await submit({}, v);
    assert.equal(again.status, 200);
    assert.equal(again.headers.location, undefined);
    assert.match(again.text, /<h1>Cette demande est déjà envoyée<\/h1>/);
    assert.match(text(again.text), /elle n’a pas été enregistrée une deuxième fois/);
    assert.match(text(again.text), /ne peut pas être affiché à nouveau/);
    // No e-mail carried the link, and the first answer's page was replaced by this one: a new link
    // may be asked for, from this browser only.
    assert.match(again.text, /<form method="post" action="\/demande\/nouveau-lien">/);
    assert.match(text(again.text), /L’ancien lien ne fonctionnera plus/);
    assert.ok(again.text.includes(`name="submissionKey" value="${v.key}"`));
    assert.ok(!again.text.includes(token), 'the link is not shown again');
    assert.doesNotMatch(again.text, /demande\/suivi/);
    const reference = /<strong class="reference">(D-[A-Z0-9]{4}-[A-Z0-9]{4})<\/strong>/.exec(again.text)?.[1];
    assert.ok(reference, 'the reference of the request this browser just sent is given');
    const tokenHash = createHash('sha256').update(token).digest('hex');
    assert.equal(reference, (await ctx.db.selectFrom('supportRequests').select('reference').where('tokenHash', '=', tokenHash).executeTakeFirstOrThrow()).reference);

    // The confirmation is still there for the link, once.
    assert.match((await v.agent.get(path)).text, /<h1>Votre demande est envoyée<\/h1>/);

    // Sent again later, with other values even: still the same form.
    const later = await submit({ name: uniqueName('Renvoi'), message: 'Autre chose.' }, v);
    assert.equal(later.status, 200);
    assert.match(later.text, /<h1>Cette demande est déjà envoyée<\/h1>/);
    assert.match(later.text, /class="reference"/, 'the session still knows which request it was, for a while');
    assert.doesNotMatch(later.text, /demande\/suivi/);
    assert.deepEqual({ requests: await countRequests(), created: await creations() }, before, 'no second request, no second creation audited');

    // A new form (reloaded from /demande) is a new request.
    const fresh = await visitor(v.agent);
    assert.notEqual(fresh.key, v.key);
    followUpLocation(await submit({}, fresh));
    assert.equal(await countRequests(), before.requests + 1);
  });

  it('a new follow-up link, asked for from the « already sent » page, replaces the old one; only this browser, only for a while', async () => {
    const v = await visitor();
    const { path: oldPath } = followUpLocation(await submit({}, v));
    const before = { requests: await countRequests(), audit: await countAudit() };
    const again = await submit({}, v);
    const csrf = extractCsrf(again.text);

    // Another browser, a wrong key: nothing.
    const other = await visitor();
    assert.equal((await other.agent.post('/demande/nouveau-lien').type('form').send(encode({ _csrf: other.csrf, submissionKey: v.key }))).status, 404);
    assert.equal((await v.agent.post('/demande/nouveau-lien').type('form').send(encode({ _csrf: csrf, submissionKey: other.key }))).status, 404);
    assert.equal((await v.agent.post('/demande/nouveau-lien').type('form').send(encode({ submissionKey: v.key }))).status, 403, 'CSRF checked');

    const renewed = await v.agent.post('/demande/nouveau-lien').type('form').send(encode({ _csrf: csrf, submissionKey: v.key }));
    const { path: newPath } = followUpLocation(renewed);
    assert.notEqual(newPath, oldPath);
    assert.equal((await ctx.agent().get(oldPath)).status, 404, 'the old link no longer opens the request');
    const confirmation = await v.agent.get(newPath);
    assert.match(confirmation.text, /<h1>Votre demande est envoyée<\/h1>/);
    assert.ok(confirmation.text.includes(newPath), 'the new link is shown');
    assert.equal(await countRequests(), before.requests, 'still one request');
    assert.equal(await countAudit(), before.audit + 2, 'the new link and the view of the confirmation are audited');

    // Ten minutes on, the form sent again no longer offers a new link: a new request, as before.
    ctx.clock.advance(11 * 60_000);
    try {
      const late = await submit({}, v);
      assert.doesNotMatch(late.text, /nouveau-lien/);
      assert.match(late.text, /<a href="\/demande">faire une nouvelle demande<\/a>/);
      assert.equal((await v.agent.post('/demande/nouveau-lien').type('form').send(encode({ _csrf: csrf, submissionKey: v.key }))).status, 404);
    } finally {
      ctx.clock.advance(-11 * 60_000);
    }
  });

  it('a double click stores one request: the second post, arriving while the first is still sending its e-mail, is told it is already sent', async () => {
    // The first request waits on a slow mail server after storing the request, before its session
    // (and so the key) is saved: the second one reads a session that does not know the key yet.
    let mailing!: () => void;
    const mailStarted = new Promise<void>((resolve) => (mailing = resolve));
    let release!: () => void;
    const slowMail = new Promise<void>((resolve) => (release = resolve));
    let mails = 0;
    const mailer = {
      send: async () => {
        mails += 1;
        if (mails > 1) return;
        mailing();
        await slowMail;
      },
    };
    const local = await createTestContext({ RATE_LIMIT_PER_MINUTE: '100000' }, { mailer });
    try {
      const agent = local.agent();
      const form = (await agent.get('/demande')).text;
      const fields = encode({ _csrf: extractCsrf(form), submissionKey: submissionKeyOf(form), ...requestForm() });
      const first = agent.post('/demande').type('form').send(fields).then((r) => r);
      await mailStarted;
      assert.equal((await local.db.selectFrom('supportRequests').select('id').execute()).length, 1, 'the first post has stored its request');
      // They wait for the first one's outcome, which the slow e-mail holds back.
      const later = Promise.all([agent.post('/demande').type('form').send(fields).then((r) => r), agent.post('/demande').type('form').send(fields).then((r) => r)]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      release();
      const [[second, third], firstAnswer] = await Promise.all([later, first]);
      assert.equal(firstAnswer.status, 303);
      for (const r of [second, third]) {
        assert.equal(r.status, 200);
        assert.match(r.text, /Cette demande est déjà envoyée/);
        assert.doesNotMatch(r.text, /demande\/suivi/);
        assert.match(text(r.text), /il vous a aussi été envoyé par e-mail/, 'the first sending’s outcome is known: the link went by e-mail');
        assert.doesNotMatch(r.text, /nouveau-lien/, 'so no new link is offered');
        assert.match(r.text, /class="reference"/);
      }
      assert.equal((await local.db.selectFrom('supportRequests').select('id').execute()).length, 1, 'one request');
      assert.equal(mails, 1, 'one e-mail');
      // The browser shows the last answer; the link, opened later from the e-mail, still confirms once.
      const page = await agent.get(String(firstAnswer.headers.location));
      assert.match(page.text, /<h1>Votre demande est envoyée<\/h1>/);
      assert.match(page.text, /Ce lien vous a aussi été envoyé par e-mail\./);
    } finally {
      release();
      await local.close();
    }
  });

  it('a form without its key, or with a malformed one, is shown again with everything typed, and nothing is stored', async () => {
    const before = { requests: await countRequests(), audit: await countAudit() };
    for (const key of [undefined, '', 'court', 'x'.repeat(22) + '!', ['a'.repeat(22), 'b'.repeat(22)]]) {
      const v = await visitor();
      const name = uniqueName('Sans Clé');
      const res = await v.agent.post('/demande').type('form').send(encode({ _csrf: v.csrf, ...requestForm({ name, message: 'Mon récit gardé.' }), submissionKey: key }));
      assert.equal(res.status, 400, `key ${JSON.stringify(key)}`);
      assert.match(text(res.text), /Votre demande n’est pas encore envoyée\. Le formulaire était trop ancien/);
      assert.ok(res.text.includes(`value="${name}"`), 'the name typed is kept');
      assert.ok(res.text.includes('>Mon récit gardé.</textarea>'), 'the message typed is kept');
      assert.match(res.text, /name="consent" value="on" checked>/);
      const fresh = submissionKeyOf(res.text);
      assert.notEqual(fresh, key);
      // Sent again from the page shown, it goes through.
      followUpLocation(await v.agent.post('/demande').type('form').send(encode({ _csrf: v.csrf, ...requestForm({ name }), submissionKey: fresh })));
      before.requests += 1;
    }
    assert.equal(await countRequests(), before.requests);
  });

  it('a refused form sent twice at once is refused twice, never taken for a request already sent', async () => {
    const v = await visitor();
    const before = await countRequests();
    // The first post is held while it checks the form, so that the second arrives meanwhile.
    const regions = ctx.services.regions;
    const list = regions.list.bind(regions);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    regions.list = async () => {
      calls += 1;
      if (calls === 1) await gate;
      return list();
    };
    let refused: Awaited<ReturnType<typeof submit>>[];
    try {
      const first = submit({ consent: undefined }, v);
      while (calls === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const second = submit({ consent: undefined }, v);
      await new Promise((resolve) => setTimeout(resolve, 50));
      release();
      refused = await Promise.all([first, second]);
    } finally {
      regions.list = list;
    }
    for (const res of refused) {
      assert.equal(res.status, 400);
      assert.doesNotMatch(res.text, /déjà envoyée/);
    }
    assert.equal(await countRequests(), before);
    followUpLocation(await submit({}, v));
  });

  it('a refused form does not spend its key: corrected, the same form goes through once', async () => {
    const v = await visitor();
    const before = await countRequests();
    const refused = await submit({ consent: undefined }, v);
    assert.equal(refused.status, 400);
    followUpLocation(await submit({}, v));
    assert.equal((await submit({}, v)).status, 200, 'then it is spent');
    assert.equal(await countRequests(), before + 1);
  });

  it('keeps at most 20 keys in the session', async () => {
    const agent = ctx.agent();
    for (let i = 0; i < 22; i++) followUpLocation(await submit({}, await visitor(agent)));
    const keys = (await ctx.db.selectFrom('sessions').select('data').execute())
      .map((r) => (JSON.parse(r.data) as { publicRequestKeys?: string[] }).publicRequestKeys ?? [])
      .sort((a, b) => b.length - a.length)[0];
    assert.equal(keys?.length, 20);
  });
});

describe('POST /demande: refused input keeps what was typed', () => {
  const cases: Array<{ label: string; fields: Fields; field: string; message: string }> = [
    { label: 'consent missing', fields: { consent: undefined }, field: 'consent', message: 'Votre accord est nécessaire pour que nous puissions traiter votre demande.' },
    { label: 'consent with another value', fields: { consent: 'yes-please' }, field: 'consent', message: '' },
    { label: 'no way to reach the agent', fields: { email: '', phone: '' }, field: 'email', message: 'Donnez au moins une adresse e-mail ou un numéro de téléphone.' },
    { label: 'e-mail preferred without an e-mail', fields: { email: '', preferredContact: 'email' }, field: 'email', message: 'Vous préférez l’e-mail : indiquez votre adresse.' },
    { label: 'phone preferred without a phone', fields: { phone: '', preferredContact: 'phone' }, field: 'phone', message: 'Vous préférez le téléphone : indiquez votre numéro.' },
    { label: 'invalid e-mail', fields: { email: 'karine@', preferredContact: 'email' }, field: 'email', message: 'L’adresse e-mail n’est pas valide (exemple : prenom.nom@exemple.fr).' },
    { label: 'invalid phone', fields: { phone: 'appelez-moi' }, field: 'phone', message: 'Le numéro de téléphone n’est pas valide (exemple : 06 12 34 56 78).' },
    { label: 'impossible date', fields: { convocationDate: '2024-02-30' }, field: 'convocationDate', message: 'La date de la convocation n’est pas une date valide.' },
    { label: 'a date that is not a date', fields: { interviewDate: 'jeudi prochain' }, field: 'interviewDate', message: 'La date de l’entretien doit être une date' },
    { label: 'an impossible date typed in French order', fields: { interviewDate: '31/02/2024' }, field: 'interviewDate', message: 'La date de l’entretien n’est pas une date valide' },
    { label: 'unknown region', fields: { regionCode: 'XXX' }, field: 'regionCode', message: 'Choisissez votre région.' },
    { label: 'no region', fields: { regionCode: '' }, field: 'regionCode', message: 'Choisissez votre région.' },
    { label: 'unknown situation', fields: { situation: 'espionnage' }, field: 'situation', message: 'Choisissez ce qui vous semble correspondre, ou « Je ne sais pas ».' },
    { label: 'no name', fields: { name: '   ' }, field: 'name', message: 'Votre nom est obligatoire.' },
    { label: 'message too long', fields: { message: 'm'.repeat(4001) }, field: 'message', message: 'Votre message ne peut pas dépasser 4000 caractères.' },
  ];

  for (const c of cases) {
    it(`${c.label}: 400, French message next to the field, values kept, nothing stored`, async () => {
      const before = await countRequests();
      const name = uniqueName('Refusée');
      const fields = { name, site: 'Plateforme Arras', summonedBy: 'La DR', message: 'Mon récit, à ne pas perdre.', ...c.fields };
      const res = await submit(fields);
      assert.equal(res.status, 400, `expected 400 for ${c.label}, got ${res.status}`);
      assert.match(res.text, /Le formulaire contient des erreurs/);
      const error = new RegExp(`<p class="field__error" id="f-${c.field}-error">([^<]+)</p>`).exec(res.text)?.[1];
      assert.ok(error, `an error is shown for ${c.field}`);
      if (c.message) assert.ok(decode(error).startsWith(c.message), `message for ${c.field}: ${decode(error)}`);
      assert.match(error, /[éèàêç’]|Votre|Donnez|Choisissez|Indiquez/, 'the message is French');
      if (c.field !== 'name') assert.ok(res.text.includes(`value="${name}"`), 'the name typed is kept');
      assert.ok(res.text.includes('value="Plateforme Arras"'), 'the site typed is kept');
      if (c.field !== 'message') assert.ok(res.text.includes('>Mon récit, à ne pas perdre.</textarea>'), 'the message typed is kept');
      assert.match(res.text, /value="odd_hours" checked|value="espionnage"|name="situation"/);
      assert.equal(await countRequests(), before);
    });
  }

  it('an empty form lists every problem at once, the missing contact included', async () => {
    // What a phone user gets by pressing « Envoyer » first: every error must be there, not revealed
    // one round at a time (the contact check is a superRefine, skipped while any other field fails).
    const res = await submit({ name: '', email: '', phone: '', regionCode: '', consent: undefined });
    assert.equal(res.status, 400);
    for (const field of ['name', 'regionCode', 'consent']) assert.match(res.text, new RegExp(`id="f-${field}-error"`), field);
    assert.match(res.text, /id="f-email-error">Donnez au moins une adresse e-mail ou un numéro de téléphone\.</, 'the missing contact is reported with the rest');
  });

  it('keeps the consent box ticked, the region selected and the contact choice after a refusal elsewhere', async () => {
    const res = await submit({ convocationDate: 'hier', preferredContact: 'phone', regionCode: 'IDF' });
    assert.equal(res.status, 400);
    assert.match(res.text, /name="consent" value="on" checked>/);
    assert.match(res.text, /<option value="IDF" selected>Île-de-France<\/option>/);
    assert.match(res.text, /name="preferredContact" value="phone" checked>/);
    assert.match(res.text, /name="convocationDate" type="date" value="hier"/);
  });

  it('a 150 KB message (under the body limit) is refused with 400 and everything kept; 300 KB is refused with a French 413', async () => {
    const before = await countRequests();
    const name = uniqueName('Longue');
    const big = await submit({ name, message: 'm'.repeat(150 * 1024) });
    assert.equal(big.status, 400);
    assert.match(big.text, /Votre message ne peut pas dépasser 4000 caractères\./);
    assert.ok(big.text.includes(`value="${name}"`));
    assert.ok(big.text.includes('m'.repeat(150 * 1024)), 'the text is given back, not lost');

    // 300 KB is beyond the app-wide 200 kb body limit: refused before the form is even read.
    const huge = await submit({ name, message: 'x'.repeat(300 * 1024) });
    assert.equal(huge.status, 413);
    assert.match(huge.text, /<html lang="fr">/);
    assert.match(text(huge.text), /Envoi trop volumineux/);
    assert.match(text(huge.text), /Le texte envoyé dépasse la taille autorisée/);
    // Many fields: refused too.
    const many = await submit(Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`f${i}`, 'x'])));
    assert.ok([400, 413].includes(many.status), `too many fields: ${many.status}`);
    assert.equal(await countRequests(), before);
  });
});

describe('CSRF on the public side', () => {
  it('refuses a request without a token, with a token of another session, and without any session: 403, nothing stored', async () => {
    const before = { requests: await countRequests(), audit: await countAudit() };
    const v = await visitor();
    const other = await visitor();
    const fields = requestForm();
    const missing = await v.agent.post('/demande').type('form').send(encode(fields));
    assert.equal(missing.status, 403);
    assert.match(text(missing.text), /Action refusée/);
    assert.match(text(missing.text), /Le formulaire a expiré ou ne provient pas de Vigie/);
    const foreign = await v.agent.post('/demande').type('form').send(encode({ _csrf: other.csrf, ...fields }));
    assert.equal(foreign.status, 403);
    const sessionless = await ctx.agent().post('/demande').type('form').send(encode({ _csrf: v.csrf, ...fields }));
    assert.equal(sessionless.status, 403);
    assert.equal(await countRequests(), before.requests);
    assert.equal(await countAudit(), before.audit);
  });

  it('refuses follow-up forms without the session’s token: nothing written, nothing erased', async () => {
    const s = await submitOk();
    const before = await snapshot(s.id);
    const stranger = await visitor();
    for (const [action, fields] of [
      ['message', { body: 'Message forgé' }],
      ['contact', { email: 'pirate@exemple.fr', phone: '', preferredContact: 'email' }],
      ['effacer', { confirm: 'on' }],
    ] as const) {
      const noToken = await s.agent.post(`/demande/suivi/${s.token}/${action}`).type('form').send(encode(fields));
      assert.equal(noToken.status, 403, `${action} without token`);
      const otherToken = await s.agent.post(`/demande/suivi/${s.token}/${action}`).type('form').send(encode({ _csrf: stranger.csrf, ...fields }));
      assert.equal(otherToken.status, 403, `${action} with another session’s token`);
    }
    assert.deepEqual(await snapshot(s.id), before);
  });
});

describe('per-IP limit on the public form', () => {
  it('answers 429 in French once PUBLIC_FORM_LIMIT_PER_HOUR is reached, and stores nothing more', async () => {
    const limited = await createTestContext({ PUBLIC_FORM_LIMIT_PER_HOUR: '3' });
    try {
      const agent = limited.agent();
      // A new form each time (a new key): the limit is about requests, not about one form sent again.
      const send = async () => {
        const form = (await agent.get('/demande')).text;
        return agent.post('/demande').type('form').send(encode({ _csrf: extractCsrf(form), submissionKey: submissionKeyOf(form), ...requestForm() }));
      };
      for (let i = 1; i <= 3; i++) assert.equal((await send()).status, 303, `submission ${i} is accepted`);
      const refused = await send();
      assert.equal(refused.status, 429);
      assert.match(refused.text, /<html lang="fr">/);
      // The form again, with what was typed, when to send it again, and (no contact set) the union's reps.
      assert.match(text(refused.text), /Votre demande n’est pas encore envoyée\. Trop de demandes sont parties de cette connexion dans l’heure/);
      assert.match(text(refused.text), /Vous pouvez aussi contacter directement vos représentant·es CGT de France Travail\./);
      assert.match(refused.text, /name="submissionKey"/);
      // The form itself stays readable.
      assert.equal((await agent.get('/demande')).status, 200);
      // Another browser on the same connection is limited too: the limit is per IP, not per session.
      const other = limited.agent();
      const otherForm = (await other.get('/demande')).text;
      assert.equal((await other.post('/demande').type('form').send(encode({ _csrf: extractCsrf(otherForm), submissionKey: submissionKeyOf(otherForm), ...requestForm() }))).status, 429);
      const stored = await limited.db.selectFrom('supportRequests').select('id').execute();
      assert.equal(stored.length, 3);
    } finally {
      await limited.close();
    }
  });
});

// ---------------------------------------------------------------- the follow-up page

describe('the agent’s follow-up page', () => {
  it('an agent’s message reaches the rep’s page; an empty one is refused in French', async () => {
    const s = await submitOk();
    const empty = await followUpPost(s, 'message', { body: '   ' });
    assert.equal(empty.status, 400);
    assert.match(empty.text, /<p class="field__error" id="f-body-error">Écrivez votre message\.<\/p>/);
    assert.equal((await messagesOf(s.id)).length, 0);

    const sent = await followUpPost(s, 'message', { body: 'Mon entretien est avancé\nau 10 septembre.' });
    assert.equal(sent.status, 303);
    assert.equal(sent.headers.location, `/demande/suivi/${s.token}#messages`);
    const messages = await messagesOf(s.id);
    assert.equal(messages.length, 1);
    assert.equal(messages[0]?.author, 'agent');
    assert.equal(messages[0]?.userId, null);

    const own = await s.agent.get(`/demande/suivi/${s.token}`);
    assert.match(own.text, /<p class="thread__meta">Vous — /);
    assert.match(own.text, /Mon entretien est avancé\nau 10 septembre\./);

    const repPage = await rep.agent.get(`/demandes/${s.id}`);
    assert.equal(repPage.status, 200);
    assert.match(repPage.text, /<p class="thread__meta">L’agent — /);
    assert.match(repPage.text, /Mon entretien est avancé\nau 10 septembre\./);
  });

  it('a rep’s reply shows on the agent’s page, signed « Représentant·e CGT », without the rep’s name', async () => {
    const s = await submitOk();
    const reply = await repPost(rep, `/demandes/${s.id}/reponse`, { body: 'Bonjour, je vous appelle demain à 10 h.' });
    assert.equal(reply.status, 303);
    assert.equal(reply.headers.location, `/demandes/${s.id}`);
    const flashed = await rep.agent.get(`/demandes/${s.id}`);
    assert.match(text(flashed.text), /Réponse envoyée : l’agent la verra sur sa page de suivi\./);
    assert.match(flashed.text, /<p class="thread__meta">Rémi Représentant — /);

    const page = await s.agent.get(`/demande/suivi/${s.token}`);
    assert.match(page.text, /<p class="thread__meta">Représentant·e CGT — /);
    assert.match(page.text, /Bonjour, je vous appelle demain à 10 h\./);
    assert.doesNotMatch(page.text, /Rémi Représentant/, 'the rep’s name is not shown to whoever holds the link');
    assert.equal(stateOf(page.text), 'Prise en charge par un·e représentant·e', 'replying takes the request');
    const row = await requestRow(s.id);
    assert.equal(row?.status, 'taken');
    assert.equal(row?.assignedUserId, rep.user.id);
  });

  it('corrects the contact details; incoherent ones are refused in French and change nothing', async () => {
    const s = await submitOk({ email: 'ancienne@exemple.fr', phone: '', preferredContact: 'email' });
    const bad = await followUpPost(s, 'contact', { email: 'ancienne@exemple.fr', phone: '', preferredContact: 'phone' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /<p class="field__error" id="f-phone-error">Vous préférez le téléphone : indiquez votre numéro\.<\/p>/);
    assert.match(bad.text, /name="preferredContact" value="phone" checked>/, 'the choice typed is kept');
    const none = await followUpPost(s, 'contact', { email: '', phone: '', preferredContact: 'email' });
    assert.equal(none.status, 400);
    assert.match(text(none.text), /Donnez au moins une adresse e-mail ou un numéro de téléphone\./);
    assert.equal((await requestRow(s.id))?.email, 'ancienne@exemple.fr');

    const ok = await followUpPost(s, 'contact', { email: ' Nouvelle@Exemple.fr ', phone: '07 98 76 54 32', preferredContact: 'phone' });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.location, `/demande/suivi/${s.token}`);
    const row = await requestRow(s.id);
    assert.equal(row?.email, 'nouvelle@exemple.fr');
    assert.equal(row?.phone, '07 98 76 54 32');
    assert.equal(row?.preferredContact, 'phone');
    const page = await s.agent.get(`/demande/suivi/${s.token}`);
    assert.match(page.text, /name="email" type="email" value="nouvelle@exemple\.fr"/);
    assert.match(page.text, /name="preferredContact" value="phone" checked>/);
    const repPage = await rep.agent.get(`/demandes/${s.id}`);
    assert.match(squash(repPage.text), /07 98 76 54 32 <span class="badge badge--ok">préféré<\/span>/);
  });

  it('a refused erasure (box not ticked) tells the agent why', async () => {
    const s = await submitOk();
    const unconfirmed = await followUpPost(s, 'effacer', {});
    assert.equal(unconfirmed.status, 400);
    assert.ok(await requestRow(s.id));
    // A 400 that looks exactly like the page the agent came from says nothing: they will think it worked, or that it is broken.
    assert.match(
      unconfirmed.text,
      /class="field__error"[^>]*>[^<]*(Cochez|cochez|confirm)/,
      'the refused erasure explains that the box must be ticked',
    );
  });

  it('erasure: refused without the confirmation box, then the link is a 404 and the rows are gone', async () => {
    const s = await submitOk();
    await followUpPost(s, 'message', { body: 'Un message à effacer aussi.' });
    await repPost(rep, `/demandes/${s.id}/reponse`, { body: 'Une réponse à effacer aussi.' });
    assert.equal((await messagesOf(s.id)).length, 2);

    const unconfirmed = await followUpPost(s, 'effacer', {});
    assert.equal(unconfirmed.status, 400);
    assert.ok(await requestRow(s.id), 'nothing is erased without the box ticked');
    assert.equal((await messagesOf(s.id)).length, 2);
    assert.equal((await followUpPost(s, 'effacer', { confirm: 'yes' })).status, 400);
    assert.ok(await requestRow(s.id));

    const erased = await followUpPost(s, 'effacer', { confirm: 'on' });
    assert.equal(erased.status, 200);
    assert.match(erased.text, /<h1>Votre demande est effacée<\/h1>/);
    assert.doesNotMatch(erased.text, /Un dossier avait déjà été ouvert/);
    assert.equal(await requestRow(s.id), undefined);
    assert.equal((await messagesOf(s.id)).length, 0, 'the messages are deleted with the request');
    const dump = await wholeDatabase();
    assert.ok(!dump.get('support_request_messages')!.includes('Un message à effacer aussi.'));

    const reference = await notFoundBody();
    const gone = await ctx.agent().get(`/demande/suivi/${s.token}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.text, reference, 'an erased link is indistinguishable from one that never existed');
    assert.equal((await s.agent.get(`/demande/suivi/${s.token}`)).status, 404);
    assert.equal((await followUpPost(s, 'effacer', { confirm: 'on' })).status, 404, 'erasing twice is a 404');
    // The reps lose it too.
    assert.equal((await rep.agent.get(`/demandes/${s.id}`)).status, 404);
    assert.doesNotMatch((await rep.agent.get('/demandes')).text, new RegExp(s.reference));
    // What remains is the trace that it was erased, without content.
    const audit = await auditOf(s.id);
    assert.deepEqual(audit.at(-1), { actorUserId: null, actorLabel: 'public', action: 'delete' });
  });
});

// ---------------------------------------------------------------- reps' side

describe('the reps’ queue and request page', () => {
  it('needs an account', async () => {
    for (const url of ['/demandes', '/demandes/1']) {
      const res = await ctx.agent().get(url);
      assert.equal(res.status, 303);
      assert.equal(res.headers.location, '/connexion');
    }
  });

  it('lists the requests of the rep’s regions, new ones first, with filters; another region’s rep does not see them', async () => {
    const hdf = await submitOk({ name: uniqueName('Nord'), site: 'Agence Valenciennes' });
    const idf = await submitOk({ name: uniqueName('Paris'), regionCode: 'IDF', site: 'Agence Paris 13' });
    const taken = await submitOk({ name: uniqueName('Prise') });
    assert.equal((await repPost(rep, `/demandes/${taken.id}/prise-en-charge`, { userId: String(colleague.user.id) })).status, 303);

    const queue = await rep.agent.get('/demandes');
    assert.equal(queue.status, 200);
    assert.match(queue.text, /<h1>Demandes d’accompagnement<\/h1>/);
    assert.ok(queue.text.includes(hdf.reference));
    assert.ok(queue.text.includes(taken.reference));
    assert.ok(!queue.text.includes(idf.reference), 'an Île-de-France request is not in a Hauts-de-France rep’s queue');
    assert.ok(queue.text.indexOf(hdf.reference) < queue.text.indexOf(taken.reference), 'new requests come first');
    const row = queue.text.slice(queue.text.lastIndexOf('<li', queue.text.indexOf(taken.reference)), queue.text.indexOf('</li>', queue.text.indexOf(taken.reference)));
    assert.match(text(row), /Suivie par Chloé Collègue/);
    assert.doesNotMatch(queue.text, /<option value="IDF"/, 'the region filter offers only the rep’s regions');

    const received = await rep.agent.get('/demandes?etat=received');
    assert.ok(received.text.includes(hdf.reference));
    assert.ok(!received.text.includes(taken.reference));
    assert.match(received.text, /<option value="received" selected>Reçue<\/option>/);
    const takenOnly = await rep.agent.get('/demandes?etat=taken&region=HDF');
    assert.ok(takenOnly.text.includes(taken.reference) && !takenOnly.text.includes(hdf.reference));
    // Filters out of scope or malformed widen nothing.
    const foreign = await rep.agent.get('/demandes?region=IDF');
    assert.ok(!foreign.text.includes(idf.reference));
    assert.match(foreign.text, /Aucune demande\./);
    const junk = await rep.agent.get('/demandes?etat=%3Cscript%3E&region=../../');
    assert.equal(junk.status, 200);
    assert.ok(!junk.text.includes(idf.reference));

    const outsiderQueue = await outsider.agent.get('/demandes');
    assert.ok(outsiderQueue.text.includes(idf.reference));
    assert.ok(!outsiderQueue.text.includes(hdf.reference) && !outsiderQueue.text.includes(taken.reference));
    const outsiderFiltered = await outsider.agent.get('/demandes?region=HDF');
    assert.ok(!outsiderFiltered.text.includes(hdf.reference));

    const adminQueue = await admin.agent.get('/demandes');
    assert.ok(adminQueue.text.includes(hdf.reference) && adminQueue.text.includes(idf.reference));
  });

  it('shows the request to a rep of its region, with the contact and the agent’s account', async () => {
    const s = await submitOk({ name: 'Sophie Vasseur', email: 'sophie.v@exemple.fr', phone: '', preferredContact: 'email', message: 'Je ne sais pas quoi dire\nà mon entretien.' });
    const res = await rep.agent.get(`/demandes/${s.id}`);
    assert.equal(res.status, 200);
    assert.match(res.text, /<h1>Sophie Vasseur<\/h1>/);
    const page = text(res.text);
    assert.match(page, new RegExp(`Demande ${s.reference} · reçue il y a moins d’une heure · Reçue`));
    assert.match(page, /sophie\.v@exemple\.fr préféré/);
    assert.match(page, /Hauts-de-France, Agence Lille Hellemmes/);
    assert.match(page, /Convocation 2 septembre 2024, par Ma manager de proximité/);
    assert.match(page, /Entretien 16 septembre 2024/);
    assert.match(page, /Consultations répétées à des horaires hors normes/);
    assert.match(res.text, /Je ne sais pas quoi dire\nà mon entretien\./);
    assert.match(res.text, new RegExp(`href="/dossiers/nouveau\\?demande=${s.id}">Ouvrir un dossier</a>`));
    assert.match(res.text, new RegExp(`<option value="${colleague.user.id}" >Chloé Collègue</option>`));
    assert.doesNotMatch(res.text, /Inès Francilienne/, 'reps of other regions are not offered');
    for (const bad of ['0', 'abc', '99999999', '1.5', '-1']) {
      assert.equal((await rep.agent.get(`/demandes/${bad}`)).status, 404, `id ${bad}`);
    }
  });

  it('assigns a request to a rep of its region, and refuses a rep of another region', async () => {
    const s = await submitOk();
    const refused = await repPost(rep, `/demandes/${s.id}/prise-en-charge`, { userId: String(outsider.user.id) });
    assert.equal(refused.status, 303);
    assert.match(text((await rep.agent.get(`/demandes/${s.id}`)).text), /Choisissez un·e représentant·e qui suit cette région\./);
    assert.equal((await requestRow(s.id))?.status, 'received');
    assert.equal((await requestRow(s.id))?.assignedUserId, null);
    for (const userId of ['', 'abc', '999999']) {
      await repPost(rep, `/demandes/${s.id}/prise-en-charge`, { userId });
      assert.equal((await requestRow(s.id))?.assignedUserId, null, `userId ${userId}`);
    }

    assert.equal((await repPost(rep, `/demandes/${s.id}/prise-en-charge`, { userId: String(colleague.user.id) })).status, 303);
    const page = await rep.agent.get(`/demandes/${s.id}`);
    assert.match(text(page.text), /Demande prise en charge par Chloé Collègue\./);
    assert.match(page.text, new RegExp(`<option value="${colleague.user.id}" selected>Chloé Collègue</option>`));
    const row = await requestRow(s.id);
    assert.equal(row?.status, 'taken');
    assert.equal(row?.assignedUserId, colleague.user.id);
    assert.equal(stateOf((await s.agent.get(`/demande/suivi/${s.token}`)).text), 'Prise en charge par un·e représentant·e');
  });

  it('marks a duplicate by reference, refusing its own reference, an unknown one and one of another region', async () => {
    const first = await submitOk();
    const second = await submitOk();
    const elsewhere = await submitOk({ regionCode: 'IDF' });
    const attempts: Array<[string, RegExp]> = [
      ['n’importe quoi', /Indiquez la référence de l’autre demande \(exemple : D-7KQ2-M9XA\)\./],
      [second.reference, /Aucune autre demande de vos régions ne porte cette référence\./],
      ['D-ZZZZ-ZZZZ', /Aucune autre demande de vos régions ne porte cette référence\./],
      [elsewhere.reference, /Aucune autre demande de vos régions ne porte cette référence\./],
    ];
    for (const [duplicateOf, message] of attempts) {
      const res = await repPost(rep, `/demandes/${second.id}/doublon`, { duplicateOf });
      assert.equal(res.status, 400, duplicateOf);
      assert.match(text(res.text), message);
      assert.ok(res.text.includes(`value="${Handlebars.escapeExpression(duplicateOf)}"`), 'the reference typed is kept');
      assert.equal((await requestRow(second.id))?.status, 'received');
    }
    const ok = await repPost(rep, `/demandes/${second.id}/doublon`, { duplicateOf: first.reference.toLowerCase() });
    assert.equal(ok.status, 303);
    const row = await requestRow(second.id);
    assert.equal(row?.status, 'duplicate');
    assert.equal(row?.duplicateOf, first.id);
    const page = await rep.agent.get(`/demandes/${second.id}`);
    assert.match(text(page.text), /Demande marquée comme doublon\./);
    assert.doesNotMatch(page.text, /Ouvrir un dossier|Clore sans dossier/, 'a duplicate is no longer open');
    assert.equal(stateOf((await second.agent.get(`/demande/suivi/${second.token}`)).text), 'Regroupée avec une autre demande');
  });

  it('closes a request without a case', async () => {
    const s = await submitOk();
    assert.equal((await repPost(rep, `/demandes/${s.id}/clore`, {})).status, 303);
    assert.equal((await requestRow(s.id))?.status, 'closed');
    const page = await rep.agent.get(`/demandes/${s.id}`);
    assert.match(text(page.text), /Demande close\./);
    assert.doesNotMatch(page.text, /Ouvrir un dossier/);
    assert.equal(stateOf((await s.agent.get(`/demande/suivi/${s.token}`)).text), 'Close');
  });

  it('refuses a rep of another region everywhere with the generic 404, and changes nothing', async () => {
    const s = await submitOk();
    await followUpPost(s, 'message', { body: 'Bonjour.' });
    const other = await submitOk();
    const before = await snapshot(s.id);
    const outsiderAudit = await ctx.db.selectFrom('auditLog').select('id').where('actorUserId', '=', outsider.user.id).execute();
    const generic = main((await outsider.agent.get('/demandes/99999999')).text);

    const page = await outsider.agent.get(`/demandes/${s.id}`);
    assert.equal(page.status, 404);
    assert.equal(main(page.text), generic, 'the same 404 as a request that does not exist');
    assert.ok(!page.text.includes(s.reference));
    const attempts: Array<[string, Fields]> = [
      ['prise-en-charge', { userId: String(outsider.user.id) }],
      ['reponse', { body: 'Réponse d’une autre région' }],
      ['doublon', { duplicateOf: other.reference }],
      ['clore', {}],
    ];
    for (const [action, fields] of attempts) {
      const res = await repPost(outsider, `/demandes/${s.id}/${action}`, fields);
      assert.equal(res.status, 404, action);
      assert.equal(main(res.text), generic, action);
    }
    assert.equal((await outsider.agent.get(`/dossiers/nouveau?demande=${s.id}`)).status, 404, 'nor can they open a case from it');
    assert.deepEqual(await snapshot(s.id), before, 'nothing changed, not even the audit log of the request');
    const after = await ctx.db.selectFrom('auditLog').select('id').where('actorUserId', '=', outsider.user.id).execute();
    assert.equal(after.length, outsiderAudit.length, 'refused attempts record no consultation');
  });

  it('refuses the reps’ actions without the session’s CSRF token', async () => {
    const s = await submitOk();
    const before = await snapshot(s.id);
    const foreign = await repCsrf(colleague.agent);
    for (const [action, fields] of [
      ['prise-en-charge', { userId: String(rep.user.id) }],
      ['reponse', { body: 'Forgée' }],
      ['clore', {}],
    ] as const) {
      const none = await rep.agent.post(`/demandes/${s.id}/${action}`).type('form').send(encode(fields));
      assert.equal(none.status, 403, action);
      const wrong = await rep.agent.post(`/demandes/${s.id}/${action}`).type('form').send(encode({ _csrf: foreign, ...fields }));
      assert.equal(wrong.status, 403, action);
    }
    assert.deepEqual(await snapshot(s.id), before);
  });

  it('a request already turned into a case cannot then be closed or marked duplicate (a stale tab)', async () => {
    // Rep A converts the request while rep B still has its page open with « Clore sans dossier ».
    const s = await submitOk();
    const other = await submitOk();
    const form = await rep.agent.get(`/dossiers/nouveau?demande=${s.id}`);
    assert.equal(form.status, 200);
    const created = await repPost(rep, '/dossiers', {
      fullName: uniqueName('Converti'),
      regionCode: 'HDF',
      employmentStatus: 'unknown',
      campaignId: String(wave2Id),
      situations: ['odd_hours'],
      trainingReceived: 'unknown',
      requestId: String(s.id),
    });
    assert.equal(created.status, 303);
    assert.equal((await requestRow(s.id))?.status, 'case_opened');
    await repPost(colleague, `/demandes/${s.id}/clore`, {});
    assert.equal((await requestRow(s.id))?.status, 'case_opened', '« Clore sans dossier »: the agent would read « Close » while a case is open for them');
    await repPost(colleague, `/demandes/${s.id}/doublon`, { duplicateOf: other.reference });
    const row = await requestRow(s.id);
    assert.equal(row?.status, 'case_opened', '« doublon »: the agent would read « Regroupée avec une autre demande » while a case is open for them');
    assert.equal(row?.duplicateOf, null);
    assert.equal(row?.caseId, Number(/^\/dossiers\/(\d+)$/.exec(String(created.headers.location))?.[1]));
  });
});

// ---------------------------------------------------------------- XSS

describe('escaping of what the public types', () => {
  const PAYLOADS = [
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    'javascript:alert(1)',
    "{{constructor.constructor('alert(1)')()}}",
    '</textarea><script>x</script>',
  ];

  /** The payload is shown as text, escaped; no markup it carries reaches the page. */
  function assertInert(html: string, payload: string, where: string) {
    if (/[<>"'&]/.test(payload)) assert.ok(!html.includes(payload), `raw payload ${payload} on ${where}`);
    assert.ok(html.includes(Handlebars.escapeExpression(payload)), `payload ${payload} is shown, escaped, on ${where}`);
    assert.doesNotMatch(html, /<script/i, `a <script> element on ${where}`);
    assert.doesNotMatch(html, /<img[^>]*onerror/i, `an <img onerror> on ${where}`);
    assert.doesNotMatch(html, /\son\w+\s*=\s*["']?alert/i, `an event handler on ${where}`);
    assert.doesNotMatch(html, /(href|src|action)\s*=\s*["']?\s*javascript:/i, `a javascript: URL on ${where}`);
  }

  it('escapes payloads in name, site, summonedBy and message on the reps’ queue, the request page and the case form', async () => {
    const submitted: Submitted[] = [];
    for (const payload of PAYLOADS) {
      submitted.push(await submitOk({ name: payload, site: payload, summonedBy: payload, message: payload }));
    }
    const queue = await rep.agent.get('/demandes');
    for (const payload of PAYLOADS) assertInert(queue.text, payload, 'the queue');
    for (const [i, s] of submitted.entries()) {
      const payload = PAYLOADS[i]!;
      const page = await rep.agent.get(`/demandes/${s.id}`);
      assert.equal(page.status, 200);
      assertInert(page.text, payload, `request page (${payload})`);
      // name (h1), site, summonedBy and message: each shown once at least.
      assert.ok(page.text.split(Handlebars.escapeExpression(payload)).length - 1 >= 4, `every field shows ${payload} escaped`);
      const prefilled = await rep.agent.get(`/dossiers/nouveau?demande=${s.id}`);
      assert.equal(prefilled.status, 200);
      assertInert(prefilled.text, payload, `case form prefilled from the request (${payload})`);
      // The agent's own page does not show these fields back (see the report); whatever it shows carries no markup.
      const follow = await s.agent.get(`/demande/suivi/${s.token}`);
      assert.equal(follow.status, 200);
      if (/[<>"'&]/.test(payload)) assert.ok(!follow.text.includes(payload), `raw payload ${payload} on the follow-up page`);
      assert.doesNotMatch(follow.text, /<script|<img/i);
    }
  });

  it('escapes payloads in messages on the agent’s follow-up page and the rep’s page, and in a refused public form', async () => {
    const s = await submitOk();
    for (const payload of PAYLOADS) {
      assert.equal((await followUpPost(s, 'message', { body: payload })).status, 303);
      assert.equal((await repPost(rep, `/demandes/${s.id}/reponse`, { body: `Réponse ${payload}` })).status, 303);
    }
    const follow = await s.agent.get(`/demande/suivi/${s.token}`);
    const repPage = await rep.agent.get(`/demandes/${s.id}`);
    for (const payload of PAYLOADS) {
      assertInert(follow.text, payload, `follow-up page (${payload})`);
      assertInert(repPage.text, payload, `rep’s page (${payload})`);
    }
    // The follow-up message form given back after a refusal, and the public form given back with its values.
    for (const payload of PAYLOADS) {
      const refused = await submit({ name: payload, site: payload, summonedBy: payload, message: payload, consent: undefined });
      assert.equal(refused.status, 400);
      assertInert(refused.text, payload, `refused public form (${payload})`);
      const contact = await followUpPost(s, 'contact', { email: payload, phone: payload, preferredContact: 'email' });
      assert.equal(contact.status, 400);
      assertInert(contact.text, payload, `refused contact form (${payload})`);
    }
  });
});

// ---------------------------------------------------------------- conversion into a case

describe('turning a request into a case', () => {
  it('prefills the case form from the request, with the request id hidden', async () => {
    const s = await submitOk({ name: 'Nadia Prefill', email: 'nadia@exemple.fr', phone: '0611223344', preferredContact: 'phone', situation: 'political_figure', message: 'Mon récit.' });
    const res = await rep.agent.get(`/dossiers/nouveau?demande=${s.id}`);
    assert.equal(res.status, 200);
    assert.match(res.text, new RegExp(`<input type="hidden" name="requestId" value="${s.id}">`));
    assert.match(text(res.text), new RegExp(`Dossier ouvert à partir de la demande d’accompagnement ${s.reference}`));
    assert.ok(res.text.includes('name="fullName" type="text" value="Nadia Prefill"'));
    assert.ok(res.text.includes('name="personalEmail" type="email" value="nadia@exemple.fr"'));
    assert.ok(res.text.includes('name="phone" type="tel" value="0611223344"'));
    assert.match(res.text, /name="contactChannels" value="phone" checked>/);
    assert.match(res.text, /<option value="HDF" selected>Hauts-de-France<\/option>/);
    assert.ok(res.text.includes('name="convocationDate" type="date" value="2024-09-02"'));
    assert.ok(res.text.includes('name="interviewDate" type="date" value="2024-09-16"'));
    assert.ok(res.text.includes('value="Ma manager de proximité"'));
    assert.match(res.text, /name="situations" value="political_figure" checked>/);
    assert.match(res.text, />Mon récit\.<\/textarea>/);
    for (const bad of ['abc', '0', '99999999']) {
      const other = await rep.agent.get(`/dossiers/nouveau?demande=${bad}`);
      assert.ok([200, 404].includes(other.status), bad);
      assert.doesNotMatch(other.text, /name="requestId"/, `no request linked for ?demande=${bad}`);
    }
  });

  it('offers the existing agent on a namesake (409); choosing it gives one agent with two cases and links the request', async () => {
    const name = uniqueName('Karine Homonyme');
    // The agent was already followed in wave 1, in the same region.
    const first = await repPost(rep, '/dossiers', {
      fullName: name,
      regionCode: 'HDF',
      site: 'Agence Lille Hellemmes',
      employmentStatus: 'private',
      campaignId: String(wave1Id),
      situations: ['agent_ex_job_seeker'],
      trainingReceived: 'unknown',
    });
    assert.equal(first.status, 303);
    const firstCaseId = Number(/^\/dossiers\/(\d+)$/.exec(String(first.headers.location))?.[1]);
    const agentId = (await ctx.db.selectFrom('cases').select('agentId').where('id', '=', firstCaseId).executeTakeFirstOrThrow()).agentId;

    // Summoned again in wave 2, she asks for help through the public form.
    const s = await submitOk({ name, email: 'karine.h@exemple.fr', phone: '', preferredContact: 'email' });
    const prefilled = await rep.agent.get(`/dossiers/nouveau?demande=${s.id}`);
    assert.equal(prefilled.status, 200);
    const caseFields: Fields = {
      fullName: name,
      regionCode: 'HDF',
      site: 'Agence Lille Hellemmes',
      personalEmail: 'karine.h@exemple.fr',
      contactChannels: ['personal_email'],
      employmentStatus: 'private',
      campaignId: String(wave2Id),
      situations: ['odd_hours'],
      trainingReceived: 'unknown',
      convocationDate: '2024-09-02',
      interviewDate: '2024-09-16',
      managerName: 'Ma manager de proximité',
      requestId: String(s.id),
    };
    const casesBefore = (await ctx.db.selectFrom('cases').select('id').execute()).length;
    const namesake = await repPost(rep, '/dossiers', caseFields);
    assert.equal(namesake.status, 409);
    assert.match(text(namesake.text), /Un agent du même nom, ou avec la même adresse e-mail ou le même téléphone, est déjà suivi dans cette région\./);
    assert.match(namesake.text, new RegExp(`<input type="radio" name="existingAgentId" value="${agentId}"> Oui : ${name}`));
    assert.match(namesake.text, /name="existingAgentId" value="new"> Non, c’est une autre personne/);
    assert.match(namesake.text, new RegExp(`<input type="hidden" name="requestId" value="${s.id}">`), 'the link to the request survives the question');
    assert.equal((await ctx.db.selectFrom('cases').select('id').execute()).length, casesBefore, 'nothing created yet');
    assert.equal((await requestRow(s.id))?.status, 'received');

    const created = await repPost(rep, '/dossiers', { ...caseFields, existingAgentId: String(agentId) });
    assert.equal(created.status, 303, text(created.text).slice(0, 400));
    const caseId = Number(/^\/dossiers\/(\d+)$/.exec(String(created.headers.location))?.[1]);
    assert.ok(caseId > 0 && caseId !== firstCaseId);

    const agents = await ctx.db.selectFrom('agents').select('id').where('fullName', '=', name).execute();
    assert.equal(agents.length, 1, 'one agent, not a duplicate');
    const theirCases = await ctx.db.selectFrom('cases').select(['id', 'campaignId']).where('agentId', '=', agentId).orderBy('id').execute();
    assert.deepEqual(theirCases, [
      { id: firstCaseId, campaignId: wave1Id },
      { id: caseId, campaignId: wave2Id },
    ]);

    const row = await requestRow(s.id);
    assert.equal(row?.status, 'case_opened');
    assert.equal(row?.caseId, caseId);
    assert.equal(row?.assignedUserId, rep.user.id, 'the rep who opened the case follows the request');
    const events = await ctx.db.selectFrom('caseEvents').selectAll().where('caseId', '=', caseId).execute();
    const requested = events.filter((e) => e.type === 'support_requested');
    assert.equal(requested.length, 1);
    assert.equal(requested[0]?.note, `Demande ${s.reference}`);

    const casePage = await rep.agent.get(`/dossiers/${caseId}`);
    assert.equal(casePage.status, 200);
    assert.match(text(casePage.text), /Demande d’accompagnement/);
    assert.ok(casePage.text.includes(`Demande ${s.reference}`));

    const requestPage = await rep.agent.get(`/demandes/${s.id}`);
    assert.match(requestPage.text, new RegExp(`<a class="button" href="/dossiers/${caseId}">Voir le dossier</a>`));
    assert.doesNotMatch(requestPage.text, /Ouvrir un dossier/);
    assert.equal(stateOf((await s.agent.get(`/demande/suivi/${s.token}`)).text), 'Dossier ouvert');

    // Submitting the same form again (a double click) does not link the request to a second case.
    const again = await repPost(rep, '/dossiers', { ...caseFields, existingAgentId: String(agentId) });
    assert.equal(again.status, 303);
    assert.equal((await requestRow(s.id))?.caseId, caseId, 'the request stays linked to the first case');
    assert.equal(
      (await ctx.db.selectFrom('caseEvents').select('id').where('type', '=', 'support_requested').where('note', '=', `Demande ${s.reference}`).execute()).length,
      1,
    );

    // Erasing a request already turned into a case tells the agent the case remains.
    const erased = await followUpPost(s, 'effacer', { confirm: 'on' });
    assert.equal(erased.status, 200);
    assert.match(text(erased.text), /Un dossier avait déjà été ouvert pour vous accompagner/);
    assert.ok(await ctx.db.selectFrom('cases').select('id').where('id', '=', caseId).executeTakeFirst(), 'the case is kept');
  });

  it('a rep cannot link a request of another region through a forged requestId', async () => {
    const s = await submitOk();
    const before = await snapshot(s.id);
    const res = await repPost(outsider, '/dossiers', {
      fullName: uniqueName('Forgé'),
      regionCode: 'IDF',
      employmentStatus: 'unknown',
      campaignId: String(wave2Id),
      situations: ['odd_hours'],
      trainingReceived: 'unknown',
      requestId: String(s.id),
    });
    assert.equal(res.status, 303);
    assert.deepEqual(await snapshot(s.id), before);
  });
});

// ---------------------------------------------------------------- audit

describe('audit trail of a request', () => {
  it('records create, view, update and delete on support_request, with who did it and no content', async () => {
    const s = await submitOk({ message: 'Contenu secret du message' });
    await s.agent.get(`/demande/suivi/${s.token}`);
    await followUpPost(s, 'message', { body: 'Question de l’agent' });
    await followUpPost(s, 'contact', { email: 'karine.perso@exemple.fr', phone: '', preferredContact: 'email' });
    await rep.agent.get(`/demandes/${s.id}`);
    await repPost(rep, `/demandes/${s.id}/prise-en-charge`, { userId: String(rep.user.id) });
    await repPost(rep, `/demandes/${s.id}/reponse`, { body: 'Réponse' });
    await repPost(rep, `/demandes/${s.id}/clore`, {});
    await followUpPost(s, 'effacer', { confirm: 'on' });

    const rows = await auditOf(s.id);
    const pub = (action: string) => ({ actorUserId: null, actorLabel: 'public', action });
    const byRep = (action: string) => ({ actorUserId: rep.user.id, actorLabel: 'user', action });
    assert.deepEqual(rows, [
      pub('create'),
      pub('view'), // the confirmation, on the follow-up page
      pub('view'),
      pub('update'), // message
      pub('update'), // contact
      byRep('view'),
      byRep('update'), // assigned
      byRep('update'), // reply
      byRep('update'), // closed
      pub('delete'),
    ]);
    const all = JSON.stringify(await ctx.db.selectFrom('auditLog').selectAll().execute());
    assert.ok(!all.includes('Contenu secret du message'), 'the audit log holds no content');
  });
});

// ---------------------------------------------------------------- dashboard notice

describe('dashboard notice of requests unassigned for more than 48 h', () => {
  it('appears only once a new request has waited more than 48 h, and only for reps of its region', async () => {
    const local = await createTestContext(NO_RATE_LIMIT);
    try {
      const bzh = await local.createUser({ role: 'rep', name: 'Rep Bretagne', regions: ['BRE'] });
      const idf = await local.createUser({ role: 'rep', name: 'Rep Île-de-France', regions: ['IDF'] });
      const agent = local.agent();
      const form = (await agent.get('/demande')).text;
      const sent = await agent.post('/demande').type('form').send(encode({ _csrf: extractCsrf(form), submissionKey: submissionKeyOf(form), ...requestForm({ regionCode: 'BRE' }) }));
      assert.equal(sent.status, 303);
      const id = (await local.db.selectFrom('supportRequests').select('id').executeTakeFirstOrThrow()).id;

      /** Home page of a user signed in now (sessions expire as the clock moves on). */
      async function home(user: { email: string }) {
        const a = local.agent();
        const res = await local.login(a, user.email);
        assert.equal(res.status, 303);
        return { home: (await a.get('/')).text, queue: (await a.get('/demandes')).text, agent: a };
      }
      const NOTICE = /sans réponse depuis plus de 48 h/;

      let seen = await home(bzh);
      assert.doesNotMatch(seen.home, NOTICE);
      assert.doesNotMatch(seen.queue, /request-old/);

      local.clock.advance(47 * 3_600_000);
      seen = await home(bzh);
      assert.doesNotMatch(seen.home, NOTICE, 'not yet at 47 h');
      assert.doesNotMatch(seen.queue, /Sans réponse depuis plus de 48 h/);

      local.clock.advance(2 * 3_600_000);
      seen = await home(bzh);
      assert.match(text(seen.home), /1 demande d’accompagnement sans réponse depuis plus de 48 h/);
      assert.match(seen.home, /<a href="\/demandes\?etat=received">/);
      assert.match(seen.queue, /class="case-row request-old"/);
      assert.match(text(seen.queue), /Sans réponse depuis plus de 48 h/);
      assert.match(text(seen.queue), /Reçue il y a 2 jours/);
      assert.doesNotMatch((await home(idf)).home, NOTICE, 'not for a rep of another region');

      // Once someone takes it, the notice goes.
      const csrfRep = extractCsrf((await seen.agent.get(`/demandes/${id}`)).text);
      const bzhId = (await local.db.selectFrom('users').select('id').where('email', '=', bzh.email).executeTakeFirstOrThrow()).id;
      const taken = await seen.agent.post(`/demandes/${id}/prise-en-charge`).type('form').send(encode({ _csrf: csrfRep, userId: String(bzhId) }));
      assert.equal(taken.status, 303);
      assert.doesNotMatch((await seen.agent.get('/')).text, NOTICE);
    } finally {
      await local.close();
    }
  });
});

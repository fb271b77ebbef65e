/**
 * The records the security suites attack, made through the app's own forms as a browser would:
 * Hauts-de-France cases, events, consultations, briefs, support requests, declarations and
 * accounts, owned by `rep` (who covers HDF only) and never visible to `outsider` (IDF only).
 *
 * ROUTES is the table of every route the app answers: for each, who may use it and how to fill its
 * parameters with fresh records. PUBLIC_ROUTES is the explicit allow-list of routes open to
 * anyone. The access matrix fails when the router has a route in neither, so a new route cannot
 * ship without saying who may reach it.
 *
 * Adding a route: give it an entry in ROUTES keyed `METHOD /path/:param` exactly as the router
 * spells it, with its access and a `make` that creates fresh Hauts-de-France records as `rep` and
 * returns the request an allowed user sends (it must succeed for them: that is what makes each
 * refusal meaningful), plus, when the route names records in its query or body, the `foreign`
 * requests the outsider must be refused. A record that belongs to the account that made it rather
 * than to the region (an import, an export job) also says so in `ownerOnly`: `colleague`, who covers
 * Hauts-de-France too, must then be refused it. The access matrix, the CSRF matrix (for POST, PUT,
 * PATCH and DELETE) and the « GET changes nothing » check then cover it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { totpCodeAt } from '../../src/auth/totp';
import { timeStepAt } from '../../src/domain/second-factor';
import { type Agent, DEFAULT_PASSWORD, type Signed, type TestContext, TEST_TOTP_SECRET, extractCsrf } from '../helpers/context';
import { type Fields, encode } from '../helpers/forms';
import { text } from '../helpers/html';
import { readForm, tokenOf } from './support';
import { oddHoursCaseForm } from '../fixtures/case-form';
import { submitSupportRequest } from '../fixtures/support-request';

export interface World {
  ctx: TestContext;
  /** Covers Hauts-de-France only: owns every record below. */
  rep: Signed;
  /** Covers Île-de-France only: must reach none of them. */
  outsider: Signed;
  /** Covers Hauts-de-France too, with an account of their own: sees `rep`'s cases, never `rep`'s imports or export jobs. */
  colleague: Signed;
  admin: Signed;
  /** Posts a form with the session's token, as a signed-in page would. */
  post(who: Signed, url: string, fields: Fields): Promise<import('supertest').Response>;
  newCase(overrides?: Fields, who?: Signed): Promise<{ id: number; agentId: number; name: string }>;
  newEvent(caseId: number, who?: Signed): Promise<number>;
  newConsultation(caseId: number, who?: Signed): Promise<number>;
  newBrief(caseId: number, who?: Signed): Promise<number>;
  newRequest(overrides?: Fields): Promise<{ id: number; reference: string; token: string; name: string }>;
  newDeclaration(bodyName?: string): Promise<{ id: number; bodyName: string }>;
  newCampaign(): Promise<number>;
  newAccount(): Promise<number>;
  /** An Île-de-France case of the outsider's own, to mix with Hauts-de-France ids. */
  outsiderCase(): Promise<{ id: number; eventId: number; consultationId: number; briefId: number }>;
  /** An Île-de-France request of the outsider's own. */
  outsiderRequest(): Promise<{ id: number; reference: string }>;
  caseFormFor(name: string, overrides?: Fields): Fields;
  /** A form anonymous visitors post: their browser (holding a session) and its token. */
  visitor(): Promise<{ agent: Agent; csrf: string }>;
}

let counter = 0;
export function unique(base: string): string {
  counter += 1;
  return `${base} ${'BCDFGHJKLMNPQRSTVWXZ'[counter % 20]}${'aeiou'[counter % 5]}${counter}`;
}

export async function createWorld(ctx: TestContext): Promise<World> {
  const rep = await ctx.signedIn({ role: 'rep', name: 'Rémi Hauts-de-France', regions: ['HDF'] });
  const outsider = await ctx.signedIn({ role: 'rep', name: 'Inès Île-de-France', regions: ['IDF'] });
  const colleague = await ctx.signedIn({ role: 'rep', name: 'Colin Collègue', regions: ['HDF'] });
  const admin = await ctx.signedIn({ role: 'admin', name: 'Alice Admin' });

  // The token is read before the request is created: a request takes the agent's cookies when created.
  const post = async (who: Signed, url: string, fields: Fields) => {
    const csrf = await tokenOf(who.agent, true);
    return who.agent.post(url).type('form').send(encode({ _csrf: csrf, ...fields }));
  };

  const caseFormFor = (name: string, overrides: Fields = {}): Fields => oddHoursCaseForm(name, { consultationsText: '14/05/2024 21:15', ...overrides });

  async function newCase(overrides: Fields = {}, who: Signed = rep) {
    const name = unique('Agent Matrice');
    const res = await post(who, '/dossiers', caseFormFor(name, overrides));
    assert.equal(res.status, 303, `case refused: ${text(res.text).slice(0, 400)}`);
    const id = Number(/^\/dossiers\/(\d+)$/.exec(String(res.headers.location))?.[1]);
    const row = await ctx.db.selectFrom('cases').select('agentId').where('id', '=', id).executeTakeFirstOrThrow();
    return { id, agentId: row.agentId, name: String(overrides.fullName ?? name) };
  }

  async function newEvent(caseId: number, who: Signed = rep) {
    const res = await post(who, `/dossiers/${caseId}/evenements`, { type: 'observations_sent', date: '2024-10-01', note: 'Observations écrites envoyées.' });
    assert.equal(res.status, 303, `event refused: ${text(res.text).slice(0, 400)}`);
    const row = await ctx.db.selectFrom('caseEvents').select('id').where('caseId', '=', caseId).orderBy('id', 'desc').executeTakeFirstOrThrow();
    return row.id;
  }

  async function newConsultation(caseId: number, who: Signed = rep) {
    const res = await post(who, `/dossiers/${caseId}/consultations`, { at: '20/05/2024 22:40', action: 'consulted', explanation: 'unknown' });
    assert.equal(res.status, 303, `consultation refused: ${text(res.text).slice(0, 400)}`);
    const row = await ctx.db.selectFrom('consultations').select('id').where('caseId', '=', caseId).orderBy('id', 'desc').executeTakeFirstOrThrow();
    return row.id;
  }

  async function newBrief(caseId: number, who: Signed = rep) {
    const page = await who.agent.get(`/dossiers/${caseId}/argumentaire`);
    assert.equal(page.status, 200);
    const res = await post(who, `/dossiers/${caseId}/argumentaire`, { ...readForm(page.text, `/dossiers/${caseId}/argumentaire`), action: 'generate' });
    assert.equal(res.status, 303, `brief refused: ${text(res.text).slice(0, 400)}`);
    return Number(/\/argumentaires\/(\d+)$/.exec(String(res.headers.location))?.[1]);
  }

  async function visitor() {
    const agent = ctx.agent();
    return { agent, csrf: await tokenOf(agent, false) };
  }

  async function newRequest(overrides: Fields = {}) {
    const name = unique('Demandeuse Matrice');
    const { id, reference, token } = await submitSupportRequest(ctx, {
      name,
      email: 'demandeuse@exemple.fr',
      message: 'Convoquée pour des consultations du soir.',
      ...overrides,
    });
    return { id, reference, token, name: String(overrides.name ?? name) };
  }

  async function newDeclaration(bodyName = unique('CSE Matrice')) {
    const settings = { meetingKind: 'CSE', bodyName, meetingDate: '2026-12-10', campaignId: '2', regions: ['HDF'] };
    const page = await rep.agent.get(`/declarations/nouvelle/textes?${encode(settings)}`);
    assert.equal(page.status, 200, `compose refused: ${text(page.text).slice(0, 400)}`);
    const res = await post(rep, '/declarations/nouvelle/textes', { ...readForm(page.text, '/declarations/nouvelle/textes'), action: 'generate' });
    assert.equal(res.status, 303, `declaration refused: ${text(res.text).slice(0, 400)}`);
    return { id: Number(/^\/declarations\/(\d+)$/.exec(String(res.headers.location))?.[1]), bodyName };
  }

  async function newCampaign() {
    const res = await post(admin, '/campagnes', campaignForm());
    assert.equal(res.status, 303, `campaign refused: ${text(res.text).slice(0, 400)}`);
    return Number(/^\/campagnes\/(\d+)$/.exec(String(res.headers.location))?.[1]);
  }

  async function newAccount() {
    const result = await ctx.services.accounts.invite(admin.user.id, { email: `${unique('compte').replace(/\W+/g, '.').toLowerCase()}@exemple.fr`, name: unique('Compte Matrice'), role: 'rep', regions: ['HDF'] });
    assert.ok(result.ok);
    return result.userId;
  }

  let outsiderOwn: Awaited<ReturnType<World['outsiderCase']>> | undefined;
  async function outsiderCase() {
    if (!outsiderOwn) {
      const own = await newCase({ regionCode: 'IDF', site: 'Agence Paris Bastille' }, outsider);
      outsiderOwn = {
        id: own.id,
        eventId: await newEvent(own.id, outsider),
        consultationId: await newConsultation(own.id, outsider),
        briefId: await newBrief(own.id, outsider),
      };
    }
    return outsiderOwn;
  }

  let outsiderReq: { id: number; reference: string } | undefined;
  async function outsiderRequest() {
    outsiderReq ??= await newRequest({ regionCode: 'IDF', site: 'Agence Paris Nation' });
    return outsiderReq;
  }

  return { ctx, rep, outsider, colleague, admin, post, newCase, newEvent, newConsultation, newBrief, newRequest, newDeclaration, newCampaign, newAccount, outsiderCase, outsiderRequest, caseFormFor, visitor };
}

export function campaignForm(overrides: Fields = {}): Fields {
  return {
    name: unique('Campagne Matrice'),
    wave: '3',
    description: 'Une campagne de test.',
    tracesStart: '2025-01-01',
    tracesEnd: '2025-03-31',
    interviewsStart: '2025-04-01',
    interviewsEnd: '2025-06-30',
    commitmentText: 'Aucune sanction.',
    excludesSanctions: 'on',
    reportRequired: 'on',
    status: 'active',
    source: 'Note de la direction',
    situations: ['odd_hours'],
    ...overrides,
  };
}

// ---- the route table ----------------------------------------------------------------------------

export interface Probe {
  url: string;
  body?: Fields;
  /** A file sent as multipart/form-data (the token first, then the file, as the form does). */
  upload?: { field: string; fileName: string; content: Buffer };
  /** The refusal the outsider gets: 404 unless said otherwise (400 when a form names a region they do not cover). */
  refusal?: number;
  /** A refusal shown on a page of the outsider's own record may log that they viewed it, and nothing else. */
  ownView?: { entityType: string; entityId: number };
  /** For a refusal by redirect: where it must lead (never to what the request asked for). */
  refusalLocation?: RegExp;
}

export interface Made {
  /** What an authorised user sends; it must succeed for them (2xx or 3xx). */
  probe: Probe;
  /** Requests naming Hauts-de-France records, which the outsider must be refused. Defaults to [probe] on regional routes. */
  foreign?: Probe[];
  /** A value the authorised user sees in the response and the outsider must not. */
  marker?: string;
  /** The account that sends the probe, when it is not the usual one (signing out ends a session). */
  actor?: Signed;
  /** The status the authorised user gets, when not any 2xx/3xx. */
  ok?: number;
}

export type Access =
  /** Hauts-de-France records: the outsider gets 404 as if they did not exist. */
  | 'regional'
  /** Administrators only: reps get 403. */
  | 'admin'
  /** Any signed-in account; whatever regional data it shows is filtered by the user's regions. */
  | 'signed-in'
  /** Anyone: see PUBLIC_ROUTES for why. */
  | 'public';

export interface RouteSpec {
  access: Access;
  /** For a signed-in route taking an id: why the record is not regional. */
  shared?: string;
  /**
   * For a record that belongs to the account that made it, not to the region (a CSV import, a batch
   * export job): why. Anyone else — a colleague covering the same region, an administrator — gets
   * 404 as if it did not exist, and nothing changes.
   */
  ownerOnly?: string;
  /** For a public route whose credential is the visitor's own session (made.actor): why. Any other browser gets 404. */
  ownSession?: string;
  /** With ownSession: any other browser is sent to the login page (where the credential is made) rather than answered 404. */
  otherBrowsersToLogin?: boolean;
  make: (w: World) => Promise<Made>;
}

const IMPORT_OWNER = 'an uploaded file, its dry run and its job wait for their uploader only (src/case-import/case-import.service.ts, owned)';

const plain = (url: string) => async (): Promise<Made> => ({ probe: { url } });

/** Routes open to anyone, and why. Every other route must be in ROUTES with who may use it. */
export const PUBLIC_ROUTES: Record<string, string> = {
  'GET /healthz': 'health check for monitoring: answers {status} and nothing else',
  'GET /assets/*': 'the stylesheet',
  'GET /favicon.ico': 'the icon (a redirect to /assets/favicon.svg)',
  'GET /connexion': 'the login page',
  'POST /connexion': 'signing in with an email and a password',
  'GET /connexion/code': 'the login’s second step: the browser that just gave the right password is the credential',
  'POST /connexion/code': 'the login’s second step: the browser that just gave the right password is the credential',
  'GET /installation/:token': 'first administrator set-up: the one-time link is the credential',
  'POST /installation/:token': 'first administrator set-up: the one-time link is the credential',
  'GET /acces/:token': 'invitation and reset links: the one-time link is the credential',
  'POST /acces/:token': 'invitation and reset links: the one-time link is the credential',
  'GET /guide': 'the rights guide, for agents without an account',
  'GET /guide.pdf': 'the rights guide, for agents without an account',
  'GET /demande': 'the public support request form',
  'POST /demande': 'the public support request form',
  'POST /demande/nouveau-lien': 'a new follow-up link for the request this very browser just sent: its session is the credential',
  'GET /demande/suivi/:token': 'an agent’s private follow-up page: the unguessable link is the credential',
  'POST /demande/suivi/:token/message': 'an agent’s private follow-up page: the unguessable link is the credential',
  'POST /demande/suivi/:token/contact': 'an agent’s private follow-up page: the unguessable link is the credential',
  'POST /demande/suivi/:token/effacer': 'an agent’s private follow-up page: the unguessable link is the credential',
};

export const ROUTES: Record<string, RouteSpec> = {
  // ---- public (fixtures for the CSRF matrix and the unknown-token checks) ----
  'GET /healthz': { access: 'public', make: plain('/healthz') },
  'GET /assets/*': { access: 'public', make: plain('/assets/app.css') },
  'GET /favicon.ico': { access: 'public', make: plain('/favicon.ico') },
  'GET /connexion': { access: 'public', make: plain('/connexion') },
  'POST /connexion': {
    access: 'public',
    make: async (w) => {
      const user = await w.ctx.createUser();
      return { probe: { url: '/connexion', body: { email: user.email, password: user.password } } };
    },
  },
  'GET /connexion/code': {
    access: 'public',
    ownSession: 'the browser whose password step just succeeded, for an account with a second factor',
    otherBrowsersToLogin: true,
    make: async (w) => ({ probe: { url: '/connexion/code' }, actor: await awaitingCode(w) }),
  },
  'POST /connexion/code': {
    access: 'public',
    ownSession: 'the browser whose password step just succeeded, for an account with a second factor',
    otherBrowsersToLogin: true,
    make: async (w) => ({ probe: { url: '/connexion/code', body: { code: testCode(w) } }, actor: await awaitingCode(w), ok: 303 }),
  },
  'GET /installation/:token': { access: 'public', make: async (w) => ({ probe: { url: `/installation/${await setupToken(w)}` } }) },
  'POST /installation/:token': {
    access: 'public',
    make: async (w) => {
      const password = 'une phrase de passe assez longue';
      return { probe: { url: `/installation/${await setupToken(w)}`, body: { name: 'Admin Installée', email: `${unique('installation').replace(/\W+/g, '.').toLowerCase()}@exemple.fr`, password, passwordConfirm: password } } };
    },
  },
  'GET /acces/:token': { access: 'public', make: async (w) => ({ probe: { url: `/acces/${await invitationToken(w)}` } }) },
  'POST /acces/:token': {
    access: 'public',
    make: async (w) => {
      const password = 'une phrase de passe assez longue';
      return { probe: { url: `/acces/${await invitationToken(w)}`, body: { password, passwordConfirm: password } } };
    },
  },
  'GET /guide': { access: 'public', make: plain('/guide') },
  'GET /guide.pdf': { access: 'public', make: plain('/guide.pdf') },
  'GET /demande': { access: 'public', make: plain('/demande') },
  'POST /demande': {
    access: 'public',
    make: async () => ({
      probe: {
        url: '/demande',
        body: {
          // A form's one-time key, fresh for each probe as each loaded form has its own.
          submissionKey: randomBytes(16).toString('base64url'),
          name: unique('Demande Publique'), email: 'publique@exemple.fr', phone: '', preferredContact: 'email', regionCode: 'HDF', site: '', situation: 'unknown', message: 'Bonjour', consent: 'on', precisions: '',
        },
      },
      // Stored, then sent on to its follow-up link (Post/Redirect/Get).
      ok: 303,
    }),
  },
  'POST /demande/nouveau-lien': {
    access: 'public',
    ownSession: 'the request this browser just sent, whose link no e-mail carried',
    make: async (w) => {
      // A visitor whose form went twice (a second click): the « already sent » page offers a new link.
      const agent = w.ctx.agent();
      const csrf = await tokenOf(agent, false);
      const { submissionKey } = readForm((await agent.get('/demande')).text, '/demande');
      const body = encode({ _csrf: csrf, submissionKey, name: unique('Lien Perdu'), email: 'perdu@exemple.fr', phone: '', preferredContact: 'email', regionCode: 'HDF', site: '', situation: 'unknown', message: 'Bonjour', consent: 'on', precisions: '' });
      assert.equal((await agent.post('/demande').type('form').send(body)).status, 303);
      assert.match((await agent.post('/demande').type('form').send(body)).text, /nouveau-lien/);
      // The browser's own session, not an account: it alone may ask.
      return { probe: { url: '/demande/nouveau-lien', body: { submissionKey } }, actor: { agent, user: { id: 0, email: '' } }, ok: 303 };
    },
  },
  'GET /demande/suivi/:token': { access: 'public', make: async (w) => ({ probe: { url: `/demande/suivi/${(await w.newRequest()).token}` } }) },
  'POST /demande/suivi/:token/message': {
    access: 'public',
    make: async (w) => ({ probe: { url: `/demande/suivi/${(await w.newRequest()).token}/message`, body: { body: 'Un message de suivi.' } } }),
  },
  'POST /demande/suivi/:token/contact': {
    access: 'public',
    make: async (w) => ({ probe: { url: `/demande/suivi/${(await w.newRequest()).token}/contact`, body: { email: 'nouvelle@exemple.fr', phone: '', preferredContact: 'email' } } }),
  },
  'POST /demande/suivi/:token/effacer': {
    access: 'public',
    make: async (w) => ({ probe: { url: `/demande/suivi/${(await w.newRequest()).token}/effacer`, body: { confirm: 'on' } } }),
  },

  // ---- any signed-in account ----
  'POST /deconnexion': {
    access: 'signed-in',
    make: async (w) => ({ probe: { url: '/deconnexion', body: {} }, actor: await w.ctx.signedIn({ role: 'rep', regions: ['HDF'] }), ok: 303 }),
  },
  'GET /compte/double-authentification': { access: 'signed-in', make: plain('/compte/double-authentification') },
  'GET /compte/mot-de-passe': { access: 'signed-in', make: plain('/compte/mot-de-passe') },
  'POST /compte/mot-de-passe': {
    access: 'signed-in',
    make: async (w) => ({
      probe: { url: '/compte/mot-de-passe', body: { currentPassword: DEFAULT_PASSWORD, password: 'cornemuse pivoine escabeau tramontane', passwordConfirm: 'cornemuse pivoine escabeau tramontane' } },
      actor: await w.ctx.signedIn({ role: 'rep', regions: ['HDF'] }),
      ok: 303,
    }),
  },
  'GET /compte/double-authentification/activer': {
    access: 'signed-in',
    make: async (w) => ({ probe: { url: '/compte/double-authentification/activer' }, actor: await w.ctx.signedIn({ role: 'rep', regions: ['HDF'] }) }),
  },
  'POST /compte/double-authentification/activer': {
    access: 'signed-in',
    make: async (w) => {
      // A rep of their own: enrolling turns the factor on for good.
      const actor = await w.ctx.signedIn({ role: 'rep', regions: ['HDF'] });
      const page = await actor.agent.get('/compte/double-authentification/activer');
      const secret = /class="link-box secret-key">([A-Z2-7 ]+)</.exec(page.text)?.[1]?.replace(/ /g, '');
      assert.ok(secret, 'the enrolment page shows its secret');
      return { probe: { url: '/compte/double-authentification/activer', body: { code: totpCodeAt(secret, timeStepAt(w.ctx.clock.now())) } }, actor, ok: 200 };
    },
  },
  'POST /compte/double-authentification/codes-de-secours': {
    access: 'signed-in',
    make: async (w) => ({ probe: { url: '/compte/double-authentification/codes-de-secours', body: { code: testCode(w, 1) } }, actor: await w.ctx.signedIn({ role: 'rep', regions: ['HDF'], secondFactor: true }), ok: 200 }),
  },
  'POST /compte/double-authentification/desactiver': {
    access: 'signed-in',
    make: async (w) => ({ probe: { url: '/compte/double-authentification/desactiver', body: { code: testCode(w, 1) } }, actor: await w.ctx.signedIn({ role: 'rep', regions: ['HDF'], secondFactor: true }), ok: 303 }),
  },
  'GET /': {
    access: 'signed-in',
    make: async (w) => {
      await w.newCase();
      return { probe: { url: '/' } };
    },
  },
  'GET /campagnes': { access: 'signed-in', make: plain('/campagnes') },
  'GET /campagnes/:id': {
    access: 'signed-in',
    shared: 'campaigns are national reference data that every rep reads',
    make: async (w) => ({ probe: { url: `/campagnes/${await w.newCampaign()}` } }),
  },
  'GET /dossiers': {
    access: 'signed-in',
    make: async (w) => {
      const kase = await w.newCase();
      // The search box repeats the query: the marker is the case's link, which only a match shows.
      return { probe: { url: `/dossiers?q=${encodeURIComponent(kase.name)}` }, marker: `href="/dossiers/${kase.id}"` };
    },
  },
  'GET /dossiers/export.csv': {
    access: 'signed-in',
    make: async (w) => {
      const kase = await w.newCase();
      return { probe: { url: '/dossiers/export.csv' }, marker: kase.name };
    },
  },
  'GET /dossiers/nouveau': {
    access: 'signed-in',
    make: async (w) => {
      const kase = await w.newCase();
      const req = await w.newRequest();
      return {
        probe: { url: '/dossiers/nouveau' },
        // Pre-filling from another region's agent or request must fail as if they did not exist.
        foreign: [{ url: `/dossiers/nouveau?agent=${kase.agentId}` }, { url: `/dossiers/nouveau?demande=${req.id}` }],
      };
    },
  },
  'POST /dossiers': {
    access: 'signed-in',
    make: async (w) => {
      const kase = await w.newCase();
      return {
        probe: { url: '/dossiers', body: w.caseFormFor(unique('Agent Nouveau')) },
        foreign: [
          // A case in a region the outsider does not cover.
          { url: '/dossiers', body: w.caseFormFor(unique('Agent Hors Région')), refusal: 400 },
          // A new case for another region's agent, through the « same person » answer.
          { url: '/dossiers', body: w.caseFormFor(kase.name, { regionCode: 'IDF', existingAgentId: String(kase.agentId) }) },
        ],
      };
    },
  },
  'GET /demandes': {
    access: 'signed-in',
    make: async (w) => {
      const req = await w.newRequest();
      return { probe: { url: '/demandes' }, marker: req.reference };
    },
  },
  'GET /declarations': {
    access: 'signed-in',
    make: async (w) => {
      const decl = await w.newDeclaration();
      return { probe: { url: '/declarations' }, marker: decl.bodyName };
    },
  },
  'GET /declarations/nouvelle': { access: 'signed-in', make: plain('/declarations/nouvelle') },
  'GET /declarations/nouvelle/textes': {
    access: 'signed-in',
    make: async (w) => {
      await w.newCase();
      const decl = await w.newDeclaration();
      const settings = { meetingKind: 'CSE', bodyName: 'CSE Hauts-de-France', meetingDate: '2026-12-10', campaignId: '2', regions: ['HDF'] };
      return {
        probe: { url: `/declarations/nouvelle/textes?${encode(settings)}` },
        foreign: [
          // Figures of a region the outsider does not cover.
          { url: `/declarations/nouvelle/textes?${encode(settings)}`, refusal: 400 },
          // A new version from another region's declaration.
          { url: `/declarations/nouvelle/textes?depuis=${decl.id}` },
        ],
      };
    },
  },
  'POST /declarations/nouvelle/textes': {
    access: 'signed-in',
    make: async (w) => {
      await w.newCase();
      const settings = { meetingKind: 'CSE', bodyName: unique('CSE Composée'), meetingDate: '2026-12-10', campaignId: '2', regions: ['HDF'] };
      const page = await w.rep.agent.get(`/declarations/nouvelle/textes?${encode(settings)}`);
      const body = { ...readForm(page.text, '/declarations/nouvelle/textes'), action: 'generate' };
      return { probe: { url: '/declarations/nouvelle/textes', body }, foreign: [{ url: '/declarations/nouvelle/textes', body, refusal: 400 }] };
    },
  },

  // The batch export of briefs: the list's filters, in the user's own scope; jobs are their starter's only.
  'GET /dossiers/argumentaires': {
    access: 'signed-in',
    make: async (w) => ({ probe: { url: `/dossiers/argumentaires?q=${encodeURIComponent((await w.newCase()).name)}` } }),
  },
  'POST /dossiers/argumentaires': {
    access: 'signed-in',
    make: async (w) => {
      const kase = await w.newCase();
      const url = `/dossiers/argumentaires?q=${encodeURIComponent(kase.name)}`;
      return {
        probe: { url, body: {} },
        // The outsider's scope holds no such case: back to the confirmation page, no job, nothing logged.
        foreign: [{ url, body: {}, refusal: 303, refusalLocation: /^\/dossiers\/argumentaires\?/ }],
      };
    },
  },
  'GET /dossiers/argumentaires/:file': {
    access: 'regional',
    ownerOnly: 'a batch export job and its file are shown to the user who started it only (src/exports/export-jobs.ts, find)',
    make: async (w) => {
      const kase = await w.newCase();
      const started = await send(w.rep.agent, 'POST', { url: `/dossiers/argumentaires?q=${encodeURIComponent(kase.name)}`, body: {} }, { csrf: await tokenOf(w.rep.agent, true) });
      const job = /^\/dossiers\/argumentaires\/([0-9a-f]{32})$/.exec(String(started.headers.location))?.[1];
      assert.ok(job, `a job is started: ${started.status} ${String(started.headers.location)}`);
      return { probe: { url: `/dossiers/argumentaires/${job}` }, foreign: [{ url: `/dossiers/argumentaires/${job}` }, { url: `/dossiers/argumentaires/${job}.zip` }] };
    },
  },
  'GET /dossiers/argumentaires.zip': {
    access: 'signed-in',
    make: async (w) => {
      const kase = await w.newCase();
      const url = `/dossiers/argumentaires.zip?q=${encodeURIComponent(kase.name)}`;
      return { probe: { url }, foreign: [{ url, refusal: 303, refusalLocation: /^\/dossiers\/argumentaires\?/ }] };
    },
  },

  // The CSV import of cases: analysed in the user's own scope; an import is its uploader's only.
  'GET /dossiers/import': { access: 'signed-in', make: plain('/dossiers/import') },
  'POST /dossiers/import': {
    access: 'signed-in',
    make: async (w) => ({ probe: { url: '/dossiers/import', upload: { field: 'fichier', fileName: 'dossiers.csv', content: await importFile(w) } } }),
  },
  'GET /dossiers/import/:id': { access: 'regional', ownerOnly: IMPORT_OWNER, make: async (w) => ({ probe: { url: `/dossiers/import/${await analysedImport(w)}` } }) },
  'POST /dossiers/import/:id/importer': {
    access: 'regional',
    ownerOnly: IMPORT_OWNER,
    make: async (w) => ({ probe: { url: `/dossiers/import/${await analysedImport(w)}/importer`, body: { mode: 'tout' } } }),
  },
  'POST /dossiers/import/:id/abandonner': {
    access: 'regional',
    ownerOnly: IMPORT_OWNER,
    make: async (w) => ({ probe: { url: `/dossiers/import/${await analysedImport(w)}/abandonner`, body: {} } }),
  },

  // ---- Hauts-de-France records ----
  'GET /dossiers/:id': { access: 'regional', make: async (w) => ({ probe: { url: `/dossiers/${(await w.newCase()).id}` } }) },
  'GET /dossiers/:id/journal': { access: 'regional', make: async (w) => ({ probe: { url: `/dossiers/${(await w.newCase()).id}/journal` } }) },
  'GET /dossiers/:id/modifier': { access: 'regional', make: async (w) => ({ probe: { url: `/dossiers/${(await w.newCase()).id}/modifier` } }) },
  'POST /dossiers/:id': {
    access: 'regional',
    make: async (w) => {
      const kase = await w.newCase();
      const page = await w.rep.agent.get(`/dossiers/${kase.id}/modifier`);
      const body = { ...readForm(page.text, `/dossiers/${kase.id}`), site: 'Agence Lille Fives' };
      return { probe: { url: `/dossiers/${kase.id}`, body } };
    },
  },
  'POST /dossiers/:id/consultations': {
    access: 'regional',
    make: async (w) => ({ probe: { url: `/dossiers/${(await w.newCase()).id}/consultations`, body: { at: '21/05/2024 23:10', action: 'consulted', explanation: 'unknown' } } }),
  },
  'POST /dossiers/:id/consultations/lot': {
    access: 'regional',
    make: async (w) => ({ probe: { url: `/dossiers/${(await w.newCase()).id}/consultations/lot`, body: { lines: '21/05/2024 23:10\n22/05/2024 06:15', action: 'consulted', explanation: 'unknown' } } }),
  },
  'POST /dossiers/:id/consultations/:consultationId/supprimer': {
    access: 'regional',
    make: async (w) => {
      const kase = await w.newCase();
      const consultation = await w.newConsultation(kase.id);
      const own = await w.outsiderCase();
      return {
        probe: { url: `/dossiers/${kase.id}/consultations/${consultation}/supprimer`, body: {} },
        foreign: [
          { url: `/dossiers/${kase.id}/consultations/${consultation}/supprimer`, body: {} },
          { url: `/dossiers/${own.id}/consultations/${consultation}/supprimer`, body: {} },
        ],
      };
    },
  },
  'POST /dossiers/:id/evenements': {
    access: 'regional',
    make: async (w) => ({ probe: { url: `/dossiers/${(await w.newCase()).id}/evenements`, body: { type: 'interview_held', date: '2024-09-16', note: 'Entretien tenu.' } } }),
  },
  'GET /dossiers/:id/evenements/:eventId/modifier': {
    access: 'regional',
    make: async (w) => {
      const kase = await w.newCase();
      const event = await w.newEvent(kase.id);
      const own = await w.outsiderCase();
      return {
        probe: { url: `/dossiers/${kase.id}/evenements/${event}/modifier` },
        foreign: [{ url: `/dossiers/${kase.id}/evenements/${event}/modifier` }, { url: `/dossiers/${own.id}/evenements/${event}/modifier` }],
      };
    },
  },
  'POST /dossiers/:id/evenements/:eventId': {
    access: 'regional',
    make: async (w) => {
      const kase = await w.newCase();
      const event = await w.newEvent(kase.id);
      const own = await w.outsiderCase();
      const body = { type: 'observations_sent', date: '2024-10-02', note: 'Corrigé.' };
      return {
        probe: { url: `/dossiers/${kase.id}/evenements/${event}`, body },
        foreign: [{ url: `/dossiers/${kase.id}/evenements/${event}`, body }, { url: `/dossiers/${own.id}/evenements/${event}`, body }],
      };
    },
  },
  'POST /dossiers/:id/evenements/:eventId/supprimer': {
    access: 'regional',
    make: async (w) => {
      const kase = await w.newCase();
      const event = await w.newEvent(kase.id);
      const own = await w.outsiderCase();
      return {
        probe: { url: `/dossiers/${kase.id}/evenements/${event}/supprimer`, body: {} },
        foreign: [{ url: `/dossiers/${kase.id}/evenements/${event}/supprimer`, body: {} }, { url: `/dossiers/${own.id}/evenements/${event}/supprimer`, body: {} }],
      };
    },
  },
  'GET /dossiers/:id/argumentaire': { access: 'regional', make: async (w) => ({ probe: { url: `/dossiers/${(await w.newCase()).id}/argumentaire` } }) },
  'POST /dossiers/:id/argumentaire': {
    access: 'regional',
    make: async (w) => {
      const kase = await w.newCase();
      const page = await w.rep.agent.get(`/dossiers/${kase.id}/argumentaire`);
      const form = readForm(page.text, `/dossiers/${kase.id}/argumentaire`);
      const url = `/dossiers/${kase.id}/argumentaire`;
      return {
        probe: { url, body: { ...form, action: 'generate' } },
        foreign: [
          { url, body: { ...form, action: 'generate' } },
          { url, body: { ...form, action: 'preview' } },
        ],
      };
    },
  },
  'GET /dossiers/:id/argumentaires/:file': {
    access: 'regional',
    make: async (w) => {
      const kase = await w.newCase();
      const version = await w.newBrief(kase.id);
      const own = await w.outsiderCase();
      return {
        probe: { url: `/dossiers/${kase.id}/argumentaires/${version}.pdf` },
        foreign: ['', '.pdf', '.docx'].flatMap((ext) => [
          { url: `/dossiers/${kase.id}/argumentaires/${version}${ext}` },
          // The outsider's own case with the Hauts-de-France version.
          { url: `/dossiers/${own.id}/argumentaires/${version}${ext}` },
        ]),
      };
    },
  },
  'GET /demandes/:id': { access: 'regional', make: async (w) => ({ probe: { url: `/demandes/${(await w.newRequest()).id}` } }) },
  'POST /demandes/:id/prise-en-charge': {
    access: 'regional',
    make: async (w) => ({ probe: { url: `/demandes/${(await w.newRequest()).id}/prise-en-charge`, body: { userId: String(w.rep.user.id) } } }),
  },
  'POST /demandes/:id/reponse': {
    access: 'regional',
    make: async (w) => ({ probe: { url: `/demandes/${(await w.newRequest()).id}/reponse`, body: { body: 'Bonjour, nous vous rappelons demain.' } } }),
  },
  'POST /demandes/:id/doublon': {
    access: 'regional',
    make: async (w) => {
      const req = await w.newRequest();
      const other = await w.newRequest();
      const own = await w.outsiderRequest();
      return {
        probe: { url: `/demandes/${req.id}/doublon`, body: { duplicateOf: other.reference } },
        foreign: [
          { url: `/demandes/${req.id}/doublon`, body: { duplicateOf: other.reference } },
          // The outsider's own request merged into a Hauts-de-France one: that reference is not theirs to name.
          { url: `/demandes/${own.id}/doublon`, body: { duplicateOf: other.reference }, refusal: 400, ownView: { entityType: 'support_request', entityId: own.id } },
        ],
      };
    },
  },
  'POST /demandes/:id/clore': { access: 'regional', make: async (w) => ({ probe: { url: `/demandes/${(await w.newRequest()).id}/clore`, body: {} } }) },
  'GET /declarations/:file': {
    access: 'regional',
    make: async (w) => {
      await w.newCase();
      const decl = await w.newDeclaration();
      return { probe: { url: `/declarations/${decl.id}.docx` }, foreign: ['', '.pdf', '.docx'].map((ext) => ({ url: `/declarations/${decl.id}${ext}` })) };
    },
  },

  // ---- one agent's data (src/agents): exports for whoever covers all of it, erasure for administrators ----
  'GET /agents/:id': { access: 'regional', make: async (w) => ({ probe: { url: `/agents/${(await w.newCase()).agentId}` } }) },
  'GET /agents/:id/donnees.json': {
    access: 'regional',
    make: async (w) => {
      const kase = await w.newCase();
      return { probe: { url: `/agents/${kase.agentId}/donnees.json` }, marker: kase.name };
    },
  },
  'GET /agents/:id/donnees.pdf': { access: 'regional', make: async (w) => ({ probe: { url: `/agents/${(await w.newCase()).agentId}/donnees.pdf` } }) },
  'GET /agents/:id/effacement': { access: 'admin', make: async (w) => ({ probe: { url: `/agents/${(await w.newCase()).agentId}/effacement` } }) },
  'POST /agents/:id/effacement': {
    access: 'admin',
    make: async (w) => {
      const kase = await w.newCase();
      return { probe: { url: `/agents/${kase.agentId}/effacement`, body: { confirmName: kase.name, caseIds: String(kase.id), requestIds: '' } } };
    },
  },

  // ---- administrators only ----
  'GET /campagnes/nouvelle': { access: 'admin', make: plain('/campagnes/nouvelle') },
  'POST /campagnes': { access: 'admin', make: async () => ({ probe: { url: '/campagnes', body: campaignForm() } }) },
  'GET /campagnes/:id/modifier': { access: 'admin', make: async (w) => ({ probe: { url: `/campagnes/${await w.newCampaign()}/modifier` } }) },
  'POST /campagnes/:id': { access: 'admin', make: async (w) => ({ probe: { url: `/campagnes/${await w.newCampaign()}`, body: campaignForm() } }) },
  'GET /campagnes/:id/chiffres': { access: 'admin', make: async (w) => ({ probe: { url: `/campagnes/${await w.newCampaign()}/chiffres` } }) },
  'POST /campagnes/:id/chiffres': {
    access: 'admin',
    make: async (w) => ({ probe: { url: `/campagnes/${await w.newCampaign()}/chiffres`, body: { scope: 'national', source: 'Tract', agents_concerned: '120' } } }),
  },
  'GET /admin/comptes': { access: 'admin', make: plain('/admin/comptes') },
  'GET /admin/comptes/nouveau': { access: 'admin', make: plain('/admin/comptes/nouveau') },
  'POST /admin/comptes': {
    access: 'admin',
    make: async () => ({ probe: { url: '/admin/comptes', body: { email: `${unique('invite').replace(/\W+/g, '.').toLowerCase()}@exemple.fr`, name: unique('Invitée'), role: 'rep', regions: ['HDF'] } } }),
  },
  'GET /admin/comptes/:id': { access: 'admin', make: async (w) => ({ probe: { url: `/admin/comptes/${await w.newAccount()}` } }) },
  'POST /admin/comptes/:id': {
    access: 'admin',
    make: async (w) => ({ probe: { url: `/admin/comptes/${await w.newAccount()}`, body: { name: 'Nom Changé', role: 'rep', regions: ['HDF', 'NOR'] } } }),
  },
  'POST /admin/comptes/:id/desactiver': { access: 'admin', make: async (w) => ({ probe: { url: `/admin/comptes/${await w.newAccount()}/desactiver`, body: {} } }) },
  'POST /admin/comptes/:id/reactiver': {
    access: 'admin',
    make: async (w) => {
      const id = await w.newAccount();
      await w.ctx.services.users.setStatus(id, 'disabled', new Date());
      return { probe: { url: `/admin/comptes/${id}/reactiver`, body: {} } };
    },
  },
  'POST /admin/comptes/:id/lien': { access: 'admin', make: async (w) => ({ probe: { url: `/admin/comptes/${await w.newAccount()}/lien`, body: {} } }) },
  'GET /admin/registre': { access: 'admin', make: plain('/admin/registre') },
  'POST /admin/comptes/:id/double-authentification': {
    access: 'admin',
    make: async (w) => {
      const rep = await w.ctx.createUser({ role: 'rep', regions: ['HDF'], secondFactor: true });
      return { probe: { url: `/admin/comptes/${rep.id}/double-authentification`, body: {} }, ok: 303 };
    },
  },
  // Switched off: switched on, every rep signed in later would be held at the enrolment page.
  'POST /admin/double-authentification': { access: 'admin', make: async () => ({ probe: { url: '/admin/double-authentification', body: {} }, ok: 303 }) },
  'GET /admin/reglages': { access: 'admin', make: plain('/admin/reglages') },
  'POST /admin/reglages': { access: 'admin', make: async () => ({ probe: { url: '/admin/reglages', body: { unionContact: 'Permanence CGT : 01 02 03 04 05' } } }) },
};

/**
 * A browser that gave the right password of an account with TEST_TOTP_SECRET and waits at the
 * code page, not signed in.
 */
export async function awaitingCode(w: World): Promise<Signed> {
  const user = await w.ctx.createUser({ role: 'rep', regions: ['HDF'], secondFactor: true });
  const agent = w.ctx.agent();
  const page = await agent.get('/connexion');
  const res = await agent.post('/connexion').type('form').send({ _csrf: extractCsrf(page.text), email: user.email, password: user.password });
  assert.equal(res.headers.location, '/connexion/code', 'the password step leads to the code page');
  // The token of the waiting session, remembered for the agent (it has no signed-in page to read one from).
  await tokenOf(agent, false);
  return { agent, user };
}

/** The code a phone holding TEST_TOTP_SECRET shows now (or `ahead` steps later: ctx.login used the current one). */
export function testCode(w: World, ahead = 0): string {
  return totpCodeAt(TEST_TOTP_SECRET, timeStepAt(w.ctx.clock.now()) + ahead);
}

async function setupToken(w: World): Promise<string> {
  const link = await w.ctx.services.tokens.issue({ purpose: 'setup', userId: null, createdBy: null, now: w.ctx.services.now(), validForMs: 3_600_000 });
  return link.token;
}

async function invitationToken(w: World): Promise<string> {
  const result = await w.ctx.services.accounts.invite(w.admin.user.id, {
    email: `${unique('lien').replace(/\W+/g, '.').toLowerCase()}@exemple.fr`,
    name: unique('Invitée Lien'),
    role: 'rep',
    regions: ['HDF'],
  });
  assert.ok(result.ok);
  return result.link.token;
}

/** Who sends a route's probe when it is allowed: the HDF rep, the administrator, or an anonymous visitor. */
export function ownerOf(w: World, spec: RouteSpec, made: Made): Signed | 'anonymous' {
  if (made.actor) return made.actor;
  if (spec.access === 'public') return 'anonymous';
  return spec.access === 'admin' ? w.admin : w.rep;
}

/** Sends a probe with a method, a token of the agent's session and extra headers. */
export async function send(
  agent: Agent,
  method: string,
  probe: Probe,
  options: { csrf?: string | null; headers?: Record<string, string> } = {},
) {
  const m = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  let req = agent[m](probe.url);
  for (const [k, v] of Object.entries(options.headers ?? {})) req = req.set(k, v);
  if (m === 'get') return req;
  const fields: Fields = { ...(probe.body ?? {}) };
  if (options.csrf) fields._csrf = options.csrf;
  let res;
  if (probe.upload) {
    for (const [name, value] of Object.entries(fields)) for (const v of [value ?? []].flat()) req = req.field(name, v);
    res = await req.attach(probe.upload.field, probe.upload.content, { filename: probe.upload.fileName, contentType: 'text/csv' });
  } else {
    res = await req.type('form').send(encode(fields));
  }
  await settle(agent, res);
  return res;
}

/**
 * Waits for the background work a response started (a batch export of briefs writes its audit
 * entries as it goes), so that a snapshot taken next sees all of its effects.
 */
export async function settle(agent: Agent, res: { headers: Record<string, unknown> }): Promise<void> {
  const location = String(res.headers.location ?? '');
  // A batch export of briefs, or a CSV import of cases: their pages show a <progress> while they run.
  const job = /^\/dossiers\/argumentaires\/[0-9a-f]{32}$/.exec(location)?.[0] ?? /^\/dossiers\/import\/(?!.*\/)[^?#]+$/.exec(location)?.[0];
  if (!job) return;
  for (let i = 0; i < 500; i++) {
    const page = await agent.get(`${job}?auto=non`);
    if (page.status !== 200 || !/<progress\b/.test(page.text)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`job ${job} still running after 10 s`);
}

/** The export of one case as the rep downloads it, with its site changed: a file the import would write. */
async function importFile(w: World): Promise<Buffer> {
  const kase = await w.newCase();
  const csv = await w.rep.agent.get(`/dossiers/export.csv?q=${encodeURIComponent(kase.name)}`);
  assert.equal(csv.status, 200);
  assert.ok(csv.text.includes('Agence Lille Centre'), 'the export carries the case');
  return Buffer.from(csv.text.replace('Agence Lille Centre', 'Agence Lille Wazemmes'), 'utf8');
}

/** An analysed import (dry run) of the rep's, ready to be imported or discarded. */
async function analysedImport(w: World): Promise<string> {
  const res = await send(w.rep.agent, 'POST', { url: '/dossiers/import', upload: { field: 'fichier', fileName: 'dossiers.csv', content: await importFile(w) } }, { csrf: await tokenOf(w.rep.agent, true) });
  const id = /^\/dossiers\/import\/([^/?#]+)$/.exec(String(res.headers.location))?.[1];
  assert.ok(id, `the file is analysed: ${res.status} ${String(res.headers.location)} ${text(res.text ?? '').slice(0, 300)}`);
  return id;
}

/**
 * Log hygiene: the app runs with the real logger of src/logger.ts (its options and redaction) at
 * the most verbose level, writing into memory. A canary value goes into every form field we can
 * reach — sign-in, first set-up and invitation links, the public request, its follow-up page,
 * cases, events, consultations, briefs, replies, declarations, accounts, campaigns, the cells and
 * file name of a CSV import, the name typed to confirm an agent's erasure, the list's filters sent to
 * its exports and the batch export of briefs — through successful submissions, refusals (400, 403,
 * 404, 409, 413), background jobs and URLs; none of it, no follow-up or account link token and no
 * password, may appear in the log. The follow-up link is also e-mailed through the real SMTP mailer
 * to a local SMTP server that rejects the address. The services log into the same memory (a CSV
 * import job failing on a refused write proves it), so their lines are checked too.
 */
import assert from 'node:assert/strict';
import { type AddressInfo, type Socket, createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type request from 'supertest';
import { createSmtpMailer } from '../../src/mail/mailer';
import { type Agent, extractCsrf, testTotpCode } from '../helpers/context';
import { type Fields, encode } from '../helpers/forms';
import { type CsvRow, ODD_HOURS_LABEL, binary, casesCsv, createLoggedContext, forgetToken, importIdOf, multipart, readForm, tokenOf, uploadCases, zipEntries } from './support';

type Ctx = Awaited<ReturnType<typeof createLoggedContext>>;

/** Every canary contains this, in any case: the log must never contain it. */
const MARK = 'canari';
const canary = (field: string) => `Canari-${field}-7Q4Z`;
const CANARY_PHONE = '07 13 57 91 13';
/** Secrets the log must never hold either. */
const secrets: string[] = [];

function assertClean(log: string, what: string): void {
  const lower = log.toLowerCase();
  const at = lower.indexOf(MARK);
  assert.equal(at, -1, `${what}: a canary reached the log: …${log.slice(Math.max(0, at - 200), at + 200)}…`);
  for (const secret of [...secrets, CANARY_PHONE, CANARY_PHONE.replace(/ /g, '')]) {
    assert.ok(!log.includes(secret), `${what}: a secret reached the log (${secret.slice(0, 6)}…)`);
  }
}

/** A local SMTP server that refuses every recipient the way Postfix does, naming the address. */
function rejectingSmtp() {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setEncoding('utf8');
    socket.write('220 smtp.exemple.test ESMTP\r\n');
    let buffer = '';
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250-smtp.exemple.test\r\n250 8BITMIME\r\n');
        else if (verb === 'MAIL') socket.write('250 2.1.0 Ok\r\n');
        else if (verb === 'RCPT') {
          const address = /<([^>]*)>/.exec(line)?.[1] ?? '';
          socket.write(`550 5.1.1 <${address}>: Recipient address rejected: User unknown in virtual mailbox table\r\n`);
        } else if (verb === 'QUIT') socket.end('221 2.0.0 Bye\r\n');
        else socket.write('250 Ok\r\n');
      }
    });
  });
  return {
    async start(): Promise<number> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return (server.address() as AddressInfo).port;
    },
    async stop(): Promise<void> {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The lines logged since `from`, the failed follow-up e-mail's own line apart (it has its own test). */
function logSince(from: number, options: { withMailFailures?: boolean } = {}): string {
  return ctx.log.lines
    .slice(from)
    .filter((l) => options.withMailFailures || !l.includes('follow-up e-mail not sent'))
    .join('\n');
}

let ctx: Ctx;
let smtp: ReturnType<typeof rejectingSmtp>;
let rep: { agent: Agent; id: number };
let admin: { agent: Agent; id: number };

async function signIn(c: Ctx, role: 'rep' | 'admin') {
  const user = await c.createUser({ role, regions: role === 'rep' ? ['HDF'] : [] });
  const agent = c.agent();
  const csrf = await tokenOf(agent, false);
  const res = await agent.post('/connexion').type('form').send(encode({ _csrf: csrf, email: user.email, password: user.password }));
  assert.equal(res.status, 303);
  if (res.headers.location === '/connexion/code') {
    // An administrator's second step: its code must stay out of the logs as well.
    const page = await agent.get('/connexion/code');
    const done = await agent.post('/connexion/code').type('form').send(encode({ _csrf: extractCsrf(page.text), code: testTotpCode(c.clock.now()) }));
    assert.equal(done.headers.location, '/');
  }
  forgetToken(agent); // signing in gives a new session, with its own token
  return { agent, id: user.id };
}

/** Posts with the session's token, read first: a request takes the agent's cookies when it is created. */
async function post(agent: Agent, url: string, fields: Fields, signedIn = true): Promise<request.Response> {
  const csrf = await tokenOf(agent, signedIn);
  return agent.post(url).type('form').send(encode({ _csrf: csrf, ...fields }));
}

/** Loads the public form and sends it with its one-time key, as a browser does. */
async function postRequest(agent: Agent, fields: Fields): Promise<request.Response> {
  const form = await agent.get('/demande');
  return post(agent, '/demande', { submissionKey: readForm(form.text, '/demande').submissionKey, ...fields }, false);
}

/** The follow-up link's token, from the redirect that ends a stored request (never from its body). */
function followUpToken(res: request.Response): string {
  assert.equal(res.status, 303);
  const token = /^\/demande\/suivi\/([A-Za-z0-9_-]{22})$/.exec(String(res.headers.location))?.[1];
  assert.ok(token, `redirected to the follow-up link: ${String(res.headers.location)}`);
  return token;
}

before(async () => {
  smtp = rejectingSmtp();
  const port = await smtp.start();
  // The app's own SMTP mailer (nodemailer), pointed at the local server.
  const mailer = createSmtpMailer({ host: '127.0.0.1', port, secure: false, user: null, password: null, from: 'vigie@exemple.test' } as never);
  ctx = await createLoggedContext({ level: 'trace', mailer });
  rep = await signIn(ctx, 'rep');
  admin = await signIn(ctx, 'admin');
});
after(async () => {
  await ctx.close();
  await smtp.stop();
});

describe('log hygiene', () => {
  it('logs every request, by route pattern (the capture works)', async () => {
    const from = ctx.log.lines.length;
    const res = await rep.agent.get('/dossiers?q=Canari-recherche-7Q4Z');
    assert.equal(res.status, 200);
    assert.ok(ctx.log.lines.length > 3);
    assert.match(ctx.log.text, /"route":"\/dossiers"/);
    assert.match(ctx.log.text, /"level":10|"level":20|"level":30/);
    assertClean(logSince(from), 'a search by name');
  });

  it('keeps sign-in emails and passwords out, whether the attempt succeeds, fails or is refused', async () => {
    const from = ctx.log.lines.length;
    const password = 'Canari-motdepasse-7Q4Z-long';
    const user = await ctx.createUser({ email: 'canari.connexion@exemple.fr', password });
    secrets.push(password);
    const agent = ctx.agent();
    assert.equal((await post(agent, '/connexion', { email: user.email, password: 'Canari-faux-7Q4Z' }, false)).status, 401);
    assert.equal((await post(agent, '/connexion', { email: 'canari.inconnu@exemple.fr', password }, false)).status, 401);
    assert.equal((await post(agent, '/connexion', { email: canary('email'), password: '' }, false)).status, 400);
    assert.equal((await agent.post('/connexion').type('form').send(encode({ _csrf: 'Canari-jeton-7Q4Z', email: user.email, password }))).status, 403);
    assert.equal((await post(agent, '/connexion', { email: user.email, password: `${password}${'x'.repeat(300 * 1024)}` }, false)).status, 413);
    assert.equal((await post(agent, '/connexion', { email: user.email, password }, false)).status, 303);
    assertClean(logSince(from), 'sign-in');
  });

  it('keeps first set-up and invitation links, and the passwords chosen through them, out', async () => {
    const from = ctx.log.lines.length;
    const setup = await ctx.services.tokens.issue({ purpose: 'setup', userId: null, createdBy: null, now: ctx.services.now(), validForMs: 3_600_000 });
    secrets.push(setup.token);
    const password = 'Canari-installation-7Q4Z';
    secrets.push(password);
    const visitor = ctx.agent();
    assert.equal((await visitor.get(`/installation/${setup.token}`)).status, 200);
    assert.equal((await post(visitor, `/installation/${setup.token}`, { name: canary('nom'), email: 'canari.admin@exemple.fr', password, passwordConfirm: 'autre' }, false)).status, 400);
    assert.equal((await post(visitor, `/installation/${setup.token}`, { name: canary('nom'), email: 'canari.admin@exemple.fr', password, passwordConfirm: password }, false)).status, 303);
    assert.equal((await ctx.agent().get(`/installation/${setup.token}`)).status, 404, 'a used link');

    const invited = await post(admin.agent, '/admin/comptes', { email: 'canari.invitee@exemple.fr', name: canary('invitee'), role: 'rep', regions: ['HDF'] });
    assert.equal(invited.status, 201);
    const link = /\/acces\/([A-Za-z0-9_-]{20,})/.exec(invited.text)?.[1];
    assert.ok(link);
    secrets.push(link);
    const chosen = 'Canari-invitation-7Q4Z';
    secrets.push(chosen);
    const guest = ctx.agent();
    assert.equal((await guest.get(`/acces/${link}`)).status, 200);
    assert.equal((await post(guest, `/acces/${link}`, { password: 'Canari', passwordConfirm: 'Canari' }, false)).status, 400);
    assert.equal((await post(guest, `/acces/${link}`, { password: chosen, passwordConfirm: chosen }, false)).status, 303);
    const id = /action="\/admin\/comptes\/(\d+)"/.exec(invited.text)![1];
    const reset = await post(admin.agent, `/admin/comptes/${id}/lien`, {});
    const resetLink = /\/acces\/([A-Za-z0-9_-]{20,})/.exec(reset.text)?.[1];
    assert.ok(resetLink);
    secrets.push(resetLink);
    assert.equal((await post(admin.agent, `/admin/comptes/${id}`, { name: canary('renomme'), role: 'rep', regions: ['HDF'] })).status, 303);
    assertClean(logSince(from), 'set-up and invitation links');
  });

  it('keeps the public request, its follow-up link and everything typed on its page out', async () => {
    const from = ctx.log.lines.length;
    const visitor = ctx.agent();
    const fields = {
      name: canary('nom'),
      email: 'canari.agent@exemple.fr',
      phone: CANARY_PHONE,
      preferredContact: 'email',
      regionCode: 'HDF',
      site: canary('site'),
      convocationDate: '2024-09-02',
      interviewDate: '2024-09-16',
      summonedBy: canary('convocateur'),
      situation: 'odd_hours',
      message: canary('message'),
      consent: 'on',
      precisions: '',
    };
    assert.equal((await postRequest(visitor, { ...fields, consent: '' })).status, 400);
    assert.equal((await post(visitor, '/demande', fields, false)).status, 400, 'a form without its key');
    // The token travels in the redirect's Location header: nothing may log it from there.
    const res = await postRequest(visitor, fields);
    const token = followUpToken(res);
    secrets.push(token, token.slice(0, 16));
    const base = `/demande/suivi/${token}`;
    const confirmation = await visitor.get(base);
    assert.equal(confirmation.status, 200);
    assert.ok(confirmation.text.includes(`${base}</a>`), 'the confirmation, shown once');
    assert.equal((await visitor.get(base)).status, 200);
    assert.equal((await post(visitor, `${base}/message`, { body: canary('suivi') }, false)).status, 303);
    assert.equal((await post(visitor, `${base}/message`, { body: '' }, false)).status, 400);
    assert.equal((await post(visitor, `${base}/contact`, { email: 'canari.nouvelle@exemple.fr', phone: CANARY_PHONE, preferredContact: 'email' }, false)).status, 303);
    assert.equal((await post(visitor, `${base}/contact`, { email: 'canari-pas-une-adresse', phone: '', preferredContact: 'email' }, false)).status, 400);
    assert.equal((await visitor.get(`${base}x`)).status, 404, 'a mistyped link');
    assert.equal((await post(visitor, `${base}x/message`, { body: canary('perdu') }, false)).status, 404);

    const row = await ctx.db.selectFrom('supportRequests').select(['id', 'reference']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal((await rep.agent.get(`/demandes/${row.id}`)).status, 200);
    assert.equal((await post(rep.agent, `/demandes/${row.id}/reponse`, { body: canary('reponse') })).status, 303);
    assert.equal((await post(rep.agent, `/demandes/${row.id}/doublon`, { duplicateOf: canary('doublon') })).status, 400);
    assert.equal((await post(visitor, `${base}/effacer`, { confirm: 'on' }, false)).status, 200);

    assertClean(logSince(from), 'the public request and its follow-up page');
  });

  it(
    'keeps the agent’s address out when the follow-up e-mail is rejected by the SMTP server',
    async () => {
      const visitor = ctx.agent();
    const from = ctx.log.lines.length;
      const res = await postRequest(visitor, { name: 'Agent Courriel', email: 'canari.refuse@exemple.fr', phone: '', preferredContact: 'email', regionCode: 'HDF', situation: 'unknown', consent: 'on', precisions: '' });
      secrets.push(followUpToken(res));
      assert.match(logSince(from, { withMailFailures: true }), /follow-up e-mail not sent/, 'the failure is logged');
      assertClean(logSince(from, { withMailFailures: true }), 'a rejected follow-up e-mail');
    },
  );

  it(
    'keeps a follow-up or account link token out when the link arrives with a malformed percent-escape after it',
    async () => {
      const from = ctx.log.lines.length;
      const req = await postRequest(ctx.agent(), { name: 'Agent Lien Abîmé', email: '', phone: '06 11 22 33 44', preferredContact: 'phone', regionCode: 'HDF', situation: 'unknown', consent: 'on', precisions: '' });
      const token = followUpToken(req);
      secrets.push(token);
      const invited = await post(admin.agent, '/admin/comptes', { email: 'lien.abime@exemple.fr', name: 'Lien Abîmé', role: 'rep', regions: ['HDF'] });
      const link = /\/acces\/([A-Za-z0-9_-]{20,})/.exec(invited.text)![1]!;
      secrets.push(link);
      // A link cut in the middle of an escaped character (« %C2 » of « » », pasted right after it).
      for (const url of [`/demande/suivi/${token}%C2`, `/acces/${link}%C2`]) {
        const res = await ctx.agent().get(url);
        assert.ok(res.status === 400 || res.status === 404, `${url}: ${res.status}`);
      }
      assertClean(logSince(from), 'a mangled link');
    },
  );

  it('keeps case, event, consultation, brief, declaration and campaign texts out, saved or refused', async () => {
    const from = ctx.log.lines.length;
    const caseFields: Fields = {
      fullName: canary('agent'),
      proEmail: 'canari.pro@exemple.fr',
      personalEmail: 'canari.perso@exemple.fr',
      phone: CANARY_PHONE,
      regionCode: 'HDF',
      site: canary('site'),
      job: canary('metier'),
      employmentStatus: 'private',
      campaignId: '2',
      situations: ['odd_hours', 'other_conflict'],
      otherSituationText: canary('autre'),
      knowledgeDate: '2024-07-01',
      convocationDate: '2024-09-02',
      interviewDate: '2024-09-16',
      managerName: canary('manager'),
      interviewTone: 'pressure',
      toneNotes: canary('ton'),
      agentAccount: canary('recit'),
      consultationsText: '14/05/2024 21:15',
      confirmNewAgent: 'on',
    };
    assert.equal((await post(rep.agent, '/dossiers', { ...caseFields, interviewDate: '2024-08-01' })).status, 400);
    assert.equal((await post(rep.agent, '/dossiers', { ...caseFields, consultationsText: canary('consultations') })).status, 400);
    const created = await post(rep.agent, '/dossiers', caseFields);
    assert.equal(created.status, 303);
    const id = Number(/\/dossiers\/(\d+)/.exec(String(created.headers.location))![1]);
    assert.equal((await post(rep.agent, `/dossiers/${id}`, { ...caseFields, fullName: canary('renomme') })).status, 303);
    assert.equal((await post(rep.agent, `/dossiers/${id}/evenements`, { type: 'interview_held', date: '2024-09-16', note: canary('note') })).status, 303);
    assert.equal((await post(rep.agent, `/dossiers/${id}/evenements`, { type: 'closed', date: '2024-09-16', note: canary('note-refusee') })).status, 400);
    assert.equal((await post(rep.agent, `/dossiers/${id}/consultations`, { at: '15/05/2024 22:00', action: 'consulted', explanation: 'other', explanationText: canary('precision') })).status, 303);
    assert.equal((await post(rep.agent, `/dossiers/${id}/consultations/lot`, { lines: canary('lignes'), action: 'consulted', explanation: 'unknown' })).status, 400);
    assert.equal((await rep.agent.get(`/dossiers/${canary('chemin')}`)).status, 404);

    const review = await rep.agent.get(`/dossiers/${id}/argumentaire`);
    const briefForm = readForm(review.text, `/dossiers/${id}/argumentaire`);
    assert.equal((await post(rep.agent, `/dossiers/${id}/argumentaire`, { ...briefForm, free_1_title: canary('titre'), free_1_text: canary('paragraphe'), action: 'preview' })).status, 200);
    const generated = await post(rep.agent, `/dossiers/${id}/argumentaire`, { ...briefForm, free_1_title: canary('titre'), free_1_text: canary('paragraphe'), action: 'generate' });
    assert.equal(generated.status, 303);
    for (const ext of ['', '.pdf', '.docx']) assert.equal((await rep.agent.get(`${String(generated.headers.location)}${ext}`)).status, 200);

    const settings = { meetingKind: 'CSE', bodyName: canary('instance'), meetingDate: '2026-12-10', campaignId: '2', regions: ['HDF'] };
    const compose = await rep.agent.get(`/declarations/nouvelle/textes?${encode(settings)}`);
    assert.equal(compose.status, 200);
    const declForm = readForm(compose.text, '/declarations/nouvelle/textes');
    const declaration = await post(rep.agent, '/declarations/nouvelle/textes', { ...declForm, free_1_title: canary('titre-cse'), free_1_text: canary('texte-cse'), action: 'generate' });
    assert.equal(declaration.status, 303);
    for (const ext of ['', '.pdf', '.docx']) assert.equal((await rep.agent.get(`${String(declaration.headers.location)}${ext}`)).status, 200);
    assert.equal((await rep.agent.get(`/declarations/nouvelle/textes?${encode({ ...settings, meetingDate: canary('date') })}`)).status, 400);

    assert.equal((await post(admin.agent, '/campagnes', { name: canary('campagne'), description: canary('description'), commitmentText: canary('engagement'), source: canary('source'), status: 'active', situations: ['odd_hours'] })).status, 303);
    assert.equal((await post(admin.agent, '/campagnes', { name: canary('campagne-refusee'), status: 'inconnu' })).status, 400);
    const csv = await rep.agent.get(`/dossiers/export.csv?q=${canary('export')}`);
    assert.equal(csv.status, 200);
    assertClean(logSince(from), 'case work');
  });
});

// ---- CSV import, agent erasure, batch export: the forms added since --------------------------------

/** The Hauts-de-France case a test works on, created through the form (its agent named by the caller). */
async function newCase(fullName: string, overrides: Fields = {}): Promise<{ id: number; agentId: number }> {
  const res = await post(rep.agent, '/dossiers', {
    fullName,
    regionCode: 'HDF',
    site: 'Agence Valenciennes',
    employmentStatus: 'private',
    campaignId: '2',
    situations: ['odd_hours'],
    consultationsText: '14/05/2024 21:15',
    confirmNewAgent: 'on',
    ...overrides,
  });
  assert.equal(res.status, 303, `case refused: ${res.status}`);
  const id = Number(/^\/dossiers\/(\d+)$/.exec(String(res.headers.location))![1]);
  const row = await ctx.db.selectFrom('cases').select('agentId').where('id', '=', id).executeTakeFirstOrThrow();
  return { id, agentId: row.agentId };
}

async function campaignName(id: number): Promise<string> {
  return (await ctx.db.selectFrom('campaigns').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name;
}

/** Reloads a job's page (import or batch export) until it no longer shows a <progress>. */
async function waitForJob(url: string): Promise<request.Response> {
  for (let i = 0; i < 500; i++) {
    const page = await rep.agent.get(`${url}?auto=non`);
    assert.equal(page.status, 200, `${url}: ${page.status}`);
    if (!/<progress\b/.test(page.text)) return page;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`${url} still running after 10 s`);
}

/** The log holds a request line for each of these route patterns: the requests of the test were captured. */
function assertLogged(log: string, routes: string[]): void {
  for (const route of routes) assert.ok(log.includes(`"route":"${route}"`), `a request to ${route} is in the captured log`);
}

describe('log hygiene of the CSV import, the agent erasure and the batch export', () => {
  it('captures the services’ own logs too: a failing import job logs its failure, and no cell of its file', async () => {
    const wave2 = await campaignName(2);
    const from = ctx.log.lines.length;
    const file = casesCsv([
      { agent: canary('job-agent'), region: 'Hauts-de-France', site: canary('job-site'), job: canary('job-metier'), campaign: wave2, situations: ODD_HOURS_LABEL },
      { agent: canary('job-agent-bis'), region: 'HDF', site: canary('job-site-bis'), campaign: wave2, situations: ODD_HOURS_LABEL },
    ]);
    const id = importIdOf(await uploadCases(rep.agent, file, { fileName: `${canary('job-fichier')}.csv` }));
    const url = `/dossiers/import/${id}`;
    // A write the database refuses in the middle of the job (a full disk would do the same): the
    // job stops and the service logs it, through the logger buildServices was given.
    await sql`create trigger refuse_case_insert before insert on cases begin select raise(abort, 'refused by the log hygiene test'); end`.execute(ctx.db);
    try {
      assert.equal((await post(rep.agent, `${url}/importer`, { mode: 'tout' })).status, 303);
      await ctx.services.caseImports.settled();
    } finally {
      await sql`drop trigger refuse_case_insert`.execute(ctx.db);
    }
    await waitForJob(url);
    const status = (await sql<{ status: string }>`select status from case_imports where id = ${id}`.execute(ctx.db)).rows[0]?.status;
    assert.equal(status, 'failed', 'the job stopped on the refused write, as intended');
    const log = logSince(from);
    const serviceLines = log.split('\n').filter((l) => l.includes('"level":50') && l.includes(`"import":"${id}"`));
    assert.ok(serviceLines.length > 0, 'the service’s error about this import reached the captured log (buildServices got the memory logger)');
    assert.match(serviceLines.join('\n'), /refused by the log hygiene test/, 'with its cause');
    assertClean(log, 'a failed import job');
  });

  it('keeps CSV import cells and file names out: dry run, refused files, import of the valid rows', async () => {
    const wave2 = await campaignName(2);
    const existing = await newCase('Agent Import Existant');
    const from = ctx.log.lines.length;
    const rows: CsvRow[] = [
      // Valid: a new case, and an update of an existing one.
      { agent: canary('import-agent'), region: 'Hauts-de-France', site: canary('import-site'), job: canary('import-metier'), campaign: wave2, situations: ODD_HOURS_LABEL },
      { id: String(existing.id), agent: 'Agent Import Existant', region: 'Hauts-de-France', site: canary('import-site-modifie'), campaign: wave2, situations: ODD_HOURS_LABEL },
      // Invalid: each cell's message quotes what was typed.
      {
        agent: canary('import-invalide'),
        region: canary('import-region'),
        site: canary('import-site-invalide'),
        campaign: canary('import-campagne'),
        situations: canary('import-situation'),
        convocation: canary('import-date'),
        tone: canary('import-ton'),
        reps: canary('import-rep'),
      },
      { id: canary('import-numero'), agent: canary('import-numero-agent'), region: 'Hauts-de-France', campaign: wave2, situations: ODD_HOURS_LABEL },
    ];
    const res = await uploadCases(rep.agent, casesCsv(rows), { fileName: `${canary('import-fichier')}.csv` });
    const url = `/dossiers/import/${importIdOf(res)}`;
    const dry = await rep.agent.get(url);
    assert.equal(dry.status, 200);
    assert.ok(dry.text.includes('Canari-import-region-7Q4Z'), 'the dry run shows the cells (so they went through the planner)');
    for (const query of ['?voir=erreurs', '?voir=creations', '?voir=modifications', `?voir=${canary('voir')}&page=${canary('page')}`]) {
      assert.equal((await rep.agent.get(`${url}${query}`)).status, 200, query);
    }
    // « Tout importer » is refused while rows are in error: the dry run again, 409.
    assert.equal((await post(rep.agent, `${url}/importer`, { mode: 'tout' })).status, 409);
    assert.equal((await post(rep.agent, `${url}/importer`, { mode: canary('mode') })).status, 404);
    assert.equal((await post(rep.agent, `${url}/importer`, { mode: 'valides' })).status, 303);
    await ctx.services.caseImports.settled();
    const job = await waitForJob(url);
    assert.match(job.text, /2 \/ 2 dossiers importés/, 'the valid rows were written');
    assert.equal((await rep.agent.get(`/dossiers?q=${canary('import-agent')}`)).status, 200);

    // Refused files, each carrying canaries in its cells or its name.
    const refused: Array<{ name: string; status: number; send: () => Promise<request.Response> }> = [
      { name: 'unknown column', status: 400, send: () => uploadCases(rep.agent, Buffer.from(`N° dossier;Agent;${canary('colonne')}\r\n;${canary('agent-colonne')};x\r\n`), { fileName: `${canary('colonne-fichier')}.csv` }) },
      { name: 'unclosed quote', status: 400, send: () => uploadCases(rep.agent, Buffer.concat([casesCsv([]), Buffer.from(`;"${canary('guillemet')};\r\n`)]), { fileName: `${canary('guillemet-fichier')}.csv` }) },
      { name: 'not a text file', status: 400, send: () => uploadCases(rep.agent, Buffer.from(`${canary('binaire')}\u0000\u0000`), { fileName: `${canary('binaire-fichier')}.csv` }) },
      { name: 'over 10 MB', status: 413, send: () => uploadCases(rep.agent, Buffer.concat([casesCsv([{ agent: canary('gros') }]), Buffer.alloc(10 * 1024 * 1024, 'a')]), { fileName: `${canary('gros-fichier')}.csv` }) },
      { name: 'without the session’s token', status: 403, send: () => uploadCases(rep.agent, casesCsv([{ agent: canary('sans-jeton') }]), { fileName: `${canary('jeton-fichier')}.csv`, csrf: canary('jeton') }) },
    ];
    for (const r of refused) assert.equal((await r.send()).status, r.status, r.name);
    // An anonymous upload: refused before anything is read.
    const anonymous = ctx.agent();
    const anon = multipart({ _csrf: await tokenOf(anonymous, false) }, { field: 'fichier', content: casesCsv([{ agent: canary('anonyme') }]), fileName: `${canary('anonyme-fichier')}.csv` });
    assert.ok([303, 403].includes((await anonymous.post('/dossiers/import').set('Content-Type', anon.contentType).send(anon.body)).status));
    // A name given as RFC 5987 `filename*`, with a path and a line break in it; then abandoned.
    const starred = await uploadCases(rep.agent, casesCsv(rows.slice(0, 1)), { fileNameStar: encodeURIComponent(`../${canary('etoile')}\r\n.csv`) });
    const abandoned = `/dossiers/import/${importIdOf(starred)}`;
    assert.equal((await rep.agent.get(abandoned)).status, 200);
    assert.equal((await post(rep.agent, `${abandoned}/abandonner`, {})).status, 303);
    assert.equal((await rep.agent.get(`/dossiers/import/${canary('identifiant')}`)).status, 404);

    const log = logSince(from);
    assertLogged(log, ['/dossiers/import', '/dossiers/import/:id', '/dossiers/import/:id/importer', '/dossiers/import/:id/abandonner']);
    assertClean(log, 'the CSV import');
  });

  it('keeps the agent’s name out of the erasure: typed wrong, refused, then erased', async () => {
    const name = canary('efface');
    const kase = await newCase(name);
    const base = `/agents/${kase.agentId}`;
    const from = ctx.log.lines.length;
    for (const url of [base, `${base}/donnees.json`, `${base}/donnees.pdf`, `${base}/effacement`]) assert.equal((await admin.agent.get(url)).status, 200, url);
    const ids = { caseIds: String(kase.id), requestIds: '' };
    const attempts: Array<{ who: { agent: Agent }; body: Fields; status: number; why: string }> = [
      { who: rep, body: { confirmName: name, ...ids }, status: 403, why: 'a rep may not erase' },
      { who: admin, body: { confirmName: canary('nom-tape'), ...ids }, status: 400, why: 'a wrong name typed' },
      { who: admin, body: { confirmName: `${name} ${canary('trop-long')}`.repeat(10), ...ids }, status: 400, why: 'a name too long' },
      { who: admin, body: { confirmName: name, caseIds: canary('dossiers'), requestIds: '' }, status: 400, why: 'a malformed list of ids' },
      { who: admin, body: { confirmName: name, caseIds: '', requestIds: '' }, status: 409, why: 'the cases changed meanwhile' },
      { who: admin, body: { confirmName: name.toUpperCase(), ...ids }, status: 303, why: 'the right name' },
    ];
    for (const a of attempts) assert.equal((await post(a.who.agent, `${base}/effacement`, a.body)).status, a.status, a.why);
    assert.equal((await admin.agent.get(base)).status, 404, 'erased');
    assert.equal((await post(admin.agent, `/agents/${canary('id')}/effacement`, { confirmName: name })).status, 404);
    const log = logSince(from);
    assertLogged(log, ['/agents/:id', '/agents/:id/donnees.json', '/agents/:id/donnees.pdf', '/agents/:id/effacement']);
    assertClean(log, 'the agent erasure');
  });

  it('keeps the list’s filters out of the case list, its CSV export and the batch export of briefs', async () => {
    const name = canary('zip');
    const site = canary('zip-site');
    await newCase(name, { site });
    const from = ctx.log.lines.length;
    const filters = `q=${encodeURIComponent(name)}&site=${encodeURIComponent(site)}`;
    const junk = `q=${canary('aucun')}&campagne=${canary('campagne')}&region=${canary('region')}&rep=${canary('rep')}&etat=${canary('etat')}&tri=${canary('tri')}&page=${canary('page')}`;
    for (const url of [`/dossiers?${filters}`, `/dossiers/export.csv?${filters}`, `/dossiers/argumentaires?${filters}`, `/dossiers?${junk}`, `/dossiers/export.csv?${junk}`, `/dossiers/argumentaires?${junk}`]) {
      assert.equal((await rep.agent.get(url)).status, 200, url);
    }
    // Straight into the response, and through the background job.
    const direct = await rep.agent.get(`/dossiers/argumentaires.zip?${filters}`).buffer(true).parse(binary);
    assert.equal(direct.status, 200);
    assert.equal((await rep.agent.get(`/dossiers/argumentaires.zip?${junk}`)).status, 303, 'nothing matches: back to the confirmation');
    assert.equal((await post(rep.agent, `/dossiers/argumentaires?${junk}`, {})).status, 303);
    const started = await post(rep.agent, `/dossiers/argumentaires?${filters}`, {});
    const job = /^\/dossiers\/argumentaires\/[0-9a-f]{32}$/.exec(String(started.headers.location))?.[0];
    assert.ok(job, `a job is started: ${started.status} ${String(started.headers.location)}`);
    const page = await waitForJob(job);
    assert.match(page.text, /href="\/dossiers\/argumentaires\/[0-9a-f]{32}\.zip"/, 'the file is ready');
    const zip = await rep.agent.get(`${job}.zip`).buffer(true).parse(binary);
    assert.equal(zip.status, 200);
    for (const archive of [direct, zip]) {
      const entries = await zipEntries(archive.body as Buffer);
      assert.equal(entries.filter((e) => e.name.endsWith('.pdf')).length, 1, 'the filters select the one case');
      const readme = entries.find((e) => e.name === 'README.txt')?.data.toString('utf8') ?? '';
      assert.ok(readme.includes(`site « ${site} »`), 'the archive’s README names the site filter (so the filters went all the way)');
    }
    for (const url of [`/dossiers/argumentaires/${canary('job')}`, `/dossiers/argumentaires/${canary('job')}.zip`]) assert.equal((await rep.agent.get(url)).status, 404, url);
    const log = logSince(from);
    assertLogged(log, ['/dossiers', '/dossiers/export.csv', '/dossiers/argumentaires', '/dossiers/argumentaires.zip', '/dossiers/argumentaires/:file']);
    assertClean(log, 'the list’s filters and the batch export');
  });
});

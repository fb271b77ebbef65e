import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Signed, type TestContext, createTestContext, extractCsrf, NO_RATE_LIMIT, PEOPLE } from '../helpers/context';
import { type Fields, csrfOf, post, postForm as postRaw } from '../helpers/forms';
import { text } from '../helpers/html';
import { caseFormsOf } from '../fixtures/case-form';
import { uniqueNames } from '../fixtures/names';

/**
 * Cases (dossiers): creating, reading, editing a case and its consultations and timeline, the
 * commitment rules as a rep sees them, and every refusal (session, CSRF, validation, scope, ids).
 * The list, the CSV export and the home dashboard are in cases-list.test.ts.
 */

let ctx: TestContext;
/** outsider covers Île-de-France only: must never reach a Hauts-de-France case. */
let admin: Signed, rep: Signed, colleague: Signed, outsider: Signed;
let wave1Id: number;
let wave2Id: number;

before(async () => {
  ctx = await createTestContext(NO_RATE_LIMIT);
  [admin, rep, colleague, outsider] = await ctx.signInAll(PEOPLE.admin, PEOPLE.rep, PEOPLE.colleague, PEOPLE.outsider);
  const campaigns = await ctx.db.selectFrom('campaigns').select(['id', 'wave', 'excludesSanctions']).execute();
  wave1Id = campaigns.find((c) => c.wave === 1)?.id ?? 0;
  wave2Id = campaigns.find((c) => c.wave === 2)?.id ?? 0;
  assert.equal(wave1Id, 1, 'wave 1 is the first seeded campaign');
  assert.equal(wave2Id, 2, 'wave 2 is the second seeded campaign');
  assert.equal(campaigns.find((c) => c.id === wave2Id)?.excludesSanctions, 1, 'wave 2 carries the no-sanction commitment');
  assert.equal(campaigns.find((c) => c.id === wave1Id)?.excludesSanctions, 0, 'wave 1 does not');
});
after(() => ctx.close());

// ---------------------------------------------------------------- helpers

/** Collapses whitespace, including French narrow no-break spaces. */
function squash(html: string): string {
  return html.replace(/[\s\u202f\u00a0]+/g, ' ');
}

/** One `<section … aria-labelledby="id">` of a page. */
function section(html: string, labelledBy: string): string {
  const start = html.indexOf(`aria-labelledby="${labelledBy}"`);
  assert.ok(start >= 0, `section ${labelledBy} is on the page`);
  const end = html.indexOf('</section>', start);
  return html.slice(start, end);
}

/** A name no other test uses, so duplicate detection never interferes. */
const uniqueName = uniqueNames('Testeur');

/** A complete, valid case form for a Hauts-de-France agent in wave 2; tests override what they test. */
const caseForm = caseFormsOf(uniqueName);

function idFromLocation(res: { status: number; headers: Record<string, string>; text: string }): number {
  assert.equal(res.status, 303, `expected a redirect, got ${res.status}: ${text(res.text).slice(0, 400)}`);
  const match = /^\/dossiers\/(\d+)$/.exec(String(res.headers.location));
  assert.ok(match?.[1], `unexpected redirect ${String(res.headers.location)}`);
  return Number(match[1]);
}

/** Creates a case through the form and returns its id. */
async function createCase(overrides: Fields = {}, who: Signed = rep): Promise<number> {
  return idFromLocation(await post(who, '/dossiers', caseForm(overrides)));
}

async function addEvent(caseId: number, fields: Fields, who: Signed = rep) {
  const res = await post(who, `/dossiers/${caseId}/evenements`, fields);
  assert.equal(res.status, 303, `event refused: ${text(res.text).slice(0, 400)}`);
  assert.match(String(res.headers.location), new RegExp(`^/dossiers/${caseId}(#suivi)?$`));
}

async function caseRow(id: number) {
  return ctx.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
}

async function eventsOf(caseId: number) {
  return ctx.db.selectFrom('caseEvents').selectAll().where('caseId', '=', caseId).orderBy('id').execute();
}

async function consultationsOf(caseId: number) {
  return ctx.db.selectFrom('consultations').selectAll().where('caseId', '=', caseId).orderBy('at').orderBy('id').execute();
}

async function countOf(table: 'agents' | 'cases' | 'caseEvents' | 'consultations'): Promise<number> {
  const row = await ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How many rows each case table holds: what a refused creation must leave as it was. */
async function counts() {
  return {
    agents: await countOf('agents'),
    cases: await countOf('cases'),
    events: await countOf('caseEvents'),
    consultations: await countOf('consultations'),
  };
}

/** Everything stored about a case: what a refused request must leave as it was. */
async function snapshot(caseId: number) {
  const kase = await caseRow(caseId);
  assert.ok(kase, `case ${caseId} exists`);
  const [agent, events, consultations, situations, reps] = await Promise.all([
    ctx.db.selectFrom('agents').selectAll().where('id', '=', kase.agentId).executeTakeFirst(),
    eventsOf(caseId),
    consultationsOf(caseId),
    ctx.db.selectFrom('caseSituations').selectAll().where('caseId', '=', caseId).orderBy('situationCode').execute(),
    ctx.db.selectFrom('caseReps').selectAll().where('caseId', '=', caseId).orderBy('userId').execute(),
  ]);
  return { kase, agent, events, consultations, situations, reps };
}

// ---------------------------------------------------------------- new case form

describe('GET /dossiers/nouveau', () => {
  it('shows a single-region rep the empty form, defaulting to the active campaign, their region and themselves', async () => {
    const res = await rep.agent.get('/dossiers/nouveau');
    assert.equal(res.status, 200);
    assert.match(res.text, /<h1>Nouveau dossier<\/h1>/);
    assert.match(res.text, /<form method="post" action="\/dossiers"/);
    assert.ok(extractCsrf(res.text));
    assert.match(res.text, new RegExp(`<option value="${wave2Id}" selected>Détournement de finalités — vague 2 \\(2024\\)</option>`));
    assert.match(res.text, new RegExp(`<option value="${wave1Id}" >Détournement de finalités — vague 1 \\(2023\\) \\(terminée\\)</option>`));
    assert.match(res.text, /<option value="HDF" selected>Hauts-de-France<\/option>/);
    assert.doesNotMatch(res.text, /<option value="IDF"/, 'a rep is offered only the regions they cover');
    assert.match(res.text, new RegExp(`name="repIds" value="${rep.user.id}" checked> Rémi Représentant \\(Hauts-de-France\\)`));
    assert.match(res.text, new RegExp(`name="repIds" value="${colleague.user.id}" > Chloé Collègue`));
    assert.doesNotMatch(res.text, /Inès Francilienne/, 'reps of other regions are not offered');
    assert.match(res.text, /name="consultationsText"/, 'consultations can be pasted at creation');
  });

  it('offers an admin every region', async () => {
    const res = await admin.agent.get('/dossiers/nouveau');
    assert.equal(res.status, 200);
    assert.match(res.text, /<option value="HDF" >Hauts-de-France<\/option>/);
    assert.match(res.text, /<option value="IDF" >Île-de-France<\/option>/);
    assert.match(res.text, /<option value="MAY" >Mayotte<\/option>/);
  });

  it('sends a visitor without a session to the login page', async () => {
    const res = await ctx.agent().get('/dossiers/nouveau');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/connexion');
  });

  it('prefills the form from an existing agent with ?agent=ID', async () => {
    const name = uniqueName('Pré Rempli');
    const caseId = await createCase({ fullName: name, site: 'Agence Roubaix', job: 'Gestionnaire', proEmail: 'pre.rempli@francetravail.fr' });
    const agentId = (await caseRow(caseId))!.agentId;
    const res = await rep.agent.get(`/dossiers/nouveau?agent=${agentId}`);
    assert.equal(res.status, 200);
    assert.ok(res.text.includes(`name="fullName" type="text" value="${name}"`), 'the name is prefilled');
    assert.ok(res.text.includes('value="Agence Roubaix"'));
    assert.ok(res.text.includes('value="pre.rempli@francetravail.fr"'));
    assert.match(res.text, new RegExp(`<input type="hidden" name="existingAgentId" value="${agentId}">`));
    assert.match(squash(res.text), new RegExp(`Nouveau dossier pour ${name}, déjà suivi·e`));
  });

  it('answers 404 for ?agent= of an unknown agent or of an agent outside the rep’s regions', async () => {
    const caseId = await createCase();
    const agentId = (await caseRow(caseId))!.agentId;
    assert.equal((await rep.agent.get('/dossiers/nouveau?agent=999999')).status, 404);
    const outside = await outsider.agent.get(`/dossiers/nouveau?agent=${agentId}`);
    assert.equal(outside.status, 404);
    assert.doesNotMatch(outside.text, /existingAgentId/);
    assert.equal((await admin.agent.get(`/dossiers/nouveau?agent=${agentId}`)).status, 200, 'an admin may');
  });
});

// ---------------------------------------------------------------- create

describe('POST /dossiers (create)', () => {
  it('creates the agent, the case, its situations, reps and pasted consultations, audits it and shows it', async () => {
    const before = await counts();
    const name = uniqueName('Élodie');
    const res = await post(
      rep,
      '/dossiers',
      caseForm({
        fullName: `  ${name}  `,
        proEmail: 'Elodie.Test@FranceTravail.fr',
        personalEmail: 'elodie@exemple.fr',
        phone: '06 12 34 56 78',
        contactChannels: ['personal_email', 'phone'],
        site: 'Agence Lille Vauban',
        job: 'Conseillère à l’emploi',
        employmentStatus: 'private',
        workDays: ['5', '1', '2', '3', '4', '1'],
        workStart: '09:00',
        workEnd: '17:00',
        partTime: 'on',
        teleworkDays: ['3'],
        situations: ['odd_hours', 'agent_ex_job_seeker'],
        knowledgeDate: '2024-07-01',
        convocationDate: '2024-09-02',
        convocationForm: 'email',
        interviewDate: '2024-09-16',
        managerName: 'M. Durand',
        repAccompanied: 'yes',
        reportOutcome: 'legitimate',
        interviewTone: 'kind',
        toneNotes: 'Rappel courtois.',
        trainingReceived: 'no',
        agentAccount: 'Je répondais à un usager au téléphone.',
        repIds: [String(rep.user.id), String(colleague.user.id)],
        consultationsText: '14/05/2024 21:15\n\n15/05/2024 à 10h00\n2024-05-18 09:30',
        consultationAction: 'consulted',
        consultationExplanation: 'answering_user',
      }),
    );
    const id = idFromLocation(res);
    const after = await counts();
    assert.equal(after.agents, before.agents + 1);
    assert.equal(after.cases, before.cases + 1);

    const kase = await caseRow(id);
    assert.ok(kase);
    assert.equal(kase.campaignId, wave2Id);
    assert.equal(kase.regionCode, 'HDF');
    assert.equal(kase.knowledgeDate, '2024-07-01');
    assert.equal(kase.convocationDate, '2024-09-02');
    assert.equal(kase.convocationForm, 'email');
    assert.equal(kase.interviewDate, '2024-09-16');
    assert.equal(kase.managerName, 'M. Durand');
    assert.equal(kase.repAccompanied, 1);
    assert.equal(kase.reportOutcome, 'legitimate');
    assert.equal(kase.interviewTone, 'kind');
    assert.equal(kase.trainingReceived, 'no');
    assert.equal(kase.agentAccount, 'Je répondais à un usager au téléphone.');
    assert.equal(kase.status, 'open');
    assert.equal(kase.createdBy, rep.user.id);
    assert.equal(kase.commitmentStatus, 'respected');
    assert.equal(kase.consultationsCount, 3);
    assert.equal(kase.oddHoursCount, 2, '21:15 on a Tuesday and a Saturday morning');

    const agent = await ctx.db.selectFrom('agents').selectAll().where('id', '=', kase.agentId).executeTakeFirstOrThrow();
    assert.equal(agent.fullName, name, 'the name is trimmed');
    assert.equal(agent.proEmail, 'elodie.test@francetravail.fr', 'emails are lower-cased');
    assert.equal(agent.personalEmail, 'elodie@exemple.fr');
    assert.equal(agent.phone, '06 12 34 56 78');
    assert.equal(agent.contactChannels, 'personal_email,phone');
    assert.equal(agent.regionCode, 'HDF');
    assert.equal(agent.site, 'Agence Lille Vauban');
    assert.equal(agent.job, 'Conseillère à l’emploi');
    assert.equal(agent.employmentStatus, 'private');
    assert.equal(agent.workDays, '1,2,3,4,5', 'days deduplicated and sorted');
    assert.equal(agent.workStart, '09:00');
    assert.equal(agent.workEnd, '17:00');
    assert.equal(agent.partTime, 1);
    assert.equal(agent.teleworkDays, '3');

    const situations = await ctx.db.selectFrom('caseSituations').select('situationCode').where('caseId', '=', id).orderBy('situationCode').execute();
    assert.deepEqual(situations.map((s) => s.situationCode), ['agent_ex_job_seeker', 'odd_hours']);
    const reps = await ctx.db.selectFrom('caseReps').select('userId').where('caseId', '=', id).orderBy('userId').execute();
    assert.deepEqual(reps.map((r) => r.userId), [rep.user.id, colleague.user.id].sort((a, b) => a - b));

    const consultations = await consultationsOf(id);
    assert.deepEqual(
      consultations.map((c) => [c.at, c.action, c.explanation, c.typedZone]),
      [
        ['2024-05-14T19:15:00Z', 'consulted', 'answering_user', 'Europe/Paris'],
        ['2024-05-15T08:00:00Z', 'consulted', 'answering_user', 'Europe/Paris'],
        ['2024-05-18T07:30:00Z', 'consulted', 'answering_user', 'Europe/Paris'],
      ],
      'pasted lines are Paris time, stored as UTC instants',
    );

    const audit = await ctx.auditOf('case', id);
    assert.deepEqual(audit[0], { actorUserId: rep.user.id, action: 'create', entityType: 'case', entityId: String(id) });

    const page = await rep.agent.get(`/dossiers/${id}`);
    assert.equal(page.status, 200);
    const shown = text(page.text);
    assert.match(shown, /Dossier créé\./);
    assert.ok(page.text.includes(`<h1>${name}</h1>`));
    assert.match(shown, /Engagement respecté/);
    assert.match(shown, /Consultations répétées à des horaires hors normes/);
    assert.match(shown, /Dossier d’un·e agent FT ex-demandeur·se d’emploi/);
    assert.match(shown, /lundi, mardi, mercredi, jeudi, vendredi, de 09:00 à 17:00 \(temps partiel\)/);
    assert.match(shown, /Chloé Collègue, Rémi Représentant/);
    assert.match(shown, /Sur les 3 consultations relevées, 2 ont eu lieu à un horaire « hors normes » au sens de la direction \(entre 20 h et 5 h, et le week-end\), à l’heure locale de l’agent \(heure de Paris\) : 1 entre 20 h et 5 h, 1 le week-end\. Ces 2 consultations « hors normes » se situent toutes deux en dehors des horaires de travail déclarés de l’agent\./);
    assert.match(shown, /mardi 14 mai 2024 21:15/);
    assert.match(shown, /E-mail personnel : elodie@exemple\.fr accepté/);
    assert.match(shown, /E-mail professionnel : elodie\.test@francetravail\.fr ne pas utiliser/);
  });

  it('creates a case without any rep when none is ticked', async () => {
    const id = await createCase({ repIds: undefined });
    const reps = await ctx.db.selectFrom('caseReps').select('userId').where('caseId', '=', id).execute();
    assert.deepEqual(reps, []);
    const page = await rep.agent.get(`/dossiers/${id}`);
    assert.match(text(page.text), /Aucun·e : à désigner/);
  });

  it('refuses a missing name with a French message, keeping the ticked situations and pasted consultations', async () => {
    const before = await counts();
    const res = await post(
      rep,
      '/dossiers',
      caseForm({ fullName: '   ', situations: ['political_figure', 'odd_hours'], site: 'Agence Arras', consultationsText: '14/05/2024 21:15' }),
    );
    assert.equal(res.status, 400);
    assert.match(res.text, /Le formulaire contient des erreurs/);
    assert.match(res.text, /Le nom de l’agent est obligatoire\./);
    assert.match(res.text, /name="situations" value="political_figure" checked>/);
    assert.match(res.text, /name="situations" value="odd_hours" checked>/);
    assert.match(res.text, /name="situations" value="agent_ex_job_seeker" >/);
    assert.ok(res.text.includes('value="Agence Arras"'));
    assert.match(res.text, /<textarea id="f-consultationsText"[^>]*>14\/05\/2024 21:15<\/textarea>/);
    assert.deepEqual(await counts(), before);
  });

  it('refuses a case without any situation, keeping the name', async () => {
    const before = await counts();
    const name = uniqueName('Sans Situation');
    const res = await post(rep, '/dossiers', caseForm({ fullName: name, situations: undefined }));
    assert.equal(res.status, 400);
    assert.match(res.text, /Cochez au moins une situation signalée\./);
    assert.ok(res.text.includes(`value="${name}"`), 'the name is kept');
    assert.deepEqual(await counts(), before);
  });

  it('reports an unreadable pasted consultation with its line number, keeping the text', async () => {
    const before = await counts();
    const pasted = '14/05/2024 21:15\n32/13/2024 25:00\n15/05/2024 10:00';
    const res = await post(rep, '/dossiers', caseForm({ consultationsText: pasted }));
    assert.equal(res.status, 400);
    assert.match(text(res.text), /Ligne 2 \(« 32\/13\/2024 25:00 »\) : date ou heure illisible\. Format attendu, en heure de Paris : 14\/05\/2024 21:15 ou 14\/05\/24 21h15\./);
    assert.ok(res.text.includes(`>${pasted}</textarea>`), 'the pasted text is kept as typed');
    assert.deepEqual(await counts(), before);
  });

  it('refuses inconsistent details, each with its own French message', async () => {
    const cases: Array<[Fields, RegExp]> = [
      [{ situations: ['other_conflict'], otherSituationText: '' }, /Décrivez l’autre situation de conflit d’intérêts\./],
      [{ interviewTone: 'pressure', toneNotes: '' }, /Notez ce qui a été dit : c’est ce qui permettra de le contester\./],
      [{ convocationDate: '2024-09-10', interviewDate: '2024-09-01' }, /L’entretien ne peut pas précéder la convocation\./],
      [{ workStart: '09:00', workEnd: '' }, /Indiquez l’heure de début et l’heure de fin\./],
      [{ proEmail: 'pas-une-adresse' }, /L’adresse e-mail professionnelle n’est pas valide\./],
      [{ phone: 'appelez-moi' }, /Le téléphone n’est pas valide/],
      [{ knowledgeDate: '2024-02-30' }, /La date de connaissance des faits n’est pas une date valide\./],
      [{ campaignId: '999' }, /Choisissez une campagne\./],
      [{ employmentStatus: 'contractuel' }, /Choisissez le statut de l’agent\./],
      [{ situations: ['odd_hours', 'espionnage'] }, /Situation inconnue\./],
    ];
    for (const [overrides, message] of cases) {
      const before = await counts();
      const res = await post(rep, '/dossiers', caseForm(overrides));
      assert.equal(res.status, 400, JSON.stringify(overrides));
      assert.match(res.text, message, JSON.stringify(overrides));
      assert.deepEqual(await counts(), before, JSON.stringify(overrides));
    }
  });

  it('refuses a case in a region the rep does not cover, and creates nothing', async () => {
    const before = await counts();
    const name = uniqueName('Hors Région');
    const res = await post(rep, '/dossiers', caseForm({ fullName: name, regionCode: 'IDF' }));
    assert.equal(res.status, 400);
    assert.match(res.text, /Choisissez une région que vous suivez\./);
    assert.ok(res.text.includes(`value="${name}"`));
    assert.deepEqual(await counts(), before);
    const asOutsider = await post(outsider, '/dossiers', caseForm({ regionCode: 'HDF' }));
    assert.equal(asOutsider.status, 400);
    assert.match(asOutsider.text, /Choisissez une région que vous suivez\./);
    assert.deepEqual(await counts(), before);
  });

  it('refuses to assign a rep who does not follow the agent’s region', async () => {
    const before = await counts();
    const asRep = await post(rep, '/dossiers', caseForm({ repIds: [String(outsider.user.id)] }));
    assert.equal(asRep.status, 400);
    assert.match(asRep.text, /Représentant·e inconnu·e ou hors de cette région\./);
    const asAdmin = await post(admin, '/dossiers', caseForm({ repIds: [String(outsider.user.id)] }));
    assert.equal(asAdmin.status, 400);
    assert.match(asAdmin.text, /Inès Francilienne ne suit pas la région de cet agent\./);
    assert.deepEqual(await counts(), before);
  });

  it('lets an admin create a case in any region', async () => {
    const id = await createCase({ regionCode: 'IDF', repIds: [String(outsider.user.id)] }, admin);
    assert.equal((await caseRow(id))?.regionCode, 'IDF');
  });

  it('refuses a missing or wrong CSRF token with 403 and creates nothing', async () => {
    const before = await counts();
    const missing = await postRaw(rep.agent, '/dossiers', caseForm());
    assert.equal(missing.status, 403);
    const wrong = await postRaw(rep.agent, '/dossiers', { _csrf: 'pas-le-bon-jeton', ...caseForm() });
    assert.equal(wrong.status, 403);
    const otherSession = await postRaw(rep.agent, '/dossiers', { _csrf: await csrfOf(colleague.agent), ...caseForm() });
    assert.equal(otherSession.status, 403, 'a token is only good for its own session');
    assert.deepEqual(await counts(), before);
  });

  it('refuses a visitor without a session and creates nothing', async () => {
    const before = await counts();
    const visitor = ctx.agent();
    const res = await postRaw(visitor, '/dossiers', caseForm());
    assert.ok(res.status === 403 || (res.status === 303 && res.headers.location === '/connexion'), `got ${res.status}`);
    assert.deepEqual(await counts(), before);
  });
});

// ---------------------------------------------------------------- same person, two waves

describe('duplicate agents', () => {
  it('stops on a namesake in the same region (accents and case folded) with a 409 page, creating nothing', async () => {
    const first = await createCase({ fullName: 'Élodie Dupont-Lefèvre', site: 'Agence Douai', job: 'Conseillère', campaignId: String(wave1Id) });
    const agentId = (await caseRow(first))!.agentId;
    const before = await counts();
    const res = await post(rep, '/dossiers', caseForm({ fullName: 'ELODIE dupont lefevre', situations: ['political_figure'] }));
    assert.equal(res.status, 409);
    const shown = text(res.text);
    assert.match(shown, /Un agent du même nom, ou avec la même adresse e-mail ou le même téléphone, est déjà suivi dans cette région\./);
    assert.match(shown, /Est-ce la même personne \?/);
    assert.match(res.text, new RegExp(`<input type="radio" name="existingAgentId" value="${agentId}"> Oui : Élodie Dupont-Lefèvre, Agence Douai \\(Conseillère\\) — 1 dossier\\(s\\) : Détournement de finalités — vague 1 \\(2023\\)`));
    assert.match(res.text, /<input type="radio" name="existingAgentId" value="new"> Non, c’est une autre personne/);
    assert.ok(res.text.includes('value="ELODIE dupont lefevre"'), 'the typed name is kept');
    assert.match(res.text, /name="situations" value="political_figure" checked>/, 'the rest of the form is kept');
    assert.deepEqual(await counts(), before);
  });

  it('offers the choice as a single radio group: picking one answer unpicks the other', async () => {
    await createCase({ fullName: 'Kevin Groupe-Radio' });
    const res = await post(rep, '/dossiers', caseForm({ fullName: 'Kevin Groupe-Radio' }));
    assert.equal(res.status, 409);
    const fieldset = res.text.slice(res.text.indexOf('Est-ce la même personne'), res.text.indexOf('</fieldset>', res.text.indexOf('Est-ce la même personne')));
    const names = new Set([...fieldset.matchAll(/<input type="radio" name="([^"]+)"/g)].map((m) => m[1]));
    assert.equal(names.size, 1, `radios "same person" / "another person" must share one name, got ${[...names].join(', ')}`);
  });

  it('links the new case to the existing agent when the rep says it is the same person: one agent, two cases', async () => {
    const first = await createCase({ fullName: 'Jérôme Vague-Deux', campaignId: String(wave1Id) });
    const agentId = (await caseRow(first))!.agentId;
    const before = await counts();
    const res = await post(rep, '/dossiers', caseForm({ fullName: 'jerome vague deux', existingAgentId: String(agentId) }));
    const second = idFromLocation(res);
    const after = await counts();
    assert.equal(after.agents, before.agents, 'no new agent');
    assert.equal(after.cases, before.cases + 1);
    assert.equal((await caseRow(second))?.agentId, agentId);
    const ofAgent = await ctx.db.selectFrom('cases').select(['id', 'campaignId']).where('agentId', '=', agentId).orderBy('id').execute();
    assert.deepEqual(ofAgent, [
      { id: first, campaignId: wave1Id },
      { id: second, campaignId: wave2Id },
    ]);
    const page = await rep.agent.get(`/dossiers/${second}`);
    assert.match(text(page.text), /Autres dossiers de cet agent/);
    assert.ok(page.text.includes(`<a href="/dossiers/${first}">Détournement de finalités — vague 1 (2023)</a>`));
  });

  it('creates a second agent of the same name when the rep confirms it is another person', async () => {
    await createCase({ fullName: 'Sophie Homonyme' });
    const before = await counts();
    const id = idFromLocation(await post(rep, '/dossiers', caseForm({ fullName: 'Sophie Homonyme', confirmNewAgent: 'on' })));
    const after = await counts();
    assert.equal(after.agents, before.agents + 1);
    const namesakes = await ctx.db.selectFrom('agents').select('id').where('searchName', '=', 'sophie homonyme').orderBy('id').execute();
    assert.equal(namesakes.length, 2);
    assert.equal((await caseRow(id))?.agentId, namesakes[1]?.id, 'the new case belongs to the new agent');
  });

  it('does not stop on a namesake of another region', async () => {
    await createCase({ fullName: 'Marc Deux-Régions' });
    const id = idFromLocation(await post(admin, '/dossiers', caseForm({ fullName: 'Marc Deux-Régions', regionCode: 'IDF' })));
    assert.equal((await caseRow(id))?.regionCode, 'IDF');
  });

  it('links through ?agent=ID prefill: the posted hidden id joins the existing agent', async () => {
    const first = await createCase({ fullName: uniqueName('Via Lien'), campaignId: String(wave1Id) });
    const agentId = (await caseRow(first))!.agentId;
    const form = await rep.agent.get(`/dossiers/nouveau?agent=${agentId}`);
    const hidden = /<input type="hidden" name="existingAgentId" value="(\d+)">/.exec(form.text);
    assert.equal(hidden?.[1], String(agentId));
    const second = await createCase({ existingAgentId: hidden[1] });
    assert.equal((await caseRow(second))?.agentId, agentId);
  });

  it('refuses to assign to a case linked to an existing agent a rep who does not follow that agent’s region', async () => {
    const first = await createCase({ fullName: uniqueName('Lien Région') });
    const agentId = (await caseRow(first))!.agentId;
    const before = await counts();
    // The form says Île-de-France, but the case goes to the agent's region (Hauts-de-France).
    const res = await post(admin, '/dossiers', caseForm({ regionCode: 'IDF', existingAgentId: String(agentId), repIds: [String(outsider.user.id)] }));
    if (res.status === 303) {
      const id = idFromLocation(res);
      const kase = await caseRow(id);
      const reps = await ctx.db.selectFrom('caseReps').select('userId').where('caseId', '=', id).execute();
      assert.fail(
        `case ${id} was created in ${kase?.regionCode} with reps ${reps.map((r) => r.userId).join(', ')}: ` +
          `Inès (IDF only) is assigned to a case she gets 404 on (${(await outsider.agent.get(`/dossiers/${id}`)).status})`,
      );
    }
    assert.equal(res.status, 400);
    assert.match(res.text, /Inès Francilienne ne suit pas la région de cet agent\./);
    assert.deepEqual(await counts(), before);
  });

  it('refuses with 404 to link a case to an agent outside the rep’s regions, creating nothing', async () => {
    const first = await createCase({ fullName: uniqueName('Lien Interdit') });
    const agentId = (await caseRow(first))!.agentId;
    const before = await counts();
    const res = await post(outsider, '/dossiers', caseForm({ regionCode: 'IDF', existingAgentId: String(agentId) }));
    assert.equal(res.status, 404);
    assert.deepEqual(await counts(), before);
    const unknown = await post(rep, '/dossiers', caseForm({ existingAgentId: '999999' }));
    assert.equal(unknown.status, 404);
    assert.deepEqual(await counts(), before);
  });
});

// ---------------------------------------------------------------- case page

describe('GET /dossiers/:id', () => {
  it('shows the commitment status and its reasons', async () => {
    const id = await createCase({ interviewDate: '2024-09-20', reportOutcome: 'legitimate', interviewTone: 'kind' });
    const res = await rep.agent.get(`/dossiers/${id}`);
    assert.equal(res.status, 200);
    const panel = text(section(res.text, 'engagement'));
    assert.match(panel, /Engagement respecté/);
    assert.match(panel, /Aucune procédure disciplinaire n’a été engagée\./);
    assert.match(panel, /L’entretien a été rapporté comme un rappel bienveillant\./);
    assert.match(panel, /Le compte rendu conclut à une consultation légitime\./);
  });

  it('records every view in the audit log, and shows the trail on the page', async () => {
    const id = await createCase();
    const views = async () => (await ctx.auditOf('case', id)).filter((a) => a.action === 'view');
    assert.equal((await views()).length, 0);
    await rep.agent.get(`/dossiers/${id}`);
    await rep.agent.get(`/dossiers/${id}`);
    const res = await colleague.agent.get(`/dossiers/${id}`);
    const rows = await views();
    assert.deepEqual(
      rows.map((r) => [r.actorUserId, r.action, r.entityType, r.entityId]),
      [
        [rep.user.id, 'view', 'case', String(id)],
        [rep.user.id, 'view', 'case', String(id)],
        [colleague.user.id, 'view', 'case', String(id)],
      ],
    );
    assert.match(text(section(res.text, 'journal')), /Chloé Collègue/, 'the page shows who viewed the case');
  });

  it('traces the edit form too, since it shows the whole case (contacts, the agent’s account)', async () => {
    const id = await createCase({ phone: '06 11 22 33 44', agentAccount: 'Récit confidentiel.' });
    const before = (await ctx.auditOf('case', id)).filter((a) => a.action === 'view').length;
    const res = await colleague.agent.get(`/dossiers/${id}/modifier`);
    assert.equal(res.status, 200);
    assert.ok(res.text.includes('06 11 22 33 44') && res.text.includes('Récit confidentiel.'), 'the form shows the case’s data');
    const views = (await ctx.auditOf('case', id)).filter((a) => a.action === 'view');
    assert.equal(views.length, before + 1, 'reading a case through its edit form leaves no trace');
    assert.equal(views.at(-1)?.actorUserId, colleague.user.id);
  });

  it('answers 404 for an unknown id and for malformed ids, recording nothing', async () => {
    const before = await ctx.auditCountBy(rep.user.id);
    for (const path of ['/dossiers/999999', '/dossiers/abc', '/dossiers/0x1', '/dossiers/01', '/dossiers/0', '/dossiers/-1', '/dossiers/1.5', '/dossiers/99999999999999999999']) {
      const res = await rep.agent.get(path);
      assert.equal(res.status, 404, path);
      assert.match(res.text, /Page introuvable/, path);
    }
    for (const path of ['/dossiers/abc/modifier', '/dossiers/01/modifier', '/dossiers/999999/modifier']) {
      assert.equal((await rep.agent.get(path)).status, 404, path);
    }
    assert.equal(await ctx.auditCountBy(rep.user.id), before);
  });

  it('sends a visitor without a session to the login page', async () => {
    const id = await createCase();
    for (const path of [`/dossiers/${id}`, `/dossiers/${id}/modifier`, '/dossiers']) {
      const res = await ctx.agent().get(path);
      assert.equal(res.status, 303, path);
      assert.equal(res.headers.location, '/connexion', path);
    }
    assert.equal((await ctx.auditOf('case', id)).filter((a) => a.action === 'view').length, 0);
  });
});

// ---------------------------------------------------------------- edit

describe('editing a case', () => {
  it('shows the edit form prefilled with the case', async () => {
    const name = uniqueName('Modifiable');
    const id = await createCase({
      fullName: name,
      situations: ['political_figure', 'odd_hours'],
      interviewDate: '2024-09-20',
      interviewTone: 'neutral',
      repIds: [String(colleague.user.id)],
      workDays: ['1', '2'],
      workStart: '08:30',
      workEnd: '16:30',
    });
    const res = await rep.agent.get(`/dossiers/${id}/modifier`);
    assert.equal(res.status, 200);
    assert.ok(res.text.includes(`<h1>Modifier le dossier de ${name}</h1>`));
    assert.ok(res.text.includes(`<form method="post" action="/dossiers/${id}"`));
    assert.ok(res.text.includes(`value="${name}"`));
    assert.match(res.text, /name="situations" value="political_figure" checked>/);
    assert.match(res.text, /name="situations" value="odd_hours" checked>/);
    assert.match(res.text, /name="situations" value="job_seeker_ex_agent" >/);
    assert.match(res.text, new RegExp(`<option value="${wave2Id}" selected>`));
    assert.match(res.text, /name="interviewDate" type="date" value="2024-09-20"/);
    assert.match(res.text, /name="interviewTone" value="neutral" checked>/);
    assert.match(res.text, new RegExp(`name="repIds" value="${colleague.user.id}" checked>`));
    assert.match(res.text, new RegExp(`name="repIds" value="${rep.user.id}" >`));
    assert.match(res.text, /name="workDays" value="2" checked>/);
    assert.match(res.text, /name="workStart" type="time" value="08:30"/);
    assert.doesNotMatch(res.text, /name="consultationsText"/, 'consultations are managed on the case page');
  });

  it('saves the changes, audits them and shows them', async () => {
    const id = await createCase({ site: 'Agence Avant' });
    const agentId = (await caseRow(id))!.agentId;
    const newName = uniqueName('Renommée');
    const res = await post(
      rep,
      `/dossiers/${id}`,
      caseForm({
        fullName: newName,
        site: 'Agence Après',
        employmentStatus: 'public',
        situations: ['job_seeker_ex_agent'],
        interviewDate: '2024-09-25',
        reportOutcome: 'none_given',
        repIds: [String(colleague.user.id)],
      }),
    );
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `/dossiers/${id}`);
    const agent = await ctx.db.selectFrom('agents').selectAll().where('id', '=', agentId).executeTakeFirstOrThrow();
    assert.equal(agent.fullName, newName);
    assert.equal(agent.site, 'Agence Après');
    assert.equal(agent.employmentStatus, 'public');
    const kase = await caseRow(id);
    assert.equal(kase?.interviewDate, '2024-09-25');
    assert.equal(kase?.reportOutcome, 'none_given');
    assert.equal(kase?.commitmentStatus, 'at_risk', 'no compte rendu given: the commitment is threatened');
    const situations = await ctx.db.selectFrom('caseSituations').select('situationCode').where('caseId', '=', id).execute();
    assert.deepEqual(situations.map((s) => s.situationCode), ['job_seeker_ex_agent']);
    const reps = await ctx.db.selectFrom('caseReps').select('userId').where('caseId', '=', id).execute();
    assert.deepEqual(reps.map((r) => r.userId), [colleague.user.id]);
    const audit = await ctx.auditOf('case', id);
    assert.deepEqual(audit.at(-1), { actorUserId: rep.user.id, action: 'update', entityType: 'case', entityId: String(id) });

    const page = await rep.agent.get(`/dossiers/${id}`);
    const shown = text(page.text);
    assert.match(shown, /Dossier mis à jour\./);
    assert.match(shown, /Agence Après/);
    assert.match(shown, /Engagement menacé/);
    assert.match(shown, /Aucun compte rendu n’a été remis à l’agent après l’entretien\./);
  });

  it('refuses invalid changes with 400, keeps what was typed and changes nothing', async () => {
    const id = await createCase();
    const before = await snapshot(id);
    const res = await post(rep, `/dossiers/${id}`, caseForm({ fullName: '', site: 'Site gardé', situations: ['political_figure'] }));
    assert.equal(res.status, 400);
    assert.match(res.text, /Le nom de l’agent est obligatoire\./);
    assert.ok(res.text.includes('value="Site gardé"'));
    assert.match(res.text, /name="situations" value="political_figure" checked>/);
    assert.ok(res.text.includes(`action="/dossiers/${id}"`), 'the form still posts to the same case');
    assert.deepEqual(await snapshot(id), before);
  });

  it('refuses a move to a region the rep does not cover', async () => {
    const id = await createCase();
    const before = await snapshot(id);
    const res = await post(rep, `/dossiers/${id}`, caseForm({ regionCode: 'IDF' }));
    assert.equal(res.status, 400);
    assert.match(res.text, /Choisissez une région que vous suivez\./);
    assert.deepEqual(await snapshot(id), before);
  });

  it('refuses a missing or wrong CSRF token with 403 and changes nothing', async () => {
    const id = await createCase();
    const before = await snapshot(id);
    assert.equal((await postRaw(rep.agent, `/dossiers/${id}`, caseForm({ fullName: 'Pirate' }))).status, 403);
    assert.equal((await postRaw(rep.agent, `/dossiers/${id}`, { _csrf: 'faux', ...caseForm({ fullName: 'Pirate' }) })).status, 403);
    assert.deepEqual(await snapshot(id), before);
  });

  it('answers 404 when posting to an unknown or malformed id', async () => {
    const before = await counts();
    for (const id of ['999999', 'abc', '0x1', '01']) {
      assert.equal((await post(rep, `/dossiers/${id}`, caseForm())).status, 404, id);
    }
    assert.deepEqual(await counts(), before);
  });
});

// ---------------------------------------------------------------- consultations

describe('consultations of a case', () => {
  it('adds one consultation typed as Paris wall-clock time (summer and winter)', async () => {
    const id = await createCase();
    const summer = await post(rep, `/dossiers/${id}/consultations`, { at: '2024-05-14T21:15', action: 'modified', explanation: 'relative', explanationText: 'Sa sœur' });
    assert.equal(summer.status, 303);
    assert.equal(summer.headers.location, `/dossiers/${id}#consultations`);
    const winter = await post(rep, `/dossiers/${id}/consultations`, { at: '2024-01-10T08:00', action: 'consulted', explanation: 'unknown' });
    assert.equal(winter.status, 303);
    const stored = await consultationsOf(id);
    assert.deepEqual(
      stored.map((c) => [c.at, c.action, c.explanation, c.explanationText]),
      [
        ['2024-01-10T07:00:00Z', 'consulted', 'unknown', ''],
        ['2024-05-14T19:15:00Z', 'modified', 'relative', 'Sa sœur'],
      ],
    );
    assert.equal((await caseRow(id))?.consultationsCount, 2);
    assert.equal((await caseRow(id))?.oddHoursCount, 1);
    const audit = await ctx.auditOf('case', id);
    assert.equal(audit.filter((a) => a.action === 'update').length, 2, 'each addition is audited as an update of the case');

    const page = await rep.agent.get(`/dossiers/${id}`);
    const shown = text(page.text);
    assert.match(shown, /Consultation ajoutée\./);
    assert.match(shown, /mardi 14 mai 2024 21:15 20 h – 5 h/);
    assert.match(shown, /Modification du dossier Dossier d’un·e proche — Sa sœur/);
    assert.match(shown, /Sur les 2 consultations relevées, 1 a eu lieu à un horaire « hors normes »/);
  });

  it('refuses an unreadable time with 400 and a French message, keeping the other fields', async () => {
    const id = await createCase();
    const res = await post(rep, `/dossiers/${id}/consultations`, { at: 'hier soir', action: 'acted', explanation: 'service_task', explanationText: 'précision gardée' });
    assert.equal(res.status, 400);
    assert.match(res.text, /Date et heure illisibles/);
    assert.ok(res.text.includes('value="précision gardée"'));
    assert.match(res.text, /<option value="acted" selected>/);
    const empty = await post(rep, `/dossiers/${id}/consultations`, { at: '', action: 'consulted', explanation: 'unknown' });
    assert.equal(empty.status, 400);
    assert.match(empty.text, /Indiquez la date et l’heure\./);
    const badAction = await post(rep, `/dossiers/${id}/consultations`, { at: '2024-05-14T21:15', action: 'deleted', explanation: 'unknown' });
    assert.equal(badAction.status, 400);
    assert.match(badAction.text, /Indiquez ce qui a été fait\./);
    assert.deepEqual(await consultationsOf(id), []);
  });

  it('accepts the date formats its own error message gives as examples (« 14/05/2024 21:15 », « 14/05/24 21h15 »)', async () => {
    for (const which of [0, 1]) {
      const id = await createCase();
      const refused = await post(rep, `/dossiers/${id}/consultations`, { at: 'hier', action: 'consulted', explanation: 'unknown' });
      const examples = /id="f-at-error">[^<]*exemple : ([^)]+)\)/.exec(refused.text)?.[1]?.split(' ou ');
      assert.deepEqual(examples, ['14/05/2024 21:15', '14/05/24 21h15'], 'the message shows both notations');
      const res = await post(rep, `/dossiers/${id}/consultations`, { at: examples[which], action: 'consulted', explanation: 'unknown' });
      assert.equal(res.status, 303, 'typing the example the app itself gives must work');
      assert.deepEqual((await consultationsOf(id)).map((c) => c.at), ['2024-05-14T19:15:00Z']);
    }
  });

  it('refuses a date without a time instead of recording a midnight (night-time) consultation', async () => {
    const id = await createCase();
    const res = await post(rep, `/dossiers/${id}/consultations`, { at: '2024-05-14', action: 'consulted', explanation: 'unknown' });
    assert.equal(res.status, 400);
    assert.deepEqual(await consultationsOf(id), [], 'no consultation at 00:00 is invented, it would count as odd hours');
  });

  it('adds a pasted list (/consultations/lot) and shows the off-hours sentence', async () => {
    const id = await createCase();
    const res = await post(rep, `/dossiers/${id}/consultations/lot`, {
      lines: '14/05/2024 21:15\r\n15/05/2024 10:00\r\n',
      action: 'consulted',
      explanation: 'answering_user',
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `/dossiers/${id}#consultations`);
    const stored = await consultationsOf(id);
    assert.deepEqual(stored.map((c) => c.at), ['2024-05-14T19:15:00Z', '2024-05-15T08:00:00Z']);
    assert.ok(stored.every((c) => c.action === 'consulted' && c.explanation === 'answering_user'));
    const page = await rep.agent.get(`/dossiers/${id}`);
    const shown = text(page.text);
    assert.match(shown, /2 consultation\(s\) ajoutée\(s\)\./);
    assert.match(shown, /Sur les 2 consultations relevées, 1 a eu lieu à un horaire « hors normes » au sens de la direction \(entre 20 h et 5 h, et le week-end\), à l’heure locale de l’agent \(heure de Paris\)\. Les horaires de travail de l’agent ne sont pas renseignés\./);
  });

  it('refuses a pasted list with a bad line, naming the line and keeping the text; nothing added', async () => {
    const id = await createCase();
    const lines = '14/05/2024 21:15\n15/05/2024 10:00\nn’importe quoi';
    const res = await post(rep, `/dossiers/${id}/consultations/lot`, { lines, action: 'consulted', explanation: 'unknown' });
    assert.equal(res.status, 400);
    assert.match(res.text, /Ligne 3 \(« n’importe quoi »\) : date ou heure illisible/);
    assert.ok(res.text.includes(`>${lines}</textarea>`));
    const empty = await post(rep, `/dossiers/${id}/consultations/lot`, { lines: '  ', action: 'consulted', explanation: 'unknown' });
    assert.equal(empty.status, 400);
    assert.match(empty.text, /Collez au moins une date et heure\./);
    assert.deepEqual(await consultationsOf(id), []);
  });

  it('removes a consultation, and answers 404 for an unknown one or one of another case', async () => {
    const id = await createCase();
    const other = await createCase();
    await post(rep, `/dossiers/${id}/consultations/lot`, { lines: '14/05/2024 21:15\n15/05/2024 10:00', action: 'consulted', explanation: 'unknown' });
    await post(rep, `/dossiers/${other}/consultations`, { at: '2024-05-20T22:00', action: 'consulted', explanation: 'unknown' });
    const [night, day] = await consultationsOf(id);
    const [foreign] = await consultationsOf(other);
    assert.ok(night && day && foreign);

    const res = await post(rep, `/dossiers/${id}/consultations/${night.id}/supprimer`, {});
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `/dossiers/${id}#consultations`);
    assert.deepEqual((await consultationsOf(id)).map((c) => c.id), [day.id]);
    const kase = await caseRow(id);
    assert.equal(kase?.consultationsCount, 1);
    assert.equal(kase?.oddHoursCount, 0);
    assert.match(text((await rep.agent.get(`/dossiers/${id}`)).text), /Consultation retirée\./);

    for (const cid of [String(foreign.id), '999999', 'abc', '01', String(night.id)]) {
      const refused = await post(rep, `/dossiers/${id}/consultations/${cid}/supprimer`, {});
      assert.equal(refused.status, 404, cid);
    }
    assert.equal((await consultationsOf(other)).length, 1, 'another case’s consultation is untouched');
    assert.equal((await consultationsOf(id)).length, 1);
  });

  it('refuses additions and removals without a valid CSRF token', async () => {
    const id = await createCase();
    await post(rep, `/dossiers/${id}/consultations`, { at: '2024-05-14T21:15', action: 'consulted', explanation: 'unknown' });
    const before = await snapshot(id);
    const [c] = before.consultations;
    assert.ok(c);
    assert.equal((await postRaw(rep.agent, `/dossiers/${id}/consultations`, { at: '2024-05-15T21:15', action: 'consulted', explanation: 'unknown' })).status, 403);
    assert.equal((await postRaw(rep.agent, `/dossiers/${id}/consultations/lot`, { _csrf: 'x', lines: '15/05/2024 21:15', action: 'consulted', explanation: 'unknown' })).status, 403);
    assert.equal((await postRaw(rep.agent, `/dossiers/${id}/consultations/${c.id}/supprimer`, {})).status, 403);
    assert.deepEqual(await snapshot(id), before);
  });
});

// ---------------------------------------------------------------- timeline

describe('timeline events', () => {
  it('adds an event, audits it and shows it in the timeline', async () => {
    const id = await createCase();
    await addEvent(id, { type: 'convocation_received', date: '2024-09-02', note: 'Convocation par e-mail.' });
    const [event] = await eventsOf(id);
    assert.ok(event);
    assert.equal(event.type, 'convocation_received');
    assert.equal(event.date, '2024-09-02');
    assert.equal(event.note, 'Convocation par e-mail.');
    assert.equal(event.createdBy, rep.user.id);
    assert.deepEqual(await ctx.auditOf('case_event', event.id), [{ actorUserId: rep.user.id, action: 'create', entityType: 'case_event', entityId: String(event.id) }]);
    const page = await rep.agent.get(`/dossiers/${id}`);
    const timeline = text(section(page.text, 'suivi-titre'));
    assert.match(text(page.text), /Événement ajouté au suivi\./);
    assert.match(timeline, /2 septembre 2024 Convocation reçue Convocation par e-mail\./);
    assert.ok(page.text.includes(`href="/dossiers/${id}/evenements/${event.id}/modifier"`));
  });

  it('refuses an invalid event with 400 and French messages, keeping what was typed', async () => {
    const id = await createCase();
    const sanction = await post(rep, `/dossiers/${id}/evenements`, { type: 'sanction_notified', date: '2024-10-03', note: 'note gardée' });
    assert.equal(sanction.status, 400);
    assert.match(sanction.text, /Précisez la sanction notifiée\./);
    assert.match(sanction.text, /<option value="sanction_notified" selected>/);
    assert.match(sanction.text, />note gardée<\/textarea>/);
    const noDate = await post(rep, `/dossiers/${id}/evenements`, { type: 'interview_held', date: '' });
    assert.equal(noDate.status, 400);
    assert.match(noDate.text, /La date est obligatoire\./);
    const noType = await post(rep, `/dossiers/${id}/evenements`, { type: 'invented', date: '2024-10-03' });
    assert.equal(noType.status, 400);
    assert.match(noType.text, /Choisissez le type d’événement\./);
    const closed = await post(rep, `/dossiers/${id}/evenements`, { type: 'closed', date: '2024-10-03' });
    assert.equal(closed.status, 400);
    assert.match(closed.text, /Précisez l’issue du dossier\./);
    const hearing = await post(rep, `/dossiers/${id}/evenements`, { type: 'pre_disciplinary_convocation', date: '2024-10-03', hearingDate: '2024-10-01' });
    assert.equal(hearing.status, 400);
    assert.match(hearing.text, /L’entretien préalable ne peut pas précéder la convocation\./);
    assert.deepEqual(await eventsOf(id), []);
  });

  it('corrects an event: prefilled form, change saved, audited as an update of the event', async () => {
    const id = await createCase();
    await addEvent(id, { type: 'interview_held', date: '2024-09-16', note: 'Première version' });
    const [event] = await eventsOf(id);
    assert.ok(event);

    const form = await rep.agent.get(`/dossiers/${id}/evenements/${event.id}/modifier`);
    assert.equal(form.status, 200);
    assert.match(form.text, /<h1>Corriger un événement<\/h1>/);
    assert.ok(form.text.includes(`action="/dossiers/${id}/evenements/${event.id}"`));
    assert.match(form.text, /<option value="interview_held" selected>/);
    assert.match(form.text, /name="date" type="date" value="2024-09-16"/);
    assert.match(form.text, />Première version<\/textarea>/);

    const res = await post(rep, `/dossiers/${id}/evenements/${event.id}`, { type: 'interview_held', date: '2024-09-17', note: 'Corrigée' });
    assert.equal(res.status, 303);
    assert.match(String(res.headers.location), new RegExp(`^/dossiers/${id}(#suivi)?$`));
    const [corrected] = await eventsOf(id);
    assert.equal(corrected?.id, event.id);
    assert.equal(corrected?.date, '2024-09-17');
    assert.equal(corrected?.note, 'Corrigée');
    const audit = await ctx.auditOf('case_event', event.id);
    assert.deepEqual(audit.map((a) => [a.actorUserId, a.action]), [
      [rep.user.id, 'create'],
      [rep.user.id, 'update'],
    ]);
    const page = await rep.agent.get(`/dossiers/${id}`);
    assert.match(text(page.text), /Événement corrigé\./);
    assert.match(text(section(page.text, 'suivi-titre')), /17 septembre 2024 Entretien tenu Corrigée/);
  });

  it('marks a corrected event as such in the timeline', async () => {
    const id = await createCase();
    await addEvent(id, { type: 'interview_held', date: '2024-09-16' });
    const [event] = await eventsOf(id);
    assert.ok(event);
    ctx.clock.advance(1000);
    await post(rep, `/dossiers/${id}/evenements/${event.id}`, { type: 'interview_held', date: '2024-09-18' });
    const page = await rep.agent.get(`/dossiers/${id}`);
    assert.match(text(section(page.text, 'suivi-titre')), /Corrigé · Corriger/);
  });

  it('refuses an invalid correction with 400, keeping the typed values and the stored event', async () => {
    const id = await createCase();
    await addEvent(id, { type: 'interview_held', date: '2024-09-16', note: 'Intacte' });
    const before = await eventsOf(id);
    const eventId = before[0]!.id;
    const res = await post(rep, `/dossiers/${id}/evenements/${eventId}`, { type: 'sanction_notified', date: '2024-10-01', note: 'tapé' });
    assert.equal(res.status, 400);
    assert.match(res.text, /Précisez la sanction notifiée\./);
    assert.match(res.text, />tapé<\/textarea>/);
    assert.deepEqual(await eventsOf(id), before);
    assert.equal((await ctx.auditOf('case_event', eventId)).filter((a) => a.action === 'update').length, 0);
  });

  it('deletes an event, audits it and reassesses the case', async () => {
    const id = await createCase();
    await addEvent(id, { type: 'sanction_notified', date: '2024-10-03', sanctionKind: 'blame' });
    assert.equal((await caseRow(id))?.commitmentStatus, 'breached');
    const [event] = await eventsOf(id);
    assert.ok(event);
    const res = await post(rep, `/dossiers/${id}/evenements/${event.id}/supprimer`, {});
    assert.equal(res.status, 303);
    assert.match(String(res.headers.location), new RegExp(`^/dossiers/${id}(#suivi)?$`));
    assert.deepEqual(await eventsOf(id), []);
    assert.equal((await caseRow(id))?.commitmentStatus, 'respected', 'the breach goes with the deleted sanction');
    assert.deepEqual((await ctx.auditOf('case_event', event.id)).map((a) => a.action), ['create', 'delete']);
    assert.match(text((await rep.agent.get(`/dossiers/${id}`)).text), /Événement supprimé du suivi\./);
  });

  it('answers 404 for an unknown event, a malformed id, or an event of another case', async () => {
    const id = await createCase();
    const other = await createCase();
    await addEvent(other, { type: 'interview_held', date: '2024-09-16' });
    const [foreign] = await eventsOf(other);
    assert.ok(foreign);
    const before = await snapshot(other);
    for (const eid of ['999999', 'abc', '0x1', '01', String(foreign.id)]) {
      assert.equal((await rep.agent.get(`/dossiers/${id}/evenements/${eid}/modifier`)).status, 404, `GET ${eid}`);
      assert.equal((await post(rep, `/dossiers/${id}/evenements/${eid}`, { type: 'closed', date: '2024-10-01', closingOutcome: 'no_follow_up' })).status, 404, `POST ${eid}`);
      assert.equal((await post(rep, `/dossiers/${id}/evenements/${eid}/supprimer`, {})).status, 404, `DELETE ${eid}`);
    }
    assert.deepEqual(await snapshot(other), before);
    assert.deepEqual(await eventsOf(id), []);
  });

  it('refuses event changes without a valid CSRF token', async () => {
    const id = await createCase();
    await addEvent(id, { type: 'interview_held', date: '2024-09-16' });
    const before = await snapshot(id);
    const eventId = before.events[0]!.id;
    assert.equal((await postRaw(rep.agent, `/dossiers/${id}/evenements`, { type: 'interview_held', date: '2024-09-20' })).status, 403);
    assert.equal((await postRaw(rep.agent, `/dossiers/${id}/evenements/${eventId}`, { _csrf: 'x', type: 'interview_held', date: '2024-09-20' })).status, 403);
    assert.equal((await postRaw(rep.agent, `/dossiers/${id}/evenements/${eventId}/supprimer`, {})).status, 403);
    assert.deepEqual(await snapshot(id), before);
  });

  it('closes the case with a "closed" event and reopens it with a later appeal', async () => {
    const id = await createCase();
    await addEvent(id, { type: 'closed', date: '2024-10-10', closingOutcome: 'kind_reminder' });
    assert.equal((await caseRow(id))?.status, 'closed');
    const page = await rep.agent.get(`/dossiers/${id}`);
    assert.match(page.text, /badge--muted">Clos<\/span>/);
    assert.match(text(section(page.text, 'suivi-titre')), /Dossier clos — rappel des règles, sans sanction/);
    await addEvent(id, { type: 'appeal', date: '2024-10-20' });
    assert.equal((await caseRow(id))?.status, 'open');
  });
});

// ---------------------------------------------------------------- commitment rules

describe('the commitment, as the case page shows it', () => {
  it('is broken by a sanction in wave 2, with the reason', async () => {
    const id = await createCase({ campaignId: String(wave2Id) });
    await addEvent(id, { type: 'sanction_notified', date: '2024-10-03', sanctionKind: 'avertissement' });
    const kase = await caseRow(id);
    assert.equal(kase?.commitmentStatus, 'breached');
    const res = await rep.agent.get(`/dossiers/${id}`);
    const panel = text(section(res.text, 'engagement'));
    assert.match(res.text, /status-panel--danger/);
    assert.match(panel, /Engagement rompu/);
    assert.match(panel, /La direction a notifié le 3 octobre 2024 une sanction \(avertissement\), alors que cette campagne a été présentée comme une expérimentation sans sanction disciplinaire\./);
    assert.match(text(section(res.text, 'suivi-titre')), /Sanction notifiée — avertissement/);
    assert.match(text(res.text), /Le dossier passe en « Engagement rompu »/, 'the rep is told the status changed');
  });

  it('is broken by a convocation to an entretien préalable in wave 2, with the reason', async () => {
    const id = await createCase({ campaignId: String(wave2Id) });
    await addEvent(id, { type: 'pre_disciplinary_convocation', date: '2024-10-01', hearingDate: '2024-10-08' });
    assert.equal((await caseRow(id))?.commitmentStatus, 'breached');
    const res = await rep.agent.get(`/dossiers/${id}`);
    const panel = text(section(res.text, 'engagement'));
    assert.match(panel, /Engagement rompu/);
    assert.match(panel, /La direction a convoqué l’agent le 1er octobre 2024 à un entretien préalable à sanction, fixé au 8 octobre 2024, alors que cette campagne a été présentée comme une expérimentation sans sanction disciplinaire\./);
    const deadlines = text(section(res.text, 'delais'));
    assert.match(deadlines, /Délai d’un mois pour notifier une sanction après l’entretien préalable/);
    assert.match(deadlines, /Échéance : 8 novembre 2024/);
  });

  it('is only threatened by the same sanction in wave 1, which carried no such commitment', async () => {
    const id = await createCase({ campaignId: String(wave1Id) });
    await addEvent(id, { type: 'sanction_notified', date: '2023-10-03', sanctionKind: 'blame' });
    assert.equal((await caseRow(id))?.commitmentStatus, 'at_risk');
    const panel = text(section((await rep.agent.get(`/dossiers/${id}`)).text, 'engagement'));
    assert.match(panel, /Engagement menacé/);
    assert.doesNotMatch(panel, /Engagement rompu/);
    assert.match(panel, /La direction a notifié le 3 octobre 2023 une sanction \(blâme\) ; cette campagne ne comporte pas d’engagement de non-sanction\./);
  });

  it('is threatened by an interview under pressure', async () => {
    const id = await createCase({ interviewDate: '2024-09-20', reportOutcome: 'legitimate', interviewTone: 'pressure', toneNotes: '« Vous risquez gros. »' });
    assert.equal((await caseRow(id))?.commitmentStatus, 'at_risk');
    const res = await rep.agent.get(`/dossiers/${id}`);
    const panel = text(section(res.text, 'engagement'));
    assert.match(res.text, /status-panel--warn/);
    assert.match(panel, /Engagement menacé/);
    assert.match(panel, /L’entretien a été rapporté comme mené sous pression ou avec des menaces/);
    assert.match(text(res.text), /Pressions ou menaces « Vous risquez gros\. »/);
  });

  it('is threatened by an interview outside the announced window', async () => {
    const id = await createCase({ interviewDate: '2024-12-02', reportOutcome: 'legitimate' });
    const panel = text(section((await rep.agent.get(`/dossiers/${id}`)).text, 'engagement'));
    assert.match(panel, /Engagement menacé/);
    assert.match(panel, /L’entretien a eu lieu le 2 décembre 2024, en dehors de la période annoncée \(du 1er septembre 2024 au 31 octobre 2024\)\./);
  });

  it('says how many consultations fell at odd hours, against the declared hours', async () => {
    const id = await createCase({ workDays: ['1', '2', '3', '4', '5'], workStart: '09:00', workEnd: '17:00' });
    await post(rep, `/dossiers/${id}/consultations/lot`, { lines: '14/05/2024 21:15\n15/05/2024 10:00', action: 'consulted', explanation: 'unknown' });
    const consultations = text(section((await rep.agent.get(`/dossiers/${id}`)).text, 'consultations-titre'));
    // Only the flagged 21:15 one counts against the declared hours: the 10:00 one, within them, is not « hors normes » (issue 12).
    assert.match(consultations, /Sur les 2 consultations relevées, 1 a eu lieu à un horaire « hors normes » au sens de la direction \(entre 20 h et 5 h, et le week-end\), à l’heure locale de l’agent \(heure de Paris\)\. Celle-ci se situe en dehors des horaires de travail déclarés de l’agent\./);
    assert.doesNotMatch(consultations, /pendant les horaires de travail déclarés/);
  });

  it('counts a public holiday as odd hours and names it', async () => {
    const id = await createCase();
    await post(rep, `/dossiers/${id}/consultations`, { at: '2024-05-08T10:00', action: 'consulted', explanation: 'unknown' });
    const consultations = text(section((await rep.agent.get(`/dossiers/${id}`)).text, 'consultations-titre'));
    assert.match(consultations, /La consultation relevée n’a pas eu lieu à un horaire « hors normes » au sens de la direction \(entre 20 h et 5 h, et le week-end\), à l’heure locale de l’agent \(heure de Paris\)\. Elle a eu lieu un jour férié, ce que nous relevons en plus/);
    assert.match(consultations, /8 mai : férié/);
  });

  it('computes no date for a public-law agent, and says so', async () => {
    const id = await createCase({ employmentStatus: 'public', knowledgeDate: '2024-07-01' });
    await addEvent(id, { type: 'pre_disciplinary_convocation', date: '2024-10-01', hearingDate: '2024-10-08' });
    const res = await rep.agent.get(`/dossiers/${id}`);
    const deadlines = section(res.text, 'delais');
    const shown = text(deadlines);
    assert.match(shown, /Non calculé/);
    assert.match(shown, /aucun délai vérifié ne peut être calculé ici/);
    assert.doesNotMatch(shown, /Échéance :/, 'no date is shown');
    assert.equal((await caseRow(id))?.nextDeadlineDate, null);
  });

  it('computes the two-month limit for a private-law agent (contrast)', async () => {
    const id = await createCase({ employmentStatus: 'private', knowledgeDate: '2024-07-01' });
    const shown = text(section((await rep.agent.get(`/dossiers/${id}`)).text, 'delais'));
    assert.match(shown, /Délai de deux mois pour engager une procédure disciplinaire/);
    assert.match(shown, /Échéance : 1er septembre 2024/);
    assert.doesNotMatch(shown, /Non calculé/);
  });
});

describe('across an agent’s cases', () => {
  it('shows a sanction of the agent’s earlier case as a prior sanction in the later one', async () => {
    const first = await createCase({ fullName: uniqueName('Récidive'), campaignId: String(wave1Id) });
    const agentId = (await caseRow(first))!.agentId;
    const second = await createCase({ existingAgentId: String(agentId), employmentStatus: 'private' });
    await addEvent(first, { type: 'sanction_notified', date: '2023-10-03', sanctionKind: 'blame' });
    const deadlines = text(section((await rep.agent.get(`/dossiers/${second}`)).text, 'delais'));
    assert.match(deadlines, /Sanction antérieure \(blâme du 3 octobre 2023\) : invocable pendant trois ans/);
    assert.match(deadlines, /Échéance : 3 octobre 2026/);
  });

  it('moves all the agent’s cases when the agent changes region', async () => {
    const first = await createCase({ fullName: uniqueName('Mutée') }, admin);
    const agentId = (await caseRow(first))!.agentId;
    const second = await createCase({ existingAgentId: String(agentId) }, admin);
    const res = await post(admin, `/dossiers/${second}`, caseForm({ fullName: uniqueName('Mutée'), regionCode: 'IDF' }));
    assert.equal(res.status, 303);
    assert.equal((await caseRow(first))?.regionCode, 'IDF');
    assert.equal((await caseRow(second))?.regionCode, 'IDF');
    assert.equal((await rep.agent.get(`/dossiers/${first}`)).status, 404);
    assert.equal((await outsider.agent.get(`/dossiers/${first}`)).status, 200);
  });
});

describe('markup in what reps type', () => {
  it('is shown as text, never run, on the case page, the list, the forms and the 409 page', async () => {
    const name = '<script>alert(1)</script> Injecté';
    const id = await createCase({ fullName: name, agentAccount: '<img src=x onerror=alert(2)>', site: '"><b>site</b>' });
    const pages = [
      (await rep.agent.get(`/dossiers/${id}`)).text,
      (await rep.agent.get('/dossiers?q=injecte')).text,
      (await rep.agent.get(`/dossiers/${id}/modifier`)).text,
      (await post(rep, '/dossiers', caseForm({ fullName: name }))).text,
    ];
    for (const html of pages) {
      assert.ok(!html.includes('<script>alert(1)</script>'), 'the name is escaped');
      assert.ok(!html.includes('<img src=x'), 'the account is escaped');
      assert.ok(!html.includes('"><b>site</b>'), 'the site is escaped');
      assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt; Injecté'));
    }
  });
});

// ---------------------------------------------------------------- scope

describe('a rep of another region', () => {
  let caseId: number;
  let eventId: number;
  let consultationId: number;

  before(async () => {
    caseId = await createCase({ fullName: uniqueName('Confidentielle') });
    await addEvent(caseId, { type: 'interview_held', date: '2024-09-16' });
    await post(rep, `/dossiers/${caseId}/consultations`, { at: '2024-05-14T21:15', action: 'consulted', explanation: 'unknown' });
    eventId = (await eventsOf(caseId))[0]!.id;
    consultationId = (await consultationsOf(caseId))[0]!.id;
  });

  it('gets 404 on every page and action of the case, and nothing changes', async () => {
    const before = await snapshot(caseId);
    const auditBefore = await ctx.auditCountBy(outsider.user.id);
    const attempts: Array<[string, () => Promise<{ status: number }>]> = [
      ['GET show', () => outsider.agent.get(`/dossiers/${caseId}`)],
      ['GET edit', () => outsider.agent.get(`/dossiers/${caseId}/modifier`)],
      ['POST edit', () => post(outsider, `/dossiers/${caseId}`, caseForm({ fullName: 'Piraté', regionCode: 'IDF' }))],
      ['POST event', () => post(outsider, `/dossiers/${caseId}/evenements`, { type: 'closed', date: '2024-10-01', closingOutcome: 'no_follow_up' })],
      ['GET event', () => outsider.agent.get(`/dossiers/${caseId}/evenements/${eventId}/modifier`)],
      ['POST event correction', () => post(outsider, `/dossiers/${caseId}/evenements/${eventId}`, { type: 'sanction_notified', date: '2024-10-01', sanctionKind: 'blame' })],
      ['POST event delete', () => post(outsider, `/dossiers/${caseId}/evenements/${eventId}/supprimer`, {})],
      ['POST consultation', () => post(outsider, `/dossiers/${caseId}/consultations`, { at: '2024-05-15T21:15', action: 'consulted', explanation: 'unknown' })],
      ['POST consultations lot', () => post(outsider, `/dossiers/${caseId}/consultations/lot`, { lines: '15/05/2024 21:15', action: 'consulted', explanation: 'unknown' })],
      ['POST consultation delete', () => post(outsider, `/dossiers/${caseId}/consultations/${consultationId}/supprimer`, {})],
    ];
    for (const [label, attempt] of attempts) {
      const res = await attempt();
      assert.equal(res.status, 404, label);
    }
    assert.deepEqual(await snapshot(caseId), before);
    assert.equal(await ctx.auditCountBy(outsider.user.id), auditBefore, 'no view or change is recorded for them');
  });

  it('gets the same 404 page as for a case that does not exist', async () => {
    const hidden = await outsider.agent.get(`/dossiers/${caseId}`);
    const missing = await outsider.agent.get('/dossiers/999999');
    assert.equal(hidden.status, 404);
    assert.equal(text(hidden.text).replace(/\d+/g, ''), text(missing.text).replace(/\d+/g, ''));
    assert.doesNotMatch(hidden.text, /Confidentielle/);
  });

  it('while an admin, who covers every region, reaches the case', async () => {
    const res = await admin.agent.get(`/dossiers/${caseId}`);
    assert.equal(res.status, 200);
    assert.match(res.text, /Confidentielle/);
    assert.equal((await admin.agent.get(`/dossiers/${caseId}/modifier`)).status, 200);
    assert.equal((await admin.agent.get(`/dossiers/${caseId}/evenements/${eventId}/modifier`)).status, 200);
  });

  it('loses access when a case is moved out of their region, and the owner region gains it', async () => {
    const id = await createCase({ fullName: uniqueName('Déménage') }, admin);
    assert.equal((await outsider.agent.get(`/dossiers/${id}`)).status, 404);
    const moved = await post(admin, `/dossiers/${id}`, caseForm({ fullName: uniqueName('Déménagée'), regionCode: 'IDF' }));
    assert.equal(moved.status, 303);
    assert.equal((await outsider.agent.get(`/dossiers/${id}`)).status, 200);
    assert.equal((await rep.agent.get(`/dossiers/${id}`)).status, 404);
  });
});

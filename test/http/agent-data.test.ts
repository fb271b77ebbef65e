import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../src/db/schema';
import { type Agent, type Signed, type TestContext, createTestContext, csrfFrom, extractCsrf, PEOPLE } from '../helpers/context';
import { TABLES, canaryIn as canaryInFiles, tableCounts as countRows } from '../helpers/database-traces';
import { extractPdf, squash } from '../helpers/document-text';
import { type Fields, encode, post, postForm } from '../helpers/forms';
import { binary } from '../helpers/binary-bodies';
import { text } from '../helpers/html';
import { readForm } from '../security/support';
import { caseFormsOf } from '../fixtures/case-form';
import { uniqueNames } from '../fixtures/names';
import { sharedLayoutWords } from '../../src/documents/render-pdf';
import { measuredLinesHold } from '../../src/documents/pdf-page';
import { submitSupportRequest } from '../fixtures/support-request';

/**
 * One agent's data: the page listing what is held, the JSON and PDF exports, and the erasure.
 * A rich agent (two cases, timeline, consultations, a brief, a support request with messages and a
 * request marked as its duplicate) is built through the app's own forms. The database is a file, so
 * that after the erasure a canary written into the agent's name and a message can be looked for in
 * the raw bytes of vigie.db, -wal and -shm (read by a child process, see test/helpers/database-traces.ts).
 */

const CANARY = 'Qzvcanarixagent';

let ctx: TestContext;
/** outsider covers Île-de-France only; both covers both. */
let admin: Signed, rep: Signed, outsider: Signed, both: Signed;

const rich = {} as { agentId: number; caseIds: number[]; eventIds: number[]; briefId: number; requestId: number; duplicateId: number; reference: string; name: string };


const caseForm = caseFormsOf(uniqueNames('Données', 'bcdfghjklm'));

async function newCase(who: Signed, overrides: Fields = {}): Promise<{ id: number; agentId: number }> {
  const res = await post(who, '/dossiers', caseForm(overrides));
  assert.equal(res.status, 303, `case refused: ${text(res.text).slice(0, 400)}`);
  const id = Number(/^\/dossiers\/(\d+)$/.exec(String(res.headers.location))?.[1]);
  const row = await ctx.db.selectFrom('cases').select('agentId').where('id', '=', id).executeTakeFirstOrThrow();
  return { id, agentId: row.agentId };
}

async function addEvent(caseId: number, fields: Fields): Promise<number> {
  const res = await post(rep, `/dossiers/${caseId}/evenements`, fields);
  assert.equal(res.status, 303, `event refused: ${text(res.text).slice(0, 400)}`);
  return (await ctx.db.selectFrom('caseEvents').select('id').where('caseId', '=', caseId).orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
}

/** A public support request, from a visitor's browser; its follow-up link and that browser. */
function submitRequest(fields: Fields): Promise<{ id: number; reference: string; token: string; agent: Agent; csrf: string }> {
  return submitSupportRequest(ctx, { email: 'perso.canari@exemple.fr', ...fields });
}

const tableCounts = () => countRows(ctx.db);

/** Every row of every table, sessions apart: a refusal must leave all of them as they were. */
async function everything(): Promise<string> {
  const rows: string[] = [];
  for (const table of TABLES) rows.push(JSON.stringify(await ctx.db.selectFrom(table as keyof Database).selectAll().execute()));
  return rows.join('\n');
}

const canaryIn = () => canaryInFiles(ctx.databaseFile, CANARY);

before(async () => {
  ctx = await createTestContext({ RATE_LIMIT_PER_MINUTE: '100000', PUBLIC_FORM_LIMIT_PER_HOUR: '100000' }, { onDisk: true });
  [admin, rep, outsider, both] = await ctx.signInAll(PEOPLE.admin, PEOPLE.rep, PEOPLE.outsider, { role: 'rep', name: 'Basile Deux-Régions', regions: ['HDF', 'IDF'] });

  // The agent writes to the union, then again (a duplicate the rep groups with the first).
  rich.name = `Martine ${CANARY}`;
  const first = await submitRequest({ name: rich.name, message: `Bonjour, je suis ${CANARY} et je suis convoquée.` });
  const second = await submitRequest({ name: rich.name, message: 'Je renvoie ma demande, sans réponse.' });
  rich.requestId = first.id;
  rich.duplicateId = second.id;
  rich.reference = first.reference;
  let res = await post(rep, `/demandes/${first.id}/reponse`, { body: 'Bonjour, je vous rappelle demain.' });
  assert.equal(res.status, 303);
  res = await first.agent.post(`/demande/suivi/${first.token}/message`).type('form').send(encode({ _csrf: first.csrf, body: `Merci, message de ${CANARY}.` }));
  assert.ok(res.status < 400, `follow-up message refused: ${res.status}`);
  res = await post(rep, `/demandes/${second.id}/doublon`, { duplicateOf: first.reference });
  assert.equal(res.status, 303, text(res.text).slice(0, 300));

  // A case opened from the request, a second case for the same agent.
  const one = await newCase(rep, {
    fullName: rich.name,
    requestId: String(first.id),
    proEmail: 'martine.pro@francetravail.fr',
    phone: '06 12 34 56 78',
    contactChannels: ['pro_email'],
    workDays: ['1', '2', '3', '4', '5'],
    workStart: '09:00',
    workEnd: '17:00',
    toneNotes: 'Entretien tendu.',
    interviewTone: 'pressure',
    consultationsText: '14/05/2024 21:15\n18/05/2024 10:00',
    consultationAction: 'consulted',
    consultationExplanation: 'answering_user',
    repIds: [String(rep.user.id)],
  });
  rich.agentId = one.agentId;
  const two = await newCase(rep, { fullName: rich.name, existingAgentId: String(one.agentId), campaignId: '1', situations: ['agent_ex_job_seeker'] });
  assert.equal(two.agentId, one.agentId);
  rich.caseIds = [one.id, two.id];
  rich.eventIds = [
    await addEvent(one.id, { type: 'interview_held', date: '2024-09-16', note: 'Entretien avec la manager.' }),
    await addEvent(two.id, { type: 'observations_sent', date: '2024-10-01', note: 'Observations écrites.' }),
  ];
  res = await post(rep, `/dossiers/${two.id}/consultations`, { at: '20/05/2024 22:40', action: 'modified', explanation: 'service_task' });
  assert.equal(res.status, 303);
  const page = await rep.agent.get(`/dossiers/${one.id}/argumentaire`);
  res = await post(rep, `/dossiers/${one.id}/argumentaire`, { ...readForm(page.text, `/dossiers/${one.id}/argumentaire`), action: 'generate' });
  assert.equal(res.status, 303, `brief refused: ${text(res.text).slice(0, 300)}`);
  rich.briefId = Number(/\/argumentaires\/(\d+)$/.exec(String(res.headers.location))?.[1]);
  // Viewing the case and the brief leaves audit entries about them.
  assert.equal((await rep.agent.get(`/dossiers/${one.id}`)).status, 200);
  assert.equal((await rep.agent.get(`/dossiers/${one.id}/argumentaires/${rich.briefId}`)).status, 200);
});

after(() => ctx.close());

describe('the agent’s page', () => {
  it('is linked from the case page and lists what is held, in counts', async () => {
    const casePage = await rep.agent.get(`/dossiers/${rich.caseIds[0]}`);
    assert.match(casePage.text, new RegExp(`<a href="/agents/${rich.agentId}">Exporter ou effacer les données de l’agent</a>`));
    const res = await rep.agent.get(`/agents/${rich.agentId}`);
    assert.equal(res.status, 200);
    const body = text(res.text);
    assert.match(body, new RegExp(`Données de l’agent Martine ${CANARY}`));
    // Opened from a request: the case's first step « demande d'accompagnement » is one more event.
    assert.match(body, /Suivi 3 événement\(s\)/);
    assert.match(body, /Consultations signalées 3 \(date, heure et nature seulement\)/);
    assert.match(body, /Argumentaires 1 version\(s\)/);
    assert.match(body, new RegExp(`${rich.reference} ?, D-`));
    assert.match(res.text, new RegExp(`href="/agents/${rich.agentId}/donnees.json"`));
    assert.match(res.text, new RegExp(`href="/agents/${rich.agentId}/donnees.pdf"`));
    assert.doesNotMatch(res.text, /\/effacement"/, 'a rep is not offered the erasure');
    assert.match(body, /Seul·e un·e administrateur·rice de Vigie peut effacer ces données/);
    const adminPage = await admin.agent.get(`/agents/${rich.agentId}`);
    assert.match(adminPage.text, new RegExp(`href="/agents/${rich.agentId}/effacement"`));
  });
});

describe('export', () => {
  it('gives everything held about the agent as JSON, and records an export of the agent and of each case', async () => {
    const before = Number((await ctx.db.selectFrom('auditLog').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow()).id);
    const res = await rep.agent.get(`/agents/${rich.agentId}/donnees.json`);
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.equal(res.headers['content-disposition'], `attachment; filename="donnees-agent-${rich.agentId}.json"`);
    assert.equal(res.headers['cache-control'], 'no-store');
    const data = JSON.parse(res.text);
    assert.equal(data.format, 'vigie-agent-data');
    assert.equal(data.exportedBy, 'Rémi Représentant');

    // Every column of the agent.
    const agentRow = await ctx.db.selectFrom('agents').selectAll().where('id', '=', rich.agentId).executeTakeFirstOrThrow();
    assert.deepEqual(data.agent, agentRow);
    assert.equal(data.agent.proEmail, 'martine.pro@francetravail.fr');

    // Both cases, with situations, reps, timeline, consultations and the brief.
    assert.deepEqual(data.cases.map((c: { id: number }) => c.id), rich.caseIds);
    const [one, two] = data.cases;
    assert.deepEqual(one.situations, ['odd_hours']);
    assert.deepEqual(two.situations, ['agent_ex_job_seeker']);
    assert.deepEqual(one.reps, [{ userId: rep.user.id, name: 'Rémi Représentant' }]);
    assert.equal(one.toneNotes, 'Entretien tendu.');
    assert.ok(Array.isArray(one.commitmentReasons));
    assert.deepEqual(one.events.map((e: { type: string }) => e.type), ['interview_held', 'support_requested'], 'by date: the request came today');
    assert.deepEqual(two.events.map((e: { note: string }) => e.note), ['Observations écrites.']);
    assert.deepEqual(
      one.consultations.map((c: { at: string; explanation: string }) => [c.at, c.explanation]),
      [['2024-05-14T19:15:00Z', 'answering_user'], ['2024-05-18T08:00:00Z', 'answering_user']],
    );
    assert.deepEqual(two.consultations.map((c: { action: string; explanation: string }) => [c.action, c.explanation]), [['modified', 'service_task']]);
    for (const c of [...one.consultations, ...two.consultations]) {
      assert.deepEqual(Object.keys(c).sort(), ['action', 'at', 'caseId', 'explanation', 'explanationText', 'id', 'typedZone'], 'a consultation is a time and a category, never a job seeker');
    }
    assert.equal(one.briefVersions.length, 1);
    assert.equal(one.briefVersions[0].id, rich.briefId);
    assert.equal(typeof one.briefVersions[0].document, 'object', 'the brief document is given as JSON');
    assert.ok(JSON.stringify(one.briefVersions[0].document).includes(CANARY), 'the brief as generated');
    assert.deepEqual(two.briefVersions, []);

    // The request the case came from, with its messages, and the duplicate grouped with it.
    assert.deepEqual(data.supportRequests.map((r: { id: number }) => r.id), [rich.requestId, rich.duplicateId]);
    const [request, duplicate] = data.supportRequests;
    assert.equal(request.caseId, rich.caseIds[0]);
    assert.equal(duplicate.duplicateOf, rich.requestId);
    assert.match(request.message, new RegExp(CANARY));
    assert.deepEqual(request.messages.map((m: { author: string }) => m.author), ['rep', 'agent']);
    assert.equal(request.messages[1].body, `Merci, message de ${CANARY}.`);
    assert.ok(!('tokenHash' in request), 'never the follow-up link’s hash');

    // Audit entries about these records: who, when, what — nothing else.
    const kinds = new Set(data.audit.map((a: { entityType: string }) => a.entityType));
    for (const kind of ['case', 'case_event', 'brief', 'support_request']) assert.ok(kinds.has(kind), `audit entries about ${kind}`);
    for (const a of data.audit) assert.deepEqual(Object.keys(a).sort(), ['action', 'actor', 'at', 'entityId', 'entityType']);
    assert.ok(data.audit.some((a: { actor: string; action: string; entityType: string }) => a.actor === 'Rémi Représentant' && a.action === 'view' && a.entityType === 'brief'));
    assert.ok(data.audit.some((a: { actor: string; entityType: string }) => a.actor === 'l’agent, par son lien de suivi' && a.entityType === 'support_request'));

    // The export itself is recorded: on the agent, each case and each request.
    const recorded = await ctx.db.selectFrom('auditLog').select(['actorUserId', 'action', 'entityType', 'entityId']).where('id', '>', before).orderBy('id').execute();
    assert.deepEqual(
      recorded.map((r) => `${r.action} ${r.entityType} ${r.entityId}`).sort(),
      [`export agent ${rich.agentId}`, ...rich.caseIds.map((id) => `export case ${id}`), `export support_request ${rich.requestId}`, `export support_request ${rich.duplicateId}`].sort(),
    );
    assert.ok(recorded.every((r) => r.actorUserId === rep.user.id));
    // The case's own access log shows it.
    const journal = await rep.agent.get(`/dossiers/${rich.caseIds[1]}/journal`);
    assert.match(text(journal.text), /Export du dossier/);
  });

  it('gives a PDF summary built from the same records, recorded as an export', async () => {
    const res = await rep.agent.get(`/agents/${rich.agentId}/donnees.pdf`).buffer(true).parse(binary);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.equal(res.headers['content-disposition'], `attachment; filename="donnees-agent-${rich.agentId}.pdf"`);
    const pdf = await extractPdf(res.body as Buffer);
    const body = squash(pdf.body);
    for (const expected of [
      'Données détenues sur un agent',
      `Martine ${CANARY}`,
      'martine.pro@francetravail.fr',
      `Dossier n° ${rich.caseIds[0]} — Détournement de finalités — vague 2 (2024)`,
      `Dossier n° ${rich.caseIds[1]} — Détournement de finalités — vague 1 (2023)`,
      'Consultations répétées à des horaires hors normes',
      '16 septembre 2024 — Entretien tenu',
      'Observations écrites.',
      'Consultations signalées (2), heure de Paris',
      '14 mai 2024 à 21:15 — Consultation',
      'Les dates et heures sont à l’heure de Paris.',
      'Pour une tâche du service',
      'Argumentaires (1 version(s))',
      `Demande ${rich.reference}`,
      `Merci, message de ${CANARY}.`,
      'Bonjour, je vous rappelle demain.',
      'Regroupée avec une autre demande',
      'Journal des accès',
      'Rémi Représentant — consultation (argumentaire',
    ]) {
      assert.ok(body.includes(squash(expected)), `the PDF says « ${expected} »`);
    }
    const exports = await ctx.db.selectFrom('auditLog').select('id').where('entityType', '=', 'agent').where('entityId', '=', String(rich.agentId)).where('action', '=', 'export').execute();
    assert.equal(exports.length, 2, 'the JSON and the PDF exports');
  });

  it('sends an anonymous visitor to the login page', async () => {
    for (const url of [`/agents/${rich.agentId}`, `/agents/${rich.agentId}/donnees.json`, `/agents/${rich.agentId}/donnees.pdf`, `/agents/${rich.agentId}/effacement`]) {
      const res = await ctx.agent().get(url);
      assert.equal(res.status, 303, url);
      assert.equal(res.headers.location, '/connexion');
    }
  });

  it('answers 404 to a rep of another region, and to unknown or malformed ids, recording nothing', async () => {
    const before = await everything();
    for (const url of [`/agents/${rich.agentId}`, `/agents/${rich.agentId}/donnees.json`, `/agents/${rich.agentId}/donnees.pdf`]) {
      const res = await outsider.agent.get(url);
      assert.equal(res.status, 404, url);
      assert.ok(!res.text.includes(CANARY));
    }
    for (const id of ['999999', '0', 'abc', '1e3']) assert.equal((await admin.agent.get(`/agents/${id}/donnees.json`)).status, 404, id);
    assert.equal(await everything(), before);
  });

  it('answers 404 to a rep who covers the region of some of the agent’s records but not all', async () => {
    // One of the agent's cases sits in another region (an agent's cases normally follow them).
    const a = await newCase(admin);
    await newCase(admin, { existingAgentId: String(a.agentId) });
    const other = (await ctx.db.selectFrom('cases').select('id').where('agentId', '=', a.agentId).orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
    await ctx.db.updateTable('cases').set({ regionCode: 'IDF' }).where('id', '=', other).execute();
    // A Hauts-de-France case opened, by a rep of both regions, from an Île-de-France request.
    const req = await submitRequest({ name: 'Paul Francilien', regionCode: 'IDF', message: 'Bonjour.' });
    const b = await newCase(both, { requestId: String(req.id) });

    const before = await everything();
    for (const agentId of [a.agentId, b.agentId]) {
      assert.equal((await rep.agent.get(`/dossiers/${agentId === a.agentId ? a.id : b.id}`)).status, 200, 'the rep sees the Hauts-de-France case');
      for (const suffix of ['', '/donnees.json', '/donnees.pdf']) {
        assert.equal((await rep.agent.get(`/agents/${agentId}${suffix}`)).status, 404, `HDF rep, agent ${agentId}${suffix}`);
        assert.equal((await outsider.agent.get(`/agents/${agentId}${suffix}`)).status, 404, `IDF rep, agent ${agentId}${suffix}`);
      }
    }
    // Viewing the case pages above logged views; the refusals logged nothing more.
    const after = await everything();
    assert.equal(after.split('\n').slice(0, -1).join('\n'), before.split('\n').slice(0, -1).join('\n'));
    for (const agentId of [a.agentId, b.agentId]) assert.equal((await both.agent.get(`/agents/${agentId}/donnees.json`)).status, 200, 'a rep of both regions may');
    const exported = JSON.parse((await both.agent.get(`/agents/${b.agentId}/donnees.json`)).text);
    assert.deepEqual(exported.supportRequests.map((r: { id: number }) => r.id), [req.id]);
  });
});

describe('erasure', () => {
  const url = () => `/agents/${rich.agentId}/effacement`;
  const erasureForm = async () => readForm((await admin.agent.get(url())).text, url());

  it('is for administrators: reps get 403, whatever their region, and nothing changes', async () => {
    const form = await erasureForm();
    const before = await everything();
    for (const who of [rep, outsider, both]) {
      assert.equal((await who.agent.get(url())).status, 403);
      const res = await post(who, url(), { ...form, confirmName: rich.name });
      assert.equal(res.status, 403);
    }
    assert.equal(await everything(), before);
  });

  it('shows what will go, and asks for the agent’s name typed by hand', async () => {
    const res = await admin.agent.get(url());
    assert.equal(res.status, 200);
    const body = text(res.text);
    assert.match(body, /2 dossier\(s\) : n° \d+ — Détournement de finalités — vague 2 \(2024\), n° \d+ — Détournement de finalités — vague 1 \(2023\)/);
    assert.match(body, /3 événement\(s\) du suivi, 3 consultation\(s\) signalée\(s\) et 1 version\(s\) d’argumentaire/);
    assert.match(body, new RegExp(`2 demande\\(s\\) d’accompagnement : ${rich.reference}, D-\\S+, et 2 message\\(s\\)`));
    const form = readForm(res.text, url());
    assert.deepEqual(form, { caseIds: rich.caseIds.join(','), requestIds: [rich.requestId, rich.duplicateId].join(','), confirmName: '' });
    assert.doesNotMatch(res.text, /error-summary/, 'no error summary before anything is typed');
  });

  it('refuses a missing or made-up CSRF token, a missing or wrong name and a stale page, erasing nothing', async () => {
    const form = await erasureForm();
    const before = await everything();
    const noToken = await postForm(admin.agent, url(), { ...form, confirmName: rich.name });
    assert.equal(noToken.status, 403);
    const madeUp = await postForm(admin.agent, url(), { ...form, confirmName: rich.name, _csrf: 'pas-le-bon-jeton' });
    assert.equal(madeUp.status, 403);
    const other = await ctx.agent();
    const foreignToken = await csrfFrom(other, '/connexion');
    assert.equal((await postForm(admin.agent, url(), { ...form, confirmName: rich.name, _csrf: foreignToken })).status, 403);

    const missing = await post(admin, url(), form);
    assert.equal(missing.status, 400);
    assert.match(text(missing.text), /Tapez le nom de l’agent pour confirmer l’effacement/);
    const wrong = await post(admin, url(), { ...form, confirmName: 'Martine Autre' });
    assert.equal(wrong.status, 400);
    assert.match(text(wrong.text), /Le nom saisi n’est pas celui de l’agent : rien n’a été effacé/);
    assert.doesNotMatch(wrong.text, /value="Martine Autre"/, 'the typed name is not shown back');
    assert.match(wrong.text, /error-summary/);
    assert.doesNotMatch(text(wrong.text), /ce que vous avez saisi est conservé/, 'nor said to be kept');
    // A case added since the page was shown: the confirmation no longer covers everything.
    const stale = await post(admin, url(), { ...form, caseIds: String(rich.caseIds[0]), confirmName: rich.name });
    assert.equal(stale.status, 409);
    assert.match(text(stale.text), /ont changé depuis l’affichage de cette page : rien n’a été effacé/);
    // Views of the confirmation page are logged; nothing else changed.
    const views = (s: string) => s.split('\n').slice(0, -1).join('\n');
    assert.equal(views(await everything()), views(before));
  });

  it('waits for a CSV import being written, whose file may name the agent: 409, nothing erased', async () => {
    const form = await erasureForm();
    for (const status of ['checking', 'running'] as const) {
      await ctx.db
        .insertInto('caseImports')
        .values({ id: `job-${status}`, userId: rep.user.id, fileName: 'dossiers.csv', status, mode: 'valid', totalRows: 1, errorRows: 0, columns: null, rows: JSON.stringify([[rich.name]]), plans: null, failure: null, createdAt: '2026-01-01T00:00:00Z', startedAt: '2026-01-01T00:00:00Z', finishedAt: null, expiresAt: '2099-01-01T00:00:00Z' })
        .execute();
      const before = await everything();
      const res = await post(admin, url(), { ...form, confirmName: rich.name });
      assert.equal(res.status, 409, status);
      assert.match(text(res.text), /Un import de dossiers par fichier CSV est en cours d’écriture .* Rien n’a été effacé\. Réessayez quand l’import sera terminé\./);
      const views = (s: string) => s.split('\n').slice(0, -1).join('\n');
      assert.equal(views(await everything()), views(before), 'nothing erased');
      await ctx.db.deleteFrom('caseImports').where('id', '=', `job-${status}`).execute();
    }
  });

  it('erases the agent and everything about them in one go, keeps the audit entries (ids only) and records the erasure', async () => {
    const other = await newCase(rep);
    const otherRows = await ctx.db.selectFrom('caseEvents').select('id').where('caseId', '=', other.id).execute();
    const form = await erasureForm();
    const facetsBefore = await ctx.services.casesService.listFacets((await ctx.services.users.findById(admin.user.id))!, {});
    const counts = async (table: 'caseEvents' | 'consultations' | 'briefVersions' | 'caseSituations' | 'caseReps') =>
      Number((await ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('caseId', 'in', rich.caseIds).executeTakeFirstOrThrow()).n);
    const own = {
      caseEvents: await counts('caseEvents'),
      consultations: await counts('consultations'),
      briefVersions: await counts('briefVersions'),
      caseSituations: await counts('caseSituations'),
      caseReps: await counts('caseReps'),
      supportRequestMessages: (await ctx.db.selectFrom('supportRequestMessages').select('id').where('requestId', 'in', [rich.requestId, rich.duplicateId]).execute()).length,
    };
    assert.deepEqual(own, { caseEvents: 3, consultations: 3, briefVersions: 1, caseSituations: 2, caseReps: 1, supportRequestMessages: 2 });
    // The agent's PDF laid out in this process: its words and lines are remembered for the next documents.
    assert.equal((await rep.agent.get(`/agents/${rich.agentId}/donnees.pdf`)).status, 200);
    assert.ok(sharedLayoutWords() > 0 && measuredLinesHold(CANARY).size > 0, 'the PDF caches hold the agent’s document');
    assert.equal(measuredLinesHold(CANARY).inClear, false, 'measured lines are kept by digest, never by their text');
    const auditBefore = await ctx.db.selectFrom('auditLog').selectAll().orderBy('id').execute();
    const before = await tableCounts();
    assert.ok(canaryIn().length > 0, 'the canary is in the files before the erasure');
    // A CSV upload awaiting its decision may name the agent: it goes with the erasure; a finished one stays.
    const upload = (id: string, status: 'analysed' | 'done', cell: string) =>
      ctx.db
        .insertInto('caseImports')
        .values({ id, userId: rep.user.id, fileName: 'dossiers.csv', status, mode: null, totalRows: 1, errorRows: 0, columns: null, rows: JSON.stringify([[cell]]), plans: null, failure: null, createdAt: '2026-01-01T00:00:00Z', startedAt: null, finishedAt: null, expiresAt: '2099-01-01T00:00:00Z' })
        .execute();
    await upload('pending-upload', 'analysed', `Martine ${CANARY}`);
    await upload('finished-upload', 'done', 'Autre agent');

    // The dry runs kept in memory for their uploader go too.
    let forgotten = 0;
    const forgetWaiting = ctx.services.caseImports.forgetWaiting;
    ctx.services.caseImports.forgetWaiting = () => {
      forgotten += 1;
      forgetWaiting();
    };
    const res = await post(admin, url(), { ...form, confirmName: `  martine ${CANARY.toUpperCase()} ` });
    ctx.services.caseImports.forgetWaiting = forgetWaiting;
    assert.equal(res.status, 303, text(res.text).slice(0, 400));
    assert.equal(res.headers.location, '/dossiers');
    assert.equal(forgotten, 1, 'the uploads waiting in memory are dropped with their rows');
    assert.deepEqual([sharedLayoutWords(), measuredLinesHold(CANARY).size], [0, 0], 'the words and lines laid out from the agent’s documents are dropped from memory');
    const imports = await ctx.db.selectFrom('caseImports').select('id').orderBy('id').execute();
    assert.deepEqual(imports.map((r) => r.id), ['finished-upload']);
    await ctx.db.deleteFrom('caseImports').execute();
    const list = await admin.agent.get('/dossiers');
    assert.match(text(list.text), /Données de l’agent effacées : 2 dossier\(s\) avec 3 événement\(s\), 3 consultation\(s\) et 1 version\(s\) d’argumentaire ; 2 demande\(s\) d’accompagnement et 2 message\(s\)/);
    assert.ok(!list.text.includes(CANARY));

    // Every row about the agent is gone, and nothing else.
    const after = await tableCounts();
    const newAudit = await ctx.db.selectFrom('auditLog').selectAll().where('id', '>', auditBefore.at(-1)!.id).orderBy('id').execute();
    assert.deepEqual(after, {
      agents: before.agents! - 1,
      cases: before.cases! - 2,
      caseSituations: before.caseSituations! - own.caseSituations,
      caseReps: before.caseReps! - own.caseReps,
      caseEvents: before.caseEvents! - own.caseEvents,
      consultations: before.consultations! - own.consultations,
      briefVersions: before.briefVersions! - own.briefVersions,
      supportRequests: before.supportRequests! - 2,
      supportRequestMessages: before.supportRequestMessages! - own.supportRequestMessages,
      auditLog: before.auditLog! + newAudit.length,
    });
    assert.equal(await ctx.db.selectFrom('agents').select('id').where('id', '=', rich.agentId).executeTakeFirst(), undefined);
    assert.equal((await ctx.db.selectFrom('cases').select('id').where('id', 'in', rich.caseIds).execute()).length, 0);
    assert.equal((await ctx.db.selectFrom('supportRequests').select('id').where('id', 'in', [rich.requestId, rich.duplicateId]).execute()).length, 0);
    assert.deepEqual((await ctx.db.selectFrom('caseEvents').select('id').where('caseId', '=', other.id).execute()).length, otherRows.length, 'another agent’s case is untouched');

    // The audit log keeps every entry it had, and records the erasure: ids and actions only.
    const kept = await ctx.db.selectFrom('auditLog').selectAll().where('id', '<=', auditBefore.at(-1)!.id).orderBy('id').execute();
    assert.deepEqual(kept, auditBefore);
    assert.deepEqual(
      newAudit.map((a) => `${a.actorUserId} ${a.action} ${a.entityType} ${a.entityId}`),
      [
        `${admin.user.id} delete agent ${rich.agentId}`,
        ...rich.caseIds.map((id) => `${admin.user.id} delete case ${id}`),
        `${admin.user.id} delete support_request ${rich.requestId}`,
        `${admin.user.id} delete support_request ${rich.duplicateId}`,
      ],
    );
    const auditText = JSON.stringify(await ctx.db.selectFrom('auditLog').selectAll().execute());
    assert.ok(!auditText.toLowerCase().includes(CANARY.toLowerCase()), 'no audit entry names the agent');

    // Lists and dashboards computed from cases are computed again.
    const facetsAfter = await ctx.services.casesService.listFacets((await ctx.services.users.findById(admin.user.id))!, {});
    const total = (f: typeof facetsBefore) => f.byStatus.breached + f.byStatus.at_risk + f.byStatus.respected;
    assert.equal(total(facetsAfter), total(facetsBefore) - 2);

    // The erased pages are gone from the files, although the app keeps them open.
    assert.ok(existsSync(`${ctx.databaseFile}-wal`), 'the app keeps its write-ahead log while it runs');
    assert.deepEqual(canaryIn(), [], 'the canary is in none of vigie.db, vigie.db-wal, vigie.db-shm');

    // The agent is gone for everyone.
    for (const suffix of ['', '/donnees.json', '/effacement']) assert.equal((await admin.agent.get(`/agents/${rich.agentId}${suffix}`)).status, 404);
    assert.equal((await admin.agent.get(`/dossiers/${rich.caseIds[0]}`)).status, 404);
  });
});

describe('requests grouped as duplicates', () => {
  async function markDuplicate(request: { id: number }, of: { reference: string }): Promise<void> {
    const res = await post(rep, `/demandes/${request.id}/doublon`, { duplicateOf: of.reference });
    assert.equal(res.status, 303, text(res.text).slice(0, 300));
  }

  const requestIdsOf = async (agentId: number): Promise<number[]> =>
    JSON.parse((await admin.agent.get(`/agents/${agentId}/donnees.json`)).text).supportRequests.map((r: { id: number }) => r.id);

  it('are followed both ways along the chain, for the export and the erasure, but never into another agent’s case', async () => {
    // The agent wrote four times. The rep grouped the second and the third request with the first,
    // the fourth with the third, and opened the case from the second.
    const name = 'Sylvie Chaînée';
    const first = await submitRequest({ name, message: 'Première demande.' });
    const second = await submitRequest({ name, message: 'Deuxième demande.' });
    const third = await submitRequest({ name, message: 'Troisième demande.' });
    const fourth = await submitRequest({ name, message: 'Quatrième demande.' });
    await markDuplicate(second, first);
    await markDuplicate(third, first);
    await markDuplicate(fourth, third);
    const sylvie = await newCase(rep, { fullName: name, requestId: String(second.id) });

    // Another agent's case came from a request a rep then took for a duplicate of a third agent's
    // request, from which that agent's case was opened.
    const theirs = await submitRequest({ name: 'Paul Premier', message: 'Ma demande.' });
    const paul = await newCase(rep, { fullName: 'Paul Premier', requestId: String(theirs.id) });
    const mine = await submitRequest({ name: 'Quentin Second', message: 'Ma demande aussi.' });
    await markDuplicate(mine, theirs);
    const quentin = await newCase(rep, { fullName: 'Quentin Second', requestId: String(mine.id) });

    const chain = [first.id, second.id, third.id, fourth.id];
    assert.deepEqual(await requestIdsOf(sylvie.agentId), chain, 'the request the case came from, what it duplicates, and their other duplicates');
    assert.deepEqual(await requestIdsOf(paul.agentId), [theirs.id], 'a duplicate another case was opened from is that case’s');
    assert.deepEqual(await requestIdsOf(quentin.agentId), [mine.id]);

    const url = `/agents/${sylvie.agentId}/effacement`;
    const page = await admin.agent.get(url);
    assert.doesNotMatch(text(page.text), /Marquage à vérifier/, 'a chain of one agent’s requests raises no doubt');
    const quentinPage = await admin.agent.get(`/agents/${quentin.agentId}/effacement`);
    assert.doesNotMatch(text(quentinPage.text), /Marquage à vérifier/, 'a case’s own origin is its agent’s, whatever it was marked');
    const form = readForm(page.text, url);
    assert.equal(form.requestIds, chain.join(','));
    const res = await post(admin, url, { ...form, confirmName: name });
    assert.equal(res.status, 303, text(res.text).slice(0, 400));
    assert.deepEqual(await ctx.db.selectFrom('supportRequests').select('id').where('id', 'in', chain).execute(), [], 'the whole chain is erased');
    assert.deepEqual(await ctx.db.selectFrom('supportRequestMessages').select('id').where('requestId', 'in', chain).execute(), []);

    // Erasing one of the other two leaves the other's request and case whole.
    const quentinUrl = `/agents/${quentin.agentId}/effacement`;
    const quentinForm = readForm((await admin.agent.get(quentinUrl)).text, quentinUrl);
    assert.equal((await post(admin, quentinUrl, { ...quentinForm, confirmName: 'Quentin Second' })).status, 303);
    const left = await ctx.db.selectFrom('supportRequests').select(['id', 'caseId']).where('id', 'in', [theirs.id, mine.id]).execute();
    assert.deepEqual(left, [{ id: theirs.id, caseId: paul.id }]);
  });

  it('warns, on both agents’ erasure pages, of a request marked as the same person’s as two agents', async () => {
    // Anne's case came from her request; a rep marked another request as its duplicate, and Bruno's
    // request, from which Bruno's case was then opened, as a duplicate of that other one.
    const annes = await submitRequest({ name: 'Anne Ambiguë', message: 'Ma demande.' });
    const anne = await newCase(rep, { fullName: 'Anne Ambiguë', requestId: String(annes.id) });
    const between = await submitRequest({ name: 'A. Ambiguë', message: 'Encore moi ?' });
    await markDuplicate(between, annes);
    const brunos = await submitRequest({ name: 'Bruno Brouillé', message: 'Ma demande.' });
    await markDuplicate(brunos, between);
    const bruno = await newCase(rep, { fullName: 'Bruno Brouillé', requestId: String(brunos.id) });

    for (const agent of [anne, bruno]) {
      const page = text((await admin.agent.get(`/agents/${agent.agentId}/effacement`)).text);
      assert.match(page, new RegExp(`Marquage à vérifier\\. ${between.reference} : marquée comme doublon aussi d’une demande à l’origine du dossier d’un autre agent\\. Elle sera effacée avec cet agent-ci\\.`));
      assert.ok((await requestIdsOf(agent.agentId)).includes(between.id), 'and it is in both exports');
    }
  });
});

/**
 * Payload corpus: hostile values sent to every field of the main forms (case create and edit, event
 * and its correction, consultation and pasted list, brief review, the public request form and its
 * follow-up page, the rep's reply, declaration settings and texts, the agent erasure's confirmation,
 * account invitation and edit, campaign edit and figures), the CSV import of cases and the list's filters.
 *
 *  1. Each field in turn, the rest of the form valid: XSS (`<script>`, attribute break-out,
 *     `{{7*7}}`, `javascript:`), SQL injection, path traversal, oversized text, control characters,
 *     unusual Unicode, a spreadsheet formula and a repeated key. Never a 5xx; no page carries the
 *     payload as markup; a 400 shows the form again with the other values typed kept.
 *  2. Each form stored with a payload in all its free-text fields at once: every page that shows
 *     them escapes them (and shows them: nothing is silently dropped), `{{7*7}}` stays literal text,
 *     the CSV export guards formulas, and the PDF and DOCX carry them as plain text only.
 *  3. Raw bytes that are not UTF-8 (invalid sequences, an encoded lone surrogate) in urlencoded bodies.
 *  4. Prototype pollution keys in bodies and query strings: `Object.prototype` stays clean.
 *  5. fast-check: arbitrary Unicode in the public form's free-text fields, never a 5xx.
 *  6. The CSV import: the corpus in each cell of a row and in column names (never a 5xx, the dry run
 *     shows them as text with the row's other cells), stored through a job (a new case and an
 *     update: the dry run, the job's page and the cases' pages escape them, the update changes the
 *     cells attacked only), and hostile file names (kept as a bare name without control characters).
 *  7. The agent erasure's typed name and id lists: refused, nothing erased (neither the agent's nor
 *     another agent's records), the same records offered again.
 *  8. The list's filters in the query strings of the list, its CSV export and the batch export of
 *     briefs (confirmation, direct ZIP, job): never a 5xx, redirects stay in the app, the search kept.
 */
import { frenchTypography } from '../../src/legal/template-engine';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import Handlebars from 'handlebars';
import { sql } from 'kysely';
import type request from 'supertest';
import { CSV_COLUMNS, type CsvColumn } from '../../src/cases/cases-csv';
import { type Agent, createTestContext } from '../helpers/context';
import { extractPdf, readDocx, squash } from '../helpers/document-text';
import { type Fields, encode } from '../helpers/forms';
import { decode, text as pageText } from '../helpers/html';
import { type CsvRow, ODD_HOURS_LABEL, UNLIMITED, casesCsv, importIdOf, readForm, tokenOf, uploadCases } from './support';
import { campaignForm, createWorld, send, unique } from './world';

const ctx = await createTestContext(UNLIMITED);
const w = await createWorld(ctx);
after(async () => {
  await ctx.close();
});

// ---- the corpus ---------------------------------------------------------------------------------

const XSS_SCRIPT = '<script>alert(1)</script>';
const XSS_ATTR = '"><img src=x onerror=alert(1)>';
const TEMPLATE = '{{7*7}} {{constructor.constructor}}';
const JS_URL = 'javascript:alert(document.cookie)';
const SQLI = "' OR 1=1 --";
const TRAVERSAL = '../../etc/passwd';
const OVERSIZED = 'A'.repeat(25_000);
const CONTROL = 'a\u0000b\u0007c\u001b[31md\u202ee\r\nf\u2028g\u0008h\u007f';
const UNICODE = 'Zoë 👩🏽‍⚖️ 𝕏 ﷽ Ω\u00a0« ok »';
const FORMULA = '=HYPERLINK("http://evil.example","x")';

interface Payload {
  name: string;
  value: string | string[];
}

/** For free-text fields. */
const FULL: Payload[] = [
  { name: 'script tag', value: XSS_SCRIPT },
  { name: 'attribute break-out', value: XSS_ATTR },
  { name: 'template', value: TEMPLATE },
  { name: 'javascript: URL', value: JS_URL },
  { name: 'SQL injection', value: SQLI },
  { name: 'path traversal', value: TRAVERSAL },
  { name: 'oversized', value: OVERSIZED },
  { name: 'control characters', value: CONTROL },
  { name: 'unusual Unicode', value: UNICODE },
  { name: 'spreadsheet formula', value: FORMULA },
  { name: 'repeated key', value: [XSS_SCRIPT, SQLI] },
];

/** For choices, dates, numbers and ids. */
const REDUCED: Payload[] = [
  { name: 'attribute break-out', value: XSS_ATTR },
  { name: 'oversized', value: OVERSIZED },
  { name: 'repeated key', value: [SQLI, '1'] },
];

/** Stored in every free-text field at once, then looked for on every page and document. */
const STORED = [XSS_SCRIPT, XSS_ATTR, TEMPLATE, JS_URL, SQLI, TRAVERSAL, UNICODE, FORMULA];

const escapeHtml = (s: string) => Handlebars.Utils.escapeExpression(s);

// ---- checks -------------------------------------------------------------------------------------

function isHtml(res: { headers: Record<string, unknown> }): boolean {
  return /text\/html/.test(String(res.headers['content-type'] ?? ''));
}

/** No payload turned into markup: the app has no script, no inline handler and no javascript: link of its own. */
function assertSafe(html: string, where: string): void {
  assert.doesNotMatch(html, /<script/i, `${where}: a <script> element`);
  assert.doesNotMatch(html, /<img\b[^>]*\bonerror/i, `${where}: an <img onerror>`);
  assert.doesNotMatch(html, /\son[a-z]+\s*=\s*["']?alert/i, `${where}: an inline event handler`);
  assert.doesNotMatch(html, /\b(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:/i, `${where}: a javascript: URL in an attribute`);
  assert.ok(!html.includes(XSS_ATTR), `${where}: the attribute break-out as is`);
}

function brief(res: { status: number; text?: string }): string {
  return `${res.status} ${pageText(res.text ?? '').slice(0, 300)}`;
}

function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

async function download(agent: Agent, url: string): Promise<Buffer> {
  const res = await agent.get(url).buffer(true).parse(binary);
  assert.equal(res.status, 200, url);
  return res.body as Buffer;
}

/** A PDF with no active content, and a DOCX whose XML carries the payload as escaped text only. */
async function assertDocuments(agent: Agent, base: string, payload: string): Promise<void> {
  const pdf = await download(agent, `${base}.pdf`);
  const raw = pdf.toString('latin1');
  for (const active of ['/JavaScript', '/JS ', '/JS(', '/OpenAction', '/Launch', '/AA ', '/EmbeddedFile', '/SubmitForm']) {
    assert.ok(!raw.includes(active), `${base}.pdf: no ${active}`);
  }
  const body = squash((await extractPdf(pdf)).body);
  assert.ok(body.includes(squash(payload)), `${base}.pdf shows « ${payload} » as text`);
  const docx = readDocx(await download(agent, `${base}.docx`));
  assert.ok(docx.text.includes(payload), `${base}.docx shows « ${payload} » as text`);
  assert.ok(!/<(script|img)\b/i.test(docx.documentXml), `${base}.docx: no markup from the payload in its XML`);
  assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(docx.documentXml), `${base}.docx: no control character, which XML forbids`);
}

// ---- the forms ----------------------------------------------------------------------------------

type Who = { kind: 'signed'; agent: Agent } | { kind: 'anonymous'; agent: Agent };

interface Target {
  url: string;
  who: Who;
  method?: 'GET' | 'POST';
  /** A valid body, fresh at each call (unique names where the app wants them unique). */
  body: () => Fields;
  /** Records the target belongs to, for the pages that show it. */
  ids?: Record<string, number>;
}

interface FormSpec {
  name: string;
  open: () => Promise<Target>;
  /** Free text: the full corpus, and stored all at once. */
  text: string[];
  /** Choices, dates, numbers, ids: the reduced corpus. */
  other: string[];
  /** Fields whose value a 400 must show again (when they are not the one being attacked). */
  keep: string[];
  /** Free-text fields stored with the payload; defaults to `text`. */
  stored?: string[];
  /** Extra fields for the stored submission (an action, a confirmation). */
  storeWith?: Fields;
  /** After a stored submission: the pages (and document bases) that show its values. */
  show?: (target: Target, res: request.Response, body: Fields) => Promise<Shown>;
}

/** The pages, document bases (…/.pdf, …/.docx) and CSV exports that show a stored submission, and who reads them. */
interface Shown {
  pages: string[];
  documents?: string[];
  csv?: string[];
  viewer?: Agent;
}

async function submit(target: Target, fields: Fields): Promise<request.Response> {
  const { agent } = target.who;
  if (target.method === 'GET') return agent.get(`${target.url}?${encode(fields)}`);
  const csrf = await tokenOf(agent, target.who.kind === 'signed');
  return agent.post(target.url).type('form').send(encode({ _csrf: csrf, ...fields }));
}

const signed = (s: { agent: Agent }): Who => ({ kind: 'signed', agent: s.agent });

async function anonymous(): Promise<Who> {
  const agent = ctx.agent();
  await tokenOf(agent, false);
  return { kind: 'anonymous', agent };
}

const caseId = (res: request.Response) => Number(/^\/dossiers\/(\d+)/.exec(String(res.headers.location))?.[1]);

async function caseShow(_t: Target, res: request.Response, body: Fields): Promise<Shown> {
  const id = caseId(res);
  assert.ok(id > 0, `the case is saved: ${brief(res)}`);
  const version = await w.newBrief(id);
  return {
    pages: [`/dossiers/${id}`, `/dossiers/${id}/modifier`, `/dossiers/${id}/journal`, `/dossiers/${id}/argumentaire`, `/dossiers?q=${encodeURIComponent(String(body.fullName))}`, '/dossiers', `/dossiers/${id}/argumentaires/${version}`],
    documents: [`/dossiers/${id}/argumentaires/${version}`],
    csv: ['/dossiers/export.csv'],
  };
}

const CASE_TEXT = ['fullName', 'site', 'job', 'managerName', 'toneNotes', 'agentAccount', 'otherSituationText', 'consultationsText', 'proEmail', 'personalEmail', 'phone'];
const CASE_OTHER = [
  'regionCode', 'employmentStatus', 'campaignId', 'situations', 'knowledgeDate', 'convocationDate', 'interviewDate', 'workStart', 'workEnd', 'workDays',
  'teleworkDays', 'contactChannels', 'convocationForm', 'repAccompanied', 'reportOutcome', 'interviewTone', 'trainingReceived', 'repIds',
  'consultationAction', 'consultationExplanation', 'existingAgentId', 'requestId', 'confirmNewAgent', 'partTime',
  'civility', 'hierarchyInformed', 'hierarchyInformedDate',
];
/** Only the creation form has the pasted list, and its precisions go to each consultation. */
const PASTED_TEXT = 'consultationExplanationText';
const CASE_KEEP = ['site', 'job', 'managerName', 'toneNotes', 'agentAccount'];
const CASE_STORED = ['fullName', 'site', 'job', 'managerName', 'toneNotes', 'agentAccount'];

function caseBody(): Fields {
  return w.caseFormFor(unique('Agent Corpus'), {
    site: 'Agence Corpus Tourcoing',
    job: 'Conseiller corpus',
    managerName: 'Manager Corpus',
    toneNotes: 'Ton corpus noté',
    agentAccount: 'Récit corpus de l’agent',
    repIds: [String(w.rep.user.id)],
    confirmNewAgent: 'on',
  });
}

let requestCounter = 0;
function requestBody(): Fields {
  requestCounter += 1;
  return {
    name: unique('Demandeuse Corpus'),
    email: `corpus${requestCounter}@exemple.fr`,
    phone: '06 12 34 56 78',
    preferredContact: 'email',
    regionCode: 'HDF',
    site: 'Agence Corpus Lens',
    convocationDate: '2024-09-02',
    interviewDate: '2024-09-16',
    summonedBy: 'Manager Corpus Lens',
    situation: 'odd_hours',
    message: 'Message corpus de la demande',
    consent: 'on',
    precisions: '',
    // Each submission is a new form, with its own one-time key (a key sent again stores nothing).
    submissionKey: randomBytes(16).toString('base64url'),
  };
}

/** The follow-up link a stored public request redirects to. */
function followUpPath(res: request.Response): string {
  const path = String(res.headers.location);
  assert.match(path, /^\/demande\/suivi\/[A-Za-z0-9_-]{22}$/, `redirected to the follow-up link: ${brief(res)}`);
  return path;
}

const FORMS: FormSpec[] = [
  {
    name: 'case creation (POST /dossiers)',
    open: async () => ({ url: '/dossiers', who: signed(w.rep), body: caseBody }),
    text: [...CASE_TEXT, PASTED_TEXT],
    other: CASE_OTHER,
    keep: [...CASE_KEEP, PASTED_TEXT],
    stored: [...CASE_STORED, PASTED_TEXT],
    show: caseShow,
  },
  {
    name: 'case edit (POST /dossiers/:id)',
    open: async () => {
      const kase = await w.newCase();
      const page = await w.rep.agent.get(`/dossiers/${kase.id}/modifier`);
      const form = readForm(page.text, `/dossiers/${kase.id}`);
      return { url: `/dossiers/${kase.id}`, who: signed(w.rep), body: () => ({ ...form, ...caseBody(), fullName: kase.name }) };
    },
    text: CASE_TEXT,
    other: ['regionCode', 'campaignId', 'repIds', 'civility', 'hierarchyInformed', 'hierarchyInformedDate'],
    keep: CASE_KEEP,
    stored: CASE_STORED,
    show: caseShow,
  },
  {
    name: 'timeline event (POST /dossiers/:id/evenements)',
    open: async () => {
      const kase = await w.newCase();
      return {
        url: `/dossiers/${kase.id}/evenements`,
        who: signed(w.rep),
        body: () => ({ type: 'pre_disciplinary_convocation', date: '2024-10-03', note: 'Note corpus de l’événement', sanctionKind: '', hearingDate: '2024-10-10', closingOutcome: '' }),
      };
    },
    text: ['note'],
    other: ['type', 'date', 'sanctionKind', 'hearingDate', 'closingOutcome'],
    keep: ['note'],
    show: async (t) => {
      const id = Number(/\/dossiers\/(\d+)\//.exec(t.url)?.[1]);
      const event = await ctx.db.selectFrom('caseEvents').select('id').where('caseId', '=', id).orderBy('id', 'desc').executeTakeFirstOrThrow();
      return { pages: [`/dossiers/${id}`, `/dossiers/${id}/evenements/${event.id}/modifier`] };
    },
  },
  {
    name: 'event correction (POST /dossiers/:id/evenements/:eventId)',
    open: async () => {
      const kase = await w.newCase();
      const event = await w.newEvent(kase.id);
      return {
        url: `/dossiers/${kase.id}/evenements/${event}`,
        who: signed(w.rep),
        body: () => ({ type: 'sanction_notified', date: '2024-10-03', note: 'Note corpus corrigée', sanctionKind: 'avertissement', hearingDate: '', closingOutcome: '' }),
      };
    },
    text: ['note'],
    other: ['type', 'date', 'sanctionKind', 'hearingDate', 'closingOutcome'],
    keep: ['note'],
    show: async (t) => {
      const [, id, event] = /\/dossiers\/(\d+)\/evenements\/(\d+)/.exec(t.url)!;
      return { pages: [`/dossiers/${id}`, `/dossiers/${id}/evenements/${event}/modifier`] };
    },
  },
  {
    name: 'consultation (POST /dossiers/:id/consultations)',
    open: async () => {
      const kase = await w.newCase();
      // Not one of the case's own times: the same instant twice on a case is refused (issue 13).
      return { url: `/dossiers/${kase.id}/consultations`, who: signed(w.rep), body: () => ({ at: '15/05/2024 21:15', action: 'consulted', explanation: 'other', explanationText: 'Précision corpus' }) };
    },
    text: ['explanationText', 'at'],
    other: ['action', 'explanation'],
    keep: ['explanationText'],
    stored: ['explanationText'],
    show: async (t) => ({ pages: [t.url.replace(/\/consultations$/, '')] }),
  },
  {
    name: 'pasted consultations (POST /dossiers/:id/consultations/lot)',
    open: async () => {
      const kase = await w.newCase();
      return {
        url: `/dossiers/${kase.id}/consultations/lot`,
        who: signed(w.rep),
        body: () => ({ lines: '14/05/2024 21:15\n15/05/2024 06:30', action: 'consulted', explanation: 'unknown', explanationText: 'Précisions corpus du lot' }),
      };
    },
    text: ['lines', 'explanationText'],
    other: ['action', 'explanation'],
    keep: ['explanationText'],
    stored: ['explanationText'],
    show: async (t) => ({ pages: [t.url.replace(/\/consultations\/lot$/, '')] }),
  },
  {
    name: 'brief review (POST /dossiers/:id/argumentaire)',
    open: async () => {
      const kase = await w.newCase();
      const url = `/dossiers/${kase.id}/argumentaire`;
      const form = readForm((await w.rep.agent.get(url)).text, url);
      return {
        url,
        who: signed(w.rep),
        body: () => ({ ...form, free_1_title: 'Titre corpus libre', free_1_text: 'Paragraphe corpus libre', free_2_title: '', free_2_text: '', action: 'preview' }),
      };
    },
    text: ['free_1_title', 'free_1_text', 'free_2_title', 'free_2_text'],
    other: ['purpose', 'addressee', 'action', 'free_1_order'],
    keep: ['free_1_title', 'free_1_text'],
    stored: ['free_1_title', 'free_1_text'],
    storeWith: { action: 'generate' },
    show: async (_t, res) => {
      const version = String(res.headers.location);
      assert.match(version, /^\/dossiers\/\d+\/argumentaires\/\d+$/, `a version is generated: ${brief(res)}`);
      return { pages: [version, version.replace(/argumentaires\/\d+$/, 'argumentaire')], documents: [version] };
    },
  },
  {
    name: 'public support request (POST /demande)',
    open: async () => ({ url: '/demande', who: await anonymous(), body: requestBody }),
    text: ['name', 'site', 'summonedBy', 'message', 'email', 'phone', 'precisions'],
    other: ['preferredContact', 'regionCode', 'convocationDate', 'interviewDate', 'situation', 'consent', 'submissionKey'],
    keep: ['name', 'site', 'summonedBy', 'message'],
    stored: ['name', 'site', 'summonedBy', 'message'],
    show: async (t, res) => {
      assert.equal(res.status, 303, brief(res));
      const path = followUpPath(res);
      // The follow-up page shows the confirmation (the reference) once, to the browser that sent it.
      const confirmation = await t.who.agent.get(path);
      const reference = /<strong class="reference">(D-[A-Z0-9]{4}-[A-Z0-9]{4})<\/strong>/.exec(confirmation.text)![1]!;
      const row = await ctx.db.selectFrom('supportRequests').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
      return { pages: [path, `/demandes/${row.id}`, '/demandes', `/dossiers/nouveau?demande=${row.id}`], viewer: w.rep.agent };
    },
  },
  {
    name: 'follow-up message (POST /demande/suivi/:token/message)',
    open: async () => {
      const req = await w.newRequest();
      return { url: `/demande/suivi/${req.token}/message`, who: await anonymous(), body: () => ({ body: 'Message corpus de suivi' }), ids: { request: req.id } };
    },
    text: ['body'],
    other: [],
    keep: [],
    show: async (t) => ({ pages: [t.url.replace(/\/message$/, ''), `/demandes/${t.ids!.request}`], viewer: w.rep.agent }),
  },
  {
    name: 'follow-up contact details (POST /demande/suivi/:token/contact)',
    open: async () => {
      const req = await w.newRequest();
      return { url: `/demande/suivi/${req.token}/contact`, who: await anonymous(), body: () => ({ email: 'contact.corpus@exemple.fr', phone: '06 98 76 54 32', preferredContact: 'email' }) };
    },
    text: ['email', 'phone'],
    other: ['preferredContact'],
    keep: ['email', 'phone'],
    stored: [],
  },
  {
    name: 'rep’s reply (POST /demandes/:id/reponse)',
    open: async () => {
      const req = await w.newRequest();
      return { url: `/demandes/${req.id}/reponse`, who: signed(w.rep), body: () => ({ body: 'Réponse corpus de la représentante' }) };
    },
    text: ['body'],
    other: [],
    keep: [],
    show: async (t) => {
      const id = Number(/demandes\/(\d+)/.exec(t.url)![1]);
      return { pages: [`/demandes/${id}`] };
    },
  },
  {
    name: 'request marked duplicate (POST /demandes/:id/doublon)',
    open: async () => {
      const req = await w.newRequest();
      const other = await w.newRequest();
      return { url: `/demandes/${req.id}/doublon`, who: signed(w.rep), body: () => ({ duplicateOf: other.reference }) };
    },
    text: ['duplicateOf'],
    other: [],
    keep: [],
    stored: [],
  },
  {
    name: 'declaration settings (GET /declarations/nouvelle/textes)',
    open: async () => {
      await w.newCase();
      return {
        url: '/declarations/nouvelle/textes',
        method: 'GET',
        who: signed(w.rep),
        body: () => ({ meetingKind: 'CSE', bodyName: 'CSE Corpus Hauts-de-France', meetingDate: '2026-12-10', campaignId: '2', regions: ['HDF'], periodFrom: '', periodTo: '' }),
      };
    },
    text: ['bodyName'],
    other: ['meetingKind', 'meetingDate', 'campaignId', 'regions', 'periodFrom', 'periodTo'],
    keep: ['bodyName'],
    stored: [],
  },
  {
    name: 'declaration texts (POST /declarations/nouvelle/textes)',
    open: async () => {
      await w.newCase();
      const settings = { meetingKind: 'CSE', bodyName: 'CSE Corpus Textes', meetingDate: '2026-12-10', campaignId: '2', regions: ['HDF'] };
      const form = readForm((await w.rep.agent.get(`/declarations/nouvelle/textes?${encode(settings)}`)).text, '/declarations/nouvelle/textes');
      const firstBlock = Object.keys(form).find((k) => /^b_.+_text$/.test(k))!;
      return {
        url: '/declarations/nouvelle/textes',
        who: signed(w.rep),
        body: () => ({ ...form, [firstBlock]: 'Bloc corpus modifié', free_1_title: 'Titre corpus déclaration', free_1_text: 'Paragraphe corpus déclaration', action: 'preview' }),
      };
    },
    text: ['free_1_title', 'free_1_text', 'free_2_text', 'bodyName'],
    other: ['meetingDate', 'campaignId', 'regions', 'stamp', 'submission', 'action', 'free_1_order'],
    keep: ['free_1_title', 'free_1_text'],
    stored: ['free_1_title', 'free_1_text', 'bodyName'],
    storeWith: { action: 'generate' },
    show: async (_t, res) => {
      const version = String(res.headers.location);
      assert.match(version, /^\/declarations\/\d+$/, `a declaration is generated: ${brief(res)}`);
      return { pages: [version, '/declarations'], documents: [version] };
    },
  },
  {
    name: 'agent erasure confirmation (POST /agents/:id/effacement)',
    open: async () => {
      const kase = await w.newCase();
      const url = `/agents/${kase.agentId}/effacement`;
      const form = readForm((await w.admin.agent.get(url)).text, url);
      // Never the agent's name: these submissions must all be refused (section 7 checks nothing is erased).
      return { url, who: signed(w.admin), body: () => ({ ...form, confirmName: 'Nom Corpus Pas Celui-Là' }) };
    },
    text: ['confirmName'],
    other: ['caseIds', 'requestIds'],
    keep: [],
    stored: [],
  },
  {
    name: 'account invitation (POST /admin/comptes)',
    open: async () => ({ url: '/admin/comptes', who: signed(w.admin), body: () => ({ email: `${unique('corpus').replace(/\W+/g, '.').toLowerCase()}@exemple.fr`, name: 'Nom Corpus Invité', role: 'rep', regions: ['HDF'] }) }),
    text: ['name', 'email'],
    other: ['role', 'regions'],
    keep: ['name'],
    stored: ['name'],
    show: async (_t, res) => {
      assert.equal(res.status, 201, brief(res));
      const id = /action="\/admin\/comptes\/(\d+)"/.exec(res.text)![1];
      return { pages: [`/admin/comptes/${id}`, '/admin/comptes', '/admin/registre', '/dossiers/nouveau'], viewer: w.admin.agent };
    },
  },
  {
    name: 'account edit (POST /admin/comptes/:id)',
    open: async () => {
      const id = await w.newAccount();
      return { url: `/admin/comptes/${id}`, who: signed(w.admin), body: () => ({ name: 'Nom Corpus Modifié', role: 'rep', regions: ['HDF'] }) };
    },
    text: ['name'],
    other: ['role', 'regions'],
    keep: ['name'],
    show: async (t) => ({ pages: [t.url, '/admin/comptes'], viewer: w.admin.agent }),
  },
  {
    name: 'campaign edit (POST /campagnes/:id)',
    open: async () => {
      const id = await w.newCampaign();
      return {
        url: `/campagnes/${id}`,
        who: signed(w.admin),
        body: () =>
          campaignForm({
            description: 'Description corpus',
            commitmentText: 'Engagement corpus',
            commitmentQuote: 'Mots corpus de la direction',
            falsePositivesStatement: 'Faux positifs corpus',
            source: 'Source corpus',
          }),
      };
    },
    text: ['name', 'description', 'commitmentText', 'commitmentQuote', 'falsePositivesStatement', 'source', 'wave'],
    other: ['tracesStart', 'tracesEnd', 'interviewsStart', 'interviewsEnd', 'excludesSanctions', 'reportRequired', 'status', 'situations'],
    keep: ['description', 'commitmentText', 'commitmentQuote', 'falsePositivesStatement', 'source'],
    stored: ['name', 'description', 'commitmentText', 'commitmentQuote', 'falsePositivesStatement', 'source'],
    show: async (t) => ({ pages: [t.url, '/campagnes', '/', '/dossiers/nouveau', '/guide', `${t.url}/modifier`], viewer: w.admin.agent }),
  },
  {
    name: 'campaign figures (POST /campagnes/:id/chiffres)',
    open: async () => {
      const id = await w.newCampaign();
      return { url: `/campagnes/${id}/chiffres`, who: signed(w.admin), body: () => ({ scope: 'national', source: 'Source corpus chiffres', agents_concerned: '120', cases_identified: '240' }) };
    },
    text: ['source', 'agents_concerned'],
    other: ['scope', 'cases_identified'],
    keep: ['source'],
    stored: ['source'],
    show: async (t) => ({ pages: [t.url.replace(/\/chiffres$/, ''), t.url], viewer: w.admin.agent }),
  },
];

// ---- 1. each field in turn ----------------------------------------------------------------------

/** The value a form page shows for a field, escaped as Handlebars writes it. */
function shown(value: Fields[string]): string | undefined {
  const v = [value].flat()[0];
  return typeof v === 'string' && v.trim().length >= 4 ? escapeHtml(v) : undefined;
}

describe('each field of each form, one hostile value at a time', () => {
  for (const spec of FORMS) {
    it(spec.name, async () => {
      const target = await spec.open();
      let sent = 0;
      for (const field of [...spec.text, ...spec.other]) {
        for (const payload of spec.text.includes(field) ? FULL : REDUCED) {
          const body = { ...target.body(), [field]: payload.value };
          const res = await submit(target, body);
          sent += 1;
          const where = `${spec.name}, ${field} = ${payload.name}`;
          assert.ok(res.status < 500, `${where}: ${brief(res)}`);
          if (isHtml(res)) assertSafe(res.text, where);
          if (res.status === 400 || res.status === 409) {
            for (const other of spec.keep) {
              if (other === field) continue;
              const expected = shown(body[other]);
              if (expected) assert.ok(res.text.includes(expected), `${where}: the 400 page keeps ${other} « ${String(body[other])} »`);
            }
          }
        }
      }
      assert.ok(sent >= 4, `${sent} hostile submissions`);
    });
  }
});

// ---- 2. stored, then shown everywhere ----------------------------------------------------------

describe('stored payloads, on every page and document that shows them', () => {
  for (const spec of FORMS) {
    const fields = spec.stored ?? spec.text;
    const show = spec.show;
    if (!show || fields.length === 0) continue;
    it(spec.name, async () => {
      for (const payload of STORED) {
        const target = await spec.open();
        const body: Fields = { ...target.body(), ...spec.storeWith };
        for (const f of fields) body[f] = payload;
        const res = await submit(target, body);
        assert.ok(res.status === 303 || res.status === 201, `${spec.name} stores « ${payload} »: ${brief(res)}`);
        const views: Shown = await show(target, res, body);
        const { pages, documents = [], csv = [] } = views;
        const agent: Agent = views.viewer ?? (target.who.kind === 'signed' ? target.who.agent : w.rep.agent);
        let seen = 0;
        for (const url of pages) {
          // Anonymous pages (the follow-up link) are read by the visitor's own browser.
          const page = await (url.startsWith('/demande/') ? target.who.agent : agent).get(url);
          assert.equal(page.status, 200, `${url}: ${brief(page)}`);
          assertSafe(page.text, `${spec.name}: ${url} with « ${payload} »`);
          // A brief's version page shows the document, set in French typography.
          if (page.text.includes(escapeHtml(payload)) || page.text.includes(escapeHtml(frenchTypography(payload)))) seen += 1;
        }
        assert.ok(seen > 0, `${spec.name}: « ${payload} » is shown (escaped) on at least one page, not dropped`);
        for (const url of csv) {
          const file = await agent.get(url);
          assert.equal(file.status, 200);
          for (const line of file.text.split('\r\n').filter((l) => l.includes('HYPERLINK'))) {
            for (const cell of line.split(';')) assert.doesNotMatch(cell, /^"?[=+\-@]/, `${url}: a cell starting a formula: ${cell}`);
          }
        }
        // The documents' fonts cover Latin text: emoji and other scripts are checked in the DOCX only.
        if (payload === XSS_SCRIPT || payload === TEMPLATE) {
          for (const base of documents) await assertDocuments(agent, base, payload);
        }
        if (payload === UNICODE) {
          // Briefs set every text in French typography (« » with narrow no-break spaces): the same characters otherwise.
          for (const base of documents) {
            const docx = readDocx(await download(agent, `${base}.docx`)).text;
            assert.ok(docx.includes(UNICODE) || docx.includes(frenchTypography(UNICODE)), `${base}.docx keeps « ${UNICODE} »`);
          }
        }
      }
    });
  }
});

// ---- 3. bytes that are not UTF-8 ----------------------------------------------------------------

const BAD_BYTES: Array<{ name: string; bytes: Buffer }> = [
  { name: 'raw 0xFF 0xFE', bytes: Buffer.from([0x41, 0xff, 0xfe, 0x42]) },
  { name: 'raw overlong « / » (0xC0 0xAF)', bytes: Buffer.from([0x2e, 0x2e, 0xc0, 0xaf, 0x65, 0x74, 0x63]) },
  { name: 'raw encoded lone surrogate (0xED 0xA0 0x80)', bytes: Buffer.from([0x58, 0xed, 0xa0, 0x80, 0x59]) },
  { name: 'raw truncated sequence (0xE2 0x82)', bytes: Buffer.from([0x5a, 0xe2, 0x82]) },
  { name: 'percent-encoded invalid bytes', bytes: Buffer.from('%FF%FE%C0%AF%ED%A0%80') },
  { name: 'broken percent-encoding', bytes: Buffer.from('%ZZ%E2%82%') },
];

describe('bytes that are not UTF-8, sent raw in urlencoded bodies', () => {
  for (const spec of FORMS) {
    if (spec.text.length === 0) continue;
    it(spec.name, async () => {
      const target = await spec.open();
      const field = (spec.stored ?? spec.text)[0] ?? spec.text[0]!;
      for (const bad of BAD_BYTES) {
        const body = { ...target.body(), ...spec.storeWith };
        delete body[field];
        let raw: request.Response;
        if (target.method === 'GET') {
          const ascii = [...bad.bytes].every((b) => b < 0x80);
          const value = ascii ? bad.bytes.toString('latin1') : [...bad.bytes].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
          raw = await target.who.agent.get(`${target.url}?${encode(body)}&${field}=${value}`);
        } else {
          const csrf = await tokenOf(target.who.agent, target.who.kind === 'signed');
          const buf = Buffer.concat([Buffer.from(`${encode({ _csrf: csrf, ...body })}&${field}=`), bad.bytes]);
          raw = await target.who.agent.post(target.url).set('Content-Type', 'application/x-www-form-urlencoded').send(buf);
        }
        const where = `${spec.name}, ${field} = ${bad.name}`;
        assert.ok(raw.status < 500, `${where}: ${brief(raw)}`);
        if (isHtml(raw)) assertSafe(raw.text, where);
        if (spec.show && (raw.status === 303 || raw.status === 201)) {
          const views: Shown = await spec.show(target, raw, body);
          const { pages, documents = [] } = views;
          const agent: Agent = views.viewer ?? (target.who.kind === 'signed' ? target.who.agent : w.rep.agent);
          for (const url of pages) {
            const page = await (url.startsWith('/demande/') ? target.who.agent : agent).get(url);
            assert.ok(page.status < 500, `${where}: ${url} ${brief(page)}`);
          }
          for (const base of documents) {
            for (const ext of ['.pdf', '.docx']) assert.equal((await agent.get(`${base}${ext}`).buffer(true).parse(binary)).status, 200, `${where}: ${base}${ext}`);
          }
        }
      }
    });
  }

  it('refuses a body in another charset with 415, not a server error', async () => {
    const csrf = await tokenOf(w.rep.agent, true);
    const res = await w.rep.agent.post('/dossiers').set('Content-Type', 'application/x-www-form-urlencoded; charset=utf-16').send(Buffer.from(`_csrf=${csrf}&fullName=x`, 'utf16le'));
    assert.ok(res.status === 415 || res.status === 403, `${res.status}`);
  });
});

// ---- 4. prototype pollution ---------------------------------------------------------------------

const POLLUTION: Fields = {
  '__proto__[polluted]': 'oui',
  'constructor[prototype][polluted]': 'oui',
  '__proto__.polluted': 'oui',
  ['__proto__']: 'oui',
  constructor: 'oui',
  hasOwnProperty: 'oui',
  toString: 'oui',
  valueOf: 'oui',
};

const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort();

describe('prototype pollution keys', () => {
  const clean = prototypeKeys();
  after(() => {
    assert.deepEqual(prototypeKeys(), clean);
  });

  it('leave Object.prototype clean, in every form body, and never cause a server error', async () => {
    for (const spec of FORMS) {
      const target = await spec.open();
      const res = await submit(target, { ...target.body(), ...POLLUTION });
      assert.ok(res.status < 500, `${spec.name}: ${brief(res)}`);
      assert.equal(({} as Record<string, unknown>).polluted, undefined, `${spec.name} polluted Object.prototype`);
      assert.deepEqual(prototypeKeys(), clean, spec.name);
      assert.equal(typeof ({} as { hasOwnProperty: unknown }).hasOwnProperty, 'function', spec.name);
    }
  });

  it('leave Object.prototype clean in query strings of lists and filters', async () => {
    const query = encode(POLLUTION);
    for (const url of ['/dossiers', '/dossiers/export.csv', '/dossiers/argumentaires', '/dossiers/import', '/demandes', '/declarations/nouvelle', '/declarations/nouvelle/textes', '/campagnes/1/chiffres', '/dossiers/nouveau']) {
      const who = url.startsWith('/campagnes') ? w.admin : w.rep;
      const res = await who.agent.get(`${url}?${query}`);
      assert.ok(res.status < 500, `${url}: ${brief(res)}`);
      assert.equal(({} as Record<string, unknown>).polluted, undefined, url);
    }
    assert.deepEqual(prototypeKeys(), clean);
  });
});

// ---- 5. property-based: arbitrary Unicode -------------------------------------------------------

describe('arbitrary Unicode (fast-check)', () => {
  const text = fc.string({ unit: 'binary', maxLength: 300 });

  it('in the public form’s free-text fields: always 303 or 400, never a server error, nothing as markup', async () => {
    const visitor = await anonymous();
    await fc.assert(
      fc.asyncProperty(fc.record({ name: text, site: text, summonedBy: text, message: text }), async (values) => {
        const res = await visitor.agent
          .post('/demande')
          .type('form')
          .send(encode({ _csrf: await tokenOf(visitor.agent, false), ...requestBody(), ...values }));
        assert.ok(res.status === 303 || res.status === 400, brief(res));
        assertSafe(res.text, 'public form');
        if (res.status === 303) {
          const page = await visitor.agent.get(followUpPath(res));
          assert.equal(page.status, 200);
          assertSafe(page.text, 'the confirmation');
        }
      }),
      { numRuns: 50, seed: 20261123 },
    );
  });

  it('in a follow-up message and a timeline note: always 303 or 400 (409 when the same note comes again), and the case page still renders', async () => {
    const req = await w.newRequest();
    const visitor = await anonymous();
    const kase = await w.newCase();
    await fc.assert(
      fc.asyncProperty(text, async (value) => {
        const msg = await visitor.agent.post(`/demande/suivi/${req.token}/message`).type('form').send(encode({ _csrf: await tokenOf(visitor.agent, false), body: value }));
        assert.ok(msg.status === 303 || msg.status === 400, brief(msg));
        const note = await w.post(w.rep, `/dossiers/${kase.id}/evenements`, { type: 'interview_held', date: '2024-09-16', note: value });
        // The same note twice is an identical event: the form asks before adding it again (issue 13).
        assert.ok(note.status === 303 || note.status === 400 || note.status === 409, brief(note));
      }),
      { numRuns: 50, seed: 20261124 },
    );
    assert.equal((await visitor.agent.get(`/demande/suivi/${req.token}`)).status, 200);
    assert.equal((await w.rep.agent.get(`/dossiers/${kase.id}`)).status, 200);
    assert.equal((await w.rep.agent.get(`/demandes/${req.id}`)).status, 200);
  });
});

// ---- 6. the CSV import of cases: cells, header and file name -----------------------------------

const IMPORT_COLUMNS: CsvColumn[] = [
  'id', 'agent', 'region', 'site', 'job', 'campaign', 'convocation', 'interview', 'report', 'tone', 'situations', 'reps',
  'civility', 'hierarchyInformed', 'hierarchyInformedDate',
];

async function wave2Name(): Promise<string> {
  return (await ctx.db.selectFrom('campaigns').select('name').where('id', '=', 2).executeTakeFirstOrThrow()).name;
}

/** A new Hauts-de-France case as a file row, every imported cell filled with a valid value. */
function importRow(agent: string, campaign: string): CsvRow {
  return {
    agent,
    region: 'Hauts-de-France',
    site: 'Agence Corpus Import',
    job: 'Conseiller corpus import',
    campaign,
    convocation: '2024-09-02',
    interview: '2024-09-16',
    report: 'Consultation légitime',
    tone: 'Rappel bienveillant',
    situations: ODD_HOURS_LABEL,
    reps: 'Rémi Hauts-de-France',
  };
}

/** A case's row as the export writes it (formula guard and all), read back by column. */
async function exportedRow(name: string): Promise<CsvRow> {
  const file = await w.rep.agent.get(`/dossiers/export.csv?q=${encodeURIComponent(name)}`);
  assert.equal(file.status, 200);
  const [header, ...records] = parseCsv(file.text, { delimiter: ';', bom: true }) as string[][];
  assert.equal(records.length, 1, `the export holds the case « ${name} »`);
  const byLabel = new Map(Object.entries(CSV_COLUMNS).map(([k, label]) => [label as string, k as CsvColumn]));
  const row: CsvRow = {};
  header!.forEach((label, i) => {
    const column = byLabel.get(label);
    if (column) row[column] = records[0]![i]!;
  });
  return row;
}

/** The detail of one row of a dry run, as text (its agent, its notes, its errors, its changes). */
function dryRunRow(html: string, line: number): string | undefined {
  const match = new RegExp(`<tr class="import-row[^"]*">\\s*<th scope="row" class="num">${line}</th>([\\s\\S]*?)</tr>`).exec(html);
  return match?.[1];
}

/** Uploads a file and reads the page it leads to: the dry run (303), or the form again with the reason (400). */
async function uploadAndRead(content: Buffer, options: Parameters<typeof uploadCases>[2] = {}): Promise<{ res: request.Response; page?: request.Response; id?: string }> {
  const res = await uploadCases(w.rep.agent, content, options);
  if (res.status !== 303) return { res };
  const id = importIdOf(res);
  const page = await w.rep.agent.get(`/dossiers/import/${id}`);
  assert.equal(page.status, 200, `the dry run: ${brief(page)}`);
  return { res, page, id };
}

const flat = (value: Payload['value']) => [value].flat().join(' | ');
/** Spacing folded (a no-break space typed in a name is stored as a plain one): for looking a value up in a page. */
const spaced = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ');

describe('the CSV import of cases (POST /dossiers/import)', () => {
  it('each cell of a row, one hostile value at a time: never a 5xx, the dry run shows it as text, with the row’s other cells', async () => {
    const campaign = await wave2Name();
    let analysed = 0;
    for (const column of IMPORT_COLUMNS) {
      for (const payload of FULL) {
        const agent = unique('Agent Import Corpus');
        const where = `cell ${column} = ${payload.name}`;
        const { res, page } = await uploadAndRead(casesCsv([{ ...importRow(agent, campaign), [column]: flat(payload.value) }]));
        assert.ok(res.status === 303 || res.status === 400, `${where}: ${brief(res)}`);
        assertSafe(res.text ?? '', where);
        if (!page) continue;
        analysed += 1;
        assertSafe(page.text, `${where}: the dry run`);
        const row = dryRunRow(page.text, 2);
        assert.ok(row, `${where}: the dry run lists the row`);
        if (column !== 'agent') assert.ok(row.includes(escapeHtml(agent)), `${where}: the row keeps its agent « ${agent} »`);
      }
    }
    assert.ok(analysed >= IMPORT_COLUMNS.length * (FULL.length - 2), `${analysed} files analysed (only a NUL byte or the like makes a file unreadable)`);
  });

  it('hostile column names: the refusal quotes them as text', async () => {
    const header = Object.values(CSV_COLUMNS).join(';');
    for (const payload of FULL) {
      const name = flat(payload.value);
      const cell = /[;"\r\n]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name;
      const res = await uploadCases(w.rep.agent, Buffer.from(`${header};${cell}\r\n;Agent Colonne;Hauts-de-France\r\n`, 'utf8'));
      assert.equal(res.status, 400, `column « ${payload.name} »: ${brief(res)}`);
      assertSafe(res.text, `column « ${payload.name} »`);
      if ([XSS_SCRIPT, TEMPLATE, JS_URL, SQLI].includes(name)) assert.ok(res.text.includes(escapeHtml(name)), `the refusal names the column « ${name} », escaped`);
    }
  });

  it('stored through the import (a new case and an update): the dry run, the job’s page and every page of the cases escape them', async () => {
    const campaign = await wave2Name();
    for (const payload of STORED) {
      const existing = await w.newCase();
      const agent = `${payload} ${unique('Import')}`;
      const update: CsvRow = { ...(await exportedRow(existing.name)), site: payload, job: payload };
      const { page, id } = await uploadAndRead(casesCsv([{ ...importRow(agent, campaign), site: payload, job: payload }, update]));
      assert.ok(page && id, `« ${payload} » is analysed`);
      const where = `import of « ${payload} »`;
      assertSafe(page.text, `${where}: the dry run`);
      assert.ok(spaced(page.text).includes(spaced(escapeHtml(agent))), `${where}: the new agent is shown, escaped`);
      const changes = pageText(dryRunRow(page.text, 3) ?? '');
      assert.match(changes, /Mise à jour/, `${where}: the second row updates the case`);
      assert.ok(changes.includes(spaced(`Site : Agence Lille Centre → ${payload}`)), `${where}: the site’s change is shown: ${changes}`);
      assert.doesNotMatch(changes, /Convocation|Entretien|Situations|Région|Campagne/, `${where}: the row’s other cells are kept as they were`);

      const started = await w.post(w.rep, `/dossiers/import/${id}/importer`, { mode: 'tout' });
      assert.equal(started.status, 303, `${where}: ${brief(started)}`);
      await ctx.services.caseImports.settled();
      const job = await w.rep.agent.get(`/dossiers/import/${id}`);
      assert.match(pageText(job.text), /2 \/ 2 dossiers importés/, `${where}: ${brief(job)}`);
      assertSafe(job.text, `${where}: the job’s page`);

      const created = await ctx.db.selectFrom('cases').innerJoin('agents', 'agents.id', 'cases.agentId').select('cases.id').where('agents.fullName', '=', agent).executeTakeFirstOrThrow();
      for (const caseId of [created.id, existing.id]) {
        // The journal lists who did what, not the values: it is only checked for markup.
        for (const url of [`/dossiers/${caseId}`, `/dossiers/${caseId}/modifier`, `/dossiers/${caseId}/journal`]) {
          const shownPage = await w.rep.agent.get(url);
          assert.equal(shownPage.status, 200, url);
          assertSafe(shownPage.text, `${where}: ${url}`);
          if (!url.endsWith('/journal')) assert.ok(spaced(shownPage.text).includes(spaced(escapeHtml(payload))), `${where}: ${url} shows « ${payload} » escaped`);
        }
      }
      const list = await w.rep.agent.get(`/dossiers?q=${encodeURIComponent(agent)}`);
      assertSafe(list.text, `${where}: the list`);
      assert.ok(spaced(list.text).includes(spaced(escapeHtml(agent))), `${where}: the list shows the agent`);
      const csv = await w.rep.agent.get('/dossiers/export.csv');
      for (const line of csv.text.split('\r\n').filter((l) => l.includes('HYPERLINK'))) {
        for (const c of line.split(';')) assert.doesNotMatch(c, /^"?[=+\-@]/, `the export guards a formula imported: ${c}`);
      }
    }
  });

  /** Every byte percent-encoded: how a client sends any name in RFC 5987 `filename*`. */
  const star = (name: string) => [...Buffer.from(name, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');

  const FILE_NAMES: Array<{ name: string; fileName?: string; fileNameStar?: string }> = [
    { name: 'script tag', fileName: `${XSS_SCRIPT}.csv` },
    { name: 'script tag, RFC 5987', fileNameStar: star(`${XSS_SCRIPT}.csv`) },
    { name: 'attribute break-out, RFC 5987', fileNameStar: star(`${XSS_ATTR}.csv`) },
    { name: 'template', fileName: `${TEMPLATE}.csv` },
    { name: 'javascript: URL', fileName: `${JS_URL}.csv` },
    { name: 'path traversal', fileName: '../../../etc/passwd' },
    { name: 'path traversal, RFC 5987', fileNameStar: star('../../../etc/cron.d/vigie') },
    { name: 'Windows path', fileName: '..\\..\\Windows\\win.ini' },
    { name: 'percent-encoded traversal', fileName: '%2e%2e%2f%2e%2e%2fetc%2fpasswd' },
    { name: 'control characters, RFC 5987', fileNameStar: star('a\u0000b\r\nc\u001b[31md\u0007\u007f.csv') },
    { name: 'right-to-left override', fileNameStar: star('dossiers\u202Evsc.exe') },
    { name: 'oversized', fileNameStar: star(`${'A'.repeat(5000)}.csv`) },
    { name: 'unusual Unicode', fileName: `${UNICODE}.csv` },
    { name: 'SQL injection', fileName: `${SQLI}.csv` },
  ];

  it('hostile file names: never a 5xx; a name kept is a bare name, without control characters, shown escaped with the file’s rows', async () => {
    const campaign = await wave2Name();
    let kept = 0;
    for (const f of FILE_NAMES) {
      const agent = unique('Agent Nom Fichier');
      const { res, page, id } = await uploadAndRead(casesCsv([importRow(agent, campaign)]), { fileName: f.fileName, fileNameStar: f.fileNameStar });
      assert.ok(res.status === 303 || res.status === 400, `${f.name}: ${brief(res)}`);
      assertSafe(res.text ?? '', f.name);
      if (!page || !id) continue;
      kept += 1;
      const row = (await sql<{ fileName: string }>`select file_name as fileName from case_imports where id = ${id}`.execute(ctx.db)).rows[0];
      assert.ok(row, `${f.name}: the upload is kept`);
      assert.doesNotMatch(row.fileName, /[\u0000-\u001f\u007f]/, `${f.name}: no control character kept in « ${row.fileName} »`);
      assert.doesNotMatch(row.fileName, /[/\\]/, `${f.name}: no folder kept in « ${row.fileName} »`);
      assert.ok(row.fileName.length > 0 && row.fileName.length <= 200, `${f.name}: ${row.fileName.length} characters`);
      assertSafe(page.text, `${f.name}: the dry run`);
      assert.ok(page.text.includes(`Fichier « ${escapeHtml(row.fileName)} »`), `${f.name}: the name is shown, escaped`);
      assert.ok(dryRunRow(page.text, 2)?.includes(escapeHtml(agent)), `${f.name}: the file’s row is analysed all the same`);
    }
    assert.ok(kept >= FILE_NAMES.length - 3, `${kept} of ${FILE_NAMES.length} hostile names accepted as a bare name`);
  });
});

// ---- 7. the agent erasure's confirmation ----------------------------------------------------------

describe('the agent erasure confirmation (POST /agents/:id/effacement)', () => {
  async function erasable() {
    const kase = await w.newCase();
    const url = `/agents/${kase.agentId}/effacement`;
    const page = await w.admin.agent.get(url);
    assert.equal(page.status, 200);
    return { kase, url, form: readForm(page.text, url) };
  }

  const stillThere = async (caseId: number, agentId: number) => {
    const kase = await ctx.db.selectFrom('cases').select('id').where('id', '=', caseId).executeTakeFirst();
    const agent = await ctx.db.selectFrom('agents').select('id').where('id', '=', agentId).executeTakeFirst();
    return Boolean(kase && agent);
  };

  it('a hostile typed name is refused with 400: nothing erased, the same records offered again, nothing as markup', async () => {
    const { kase, url, form } = await erasable();
    assert.equal(form.caseIds, String(kase.id), 'the page carries the case it shows');
    for (const payload of FULL) {
      const res = await submit({ url, who: signed(w.admin), body: () => form }, { ...form, confirmName: payload.value });
      const where = `confirmName = ${payload.name}`;
      assert.equal(res.status, 400, `${where}: ${brief(res)}`);
      assertSafe(res.text, where);
      const again = readForm(res.text, url);
      assert.equal(again.caseIds, form.caseIds, `${where}: the same cases offered again`);
      assert.equal(again.requestIds, form.requestIds, `${where}: the same requests offered again`);
      assert.ok(await stillThere(kase.id, kase.agentId), `${where}: nothing erased`);
    }
  });

  it('hostile lists of ids, with the right name, never erase, nor reach another agent’s records', async () => {
    const { kase, url, form } = await erasable();
    const other = await w.newCase();
    const foreign = await w.outsiderCase();
    const lists: Array<{ name: string; caseIds: string | string[] }> = [
      { name: 'SQL injection', caseIds: `${kase.id} OR 1=1` },
      { name: 'stacked query', caseIds: `${kase.id};delete from cases` },
      { name: 'path traversal', caseIds: `../${kase.id}` },
      { name: 'another agent’s case added', caseIds: `${kase.id},${other.id}` },
      { name: 'another agent’s case instead', caseIds: String(other.id) },
      { name: 'another region’s case added', caseIds: `${kase.id},${foreign.id}` },
      { name: 'negative id', caseIds: `-${kase.id}` },
      { name: 'repeated key', caseIds: [String(kase.id), String(other.id)] },
      { name: 'oversized', caseIds: `${kase.id},`.repeat(5000) },
      { name: 'attribute break-out', caseIds: XSS_ATTR },
    ];
    for (const list of lists) {
      const res = await submit({ url, who: signed(w.admin), body: () => form }, { ...form, confirmName: kase.name, caseIds: list.caseIds });
      assert.ok(res.status === 400 || res.status === 409, `${list.name}: ${brief(res)}`);
      assertSafe(res.text, list.name);
      assert.equal(readForm(res.text, url).caseIds, form.caseIds, `${list.name}: the page offers the agent’s own cases again`);
      for (const c of [kase, other]) assert.ok(await stillThere(c.id, c.agentId), `${list.name}: case ${c.id} still there`);
      assert.ok(await ctx.db.selectFrom('cases').select('id').where('id', '=', foreign.id).executeTakeFirst(), `${list.name}: the other region’s case still there`);
    }
    // The same confirmation with the ids the page gave erases: each refusal above was the ids' doing.
    const res = await submit({ url, who: signed(w.admin), body: () => form }, { ...form, confirmName: kase.name });
    assert.equal(res.status, 303, brief(res));
    assert.ok(!(await stillThere(kase.id, kase.agentId)), 'erased with its own ids');
    assert.ok(await stillThere(other.id, other.agentId), 'the other agent is untouched');
  });
});

// ---- 8. the list's filters, in the query string of the list and its exports ---------------------------

const FILTER_TEXT = ['q', 'site'];
const FILTER_OTHER = ['campagne', 'region', 'situation', 'engagement', 'rep', 'etat', 'echeance', 'entretiens', 'tri', 'page'];

/** Where the list's filters go: the list, its CSV export, the batch export's confirmation, its direct ZIP and its job. */
const FILTERED: Array<{ name: string; method: 'GET' | 'POST'; path: string }> = [
  { name: 'case list', method: 'GET', path: '/dossiers' },
  { name: 'CSV export', method: 'GET', path: '/dossiers/export.csv' },
  { name: 'batch export confirmation', method: 'GET', path: '/dossiers/argumentaires' },
  { name: 'direct ZIP of briefs', method: 'GET', path: '/dossiers/argumentaires.zip' },
  { name: 'batch export job', method: 'POST', path: '/dossiers/argumentaires' },
];

/** The query of a link or form action on the page (`href="…"` or `action="…"`) whose path is `path`. */
function linkQuery(html: string, attribute: 'href' | 'action', path: string): URLSearchParams | undefined {
  const match = new RegExp(`${attribute}="${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\?([^"]*)"`).exec(html);
  return match ? new URLSearchParams(decode(match[1]!)) : undefined;
}

describe('the list’s filters in query strings (list, CSV export, batch export of briefs)', () => {
  for (const target of FILTERED) {
    it(`${target.name} (${target.method} ${target.path})`, async () => {
      const kase = await w.newCase();
      const base: Fields = { q: kase.name, site: 'Agence Lille Centre', etat: 'ouverts', tri: 'nom' };
      let sent = 0;
      for (const field of [...FILTER_TEXT, ...FILTER_OTHER]) {
        for (const payload of FILTER_TEXT.includes(field) ? FULL : REDUCED) {
          const query = encode({ ...base, [field]: payload.value });
          const where = `${target.name}, ${field} = ${payload.name}`;
          const url = `${target.path}?${query}`;
          const res =
            target.method === 'GET'
              ? await w.rep.agent.get(url).buffer(true).parse(binary)
              : await send(w.rep.agent, 'POST', { url, body: {} }, { csrf: await tokenOf(w.rep.agent, true) });
          sent += 1;
          // 431: a 25 000-character query is over Node's header limit, refused before the app.
          assert.ok(res.status < 500, `${where}: ${res.status}`);
          const location = String(res.headers.location ?? '');
          if (res.status === 303 || res.status === 302) {
            assert.match(location, /^\/dossiers\/argumentaires(\/[0-9a-f]{32}|\?[^\s]*)?$/, `${where}: redirected within the app (${location.slice(0, 120)})`);
          }
          const html = isHtml(res) ? (res.body as Buffer).toString('utf8') : undefined;
          if (html !== undefined) assertSafe(html, where);
          if (html !== undefined && target.path === '/dossiers' && res.status === 200) {
            if (field !== 'q') assert.ok(html.includes(`name="q" value="${escapeHtml(kase.name)}"`), `${where}: the search box keeps « ${kase.name} »`);
            else if (typeof payload.value === 'string' && payload.value.trim().length >= 4 && !/[\u0000-\u001f]/.test(payload.value)) {
              assert.ok(html.includes(`name="q" value="${escapeHtml(payload.value.trim().slice(0, 100))}"`), `${where}: the search box shows what was typed, escaped`);
            }
          }
          if (html !== undefined && target.path === '/dossiers/argumentaires' && res.status === 200 && field !== 'q') {
            assert.equal(linkQuery(html, 'href', '/dossiers')?.get('q'), kase.name, `${where}: the way back to the list keeps the search`);
          }
          if (/^\/dossiers\/argumentaires\/[0-9a-f]{32}$/.test(location)) {
            const job = await w.rep.agent.get(location);
            assert.equal(job.status, 200, `${where}: the job’s page`);
            assertSafe(job.text, `${where}: the job’s page`);
            if (field !== 'q') assert.equal(linkQuery(job.text, 'href', '/dossiers')?.get('q'), kase.name, `${where}: the job’s page leads back to the same list`);
          }
        }
      }
      assert.ok(sent >= 50, `${sent} hostile queries`);
    });
  }
});

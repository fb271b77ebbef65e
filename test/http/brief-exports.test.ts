/**
 * The briefs of a filtered case list as a ZIP: streamed straight (GET /dossiers/argumentaires.zip)
 * and through a background job (GET /dossiers/argumentaires → POST → progress page → download).
 * The archive is read back with yauzl: its entries are argumentaire-<case id>.pdf and README.txt,
 * each PDF names its own agent, another region's cases are never in it; the latest generated version
 * is used when there is one; every case exported and the batch are in the audit log. Jobs are shown
 * and their files served to the user who started them only; a file is deleted once downloaded, or an
 * hour after it was ready.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { type Signed, type TestContext, createTestContext, NO_RATE_LIMIT, PEOPLE } from '../helpers/context';
import { extractPdf, squash as squashSpaces } from '../helpers/document-text';
import { type Fields, post } from '../helpers/forms';
import { caseFormsOf, oddHoursCaseForm, postCase } from '../fixtures/case-form';
import { binary, zipEntries, download } from '../helpers/binary-bodies';
import { decode, text as pageText } from '../helpers/html';
import { uniqueNames } from '../fixtures/names';

let ctx: TestContext;
/** colleague is another Hauts-de-France rep (same scope, not the one who started the jobs); outsider covers Île-de-France only. */
let rep: Signed, colleague: Signed, outsider: Signed;

/** Hauts-de-France cases, by id, with their agents' names. */
const hdf = new Map<number, string>();
let idfCase: number;
let idfName: string;
/** The Hauts-de-France case with two generated versions, the second one's number in the PDF. */
let versionedCase: number;
let latestVersionId: number;

/** Two consultations, one at night: briefs with a few arguments each. */
const caseForm = caseFormsOf(uniqueNames('Zip'), oddHoursCaseForm, { consultationsText: '14/05/2024 21:15\n18/05/2024 10:30' });

async function createCase(who: Signed, overrides: Fields = {}): Promise<{ id: number; name: string }> {
  const form = caseForm(overrides);
  return { id: await postCase(who, form), name: String(form.fullName) };
}

/** Generates a brief version from the review page as proposed (summaries, full texts and annex); returns its id. */
async function generateVersion(caseId: number): Promise<number> {
  const page = await rep.agent.get(`/dossiers/${caseId}/argumentaire`);
  const fields: Fields = { purpose: 'written_observations', addressee: 'regional_direction', action: 'generate' };
  for (const m of page.text.matchAll(/<input type="checkbox" name="(a_[a-z0-9_]+_include)"[^>]*\bchecked\b/g)) fields[m[1]!] = 'on';
  for (const m of page.text.matchAll(/<textarea [^>]*name="(a_[a-z0-9_]+_(?:text|summary))"[^>]*>([\s\S]*?)<\/textarea>/g)) fields[m[1]!] = decode(m[2]!).trim() || 'Texte.';
  if (/<input type="checkbox" name="annex" value="on" checked>/.test(page.text)) fields.annex = 'on';
  const res = await post(rep, `/dossiers/${caseId}/argumentaire`, fields);
  assert.equal(res.status, 303, `generation refused: ${pageText(res.text).slice(0, 300)}`);
  return Number(/\/argumentaires\/(\d+)$/.exec(String(res.headers.location))![1]);
}



async function auditSince(id: number) {
  return ctx.db.selectFrom('auditLog').select(['actorUserId', 'action', 'entityType', 'entityId']).where('id', '>', id).orderBy('id').execute();
}

async function lastAuditId(): Promise<number> {
  const row = await ctx.db.selectFrom('auditLog').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** Whitespace dropped and apostrophes made one, for comparing texts that typography may touch. */
const squash = (s: string) => squashSpaces(s).replace(/[’']/g, "'");

const exportsDir = () => path.join(ctx.config.dataDir, 'exports');
const filesInExports = () => {
  try {
    return readdirSync(exportsDir());
  } catch {
    return [];
  }
};

/** The file is removed after the response went out: waits for it, within a deadline (CI machines are slow). */
async function noExportFileLeft(): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (filesInExports().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(filesInExports(), []);
}

/** Starts a job through the page, as a browser would; returns its id. */
async function startJob(who: Signed, query = ''): Promise<string> {
  const res = await post(who, `/dossiers/argumentaires${query}`, {});
  assert.equal(res.status, 303, pageText(res.text ?? '').slice(0, 300));
  const m = /^\/dossiers\/argumentaires\/([0-9a-f]{32})$/.exec(String(res.headers.location));
  assert.ok(m, `unexpected redirect ${String(res.headers.location)}`);
  return m[1]!;
}

/** Reloads the progress page until the job has finished, as its meta refresh would. */
async function waitForJob(who: Signed, id: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const res = await who.agent.get(`/dossiers/argumentaires/${id}`);
    assert.equal(res.status, 200);
    if (!res.text.includes('http-equiv="refresh"')) return res.text;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the job never finished');
}

before(async () => {
  ctx = await createTestContext(NO_RATE_LIMIT);
  [rep, colleague, outsider] = await ctx.signInAll(PEOPLE.rep, { role: 'rep', name: 'Claire Collègue', regions: ['HDF'] }, PEOPLE.outsider);
  // After the interview: the first and the third; the second's compte rendu concludes « illégitime ».
  for (const overrides of [{}, { situations: ['agent_ex_job_seeker'], reportOutcome: 'illegitimate' }, { site: 'Agence Roubaix', employmentStatus: 'public' }]) {
    const c = await createCase(rep, overrides);
    hdf.set(c.id, c.name);
  }
  versionedCase = [...hdf.keys()][0]!;
  await generateVersion(versionedCase);
  latestVersionId = await generateVersion(versionedCase);
  const idf = await createCase(outsider, { regionCode: 'IDF', site: 'Agence Paris 13' });
  idfCase = idf.id;
  idfName = idf.name;
});
after(async () => {
  ctx.services.exportJobs.close();
  await ctx.close();
});

// ---------------------------------------------------------------- refusals

describe('brief exports: who may ask', () => {
  it('sends an anonymous visitor to the login page, and refuses a form without a token', async () => {
    for (const url of ['/dossiers/argumentaires', '/dossiers/argumentaires.zip', '/dossiers/argumentaires/0123456789abcdef0123456789abcdef']) {
      const res = await request(ctx.app).get(url);
      assert.equal(res.status, 303, url);
      assert.equal(res.headers.location, '/connexion', url);
    }
    const res = await request(ctx.app).post('/dossiers/argumentaires').type('form').send('');
    assert.equal(res.status, 403);
    assert.deepEqual(filesInExports(), []);
  });

  it('offers nothing when no case of the user’s scope matches (another region asked for by name)', async () => {
    const page = await rep.agent.get('/dossiers/argumentaires?region=IDF');
    assert.equal(page.status, 200);
    assert.match(pageText(page.text), /Aucun dossier ne correspond/);
    assert.doesNotMatch(page.text, /method="post" action="\/dossiers\/argumentaires/);
    const zip = await rep.agent.get('/dossiers/argumentaires.zip?region=IDF');
    assert.equal(zip.status, 303);
    assert.equal(zip.headers.location, '/dossiers/argumentaires?region=IDF');
    const job = await post(rep, '/dossiers/argumentaires?region=IDF', {});
    assert.equal(job.status, 303);
    assert.equal(job.headers.location, '/dossiers/argumentaires?region=IDF');
    assert.deepEqual(filesInExports(), []);
  });
});

// ---------------------------------------------------------------- the archive, streamed

describe('GET /dossiers/argumentaires.zip', () => {
  let entries: Array<{ name: string; data: Buffer }>;
  let auditFrom: number;

  before(async () => {
    auditFrom = await lastAuditId();
    const res = await download(rep, '/dossiers/argumentaires.zip');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/zip');
    assert.match(res.headers['content-disposition']!, /^attachment; filename="vigie-argumentaires-\d{4}-\d{2}-\d{2}-\d{2}h\d{2}\.zip"$/);
    assert.equal(res.headers['cache-control'], 'no-store');
    entries = await zipEntries(res.body);
  });

  it('holds one PDF per case of the user’s scope, named by case id, and a README; never another region’s case', () => {
    const expected = [...hdf.keys()].sort((a, b) => a - b).map((id) => `argumentaire-${id}.pdf`);
    assert.deepEqual(entries.map((e) => e.name), [...expected, 'README.txt']);
    assert.ok(!entries.some((e) => e.name.includes(String(idfCase)) && e.name !== 'README.txt'));
    for (const e of entries) assert.match(e.name, /^[A-Za-z0-9.-]+$/, 'ASCII names');
  });

  it('puts each case’s brief in its PDF, naming its agent (and no other agent)', async () => {
    for (const [id, name] of hdf) {
      const pdf = entries.find((e) => e.name === `argumentaire-${id}.pdf`)!;
      assert.equal(pdf.data.subarray(0, 5).toString('latin1'), '%PDF-');
      const body = squash((await extractPdf(pdf.data)).pages.map((p) => p.text).join('\n'));
      assert.ok(body.includes(squash(name)), `the brief of case ${id} names ${name}`);
      for (const [other, otherName] of hdf) if (other !== id) assert.ok(!body.includes(squash(otherName)));
      assert.ok(!body.includes(squash(idfName)));
    }
  });

  it('takes the latest generated version when there is one, else an unreviewed proposal saying so', async () => {
    const versioned = squash((await extractPdf(entries.find((e) => e.name === `argumentaire-${versionedCase}.pdf`)!.data)).pages.map((p) => p.text).join('\n'));
    assert.ok(versioned.includes(squash(`Dossier n° ${versionedCase} — version 2`)), 'the second version');
    assert.ok(versioned.includes(squash('Observations écrites')), 'with the purpose chosen for it');
    assert.ok(!versioned.includes(squash('Proposition établie automatiquement')));
    // The proposals take the purpose and addressee Vigie proposes at each case's stage.
    const [illegitimate, afterInterview] = [...hdf.keys()].filter((id) => id !== versionedCase);
    const pdfOf = async (id: number) => squash((await extractPdf(entries.find((e) => e.name === `argumentaire-${id}.pdf`)!.data)).pages.map((p) => p.text).join('\n'));
    const observations = await pdfOf(illegitimate!);
    assert.ok(observations.includes(squash('Proposition établie automatiquement')), 'marked as not reviewed');
    assert.ok(observations.includes(squash('Observations écrites sur le compte rendu')), 'the default purpose after a compte rendu concluding « illégitime »');
    assert.ok(observations.includes(squash('Le ou la manager de l’agent')), 'addressed to the manager');
    const letter = await pdfOf(afterInterview!);
    assert.ok(letter.includes(squash('Proposition établie automatiquement')), 'marked as not reviewed');
    assert.ok(letter.includes(squash('Courrier à la hiérarchie')), 'the default purpose after the interview');
    assert.ok(!letter.includes(squash('Préparation de l’entretien')), 'not the preparation of an interview already held');
    // A letter carries the detailed argumentaire as its annex, as the review page proposes.
    for (const auto of [observations, letter]) assert.ok(auto.includes(squash('Annexe : argumentaire détaillé')));
  });

  it('says in the README where each brief comes from, without any agent’s name', () => {
    const readme = entries.find((e) => e.name === 'README.txt')!.data.toString('utf8');
    assert.match(readme, new RegExp(`argumentaire-${versionedCase}\\.pdf — version 2 générée le \\d{2}/\\d{2}/\\d{4}`));
    const [illegitimate, afterInterview] = [...hdf.keys()].filter((id) => id !== versionedCase);
    assert.match(readme, new RegExp(`argumentaire-${illegitimate}\\.pdf — proposition automatique non relue : « Observations écrites sur le compte rendu », pour « Le ou la manager de l’agent » \\(\\d+ argument\\(s\\) retenu\\(s\\) par les faits\\)`));
    assert.match(readme, new RegExp(`argumentaire-${afterInterview}\\.pdf — proposition automatique non relue : « Courrier à la hiérarchie », pour « Le ou la manager de l’agent »`));
    assert.match(readme, /l’objet et le destinataire que Vigie propose à l’étape du dossier/);
    assert.match(readme, /Rémi Représentant/);
    for (const name of [...hdf.values(), idfName]) assert.ok(!readme.includes(name), `${name} is not in the README`);
  });

  it('records one export per case (on the version when one was taken) and one for the batch', async () => {
    const added = (await auditSince(auditFrom)).filter((a) => a.action === 'export');
    assert.ok(added.every((a) => a.actorUserId === rep.user.id));
    assert.equal(added.filter((a) => a.entityType === 'brief_batch').length, 1);
    assert.deepEqual(
      added.filter((a) => a.entityType === 'case').map((a) => Number(a.entityId)).sort((a, b) => a - b),
      [...hdf.keys()].filter((id) => id !== versionedCase).sort((a, b) => a - b),
    );
    assert.deepEqual(added.filter((a) => a.entityType === 'brief').map((a) => Number(a.entityId)), [latestVersionId]);
    assert.equal(added.length, hdf.size + 1);
    const journal = await rep.agent.get(`/dossiers/${versionedCase}/journal`);
    assert.match(pageText(journal.text), /Téléchargement de l’argumentaire v2/);
  });

  it('follows the list’s filters', async () => {
    const res = await download(rep, '/dossiers/argumentaires.zip?site=Agence%20Roubaix');
    const names = (await zipEntries(res.body)).map((e) => e.name);
    const roubaix = [...hdf.keys()][2]!;
    assert.deepEqual(names, [`argumentaire-${roubaix}.pdf`, 'README.txt']);
  });

  it('gives an admin every region’s cases', async () => {
    const admin = await ctx.signedIn({ role: 'admin', name: 'Ada Admin' });
    const names = (await zipEntries((await download(admin, '/dossiers/argumentaires.zip')).body)).map((e) => e.name);
    assert.ok(names.includes(`argumentaire-${idfCase}.pdf`));
    for (const id of hdf.keys()) assert.ok(names.includes(`argumentaire-${id}.pdf`));
  });
});

// ---------------------------------------------------------------- the background job

describe('the background job: confirmation, progress, download', () => {
  it('shows what the archive will hold and a form to prepare it', async () => {
    const res = await rep.agent.get('/dossiers/argumentaires?etat=ouverts&tri=nom&page=2');
    assert.equal(res.status, 200);
    const text = pageText(res.text);
    assert.match(text, /3 dossier\(s\)/);
    assert.match(text, /avec l’objet et le destinataire que Vigie propose à l’étape du dossier \(fiche de préparation avant l’entretien, observations sur le compte rendu, préparation de l’entretien préalable, contestation d’une sanction…\)/);
    // The list's filters, without its page and sort, carried by the form and the direct link.
    const html = decode(res.text);
    assert.match(html, /<form method="post" action="\/dossiers\/argumentaires\?etat=ouverts">/);
    assert.match(html, /name="_csrf"/);
    assert.match(html, /href="\/dossiers\/argumentaires\.zip\?etat=ouverts"/);
    assert.doesNotMatch(res.text, /http-equiv="refresh"/);
  });

  it('shows the progress of a running job, refreshing itself, and can stop refreshing', async () => {
    // A job held open by the test, to see the page while it runs.
    let finish!: () => void;
    const started = ctx.services.exportJobs.start(
      { userId: rep.user.id, total: 1000, downloadName: 'essai.zip', returnHref: '/dossiers' },
      (out, progress) =>
        new Promise<void>((resolve) => {
          progress(350);
          finish = () => {
            out.end('PK');
            out.on('finish', resolve);
          };
        }),
    );
    assert.ok('job' in started && !('busy' in started));
    const id = started.job.id;
    try {
      const res = await rep.agent.get(`/dossiers/argumentaires/${id}`);
      assert.equal(res.status, 200);
      assert.match(res.text, /<meta http-equiv="refresh" content="2">/);
      assert.match(res.text, /<progress id="avancement" class="export-progress" max="1000" value="350">35 %<\/progress>/);
      assert.match(pageText(res.text), /350 \/ 1 000 argumentaires/);
      assert.doesNotMatch(res.text, /\.zip"/, 'no download link yet');
      const still = await rep.agent.get(`/dossiers/argumentaires/${id}?auto=non`);
      assert.doesNotMatch(still.text, /http-equiv="refresh"/);
      assert.match(pageText(still.text), /Mise à jour automatique arrêtée/);
      // A second export while this one runs leads to it.
      const again = await post(rep, '/dossiers/argumentaires', {});
      assert.equal(again.status, 303);
      assert.equal(again.headers.location, `/dossiers/argumentaires/${id}`);
      // Its file is not served before it is ready.
      const early = await rep.agent.get(`/dossiers/argumentaires/${id}.zip`);
      assert.equal(early.status, 303);
      assert.equal(early.headers.location, `/dossiers/argumentaires/${id}`);
    } finally {
      finish();
      await waitForJob(rep, id);
      await ctx.services.exportJobs.remove(ctx.services.exportJobs.find(id, rep.user.id)!);
    }
  });

  it('prepares the archive in the background, shows it to its owner only, and deletes it once downloaded', async () => {
    const auditFrom = await lastAuditId();
    const id = await startJob(rep);
    const done = await waitForJob(rep, id);
    assert.match(pageText(done), /Le fichier est prêt : 3 \/ 3 argumentaires/);
    assert.match(done, new RegExp(`href="/dossiers/argumentaires/${id}\\.zip"`));
    const files = filesInExports();
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^[0-9a-f]{32}\.zip$/);
    assert.ok(!files[0]!.startsWith(id), 'the file name is not the job id');

    // Not to anybody else, even of the same region: 404 as for an unknown job.
    for (const who of [colleague, outsider]) {
      assert.equal((await who.agent.get(`/dossiers/argumentaires/${id}`)).status, 404);
      assert.equal((await download(who, `/dossiers/argumentaires/${id}.zip`)).status, 404);
    }
    assert.equal(filesInExports().length, 1);

    const res = await download(rep, `/dossiers/argumentaires/${id}.zip`);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/zip');
    assert.match(res.headers['content-disposition']!, /^attachment; filename="vigie-argumentaires-[\d-]+h\d{2}\.zip"$/);
    assert.equal(res.headers['cache-control'], 'no-store');
    const entries = await zipEntries(res.body);
    assert.deepEqual(entries.map((e) => e.name), [...[...hdf.keys()].sort((a, b) => a - b).map((n) => `argumentaire-${n}.pdf`), 'README.txt']);
    for (const [caseId, name] of hdf) {
      const body = squash((await extractPdf(entries.find((e) => e.name === `argumentaire-${caseId}.pdf`)!.data)).pages.map((p) => p.text).join('\n'));
      assert.ok(body.includes(squash(name)));
    }

    // Deleted once downloaded: no file left, the page and the file are gone.
    await noExportFileLeft();
    assert.equal((await rep.agent.get(`/dossiers/argumentaires/${id}`)).status, 404);
    assert.equal((await download(rep, `/dossiers/argumentaires/${id}.zip`)).status, 404);

    const added = (await auditSince(auditFrom)).filter((a) => a.action === 'export');
    assert.equal(added.filter((a) => a.entityType === 'brief_batch').length, 1);
    assert.equal(added.length, hdf.size + 1);
  });

  it('keeps the file through a HEAD or conditional request, and answers a partial one with the whole file', async () => {
    const id = await startJob(rep);
    await waitForJob(rep, id);
    const url = `/dossiers/argumentaires/${id}.zip`;
    assert.equal(filesInExports().length, 1, `only this job's file: ${filesInExports().join(', ')}`);

    // A link preview asks for the headers only: nothing went out, nothing is deleted.
    const head = await rep.agent.head(url);
    assert.equal(head.status, 200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(filesInExports().length, 1, 'a HEAD request leaves the file');
    assert.notEqual(head.headers['accept-ranges'], 'bytes');

    // A browser revalidating: not modified, so nothing went out either.
    const conditional = await rep.agent.get(url).set('If-None-Match', '*');
    assert.equal(conditional.status, 304);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(filesInExports().length, 1, 'a 304 leaves the file');
    // And the job still offers it (a deletion slower than the pauses above would show here).
    assert.equal((await rep.agent.get(`/dossiers/argumentaires/${id}`)).status, 200);

    // A download manager's first range: the whole archive instead, which then counts as the download.
    const ranged = await rep.agent.get(url).set('Range', 'bytes=0-9').buffer(true).parse(binary);
    assert.equal(ranged.status, 200);
    assert.equal((await zipEntries(ranged.body as Buffer)).length, hdf.size + 1);
    await noExportFileLeft();
  });

  it('deletes a file nobody downloaded an hour after it was ready', async () => {
    const id = await startJob(rep, '?site=Agence%20Roubaix');
    await waitForJob(rep, id);
    assert.equal(filesInExports().length, 1);
    ctx.clock.advance(59 * 60 * 1000);
    await ctx.services.exportJobs.sweep();
    assert.equal(filesInExports().length, 1, 'still there within the hour');
    ctx.clock.advance(2 * 60 * 1000);
    await ctx.services.exportJobs.sweep();
    assert.deepEqual(filesInExports(), []);
    assert.equal((await rep.agent.get(`/dossiers/argumentaires/${id}`)).status, 404);
  });

  it('refuses job ids that are not one', async () => {
    for (const file of ['nope', '0123456789abcdef0123456789abcdef', '0123456789abcdef0123456789abcdef.pdf', '..%2Fvigie.db']) {
      assert.equal((await rep.agent.get(`/dossiers/argumentaires/${file}`)).status, 404, file);
    }
  });
});

describe('the ZIP writer', () => {
  it('stops when the download is cancelled, and records only what went out', async () => {
    const { createBriefsZipWriter } = await import('../../src/exports/briefs-zip');
    const writer = createBriefsZipWriter({ briefs: ctx.services.briefs, audit: ctx.services.audit, now: ctx.services.now });
    const user = (await ctx.services.users.findById(rep.user.id))!;
    const auditFrom = await lastAuditId();
    const out = new PassThrough({ highWaterMark: 1024 });
    const cancel = new AbortController();
    const ids = [...hdf.keys()];
    let progressed = 0;
    const result = writer.write({ user, caseIds: [...ids, ...ids, ...ids], filters: [] }, out, {
      signal: cancel.signal,
      onProgress: (done) => {
        progressed = done;
        if (done === 1) setTimeout(() => cancel.abort(new Error('cancelled')), 50);
      },
    });
    await assert.rejects(result, /cancelled/);
    // One brief in the unread output's buffer, one in the writer's own: then it waits.
    assert.ok(progressed <= 2, `${progressed} briefs rendered for an output nobody reads`);
    const exported = (await auditSince(auditFrom)).filter((a) => a.action === 'export' && a.entityType !== 'brief_batch');
    assert.equal(exported.length, progressed);
    assert.ok(out.destroyed);
  });
});

describe('GET /dossiers/argumentaires.zip for a long list', () => {
  it('sends lists of more than 100 cases to the background job instead of rendering them in the request', async () => {
    for (let i = 0; i < 101; i++) await createCase(rep, { site: 'Agence Centaine' });
    const res = await rep.agent.get('/dossiers/argumentaires.zip?site=Agence%20Centaine');
    assert.equal(res.status, 303);
    assert.match(String(res.headers.location), /^\/dossiers\/argumentaires\?/);
    // where the job takes them
    const id = await startJob(rep, '?site=Agence%20Centaine');
    const page = await rep.agent.get(`/dossiers/argumentaires/${id}`);
    assert.match(page.text, /max="101"/);
    await ctx.services.exportJobs.remove(ctx.services.exportJobs.find(id, rep.user.id)!);
  });
});

describe('the case list', () => {
  it('links to the batch export with the list’s own filters', async () => {
    const res = await rep.agent.get('/dossiers?site=Agence%20Roubaix&page=2');
    assert.equal(res.status, 200);
    const href = /href="(\/dossiers\/argumentaires\?[^"]*)">Argumentaires \(ZIP\)/.exec(res.text)?.[1];
    assert.ok(href, 'a link to the batch export');
    const target = new URL(decode(href), 'http://vigie.test');
    assert.equal(target.searchParams.get('site'), 'Agence Roubaix');
    assert.equal(target.searchParams.get('page'), null);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { parisToday } from '../../src/domain/french-dates';
import { type Signed, type TestContext, createTestContext, NO_RATE_LIMIT, PEOPLE } from '../helpers/context';
import { type Fields, post } from '../helpers/forms';
import { decode, escapeRegExp, text } from '../helpers/html';

/**
 * The case list (search, filters, sort, pages, counts), its CSV export and the home dashboard,
 * always within the regions the signed-in rep covers. Each group of tests works in its own region
 * so their figures stay exact:
 *   HDF — four cases for search, filters and counts;   IDF — one case nobody else may see;
 *   BRE — thirty cases for pagination;                 NOR — awkward names for the CSV export;
 *   PDL — the dashboard.
 */

let ctx: TestContext;
let admin: Signed, repHdf: Signed, binome: Signed, repIdf: Signed, repBre: Signed, repNor: Signed, repPdl: Signed;
let wave1Id: number;
let wave2Id: number;

/** The Hauts-de-France fixture. */
const hdf = { elodie: 0, bernard: 0, zoe: 0, helene: 0 };
let idfSecret = 0;

before(async () => {
  ctx = await createTestContext(NO_RATE_LIMIT);
  [admin, repHdf, binome, repIdf, repBre, repNor, repPdl] = await ctx.signInAll(PEOPLE.admin, PEOPLE.repNord, PEOPLE.binome, PEOPLE.outsider, { role: 'rep', name: 'Brieuc Breton', regions: ['BRE'] }, { role: 'rep', name: 'Noémie Normande', regions: ['NOR'] }, { role: 'rep', name: 'Paul Ligérien', regions: ['PDL'] });
  const campaigns = await ctx.db.selectFrom('campaigns').select(['id', 'wave']).execute();
  wave1Id = campaigns.find((c) => c.wave === 1)?.id ?? 0;
  wave2Id = campaigns.find((c) => c.wave === 2)?.id ?? 0;
  assert.ok(wave1Id > 0 && wave2Id > 0);

  hdf.elodie = await createCase(repHdf, { fullName: 'Élodie Lefèvre', regionCode: 'HDF', site: 'Agence Lille', situations: ['odd_hours'], repIds: [String(repHdf.user.id)] });
  await addEvent(repHdf, hdf.elodie, { type: 'sanction_notified', date: '2024-10-03', sanctionKind: 'avertissement' });
  hdf.bernard = await createCase(repHdf, {
    fullName: 'Bernard Martin',
    regionCode: 'HDF',
    site: 'Agence Roubaix',
    situations: ['political_figure'],
    interviewDate: '2024-09-20',
    reportOutcome: 'legitimate',
    interviewTone: 'pressure',
    toneNotes: 'Menaces de sanction.',
  });
  hdf.zoe = await createCase(repHdf, {
    fullName: 'Zoé Arnaud',
    regionCode: 'HDF',
    site: 'Agence Lille',
    campaignId: String(wave1Id),
    situations: ['agent_ex_job_seeker'],
    repIds: [String(binome.user.id)],
  });
  await addEvent(repHdf, hdf.zoe, { type: 'closed', date: '2023-11-10', closingOutcome: 'no_follow_up' });
  hdf.helene = await createCase(repHdf, {
    fullName: 'Hélène D’Hondt',
    regionCode: 'HDF',
    site: 'Agence Douai',
    situations: ['job_seeker_ex_agent', 'odd_hours'],
    repIds: [String(repHdf.user.id)],
  });
  idfSecret = await createCase(admin, { fullName: 'Élodie Secrète', regionCode: 'IDF', site: 'Agence Paris Secrète', situations: ['odd_hours'] });

  const stored = await ctx.db.selectFrom('cases').select(['id', 'commitmentStatus', 'status']).where('regionCode', '=', 'HDF').orderBy('id').execute();
  assert.deepEqual(
    stored.map((c) => [c.id, c.commitmentStatus, c.status]),
    [
      [hdf.elodie, 'breached', 'open'],
      [hdf.bernard, 'at_risk', 'open'],
      [hdf.zoe, 'respected', 'closed'],
      [hdf.helene, 'respected', 'open'],
    ],
    'the Hauts-de-France fixture is as the tests expect',
  );
});
after(() => ctx.close());

// ---------------------------------------------------------------- helpers

async function createCase(who: Signed, overrides: Fields): Promise<number> {
  const res = await post(who, '/dossiers', {
    employmentStatus: 'private',
    campaignId: String(wave2Id),
    trainingReceived: 'unknown',
    confirmNewAgent: 'on',
    ...overrides,
  });
  assert.equal(res.status, 303, `case refused: ${text(res.text).slice(0, 300)}`);
  const match = /^\/dossiers\/(\d+)$/.exec(String(res.headers.location));
  assert.ok(match?.[1]);
  return Number(match[1]);
}

async function addEvent(who: Signed, caseId: number, fields: Fields) {
  const res = await post(who, `/dossiers/${caseId}/evenements`, fields);
  assert.equal(res.status, 303, `event refused: ${text(res.text).slice(0, 300)}`);
}

/** The ids of the cases a list page links to, in page order. */
function listedIds(html: string): number[] {
  return [...html.matchAll(/href="\/dossiers\/(\d+)"/g)].map((m) => Number(m[1]));
}

async function list(who: Signed, query = '') {
  const res = await who.agent.get(`/dossiers${query}`);
  assert.equal(res.status, 200, `GET /dossiers${query} answered ${res.status}`);
  return { res, ids: listedIds(res.text) };
}

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

/** The figure and link of a facet (`<a href…><span class="facet__count">N</span> <span class="facet__label">label</span>`). */
function facet(html: string, label: string): { count: number; href: string } {
  const re = new RegExp(`<a [^>]*href="([^"]*)"[^>]*>\\s*<span class="facet__count">([^<]*)</span>\\s*<span class="facet__label">${escapeRegExp(label)}</span>`);
  const match = re.exec(html);
  assert.ok(match, `facet « ${label} » is on the page`);
  return { href: decode(match[1]!), count: Number(match[2]!.replace(/[\s\u202f\u00a0]/g, '')) };
}

/** The list's « N dossier(s) » line. */
function resultCount(html: string): number {
  const match = /class="result-count"[^>]*>\s*([\d\s\u202f\u00a0]+) dossiers?/.exec(html);
  assert.ok(match?.[1], 'the result count is on the page');
  return Number(match[1].replace(/[\s\u202f\u00a0]/g, ''));
}

/** A minimal reader for the export: ';' separated, '"' quoted, CRLF rows. */
function parseCsv(body: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < body.length; i += 1) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ';') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && body[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

async function exportCsv(who: Signed, query = '') {
  const res = await who.agent.get(`/dossiers/export.csv${query}`).buffer(true).parse((response, callback) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => callback(null, Buffer.concat(chunks)));
  });
  assert.equal(res.status, 200);
  const raw = res.body as Buffer;
  const body = raw.toString('utf8');
  const rows = parseCsv(body.replace(/^\uFEFF/, ''));
  const header = rows[0] ?? [];
  const col = (name: string) => {
    const index = header.indexOf(name);
    assert.ok(index >= 0, `column ${name} in ${header.join(' | ')}`);
    return index;
  };
  return { res, raw, body, header, records: rows.slice(1), col };
}

// ---------------------------------------------------------------- list

describe('GET /dossiers (list)', () => {
  it('lists the cases of the rep’s region, newest first, with their counts per commitment status', async () => {
    const { res, ids } = await list(repHdf);
    assert.match(res.text, /<h1>Dossiers<\/h1>/);
    assert.deepEqual(ids, [hdf.helene, hdf.zoe, hdf.bernard, hdf.elodie]);
    assert.equal(resultCount(res.text), 4);
    assert.equal(facet(res.text, 'Engagement rompu').count, 1);
    assert.equal(facet(res.text, 'Engagement menacé').count, 1);
    assert.equal(facet(res.text, 'Engagement respecté').count, 2);
    assert.equal(facet(res.text, 'Engagement rompu').href, '/dossiers?engagement=breached');
    const shown = text(res.text);
    assert.match(shown, /Élodie Lefèvre Engagement rompu/);
    assert.match(shown, /Zoé Arnaud Engagement respecté Clos/);
    assert.match(shown, /Sans représentant·e/, 'Bernard Martin has nobody');
  });

  it('finds a name without accents or case: « elodie » finds « Élodie »', async () => {
    assert.deepEqual((await list(repHdf, '?q=elodie')).ids, [hdf.elodie]);
    assert.deepEqual((await list(repHdf, '?q=ELODIE')).ids, [hdf.elodie]);
    assert.deepEqual((await list(repHdf, `?q=${encodeURIComponent('lefèvre')}`)).ids, [hdf.elodie]);
    assert.deepEqual((await list(repHdf, `?q=${encodeURIComponent("d'hondt")}`)).ids, [hdf.helene]);
    assert.deepEqual((await list(repHdf, '?q=helene')).ids, [hdf.helene]);
    const none = await list(repHdf, '?q=personne');
    assert.deepEqual(none.ids, []);
    assert.match(text(none.res.text), /Aucun dossier ne correspond\./);
    const { res } = await list(repHdf, '?q=elodie');
    assert.ok(res.text.includes('name="q" value="elodie"'), 'the search is kept in the box');
  });

  it('folds the French ligatures too: « laetitia » finds « Lætitia », « boeuf » finds « Bœuf »', async () => {
    // Occitanie holds only this case: an admin's search there sees nothing else.
    const id = await createCase(admin, { fullName: 'Lætitia Bœuf', regionCode: 'OCC', situations: ['odd_hours'] });
    assert.deepEqual((await list(admin, `?region=OCC&q=${encodeURIComponent('lætitia')}`)).ids, [id], 'typed as written');
    assert.deepEqual((await list(admin, '?region=OCC&q=laetitia')).ids, [id], 'typed without the ligature');
    assert.deepEqual((await list(admin, '?region=OCC&q=boeuf')).ids, [id]);
  });

  it('filters by campaign', async () => {
    assert.deepEqual((await list(repHdf, `?campagne=${wave1Id}`)).ids, [hdf.zoe]);
    const wave2 = await list(repHdf, `?campagne=${wave2Id}`);
    assert.deepEqual(wave2.ids, [hdf.helene, hdf.bernard, hdf.elodie]);
    assert.equal(facet(wave2.res.text, 'Engagement respecté').count, 1, 'counts follow the filters');
  });

  it('filters by region (an admin’s view)', async () => {
    const idf = await list(admin, '?region=IDF');
    assert.deepEqual(idf.ids, [idfSecret]);
    assert.deepEqual(sorted((await list(admin, '?region=HDF')).ids), sorted(Object.values(hdf)));
  });

  it('filters by site, and offers only the sites of the rep’s regions', async () => {
    const { res, ids } = await list(repHdf, `?site=${encodeURIComponent('Agence Lille')}`);
    assert.deepEqual(sorted(ids), sorted([hdf.elodie, hdf.zoe]));
    assert.match(res.text, /<option value="Agence Lille" selected>/);
    assert.match(res.text, /<option value="Agence Douai"/);
    assert.doesNotMatch(res.text, /Agence Paris Secrète/, 'a site of another region would reveal an agent');
  });

  it('filters by situation', async () => {
    const { res, ids } = await list(repHdf, '?situation=odd_hours');
    assert.deepEqual(ids, [hdf.helene, hdf.elodie]);
    assert.match(res.text, /<option value="odd_hours" selected>Consultations répétées à des horaires hors normes \(2\)<\/option>/);
    assert.deepEqual((await list(repHdf, '?situation=political_figure')).ids, [hdf.bernard]);
  });

  it('filters by commitment status, keeping the counts of the other statuses', async () => {
    const breached = await list(repHdf, '?engagement=breached');
    assert.deepEqual(breached.ids, [hdf.elodie]);
    assert.equal(facet(breached.res.text, 'Engagement menacé').count, 1);
    assert.equal(facet(breached.res.text, 'Engagement respecté').count, 2);
    assert.match(breached.res.text, /facet--active/);
    assert.deepEqual((await list(repHdf, '?engagement=at_risk')).ids, [hdf.bernard]);
    assert.deepEqual((await list(repHdf, '?engagement=respected')).ids, [hdf.helene, hdf.zoe]);
  });

  it('filters cases without a rep (rep=aucun) and by rep', async () => {
    assert.deepEqual((await list(repHdf, '?rep=aucun')).ids, [hdf.bernard]);
    assert.deepEqual((await list(repHdf, `?rep=${binome.user.id}`)).ids, [hdf.zoe]);
    assert.deepEqual((await list(repHdf, `?rep=${repHdf.user.id}`)).ids, [hdf.helene, hdf.elodie]);
  });

  it('filters open and closed cases (etat)', async () => {
    assert.deepEqual((await list(repHdf, '?etat=clos')).ids, [hdf.zoe]);
    assert.deepEqual((await list(repHdf, '?etat=ouverts')).ids, [hdf.helene, hdf.bernard, hdf.elodie]);
    assert.deepEqual((await list(repHdf, '?etat=tous')).ids, [hdf.helene, hdf.zoe, hdf.bernard, hdf.elodie]);
  });

  it('combines filters', async () => {
    assert.deepEqual((await list(repHdf, `?campagne=${wave2Id}&situation=odd_hours&engagement=respected`)).ids, [hdf.helene]);
    assert.deepEqual((await list(repHdf, `?q=elodie&engagement=respected`)).ids, []);
  });

  it('sorts by name (tri=nom), ignoring accents', async () => {
    assert.deepEqual((await list(repHdf, '?tri=nom')).ids, [hdf.bernard, hdf.elodie, hdf.helene, hdf.zoe]);
  });

  it('ignores unknown or malformed filter values instead of failing', async () => {
    const all = (await list(repHdf)).ids;
    const queries = [
      '?campagne=abc',
      '?campagne=-2',
      '?region=zz',
      '?engagement=perdu',
      '?situation=espionnage',
      '?rep=quelquun',
      '?etat=peut-etre',
      '?tri=hasard',
      '?page=-1',
      '?page=abc',
      '?echeance=100000',
      '?entretiens=annee',
      '?inconnu=1',
      '?campagne=abc&region=zz&engagement=x&situation=y&rep=z&etat=w&tri=v&page=u',
      '?q[]=a&q[]=b',
    ];
    for (const query of queries) {
      const { ids } = await list(repHdf, query);
      assert.deepEqual(ids, all, query);
    }
  });

  it('reflects at once a change of the campaign’s commitment, as the case page does', async () => {
    // A campaign of its own, without a no-sanction commitment at first; Centre-Val de Loire holds only its case.
    const campaignId = await ctx.services.campaigns.create(
      {
        name: 'Campagne engagement tardif',
        wave: null,
        description: '',
        tracesStart: null,
        tracesEnd: null,
        interviewsStart: null,
        interviewsEnd: null,
        commitmentText: '',
        commitmentQuote: '',
        falsePositivesStatement: '',
        excludesSanctions: false,
        reportRequired: false,
        status: 'closed',
        source: '',
        situations: ['odd_hours'],
      },
      new Date(),
    );
    const id = await createCase(admin, { fullName: 'Engagement Tardif', regionCode: 'CVL', campaignId: String(campaignId), situations: ['odd_hours'] });
    await addEvent(admin, id, { type: 'sanction_notified', date: '2025-03-03', sanctionKind: 'avertissement' });
    assert.deepEqual((await list(admin, '?region=CVL&engagement=at_risk')).ids, [id]);

    const edit = await post(admin, `/campagnes/${campaignId}`, {
      name: 'Campagne engagement tardif',
      commitmentText: 'La direction s’engage à ne prendre aucune sanction.',
      excludesSanctions: 'on',
      status: 'closed',
      situations: 'odd_hours',
    });
    assert.equal(edit.status, 303, 'the campaign is updated');
    assert.deepEqual((await list(admin, '?region=CVL&engagement=breached')).ids, [id], 'the list must say what the case page says');
    const page = await admin.agent.get(`/dossiers/${id}`);
    assert.match(text(page.text), /Engagement rompu/);
  });

  it('never shows a case of another region to a rep, whatever the filters', async () => {
    for (const query of ['', '?q=elodie', '?q=secrete', '?region=IDF', '?situation=odd_hours', `?campagne=${wave2Id}`]) {
      const { res, ids } = await list(repHdf, query);
      assert.ok(!ids.includes(idfSecret), query);
      assert.doesNotMatch(res.text, /Élodie Secrète/, query);
    }
    const idf = await list(repIdf);
    assert.deepEqual(idf.ids, [idfSecret]);
    assert.equal(facet(idf.res.text, 'Engagement rompu').count, 0, 'the Hauts-de-France breach is not counted for them');
    assert.equal(facet(idf.res.text, 'Engagement respecté').count, 1);
  });

  it('shows an admin the cases of every region', async () => {
    const { ids } = await list(admin, '?q=elodie');
    assert.deepEqual(ids, [idfSecret, hdf.elodie]);
  });

  it('sends a visitor without a session to the login page', async () => {
    const res = await ctx.agent().get('/dossiers?q=elodie');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/connexion');
  });
});

describe('pagination', () => {
  const bre: number[] = [];
  before(async () => {
    for (let i = 1; i <= 30; i += 1) {
      bre.push(await createCase(repBre, { fullName: `Pagination ${String(i).padStart(2, '0')}`, regionCode: 'BRE', situations: ['odd_hours'] }));
    }
  });

  it('shows 25 cases a page, with a link to the next page', async () => {
    const { res, ids } = await list(repBre);
    assert.equal(resultCount(res.text), 30);
    assert.deepEqual(ids, [...bre].reverse().slice(0, 25));
    assert.match(text(res.text), /Page 1 sur 2/);
    assert.ok(decode(res.text).includes('href="/dossiers?page=2"'), 'a link to page 2');
    assert.doesNotMatch(res.text, /rel="prev"/);
  });

  it('shows the rest on page 2, with a link back', async () => {
    const { res, ids } = await list(repBre, '?page=2');
    assert.deepEqual(ids, [...bre].reverse().slice(25));
    assert.match(text(res.text), /Page 2 sur 2/);
    assert.ok(decode(res.text).includes('href="/dossiers?page=1"'), 'a link to page 1');
    assert.doesNotMatch(res.text, /rel="next"/);
  });

  it('keeps the filters and sort in the page links', async () => {
    const first = await list(repBre, '?tri=nom&situation=odd_hours');
    assert.deepEqual(first.ids, bre.slice(0, 25));
    const next = /<a href="([^"]+)" rel="next">/.exec(first.res.text);
    assert.ok(next?.[1]);
    const href = decode(next[1]);
    assert.match(href, /tri=nom/);
    assert.match(href, /situation=odd_hours/);
    assert.match(href, /page=2/);
    assert.deepEqual((await list(repBre, href.replace('/dossiers', ''))).ids, bre.slice(25));
  });

  it('answers a page past the end with an empty list, not an error', async () => {
    const { res, ids } = await list(repBre, '?page=9');
    assert.deepEqual(ids, []);
    assert.match(text(res.text), /Aucun dossier ne correspond\./);
  });
});

// ---------------------------------------------------------------- CSV export

describe('GET /dossiers/export.csv', () => {
  const nor: Record<string, number> = {};
  const awkward = ['=HYPERLINK("x")', '+cmd', '-1', '@SUM(1)', 'Dupont; Jean', 'Jean "Jojo" Martin'];

  before(async () => {
    for (const name of awkward) {
      nor[name] = await createCase(repNor, { fullName: name, regionCode: 'NOR', site: name === '+cmd' ? '=1+1' : 'Agence Caen', situations: ['odd_hours', 'political_figure'], repIds: [String(repNor.user.id)] });
    }
    await addEvent(repNor, nor['@SUM(1)']!, { type: 'sanction_notified', date: '2024-10-03', sanctionKind: 'blame' });
  });

  it('is a semicolon-separated UTF-8 file with a BOM, a French header and a download name', async () => {
    const { res, raw, body, header } = await exportCsv(repNor);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.match(String(res.headers['content-type']), /charset=utf-8/i);
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="vigie-dossiers-\d{4}-\d{2}-\d{2}\.csv"$/);
    assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'starts with the UTF-8 BOM');
    assert.ok(body.includes('\r\n'), 'CRLF rows');
    assert.ok(body.split('\r\n')[0]!.includes(';'), 'the header is separated by semicolons');
    for (const column of ['N° dossier', 'Agent', 'Région', 'Site', 'Campagne', 'État', 'Engagement', 'Raisons', 'Situations', 'Représentant·es']) {
      assert.ok(header.includes(column), `column ${column}`);
    }
  });

  it('has one row per case of the rep’s scope, in plain French', async () => {
    const { records, col } = await exportCsv(repNor);
    assert.equal(records.length, awkward.length);
    assert.deepEqual(sorted(records.map((r) => Number(r[col('N° dossier')]))), sorted(Object.values(nor)));
    const row = records.find((r) => Number(r[col('N° dossier')]) === nor['Dupont; Jean']);
    assert.ok(row);
    assert.equal(row[col('Région')], 'Normandie');
    assert.equal(row[col('Campagne')], 'Détournement de finalités — vague 2 (2024)');
    assert.equal(row[col('État')], 'ouvert');
    assert.equal(row[col('Engagement')], 'Engagement respecté');
    assert.equal(row[col('Situations')], 'Dossier d’une personnalité politique | Consultations répétées à des horaires hors normes');
    assert.equal(row[col('Représentant·es')], 'Noémie Normande');
    const breached = records.find((r) => Number(r[col('N° dossier')]) === nor['@SUM(1)']);
    assert.equal(breached?.[col('Engagement')], 'Engagement rompu');
    assert.match(breached?.[col('Raisons')] ?? '', /La direction a notifié le 3 octobre 2024 une sanction \(blâme\), alors que cette campagne a été présentée comme une expérimentation sans sanction disciplinaire\./);
  });

  it('neutralises cells a spreadsheet would run as formulas with a leading apostrophe', async () => {
    const { records, col } = await exportCsv(repNor);
    const nameOf = (id: number) => records.find((r) => Number(r[col('N° dossier')]) === id)?.[col('Agent')];
    assert.equal(nameOf(nor['=HYPERLINK("x")']!), `'=HYPERLINK("x")`);
    assert.equal(nameOf(nor['+cmd']!), `'+cmd`);
    assert.equal(nameOf(nor['-1']!), `'-1`);
    assert.equal(nameOf(nor['@SUM(1)']!), `'@SUM(1)`);
    const site = records.find((r) => Number(r[col('N° dossier')]) === nor['+cmd'])?.[col('Site')];
    assert.equal(site, `'=1+1`, 'every column is guarded, not only the name');
    for (const record of records) {
      for (const cell of record) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `unguarded cell ${cell}`);
    }
  });

  it('quotes a name holding a semicolon or quotes, so columns stay in place', async () => {
    const { body, records, header, col } = await exportCsv(repNor);
    assert.ok(body.includes('"Dupont; Jean"'));
    assert.ok(body.includes('"Jean ""Jojo"" Martin"'));
    assert.ok(body.includes(`"'=HYPERLINK(""x"")"`));
    for (const record of records) assert.equal(record.length, header.length, 'every row has as many cells as the header');
    const names = records.map((r) => r[col('Agent')]);
    assert.ok(names.includes('Dupont; Jean'));
    assert.ok(names.includes('Jean "Jojo" Martin'));
  });

  it('keeps a line break typed inside a field in its cell, so no new row (or formula) can be smuggled in', async () => {
    // Grand Est holds only this case. A crafted form can send a line break inside the name.
    const res = await post(admin, '/dossiers', {
      fullName: 'Ligne\n=1+1;Faux',
      regionCode: 'GES',
      site: 'Site\r@SUM(2)',
      employmentStatus: 'private',
      campaignId: String(wave2Id),
      situations: 'odd_hours',
    });
    if (res.status === 400) return; // refusing control characters at input is a fix too
    assert.equal(res.status, 303);
    const { body, header } = await exportCsv(admin, '?region=GES');
    // Spreadsheets end a row at a bare CR or LF outside quotes: read the file the way they do.
    const rows: string[][] = [];
    let cell = '';
    let row: string[] = [];
    let quoted = false;
    for (const ch of body.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n')) {
      if (quoted) {
        if (ch === '"') quoted = false;
        else cell += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ';') {
        row.push(cell);
        cell = '';
      } else if (ch === '\n' || ch === '\r') {
        row.push(cell);
        rows.push(row);
        row = [];
        cell = '';
      } else cell += ch;
    }
    assert.equal(rows.length, 2, `one header and one case, got ${rows.length} rows: ${JSON.stringify(rows.slice(1))}`);
    assert.equal(rows[1]?.length, header.length);
    for (const r of rows) for (const c of r) assert.doesNotMatch(c, /^[=+\-@]/, `a cell starts a formula: ${c}`);
  });

  it('follows the list’s filters', async () => {
    const { records, col } = await exportCsv(repNor, '?q=cmd');
    assert.deepEqual(records.map((r) => Number(r[col('N° dossier')])), [nor['+cmd']]);
    const breached = await exportCsv(repNor, '?engagement=breached');
    assert.deepEqual(breached.records.map((r) => Number(r[breached.col('N° dossier')])), [nor['@SUM(1)']]);
    const list = await repNor.agent.get('/dossiers?q=cmd&engagement=respected');
    assert.ok(decode(list.text).includes('href="/dossiers/export.csv?q=cmd&engagement=respected"'), 'the export link carries the filters');
  });

  it('never exports a case of another region; an admin exports every region', async () => {
    const asHdf = await exportCsv(repHdf);
    assert.deepEqual(sorted(asHdf.records.map((r) => Number(r[asHdf.col('N° dossier')]))), sorted(Object.values(hdf)));
    assert.doesNotMatch(asHdf.body, /Secrète|Dupont; Jean|Pagination/);
    const filtered = await exportCsv(repHdf, '?region=NOR');
    assert.deepEqual(filtered.records, [], 'asking for another region gives nothing');
    const asAdmin = await exportCsv(admin);
    const total = Number((await ctx.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    assert.equal(asAdmin.records.length, total);
  });

  it('is recorded in the audit log, as a whole and in each case it carried', async () => {
    const exports = () =>
      ctx.db.selectFrom('auditLog').select(['id', 'action', 'entityType', 'entityId']).where('actorUserId', '=', repNor.user.id).where('action', '=', 'export').execute();
    const before = await exports();
    const { records } = await exportCsv(repNor, '?q=jean');
    assert.ok(records.length > 0, 'the export carries cases');
    const added = (await exports()).filter((a) => !before.some((b) => b.id === a.id));
    assert.equal(added.filter((a) => a.entityType === 'case_list').length, 1, 'one entry for the export');
    const perCase = added.filter((a) => a.entityType === 'case');
    assert.equal(perCase.length, records.length, 'one entry in each exported case’s access log');
    const regions = await ctx.db.selectFrom('cases').select('regionCode').where('id', 'in', perCase.map((a) => Number(a.entityId))).execute();
    assert.ok(regions.every((r) => r.regionCode === 'NOR'), 'only cases the rep may see');
    const last = await ctx.db.selectFrom('auditLog').selectAll().where('actorUserId', '=', repNor.user.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(last.action, 'export');
    assert.equal(last.entityType, 'case_list');
  });

  it('sends a visitor without a session to the login page, exporting nothing', async () => {
    const res = await ctx.agent().get('/dossiers/export.csv');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/connexion');
    assert.doesNotMatch(String(res.headers['content-type']), /csv/);
  });
});

// ---------------------------------------------------------------- dashboard

describe('GET / (dashboard)', () => {
  const pdl = { breached: 0, pressure: 0, deadline: 0, interview: 0, respected: 0, closedNoRep: 0, wave1: 0 };
  let today: string;
  let dueDate: string;

  /** The wave-2 section of the home page. */
  async function dashboard(who: Signed): Promise<string> {
    const res = await who.agent.get('/');
    assert.equal(res.status, 200);
    const start = res.text.indexOf(`aria-labelledby="campagne-${wave2Id}"`);
    assert.ok(start >= 0, 'the active campaign has its section');
    return res.text.slice(start, res.text.indexOf('</section>', start));
  }

  /** `<a href="…"><strong>N</strong> label</a>` in the dashboard. */
  function linked(html: string, label: string): { count: number; href: string } {
    const match = new RegExp(`<a href="([^"]*)"><strong>([^<]*)</strong> ${escapeRegExp(label)}`).exec(html);
    assert.ok(match, `« ${label} » is on the dashboard`);
    return { href: decode(match[1]!), count: Number(match[2]!.replace(/[\s\u202f\u00a0]/g, '')) };
  }

  before(async () => {
    today = parisToday(ctx.clock.now());
    const day = DateTime.fromISO(today, { zone: 'utc' });
    // Two months after the direction learned the facts falls in a week: a deadline within 14 days.
    const knowledge = day.plus({ days: 7 }).minus({ months: 2 }).toISODate()!;
    dueDate = DateTime.fromISO(knowledge, { zone: 'utc' }).plus({ months: 2 }).toISODate()!;
    const rep = [String(repPdl.user.id)];
    const base = { regionCode: 'PDL', employmentStatus: 'private' };
    pdl.breached = await createCase(repPdl, { ...base, fullName: 'Dash Rompu', situations: ['odd_hours'], repIds: rep });
    await addEvent(repPdl, pdl.breached, { type: 'sanction_notified', date: '2024-10-03', sanctionKind: 'avertissement' });
    pdl.pressure = await createCase(repPdl, { ...base, fullName: 'Dash Menacé', situations: ['political_figure'], interviewDate: '2024-09-20', reportOutcome: 'legitimate', interviewTone: 'pressure', toneNotes: 'Menaces.' });
    pdl.deadline = await createCase(repPdl, { ...base, fullName: 'Dash Échéance', situations: ['odd_hours'], knowledgeDate: knowledge, repIds: rep });
    pdl.interview = await createCase(repPdl, { ...base, fullName: 'Dash Entretien', situations: ['job_seeker_ex_agent'], interviewDate: today, repIds: rep });
    pdl.respected = await createCase(repPdl, {
      ...base,
      fullName: 'Dash Respecté',
      situations: ['agent_ex_job_seeker'],
      knowledgeDate: day.minus({ days: 10 }).toISODate()!,
      repIds: rep,
    });
    pdl.closedNoRep = await createCase(repPdl, { ...base, fullName: 'Dash Clos', situations: ['political_figure'] });
    await addEvent(repPdl, pdl.closedNoRep, { type: 'closed', date: '2024-10-20', closingOutcome: 'no_follow_up' });
    pdl.wave1 = await createCase(repPdl, { ...base, fullName: 'Dash Vague Un', campaignId: String(wave1Id), situations: ['odd_hours'] });
  });

  it('counts the active campaign’s cases by commitment status, each linked to the filtered list', async () => {
    const html = await dashboard(repPdl);
    assert.match(text(html), /Détournement de finalités — vague 2 \(2024\)/);
    assert.match(text(html), /Engagement de la direction : aucune sanction disciplinaire\./);
    assert.match(text(html), /6 dossiers suivis/, 'the wave-1 case is not counted');
    const breached = facet(html, 'Engagement rompu');
    const atRisk = facet(html, 'Engagement menacé');
    const respected = facet(html, 'Engagement respecté');
    // A deadline closing soon (Dash Échéance) is no fact against the commitment: respected.
    assert.deepEqual([breached.count, atRisk.count, respected.count], [1, 2, 3]);
    assert.equal(breached.href, `/dossiers?campagne=${wave2Id}&engagement=breached`);
    assert.deepEqual((await list(repPdl, breached.href.replace('/dossiers', ''))).ids, [pdl.breached]);
    assert.deepEqual(sorted((await list(repPdl, atRisk.href.replace('/dossiers', ''))).ids), sorted([pdl.pressure, pdl.interview]));
    assert.deepEqual(sorted((await list(repPdl, respected.href.replace('/dossiers', ''))).ids), sorted([pdl.respected, pdl.closedNoRep, pdl.deadline]));
  });

  it('counts by situation, each linked to the filtered list', async () => {
    const html = await dashboard(repPdl);
    const odd = linked(html, 'Consultations répétées à des horaires hors normes');
    assert.equal(odd.count, 2);
    assert.equal(odd.href, `/dossiers?campagne=${wave2Id}&situation=odd_hours`);
    assert.deepEqual(sorted((await list(repPdl, odd.href.replace('/dossiers', ''))).ids), sorted([pdl.breached, pdl.deadline]));
    assert.equal(linked(html, 'Dossier d’une personnalité politique').count, 2);
    assert.equal(linked(html, 'Dossier d’un·e agent FT ex-demandeur·se d’emploi').count, 1);
    assert.equal(linked(html, 'Dossier d’un·e demandeur·se d’emploi ex-salarié·e FT').count, 1);
  });

  it('lists the broken commitments with their reason', async () => {
    const html = await dashboard(repPdl);
    const shown = text(html);
    assert.match(shown, /Engagement rompu : 1 dossier\b/);
    assert.ok(html.includes(`<a href="/dossiers/${pdl.breached}">Dash Rompu</a>`));
    assert.match(shown, /Dash Rompu La direction a notifié le 3 octobre 2024 une sanction \(avertissement\), alors que cette campagne a été présentée comme une expérimentation sans sanction disciplinaire\./);
  });

  it('shows the legal deadlines of the next 14 days', async () => {
    const html = await dashboard(repPdl);
    const deadlines = linked(html, 'échéance légale dans les 14 jours');
    assert.equal(deadlines.count, 1);
    assert.ok(html.includes(`<a href="/dossiers/${pdl.deadline}">Dash Échéance</a>`));
    const due = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${dueDate}T12:00:00Z`)).replace(/^1 /, '1er ');
    assert.match(text(html), new RegExp(`Dash Échéance — ${escapeRegExp(due)}`));
    assert.doesNotMatch(text(html), /Dash Respecté —/, 'a deadline 50 days away is not listed');
    assert.deepEqual((await list(repPdl, deadlines.href.replace('/dossiers', ''))).ids, [pdl.deadline]);
    assert.equal((await ctx.db.selectFrom('cases').select('nextDeadlineDate').where('id', '=', pdl.deadline).executeTakeFirst())?.nextDeadlineDate, dueDate);
  });

  it('counts the open cases without a rep', async () => {
    const html = await dashboard(repPdl);
    const unassigned = linked(html, 'dossier sans représentant·e');
    assert.equal(unassigned.count, 1, 'the closed case without a rep is not counted');
    assert.deepEqual((await list(repPdl, unassigned.href.replace('/dossiers', ''))).ids, [pdl.pressure]);
  });

  it('counts this week’s interviews', async () => {
    const html = await dashboard(repPdl);
    const interviews = linked(html, 'entretien cette semaine');
    assert.equal(interviews.count, 1);
    assert.deepEqual((await list(repPdl, interviews.href.replace('/dossiers', ''))).ids, [pdl.interview]);
  });

  it('follows changes at once', async () => {
    const before = facet(await dashboard(repPdl), 'Engagement rompu').count;
    const id = await createCase(repPdl, { regionCode: 'PDL', fullName: 'Dash Nouveau', situations: ['odd_hours'] });
    await addEvent(repPdl, id, { type: 'pre_disciplinary_convocation', date: '2024-10-01' });
    const html = await dashboard(repPdl);
    assert.equal(facet(html, 'Engagement rompu').count, before + 1);
    assert.equal(linked(html, 'dossiers sans représentant·e').count, 2);
    const events = await ctx.db.selectFrom('caseEvents').select('id').where('caseId', '=', id).execute();
    await post(repPdl, `/dossiers/${id}/evenements/${events[0]!.id}/supprimer`, {});
    assert.equal(facet(await dashboard(repPdl), 'Engagement rompu').count, before);
  });

  it('counts only the cases of the rep’s regions; an admin counts them all', async () => {
    const idf = await dashboard(repIdf);
    assert.match(text(idf), /1 dossier suivi\b/);
    assert.deepEqual(
      ['Engagement rompu', 'Engagement menacé', 'Engagement respecté'].map((label) => facet(idf, label).count),
      [0, 0, 1],
    );
    assert.doesNotMatch(idf, /Dash |Élodie Lefèvre/);
    const hdfHtml = await dashboard(repHdf);
    assert.equal(facet(hdfHtml, 'Engagement rompu').count, 1);
    assert.doesNotMatch(hdfHtml, /Dash /);

    const all = await ctx.db.selectFrom('cases').select(['commitmentStatus']).where('campaignId', '=', wave2Id).execute();
    const adminHtml = await dashboard(admin);
    assert.equal(facet(adminHtml, 'Engagement rompu').count, all.filter((c) => c.commitmentStatus === 'breached').length);
    assert.equal(facet(adminHtml, 'Engagement menacé').count, all.filter((c) => c.commitmentStatus === 'at_risk').length);
    assert.equal(facet(adminHtml, 'Engagement respecté').count, all.filter((c) => c.commitmentStatus === 'respected').length);
  });

  it('shows no section for a closed campaign', async () => {
    const res = await repPdl.agent.get('/');
    assert.doesNotMatch(res.text, new RegExp(`aria-labelledby="campagne-${wave1Id}"`));
    assert.doesNotMatch(res.text, /Dash Vague Un/);
  });

  it('sends a visitor without a session to the login page', async () => {
    const res = await ctx.agent().get('/');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/connexion');
  });
});

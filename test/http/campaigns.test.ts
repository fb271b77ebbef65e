import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CampaignInput } from '../../src/campaigns/campaigns.repository';
import { type Agent, type TestContext, createTestContext, csrfFrom, extractCsrf, PEOPLE } from '../helpers/context';
import { type Fields, freshCsrfOf as csrfOf, postForm, postWithFreshCsrf } from '../helpers/forms';
import { escapeRegExp } from '../helpers/html';

/**
 * Campaigns: every signed-in user reads them; only administrators create, edit and enter
 * the direction's official figures.
 */

let ctx: TestContext;
let admin: { agent: Agent; user: { id: number } };
let rep: { agent: Agent; user: { id: number } };
let wave1Id: number;
let wave2Id: number;

const WAVE1 = 'Détournement de finalités — vague 1 (2023)';
const WAVE2 = 'Détournement de finalités — vague 2 (2024)';

before(async () => {
  ctx = await createTestContext();
  [admin, rep] = await ctx.signInAll(PEOPLE.admin, PEOPLE.rep);
  const seeded = await ctx.db.selectFrom('campaigns').select(['id', 'name']).execute();
  wave1Id = seeded.find((c) => c.name === WAVE1)?.id ?? 0;
  wave2Id = seeded.find((c) => c.name === WAVE2)?.id ?? 0;
  assert.ok(wave1Id > 0 && wave2Id > 0, 'both reference campaigns are seeded');
});
after(() => ctx.close());

/** Posts a form as the administrator, with a token read just before. */
function adminPost(url: string, fields: Fields) {
  return postWithFreshCsrf(admin.agent, url, fields);
}

/** Collapses whitespace, including the narrow no-break spaces of French number formatting. */
function squash(html: string): string {
  return html.replace(/\s+/g, ' ');
}

/** A complete, valid campaign form; tests override the fields they care about. */
function campaignForm(overrides: Fields = {}): Fields {
  return {
    name: 'Campagne de test',
    wave: '3',
    description: 'Troisième vague annoncée au CSEC.',
    tracesStart: '2025-01-01',
    tracesEnd: '2025-03-31',
    interviewsStart: '2025-05-01',
    interviewsEnd: '2025-06-30',
    commitmentText: 'Aucune sanction ne sera prise : rappel bienveillant des règles.',
    excludesSanctions: 'on',
    reportRequired: 'on',
    status: 'active',
    source: 'Déclaration de la direction au CSEC',
    situations: ['political_figure', 'odd_hours'],
    ...overrides,
  };
}

let created = 0;

/** A campaign made directly in the database, for tests that must not touch the seeded ones. */
async function makeCampaign(overrides: Partial<CampaignInput> = {}): Promise<number> {
  created += 1;
  return ctx.services.campaigns.create(
    {
      name: `Campagne fixture ${created}`,
      wave: null,
      description: 'Fixture',
      tracesStart: '2022-01-01',
      tracesEnd: '2022-02-01',
      interviewsStart: null,
      interviewsEnd: null,
      commitmentText: 'Pas de sanction.',
      commitmentQuote: '',
      falsePositivesStatement: '',
      excludesSanctions: true,
      reportRequired: true,
      status: 'active',
      source: '',
      situations: ['odd_hours'],
      ...overrides,
    },
    new Date(),
  );
}

async function campaignCount(): Promise<number> {
  return (await ctx.services.campaigns.list()).length;
}

/** What a refused request must leave untouched about a campaign. */
async function snapshot(id: number) {
  const campaign = await ctx.services.campaigns.findById(id);
  assert.ok(campaign, `campaign ${id} exists`);
  return campaign;
}

describe('GET /campagnes (list)', () => {
  it('shows both reference campaigns to a rep, with their commitment badges', async () => {
    const res = await rep.agent.get('/campagnes');
    assert.equal(res.status, 200);
    assert.match(res.text, /<h1>Campagnes<\/h1>/);
    assert.ok(res.text.includes(`<a href="/campagnes/${wave1Id}">${WAVE1}</a>`));
    assert.ok(res.text.includes(`<a href="/campagnes/${wave2Id}">${WAVE2}</a>`));
    assert.match(res.text, /Engagement : aucune sanction/);
    assert.match(res.text, /Pas d’engagement de non-sanction/);
    assert.match(res.text, /Consultations répétées à des horaires hors normes/);
    assert.match(squash(res.text), /du 1er avril 2024 au 30 juin 2024/);
  });

  it('lists the active campaign before the closed one', async () => {
    const res = await rep.agent.get('/campagnes');
    assert.ok(res.text.indexOf(WAVE2) < res.text.indexOf(WAVE1));
  });

  it('offers no creation link to a rep, and one to an admin', async () => {
    const asRep = await rep.agent.get('/campagnes');
    assert.doesNotMatch(asRep.text, /href="\/campagnes\/nouvelle"/);
    const asAdmin = await admin.agent.get('/campagnes');
    assert.equal(asAdmin.status, 200);
    assert.match(asAdmin.text, /href="\/campagnes\/nouvelle"/);
  });

  it('sends a visitor without a session to the login page', async () => {
    const res = await ctx.agent().get('/campagnes');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/connexion');
  });
});

describe('GET /campagnes/:id (show)', () => {
  it('shows wave 2 with its commitment, calendar, situations and Hauts-de-France figures', async () => {
    const res = await rep.agent.get(`/campagnes/${wave2Id}`);
    assert.equal(res.status, 200);
    const page = squash(res.text);
    assert.ok(page.includes(`<h1>${WAVE2}</h1>`));
    assert.match(page, /aucune sanction disciplinaire ne sera engagée/);
    assert.match(page, /rappel avec bienveillance des règles/);
    assert.match(page, /Vague 2/);
    assert.match(page, /du 1er septembre 2024 au 31 octobre 2024/);
    assert.match(page, /Dossier d’un·e demandeur·se d’emploi ex-salarié·e FT/);
    assert.match(page, /<caption>Hauts-de-France<\/caption>/);
    assert.match(page, /<caption>National<\/caption>/);
    assert.match(res.text, /<td class="num">1\u202f208<\/td>/, '1208 cases, formatted the French way');
    assert.match(page, /Cas identifiés<\/th><td class="num">1 208</);
    assert.match(page, /Agents concernés<\/th><td class="num">939</);
    assert.match(page, /Cas par situation — Consultations répétées à des horaires hors normes<\/th><td class="num">476</);
    assert.match(page, /Part estimée de détournements réels \(estimation de la direction\)<\/th><td class="num">10 %</);
    assert.ok(page.indexOf('<caption>National</caption>') < page.indexOf('<caption>Hauts-de-France</caption>'), 'national figures first');
  });

  it('shows wave 1 as closed, without a non-sanction commitment, with its shares in percent', async () => {
    const res = await rep.agent.get(`/campagnes/${wave1Id}`);
    assert.equal(res.status, 200);
    const page = squash(res.text);
    assert.match(page, /badge--muted">Terminée/);
    assert.match(page, /Pas d’engagement de non-sanction/);
    assert.match(page, /pourront déboucher sur des sanctions disciplinaires/);
    assert.match(page, /Agents concernés<\/th><td class="num">1 052</);
    assert.match(page, /managers locaux<\/th><td class="num">90 %</);
    assert.match(page, /direction régionale<\/th><td class="num">70 %</);
  });

  it('shows no admin actions to a rep, and both to an admin', async () => {
    const asRep = await rep.agent.get(`/campagnes/${wave2Id}`);
    assert.doesNotMatch(asRep.text, /\/modifier"/);
    assert.doesNotMatch(asRep.text, /\/chiffres"/);
    const asAdmin = await admin.agent.get(`/campagnes/${wave2Id}`);
    assert.match(asAdmin.text, new RegExp(`href="/campagnes/${wave2Id}/modifier"`));
    assert.match(asAdmin.text, new RegExp(`href="/campagnes/${wave2Id}/chiffres"`));
  });

  it('sends a visitor without a session to the login page', async () => {
    const res = await ctx.agent().get(`/campagnes/${wave2Id}`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/connexion');
  });

  it('answers 404 for an unknown id and for malformed ids', async () => {
    for (const path of ['/campagnes/99999', '/campagnes/abc', '/campagnes/0', '/campagnes/-3', '/campagnes/2.5']) {
      const res = await rep.agent.get(path);
      assert.equal(res.status, 404, path);
      assert.match(res.text, /Page introuvable/);
    }
  });
});

describe('creating a campaign', () => {
  it('shows an admin the empty form with sensible defaults', async () => {
    const res = await admin.agent.get('/campagnes/nouvelle');
    assert.equal(res.status, 200);
    assert.match(res.text, /<h1>Nouvelle campagne<\/h1>/);
    assert.match(res.text, /<form method="post" action="\/campagnes"/);
    assert.match(res.text, /name="status" value="active" checked/);
    assert.match(res.text, /name="excludesSanctions" value="on" checked/);
    assert.match(res.text, /name="reportRequired" value="on" checked/);
    assert.match(res.text, /name="situations" value="other_conflict" >/);
  });

  it('creates the campaign, audits it, shows it and lists it', async () => {
    const before = await campaignCount();
    const res = await adminPost('/campagnes', campaignForm({ name: '  Vague 3 (2025)  ' }));
    assert.equal(res.status, 303);
    const match = /^\/campagnes\/(\d+)$/.exec(String(res.headers.location));
    assert.ok(match?.[1], `unexpected redirect ${String(res.headers.location)}`);
    const id = Number(match[1]);
    assert.equal(await campaignCount(), before + 1);

    const stored = await ctx.services.campaigns.findById(id);
    assert.ok(stored);
    assert.equal(stored.name, 'Vague 3 (2025)');
    assert.equal(stored.wave, 3);
    assert.equal(stored.tracesStart, '2025-01-01');
    assert.equal(stored.interviewsEnd, '2025-06-30');
    assert.equal(stored.excludesSanctions, true);
    assert.equal(stored.reportRequired, true);
    assert.equal(stored.status, 'active');
    assert.deepEqual([...stored.situations].sort(), ['odd_hours', 'political_figure']);
    assert.deepEqual(stored.figures, []);

    const audit = await ctx.db
      .selectFrom('auditLog')
      .select(['actorUserId', 'action'])
      .where('entityType', '=', 'campaign')
      .where('entityId', '=', String(id))
      .execute();
    assert.deepEqual(audit, [{ actorUserId: admin.user.id, action: 'create' }]);

    const show = await admin.agent.get(`/campagnes/${id}`);
    assert.equal(show.status, 200);
    assert.match(show.text, /Campagne créée\./);
    assert.match(show.text, /<h1>Vague 3 \(2025\)<\/h1>/);
    assert.match(show.text, /rappel bienveillant des règles/);
    assert.match(show.text, /Aucun chiffre officiel saisi pour cette campagne\./);

    const list = await rep.agent.get('/campagnes');
    assert.ok(list.text.includes(`<a href="/campagnes/${id}">Vague 3 (2025)</a>`));
  });

  it('creates a campaign without a non-sanction commitment when the box is unticked', async () => {
    const res = await adminPost(
      '/campagnes',
      campaignForm({ name: 'Sans engagement', commitmentText: '', excludesSanctions: undefined, reportRequired: undefined, status: 'closed' }),
    );
    assert.equal(res.status, 303);
    const id = Number(String(res.headers.location).split('/').pop());
    const stored = await ctx.services.campaigns.findById(id);
    assert.equal(stored?.excludesSanctions, false);
    assert.equal(stored?.reportRequired, false);
    assert.equal(stored?.status, 'closed');
  });

  it('refuses a rep the form and the creation (403, nothing created)', async () => {
    const form = await rep.agent.get('/campagnes/nouvelle');
    assert.equal(form.status, 403);
    assert.match(form.text, /Vous n’avez pas accès à cette page\./);
    const before = await campaignCount();
    const res = await postForm(rep.agent, '/campagnes', { _csrf: await csrfOf(rep.agent), ...campaignForm({ name: 'Créée par un rep' }) });
    assert.equal(res.status, 403);
    assert.equal(await campaignCount(), before);
    assert.equal(await ctx.services.campaigns.nameExists('Créée par un rep'), false);
  });

  it('sends a visitor without a session to the login page (nothing created)', async () => {
    const form = await ctx.agent().get('/campagnes/nouvelle');
    assert.equal(form.status, 303);
    assert.equal(form.headers.location, '/connexion');
    const before = await campaignCount();
    const visitor = ctx.agent();
    const csrf = await csrfFrom(visitor, '/connexion');
    const res = await postForm(visitor, '/campagnes', { _csrf: csrf, ...campaignForm({ name: 'Créée anonymement' }) });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/connexion');
    assert.equal(await campaignCount(), before);
  });

  for (const [label, token] of [
    ['missing', undefined],
    ['wrong', 'jeton-invente'],
  ] as const) {
    it(`refuses a ${label} CSRF token with 403 (nothing created)`, async () => {
      const before = await campaignCount();
      await csrfOf(admin.agent);
      const res = await postForm(admin.agent, '/campagnes', { _csrf: token, ...campaignForm({ name: `CSRF ${label}` }) });
      assert.equal(res.status, 403);
      assert.match(res.text, /Action refusée/);
      assert.equal(await campaignCount(), before);
    });
  }

  it('refuses a missing name with 400 and keeps everything typed', async () => {
    const before = await campaignCount();
    const res = await adminPost(
      '/campagnes',
      campaignForm({ name: '', wave: '4', description: 'Une description à garder', situations: ['agent_ex_job_seeker', 'odd_hours'] }),
    );
    assert.equal(res.status, 400);
    assert.match(res.text, /Le formulaire contient des erreurs\./);
    assert.match(res.text, /Le nom de la campagne est obligatoire\./);
    assert.match(res.text, /name="wave" type="text" value="4"/);
    assert.match(res.text, />Une description à garder<\/textarea>/);
    assert.match(res.text, /value="2025-01-01"/);
    assert.match(res.text, /value="2025-06-30"/);
    assert.match(res.text, /name="situations" value="agent_ex_job_seeker" checked/);
    assert.match(res.text, /name="situations" value="odd_hours" checked/);
    assert.match(res.text, /name="situations" value="political_figure" >/);
    assert.match(res.text, /name="excludesSanctions" value="on" checked/);
    assert.match(res.text, /Aucune sanction ne sera prise/);
    assert.equal(await campaignCount(), before);
  });

  const invalid: Array<{ label: string; fields: Fields; message: RegExp; kept: RegExp }> = [
    {
      label: 'traces end before their start',
      fields: { name: 'Dates inversées', tracesStart: '2025-03-01', tracesEnd: '2025-01-31' },
      message: /La fin de la période analysée doit suivre son début\./,
      kept: /value="2025-03-01"/,
    },
    {
      label: 'interviews end before their start',
      fields: { name: 'Entretiens inversés', interviewsStart: '2025-06-30', interviewsEnd: '2025-05-01' },
      message: /La fin des entretiens doit suivre leur début\./,
      kept: /value="Entretiens inversés"/,
    },
    {
      label: 'no situation ticked',
      fields: { name: 'Sans situation', situations: undefined },
      message: /Cochez au moins une situation visée par la campagne\./,
      kept: /value="Sans situation"/,
    },
    {
      label: 'a non-sanction commitment ticked without its text',
      fields: { name: 'Engagement muet', commitmentText: '   ', excludesSanctions: 'on' },
      message: /Citez l’engagement de la direction : c’est lui que Vigie suit dossier par dossier\./,
      kept: /value="Engagement muet"/,
    },
    {
      label: 'an impossible date',
      fields: { name: 'Trente février', tracesStart: '2025-02-30' },
      message: /Le début de la période analysée n’est pas une date valide\./,
      kept: /value="2025-02-30"/,
    },
    {
      label: 'a wave that is not a number',
      fields: { name: 'Vague bizarre', wave: 'trois' },
      message: /Le numéro de vague doit être un nombre\./,
      kept: /value="trois"/,
    },
    {
      label: 'an unknown situation',
      fields: { name: 'Situation inventée', situations: ['odd_hours', 'made_up'] },
      message: /Situation inconnue\./,
      kept: /name="situations" value="odd_hours" checked/,
    },
    {
      label: 'an unknown status',
      fields: { name: 'État inconnu', status: 'archived' },
      message: /Choisissez l’état de la campagne\./,
      kept: /value="État inconnu"/,
    },
  ];

  for (const { label, fields, message, kept } of invalid) {
    it(`refuses ${label} with 400, a French message and the values kept`, async () => {
      const before = await campaignCount();
      const res = await adminPost('/campagnes', campaignForm(fields));
      assert.equal(res.status, 400);
      assert.match(res.text, message);
      assert.match(res.text, kept);
      assert.equal(await campaignCount(), before);
      assert.equal(await ctx.services.campaigns.nameExists(String(fields.name)), false);
    });
  }

  it('refuses a name already used (400, nothing created)', async () => {
    const before = await campaignCount();
    const res = await adminPost('/campagnes', campaignForm({ name: ` ${WAVE2} `, description: 'Doublon' }));
    assert.equal(res.status, 400);
    assert.match(res.text, /Une campagne porte déjà ce nom\./);
    assert.match(res.text, />Doublon<\/textarea>/);
    assert.equal(await campaignCount(), before);
  });

  it('keeps a single ticked situation checked when the form is shown again', async () => {
    // A lone checkbox arrives as a string, not an array: the form must still show it ticked.
    const res = await adminPost('/campagnes', campaignForm({ name: '', situations: 'job_seeker_ex_agent' }));
    assert.equal(res.status, 400);
    assert.ok(/name="situations" value="job_seeker_ex_agent" checked/.test(res.text), 'the one situation the admin ticked is lost');
  });
});

describe('editing a campaign', () => {
  let id: number;
  before(async () => {
    id = await makeCampaign({ name: 'À modifier', situations: ['political_figure', 'agent_ex_job_seeker'], commitmentText: 'Engagement initial.' });
  });

  it('shows an admin the form filled with the campaign', async () => {
    const res = await admin.agent.get(`/campagnes/${id}/modifier`);
    assert.equal(res.status, 200);
    assert.match(res.text, /<h1>Modifier : À modifier<\/h1>/);
    assert.match(res.text, new RegExp(`<form method="post" action="/campagnes/${id}"`));
    assert.match(res.text, /name="name" type="text" value="À modifier"/);
    assert.match(res.text, /value="2022-01-01"/);
    assert.match(res.text, /name="situations" value="political_figure" checked/);
    assert.match(res.text, /name="situations" value="agent_ex_job_seeker" checked/);
    assert.match(res.text, /name="situations" value="odd_hours" >/);
    assert.match(res.text, />Engagement initial\.<\/textarea>/);
    assert.match(res.text, /name="excludesSanctions" value="on" checked/);
  });

  it('saves the changes, audits them and shows them', async () => {
    const res = await adminPost(
      `/campagnes/${id}`,
      campaignForm({ name: 'Modifiée', status: 'closed', situations: ['job_seeker_ex_agent'], commitmentText: 'Engagement révisé.', wave: '' }),
    );
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `/campagnes/${id}`);
    const stored = await ctx.services.campaigns.findById(id);
    assert.equal(stored?.name, 'Modifiée');
    assert.equal(stored?.status, 'closed');
    assert.equal(stored?.wave, null);
    assert.equal(stored?.commitmentText, 'Engagement révisé.');
    assert.deepEqual(stored?.situations, ['job_seeker_ex_agent']);
    const audit = await ctx.db
      .selectFrom('auditLog')
      .select('action')
      .where('entityType', '=', 'campaign')
      .where('entityId', '=', String(id))
      .execute();
    assert.deepEqual(audit.map((a) => a.action), ['update']);

    const show = await rep.agent.get(`/campagnes/${id}`);
    assert.match(show.text, /<h1>Modifiée<\/h1>/);
    assert.match(show.text, /badge--muted">Terminée/);
    assert.match(show.text, /Engagement révisé\./);
  });

  it('accepts saving a campaign under its own name', async () => {
    const current = await snapshot(id);
    const res = await adminPost(`/campagnes/${id}`, campaignForm({ name: current.name, description: 'Même nom, autre description' }));
    assert.equal(res.status, 303);
    assert.equal((await snapshot(id)).description, 'Même nom, autre description');
  });

  it('refuses the name of another campaign (400, nothing changed)', async () => {
    const before = await snapshot(id);
    const res = await adminPost(`/campagnes/${id}`, campaignForm({ name: WAVE1 }));
    assert.equal(res.status, 400);
    assert.match(res.text, /Une campagne porte déjà ce nom\./);
    assert.deepEqual(await snapshot(id), before);
  });

  it('refuses invalid fields with 400, keeps the typed values, changes nothing', async () => {
    const before = await snapshot(id);
    const res = await adminPost(
      `/campagnes/${id}`,
      campaignForm({ name: 'Nom tapé à garder', interviewsStart: '2025-09-01', interviewsEnd: '2025-08-01' }),
    );
    assert.equal(res.status, 400);
    assert.match(res.text, /La fin des entretiens doit suivre leur début\./);
    assert.match(res.text, /value="Nom tapé à garder"/);
    assert.match(res.text, /value="2025-09-01"/);
    assert.match(res.text, new RegExp(`action="/campagnes/${id}"`), 'the form still posts to the same campaign');
    assert.deepEqual(await snapshot(id), before);

    const noSituation = await adminPost(`/campagnes/${id}`, campaignForm({ name: 'Nom tapé à garder', situations: undefined }));
    assert.equal(noSituation.status, 400);
    assert.match(noSituation.text, /Cochez au moins une situation visée par la campagne\./);
    assert.deepEqual(await snapshot(id), before);
  });

  it('refuses a rep the form and the change (403, nothing changed)', async () => {
    const before = await snapshot(id);
    assert.equal((await rep.agent.get(`/campagnes/${id}/modifier`)).status, 403);
    const res = await postForm(rep.agent, `/campagnes/${id}`, { _csrf: await csrfOf(rep.agent), ...campaignForm({ name: 'Modifiée par un rep' }) });
    assert.equal(res.status, 403);
    assert.deepEqual(await snapshot(id), before);
  });

  it('sends a visitor without a session to the login page (nothing changed)', async () => {
    const before = await snapshot(id);
    const form = await ctx.agent().get(`/campagnes/${id}/modifier`);
    assert.equal(form.status, 303);
    assert.equal(form.headers.location, '/connexion');
    const visitor = ctx.agent();
    const res = await postForm(visitor, `/campagnes/${id}`, { _csrf: await csrfFrom(visitor, '/connexion'), ...campaignForm({ name: 'Anonyme' }) });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/connexion');
    assert.deepEqual(await snapshot(id), before);
  });

  for (const [label, token] of [
    ['missing', undefined],
    ['wrong', 'jeton-invente'],
  ] as const) {
    it(`refuses a ${label} CSRF token with 403 (nothing changed)`, async () => {
      const before = await snapshot(id);
      await csrfOf(admin.agent);
      const res = await postForm(admin.agent, `/campagnes/${id}`, { _csrf: token, ...campaignForm({ name: `CSRF ${label}` }) });
      assert.equal(res.status, 403);
      assert.deepEqual(await snapshot(id), before);
    });
  }

  it('answers 404 for an unknown or malformed id', async () => {
    for (const bad of ['99999', 'abc']) {
      assert.equal((await admin.agent.get(`/campagnes/${bad}/modifier`)).status, 404, `GET ${bad}/modifier`);
      const res = await adminPost(`/campagnes/${bad}`, campaignForm({ name: `Fantôme ${bad}` }));
      assert.equal(res.status, 404, `POST ${bad}`);
      assert.equal(await ctx.services.campaigns.nameExists(`Fantôme ${bad}`), false);
    }
  });
});

describe('official figures', () => {
  let id: number;
  before(async () => {
    id = await makeCampaign({ name: 'Campagne chiffrée' });
    await ctx.services.campaigns.replaceFigures(
      id,
      'HDF',
      [{ scope: 'HDF', metric: 'agents_concerned', situationCode: '', value: 321, source: 'Tract HDF' }],
      new Date(),
    );
  });

  async function figuresOf(campaignId: number, scope: string) {
    return ctx.db
      .selectFrom('campaignFigures')
      .select(['metric', 'situationCode', 'value', 'source'])
      .where('campaignId', '=', campaignId)
      .where('scope', '=', scope)
      .orderBy('id')
      .execute();
  }

  it('shows the national figures form by default, filled with what is stored', async () => {
    const res = await admin.agent.get(`/campagnes/${wave2Id}/chiffres`);
    assert.equal(res.status, 200);
    assert.match(res.text, /<h1>Chiffres officiels<\/h1>/);
    assert.match(res.text, /name="scope" value="national"/);
    assert.match(res.text, /name="share_real_misuse" type="text" value="10"/);
    assert.match(res.text, /name="agents_concerned" type="text" value=""/);
  });

  it('shows a region’s stored figures when asked for that region', async () => {
    const res = await admin.agent.get(`/campagnes/${wave2Id}/chiffres?perimetre=HDF`);
    assert.equal(res.status, 200);
    assert.match(res.text, /name="scope" value="HDF"/);
    assert.match(res.text, /<option value="HDF" selected>/);
    assert.match(res.text, /name="cases_identified" type="text" value="1208"/);
    assert.match(res.text, /name="agents_concerned" type="text" value="939"/);
    assert.match(res.text, /name="cases_by_situation__agent_ex_job_seeker" type="text" value="602"/);
    assert.match(res.text, /Tract CGT France Travail, 2e vague \(2024\)<\/textarea>/);
  });

  it('falls back to the national scope for an unknown region', async () => {
    const res = await admin.agent.get(`/campagnes/${wave2Id}/chiffres?perimetre=ZZZ`);
    assert.equal(res.status, 200);
    assert.match(res.text, /name="scope" value="national"/);
  });

  it('saves a region’s figures (French number formats accepted) and shows them on the campaign page', async () => {
    const res = await adminPost(`/campagnes/${id}/chiffres`, {
      scope: 'IDF',
      agents_concerned: '1 234',
      cases_identified: '1\u202f500',
      cases_by_situation__odd_hours: '42',
      share_legitimate_local: '12,5',
      source: 'CSE Île-de-France du 3 mars',
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `/campagnes/${id}`);
    assert.deepEqual(await figuresOf(id, 'IDF'), [
      { metric: 'agents_concerned', situationCode: '', value: 1234, source: 'CSE Île-de-France du 3 mars' },
      { metric: 'cases_identified', situationCode: '', value: 1500, source: 'CSE Île-de-France du 3 mars' },
      { metric: 'cases_by_situation', situationCode: 'odd_hours', value: 42, source: 'CSE Île-de-France du 3 mars' },
      { metric: 'share_legitimate_local', situationCode: '', value: 12.5, source: 'CSE Île-de-France du 3 mars' },
    ]);
    assert.equal((await figuresOf(id, 'HDF')).length, 1, 'other regions keep their figures');

    const adminView = await admin.agent.get(`/campagnes/${id}`);
    assert.match(adminView.text, /Chiffres enregistrés\./);
    const show = await rep.agent.get(`/campagnes/${id}`);
    assert.equal(show.status, 200);
    const page = squash(show.text);
    assert.match(page, /<caption>Île-de-France<\/caption>/);
    assert.match(page, /Agents concernés<\/th><td class="num">1 234</);
    assert.match(page, /Cas identifiés<\/th><td class="num">1 500</);
    assert.match(page, /horaires hors normes<\/th><td class="num">42</);
    assert.match(page, /managers locaux<\/th><td class="num">12,5 %</);
    assert.match(page, /CSE Île-de-France du 3 mars/);
    assert.match(page, /<caption>Hauts-de-France<\/caption>/);
    assert.match(page, /321/);

    const audit = await ctx.db
      .selectFrom('auditLog')
      .select(['action', 'actorUserId'])
      .where('entityType', '=', 'campaign')
      .where('entityId', '=', String(id))
      .execute();
    assert.deepEqual(audit, [{ action: 'update', actorUserId: admin.user.id }]);
  });

  it('replaces the whole scope: a figure left empty is removed', async () => {
    const res = await adminPost(`/campagnes/${id}/chiffres`, { scope: 'IDF', agents_concerned: '1300', source: 'Mise à jour' });
    assert.equal(res.status, 303);
    assert.deepEqual(await figuresOf(id, 'IDF'), [{ metric: 'agents_concerned', situationCode: '', value: 1300, source: 'Mise à jour' }]);
    const show = squash((await rep.agent.get(`/campagnes/${id}`)).text);
    assert.match(show, /1 300/);
    assert.doesNotMatch(show, /1 500/);
  });

  it('refuses a value that is not a number: 400, French message, typed values kept, nothing saved', async () => {
    const before = await figuresOf(id, 'IDF');
    const res = await adminPost(`/campagnes/${id}/chiffres`, {
      scope: 'IDF',
      agents_concerned: 'abc',
      cases_identified: '777',
      source: 'Source à garder',
    });
    assert.equal(res.status, 400);
    assert.match(res.text, /Le formulaire contient des erreurs\./);
    assert.match(res.text, /Agents concernés doit être un nombre\./);
    assert.match(res.text, /name="agents_concerned" type="text" value="abc"/);
    assert.match(res.text, /name="cases_identified" type="text" value="777"/);
    assert.match(res.text, />Source à garder<\/textarea>/);
    assert.match(res.text, /name="scope" value="IDF"/, 'the scope being edited is kept');
    assert.deepEqual(await figuresOf(id, 'IDF'), before);
  });

  const invalidFigures: Array<{ label: string; fields: Fields; message: RegExp }> = [
    { label: 'a negative count', fields: { agents_concerned: '-4' }, message: /Agents concernés ne peut pas être négatif\./ },
    { label: 'a fractional count', fields: { cases_identified: '12,5' }, message: /Cas identifiés doit être un nombre entier\./ },
    {
      label: 'a share above 100 %',
      fields: { share_legitimate_regional: '120' },
      message: /Part des consultations jugées légitimes après revue par la direction régionale ne peut pas dépasser 100\./,
    },
    { label: 'an unknown scope', fields: { scope: 'ZZZ', agents_concerned: '5' }, message: /Choisissez une région ou « national »\./ },
  ];

  for (const { label, fields, message } of invalidFigures) {
    it(`refuses ${label} with 400 and saves nothing`, async () => {
      const before = await figuresOf(id, 'IDF');
      const res = await adminPost(`/campagnes/${id}/chiffres`, { scope: 'IDF', ...fields });
      assert.equal(res.status, 400);
      assert.match(res.text, message);
      assert.deepEqual(await figuresOf(id, 'IDF'), before);
      assert.deepEqual(await figuresOf(id, 'ZZZ'), []);
    });
  }

  it('refuses a rep the form and the change (403, nothing saved)', async () => {
    assert.equal((await rep.agent.get(`/campagnes/${id}/chiffres`)).status, 403);
    const before = await figuresOf(id, 'IDF');
    const res = await postForm(rep.agent, `/campagnes/${id}/chiffres`, { _csrf: await csrfOf(rep.agent), scope: 'IDF', agents_concerned: '1' });
    assert.equal(res.status, 403);
    assert.deepEqual(await figuresOf(id, 'IDF'), before);
  });

  it('sends a visitor without a session to the login page (nothing saved)', async () => {
    const form = await ctx.agent().get(`/campagnes/${id}/chiffres`);
    assert.equal(form.status, 303);
    assert.equal(form.headers.location, '/connexion');
    const before = await figuresOf(id, 'IDF');
    const visitor = ctx.agent();
    const res = await postForm(visitor, `/campagnes/${id}/chiffres`, { _csrf: await csrfFrom(visitor, '/connexion'), scope: 'IDF', agents_concerned: '2' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/connexion');
    assert.deepEqual(await figuresOf(id, 'IDF'), before);
  });

  for (const [label, token] of [
    ['missing', undefined],
    ['wrong', 'jeton-invente'],
  ] as const) {
    it(`refuses a ${label} CSRF token with 403 (nothing saved)`, async () => {
      const before = await figuresOf(id, 'IDF');
      await csrfOf(admin.agent);
      const res = await postForm(admin.agent, `/campagnes/${id}/chiffres`, { _csrf: token, scope: 'IDF', agents_concerned: '3' });
      assert.equal(res.status, 403);
      assert.deepEqual(await figuresOf(id, 'IDF'), before);
    });
  }

  it('answers 404 for an unknown or malformed id', async () => {
    for (const bad of ['99999', 'abc']) {
      assert.equal((await admin.agent.get(`/campagnes/${bad}/chiffres`)).status, 404, `GET ${bad}/chiffres`);
      const res = await adminPost(`/campagnes/${bad}/chiffres`, { scope: 'IDF', agents_concerned: '9' });
      assert.equal(res.status, 404, `POST ${bad}/chiffres`);
    }
  });

  it('uses the CSRF token of the figures page itself', async () => {
    const page = await admin.agent.get(`/campagnes/${id}/chiffres?perimetre=IDF`);
    const res = await postForm(admin.agent, `/campagnes/${id}/chiffres`, { _csrf: extractCsrf(page.text), scope: 'IDF', agents_concerned: '1301' });
    assert.equal(res.status, 303);
    assert.match(squash((await admin.agent.get(`/campagnes/${id}`)).text), new RegExp(escapeRegExp('1 301')));
  });
});

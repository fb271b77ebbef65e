/**
 * The record of processing (/admin/registre): administrators only, and built from the running
 * configuration and reference data, so changing a setting changes the page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ExportJob } from '../../src/exports/export-jobs';
import { type Signed, type TestContext, createTestContext, PEOPLE } from '../helpers/context';
import { text } from '../helpers/html';

let ctx: TestContext;
let admin: Signed, rep: Signed;

before(async () => {
  ctx = await createTestContext({ REQUEST_RETENTION_DAYS: '45', CLOSED_CASE_RETENTION_DAYS: '800', AUDIT_RETENTION_DAYS: '200', RATE_LIMIT_PER_MINUTE: '1234', PUBLIC_FORM_LIMIT_PER_HOUR: '7' });
  [admin, rep] = await ctx.signInAll(PEOPLE.admin, PEOPLE.rep);
  await ctx.createUser({ role: 'rep', regions: ['HDF', 'IDF'] });
  await ctx.createUser({ role: 'rep', regions: ['IDF'], status: 'disabled' });
});
after(() => ctx.close());

/** One `<section aria-labelledby="id">` of the page, as text. */
function section(html: string, id: string): string {
  const start = html.indexOf(`aria-labelledby="${id}"`);
  assert.ok(start >= 0, `section ${id} is on the page`);
  return text(html.slice(start, html.indexOf('</section>', start)));
}

async function recordPage(who: Signed = admin) {
  const res = await who.agent.get('/admin/registre');
  assert.equal(res.status, 200, `record refused: ${res.status}`);
  return res;
}

describe('GET /admin/registre', () => {
  it('is linked from the accounts page', async () => {
    const res = await admin.agent.get('/admin/comptes');
    assert.match(res.text, /href="\/admin\/registre"/);
  });

  it('states the purposes, the categories of data and what is never collected', async () => {
    const res = await recordPage();
    assert.match(res.text, /<h1>Registre des traitements<\/h1>/);
    const purposes = section(res.text, 'finalites');
    assert.match(purposes, /Défense des agents convoqué·es/);
    assert.match(purposes, /Demandes d’accompagnement/);
    assert.match(purposes, /Déclarations préalables en CSE et CSEC/);
    const campaigns = await ctx.services.campaigns.list();
    for (const c of campaigns) assert.ok(purposes.includes(c.name), `campaign ${c.name} is named`);
    const data = section(res.text, 'donnees');
    assert.match(data, /Identité et coordonnées de l’agent/);
    assert.match(data, /Emploi et horaires/);
    assert.match(data, /consultations répétées à des horaires hors normes/, 'situation categories come from the reference list');
    assert.match(data, /dossier d’un·e agent FT ex-demandeur·se d’emploi/);
    assert.match(data, /Accompagnement syndical donnée sensible/);
    assert.match(data, /catégorie particulière de données \(article 9 du RGPD\)/);
    assert.match(data, /Jamais collecté L’identité des demandeur·ses d’emploi/);
  });

  it('shows the retention durations and limits of the configuration', async () => {
    const res = await recordPage();
    const retention = section(res.text, 'conservation');
    assert.match(retention, /Demandes jamais transformées en dossier 45 jours après leur dernière activité/);
    assert.match(retention, /Dossiers clos 800 jours sans activité après leur clôture/);
    assert.match(retention, /Journal d’audit 200 jours, puis effacé/);
    assert.doesNotMatch(retention, /90 jours/, 'not the default');
    assert.match(retention, /Fermées après 2 heures d’inactivité et au plus tard 12 heures après la connexion/);
    assert.match(retention, /Valables 7 jours ; lien d’installation du premier compte : 24 heures/);
    assert.match(retention, /délibération de la CNIL n° 2021-122 .* recommande de six mois à un an, sans caractère obligatoire/);
    assert.match(
      retention,
      /Fichiers CSV importés Le fichier déposé .* effacés à la fin de l’import, ou 2 heures après le dépôt si l’import n’est pas lancé ; le bilan de l’import .* reste 24 heures de plus\./,
    );
    assert.match(retention, /Exports groupés d’argumentaires Fichiers ZIP .* effacés dès leur téléchargement, sinon 1 heure après être prêts/);
    const security = section(res.text, 'securite');
    assert.match(security, /1234 requêtes par minute et par adresse ; 7 envois du formulaire public par heure/);
    assert.match(security, /argon2id \(19 Mio, 2 passes\), 12 caractères au moins/);
    assert.match(security, /refusés s’ils sont trop faciles à deviner/);
    assert.match(security, /Un compte est verrouillé après 5 échecs depuis une même adresse .*, une adresse après 20 échecs tous comptes confondus/);
    assert.match(security, /secure_delete actif/, 'read from the database connection');
    assert.match(security, /n’est pas en https, le cookie n’est donc pas marqué Secure/, 'the test instance runs on http');
    assert.match(security, /Jeton anti-CSRF/);
    assert.match(security, /Politique de sécurité du contenu stricte/);
    assert.match(security, /Sauvegardes Copie cohérente de la base par la ligne de commande \(npm run cli -- backup\)/);
  });

  it('states the keeping times the import and export jobs actually apply', () => {
    // The record reads them from the configuration: the jobs must keep files exactly that long.
    assert.deepEqual(ctx.services.caseImports.keep, ctx.config.caseImport);
    const finished = { finishedAt: new Date(0) } as ExportJob;
    assert.equal(ctx.services.exportJobs.expiresAt(finished)?.getTime(), ctx.config.exportFileHours * 3_600_000);
  });

  it('names the recipients: reps by region from the active accounts, admins, no third party', async () => {
    const res = await recordPage();
    const recipients = section(res.text, 'destinataires');
    assert.match(recipients, /Hauts-de-France \(2 comptes actifs\)/);
    assert.match(recipients, /Île-de-France \(1 compte actif\)/, 'the disabled account is not counted');
    assert.match(recipients, /Administrateur·rices 1 compte actif/);
    assert.match(recipients, /Rien n’est transmis à la direction ni à des tiers/);
    assert.match(recipients, /L’envoi d’e-mails n’est pas configuré/);
  });

  it('cites only verified references, from the references file', async () => {
    const res = await recordPage();
    const references = section(res.text, 'references');
    assert.match(references, /Article 9 du RGPD/);
    assert.match(references, /Article 32 du RGPD/);
    assert.match(references, /Article 5, paragraphe 1, b\) du RGPD/);
    assert.match(references, /Délibération de la CNIL n° 2021-122/);
    assert.doesNotMatch(references, /L1332|2020-24|2020-29/);
  });

  it('refuses a rep with 403 and sends a visitor without a session to the login page', async () => {
    const asRep = await rep.agent.get('/admin/registre');
    assert.equal(asRep.status, 403);
    assert.doesNotMatch(asRep.text, /Durées de conservation/);
    const anonymous = await ctx.agent().get('/admin/registre');
    assert.equal(anonymous.status, 303);
    assert.equal(anonymous.headers.location, '/connexion');
  });
});

describe('GET /admin/registre on another configuration', () => {
  it('follows the settings: retention and the e-mail relay', async () => {
    const other = await createTestContext({ REQUEST_RETENTION_DAYS: '1', SMTP_HOST: 'smtp.exemple.fr', SMTP_FROM: 'vigie@exemple.fr' });
    try {
      const otherAdmin = await other.signedIn({ role: 'admin' });
      const res = await otherAdmin.agent.get('/admin/registre');
      assert.equal(res.status, 200);
      assert.match(section(res.text, 'conservation'), /Demandes jamais transformées en dossier 1 jour après/);
      assert.match(section(res.text, 'destinataires'), /serveur d’envoi d’e-mails configuré \(smtp\.exemple\.fr\)/);
      assert.match(section(res.text, 'finalites'), /envoyé aussi par e-mail/);
    } finally {
      await other.close();
    }
  });
});

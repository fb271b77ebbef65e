import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Signed, type TestContext, createTestContext, NO_RATE_LIMIT, PEOPLE } from '../helpers/context';
import { type Fields, post } from '../helpers/forms';
import { text } from '../helpers/html';
import { createBareCase } from '../fixtures/case-form';

/**
 * The legal deadlines as the case page shows them: a clear miss, a miss across a week-end that is
 * only doubtful, and, for an agent whose status is unknown, what would be late if they are
 * private-law, with the request to confirm the status. The rules themselves are unit-tested in
 * test/unit/deadlines.test.ts.
 */

let ctx: TestContext;
let rep: Signed;
let wave1Id: number;

before(async () => {
  ctx = await createTestContext(NO_RATE_LIMIT);
  rep = await ctx.signedIn(PEOPLE.rep);
  wave1Id = await ctx.waveId(1);
});
after(() => ctx.close());

const createCase = (fields: Fields) => createBareCase(rep, wave1Id, fields);

async function addEvent(caseId: number, fields: Fields) {
  const res = await post(rep, `/dossiers/${caseId}/evenements`, fields);
  assert.equal(res.status, 303, `event refused: ${text(res.text).slice(0, 300)}`);
}

/** One `<section … aria-labelledby="id">` of a page, as text. */
function section(html: string, labelledBy: string): string {
  const start = html.indexOf(`aria-labelledby="${labelledBy}"`);
  assert.ok(start >= 0, `section ${labelledBy} is on the page`);
  return text(html.slice(start, html.indexOf('</section>', start)));
}

async function page(id: number) {
  const res = await rep.agent.get(`/dossiers/${id}`);
  assert.equal(res.status, 200);
  return { html: res.text, deadlines: section(res.text, 'delais'), commitment: section(res.text, 'engagement') };
}

describe('the deadlines on the case page', () => {
  it('a sanction notified on the Wednesday after a Monday interview is too early: not before Thursday', async () => {
    const id = await createCase({ knowledgeDate: '2024-08-20' });
    await addEvent(id, { type: 'pre_disciplinary_convocation', date: '2024-08-26', hearingDate: '2024-09-02' });
    await addEvent(id, { type: 'sanction_notified', date: '2024-09-04', sanctionKind: 'blame' });
    const { deadlines, commitment } = await page(id);
    assert.match(deadlines, /pas avant le 5 septembre 2024/);
    assert.match(deadlines, /Délai non respecté par la direction/);
    const late =
      'La sanction (blâme) a été notifiée le 4 septembre 2024, moins de deux jours ouvrables pleins après l’entretien préalable du 2 septembre 2024, alors qu’elle ne pouvait l’être avant le 5 septembre 2024.';
    assert.ok(deadlines.includes(`Étapes disciplinaires hors des délais légaux ${late}`), deadlines);
    assert.ok(commitment.includes(late), 'and it is a reason against the commitment');
  });

  it('a convocation the Monday after a limit ending on a Sunday is doubtful, with its caveat, not a clear miss', async () => {
    const id = await createCase({ knowledgeDate: '2024-07-01' });
    await addEvent(id, { type: 'pre_disciplinary_convocation', date: '2024-09-02' });
    const { deadlines, commitment } = await page(id);
    assert.match(deadlines, /Dépassé de peu après un week-end ou un jour férié : prorogation non tranchée/);
    assert.match(deadlines, /Ce délai prenait fin le dimanche 1er septembre 2024 ; la question de savoir s’il est prorogé jusqu’au lundi 2 septembre 2024, premier jour qui n’est ni un samedi, ni un dimanche, ni un jour férié, n’est pas tranchée\./);
    assert.match(deadlines, /Étapes hors délai de peu, après un week-end ou un jour férié \(point non tranché\) La procédure disciplinaire a été engagée le lundi 2 septembre 2024/);
    assert.doesNotMatch(deadlines, /Étapes disciplinaires hors des délais légaux|Délai non respecté/);
    assert.match(commitment, /La procédure disciplinaire a été engagée le lundi 2 septembre 2024, .* n’est pas tranchée\./);
  });

  it('status unknown: the dates as under the Code du travail, a late step only in the conditional, and a request to confirm the status', async () => {
    const id = await createCase({ employmentStatus: 'unknown', knowledgeDate: '2024-07-01' });
    await addEvent(id, { type: 'pre_disciplinary_convocation', date: '2024-09-10' });
    const { html, deadlines, commitment } = await page(id);
    assert.match(deadlines, /Le statut de l’agent n’est pas renseigné : les délais ci-dessous sont ceux du Code du travail, qui ne s’appliquent qu’aux salarié·es de droit privé\. Confirmez son statut avant de vous appuyer sur ces délais\. Renseigner le statut de l’agent/);
    assert.match(html, new RegExp(`<a href="/dossiers/${id}/modifier">Renseigner le statut de l’agent</a>`));
    assert.match(deadlines, /Échéance : 1er septembre 2024/);
    assert.match(deadlines, /Hors délai si l’agent est de droit privé : statut à confirmer/);
    assert.match(deadlines, /Si l’agent est de droit privé, aucune procédure disciplinaire ne peut être engagée/);
    assert.match(
      deadlines,
      /Étapes hors délai si l’agent est de droit privé \(statut à confirmer\) Si l’agent est de droit privé, la procédure disciplinaire engagée le 10 septembre 2024 serait tardive/,
    );
    assert.doesNotMatch(deadlines, /Étapes disciplinaires hors des délais légaux|Délai non respecté|Dépassé de peu/);
    assert.doesNotMatch(commitment, /droit privé|tardive|après la fin/, 'no lateness in the commitment');
  });

  it('status unknown with no date and no disciplinary step: no request', async () => {
    const id = await createCase({ employmentStatus: 'unknown' });
    const { deadlines } = await page(id);
    assert.doesNotMatch(deadlines, /Le statut de l’agent n’est pas renseigné : les délais ci-dessous/);
  });

  it('a private-law agent is never asked to confirm a status', async () => {
    const id = await createCase({ knowledgeDate: '2024-07-01' });
    await addEvent(id, { type: 'pre_disciplinary_convocation', date: '2024-09-10' });
    const { deadlines } = await page(id);
    assert.doesNotMatch(deadlines, /statut/);
    assert.match(deadlines, /Étapes disciplinaires hors des délais légaux La procédure disciplinaire a été engagée le 10 septembre 2024/);
  });
});

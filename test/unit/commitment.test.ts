import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CaseEvent } from '../../src/domain/case-events';
import { assessCommitment, type CommitmentFacts } from '../../src/domain/commitment';
import { computeDeadlines } from '../../src/domain/deadlines';

const WAVE_2 = { excludesSanctions: true, reportRequired: true, interviewsStart: '2024-09-01', interviewsEnd: '2024-10-31' };
const WAVE_1 = { excludesSanctions: false, reportRequired: false, interviewsStart: '2023-06-01', interviewsEnd: '2023-10-31' };

function assess(overrides: Partial<Omit<CommitmentFacts, 'deadlines'>> & { knowledgeDate?: string | null } = {}) {
  const { knowledgeDate = '2024-07-01', ...rest } = overrides;
  const base = { campaign: WAVE_2, interviewDate: '2024-09-20', reportOutcome: 'legitimate' as const, interviewTone: 'kind' as const, events: [] as CaseEvent[], today: '2024-11-20', ...rest };
  const deadlines = computeDeadlines({ employmentStatus: 'private', knowledgeDate, events: base.events, priorSanctions: [], today: base.today });
  return assessCommitment({ ...base, deadlines });
}

describe('commitment assessment', () => {
  const table: Array<{ name: string; input: Parameters<typeof assess>[0]; status: string; reason?: RegExp }> = [
    { name: 'a kind reminder with a legitimate report is respected', input: {}, status: 'respected', reason: /Aucune procédure disciplinaire engagée/ },
    { name: 'not yet interviewed is respected', input: { interviewDate: null, reportOutcome: null, interviewTone: null }, status: 'respected', reason: /pas encore tenu/ },
    { name: 'a pre-disciplinary convocation breaks a no-sanction commitment', input: { events: [{ type: 'pre_disciplinary_convocation', date: '2024-10-15', hearingDate: '2024-10-25' }] }, status: 'breached', reason: /Convocation le 15 octobre 2024 à un entretien préalable à sanction pour le 25 octobre 2024, alors que la direction s’est engagée/ },
    { name: 'any sanction breaks it', input: { events: [{ type: 'sanction_notified', date: '2024-10-15', sanctionKind: 'blame' }] }, status: 'breached', reason: /Sanction notifiée le 15 octobre 2024 \(blâme\) malgré l’engagement/ },
    { name: 'a sanction in a campaign without commitment is a risk, not a breach', input: { campaign: WAVE_1, interviewDate: '2023-09-01', today: '2023-12-01', knowledgeDate: '2023-08-01', events: [{ type: 'sanction_notified', date: '2023-09-20', sanctionKind: 'avertissement' }] }, status: 'at_risk', reason: /pas d’engagement de non-sanction/ },
    { name: 'pressure or threats', input: { interviewTone: 'pressure' }, status: 'at_risk', reason: /sans bienveillance/ },
    { name: 'an illegitimate report filed in the personnel file', input: { reportOutcome: 'illegitimate', events: [{ type: 'report_filed', date: '2024-10-02' }] }, status: 'at_risk', reason: /versé au dossier personnel le 2 octobre 2024/ },
    { name: 'an illegitimate report not filed is not by itself a risk', input: { reportOutcome: 'illegitimate' }, status: 'respected' },
    { name: 'no report given', input: { reportOutcome: 'none_given' }, status: 'at_risk', reason: /Aucun compte rendu/ },
    { name: 'no report after the grace period', input: { reportOutcome: null, interviewDate: '2024-09-20', today: '2024-10-25' }, status: 'at_risk', reason: /Pas de compte rendu reçu 35 jours après/ },
    { name: 'still within the grace period', input: { reportOutcome: null, interviewDate: '2024-09-20', today: '2024-10-10' }, status: 'respected' },
    { name: 'the report was received but its outcome not entered yet', input: { reportOutcome: null, events: [{ type: 'report_received', date: '2024-09-25' }] }, status: 'respected' },
    { name: 'an interview before the announced window', input: { interviewDate: '2024-08-28' }, status: 'at_risk', reason: /hors de la période annoncée \(du 1er septembre 2024 au 31 octobre 2024\)/ },
    { name: 'an interview after the window', input: { interviewDate: '2024-11-04' }, status: 'at_risk', reason: /hors de la période annoncée/ },
    { name: 'the last day of the window is inside', input: { interviewDate: '2024-10-31' }, status: 'respected' },
    { name: 'a deadline falling soon', input: { knowledgeDate: '2024-09-15', today: '2024-11-05' }, status: 'at_risk', reason: /Échéance proche : délai de deux mois pour engager une procédure disciplinaire, le 15 novembre 2024/ },
  ];
  for (const c of table) {
    it(c.name, () => {
      const result = assess(c.input);
      assert.equal(result.status, c.status, result.reasons.map((r) => r.text).join(' | '));
      assert.ok(result.reasons.length > 0, 'always gives reasons');
      if (c.reason) assert.ok(result.reasons.some((r) => c.reason!.test(r.text)), result.reasons.map((r) => r.text).join(' | '));
    });
  }

  it('a breach outranks risks and keeps every reason', () => {
    const result = assess({ interviewTone: 'pressure', knowledgeDate: '2024-09-01', events: [{ type: 'sanction_notified', date: '2024-10-15', sanctionKind: 'mise_a_pied' }] });
    assert.equal(result.status, 'breached');
    assert.equal(result.reasons.filter((r) => r.level === 'breach').length, 1);
    assert.equal(result.reasons.filter((r) => r.level === 'risk').length, 1);
  });

  it('reports a late disciplinary step as a legal-deadline reason', () => {
    const result = assess({ knowledgeDate: '2024-06-01', events: [{ type: 'pre_disciplinary_convocation', date: '2024-10-15' }] });
    assert.equal(result.status, 'breached');
    assert.ok(result.reasons.some((r) => /^Délai légal non respecté : procédure disciplinaire engagée le 15 octobre 2024, après l’expiration/.test(r.text)));
  });
});

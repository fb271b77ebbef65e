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
    { name: 'a kind reminder with a legitimate report is respected', input: {}, status: 'respected', reason: /^Aucune procédure disciplinaire n’a été engagée\.$/ },
    { name: 'not yet interviewed is respected', input: { interviewDate: null, reportOutcome: null, interviewTone: null }, status: 'respected', reason: /^L’entretien n’a pas encore eu lieu, ou sa date n’est pas renseignée\.$/ },
    { name: 'a pre-disciplinary convocation breaks a no-sanction commitment', input: { events: [{ type: 'pre_disciplinary_convocation', date: '2024-10-15', hearingDate: '2024-10-25' }] }, status: 'breached', reason: /^La direction a convoqué l’agent le 15 octobre 2024 à un entretien préalable à sanction, fixé au 25 octobre 2024, alors que cette campagne a été présentée comme une expérimentation sans sanction disciplinaire\.$/ },
    { name: 'any sanction breaks it', input: { events: [{ type: 'sanction_notified', date: '2024-10-15', sanctionKind: 'blame' }] }, status: 'breached', reason: /^La direction a notifié le 15 octobre 2024 une sanction \(blâme\), alors que cette campagne a été présentée comme une expérimentation sans sanction disciplinaire\.$/ },
    { name: 'a sanction in a campaign without commitment is a risk, not a breach', input: { campaign: WAVE_1, interviewDate: '2023-09-01', today: '2023-12-01', knowledgeDate: '2023-08-01', events: [{ type: 'sanction_notified', date: '2023-09-20', sanctionKind: 'avertissement' }] }, status: 'at_risk', reason: /^La direction a notifié le 20 septembre 2023 une sanction \(avertissement\) ; cette campagne ne comporte pas d’engagement de non-sanction\.$/ },
    { name: 'pressure or threats', input: { interviewTone: 'pressure' }, status: 'at_risk', reason: /^L’entretien a été rapporté comme mené sous pression ou avec des menaces, ce qui n’est pas un rappel des règles «\u202Favec bienveillance\u202F»\.$/ },
    { name: 'an illegitimate report filed in the personnel file', input: { reportOutcome: 'illegitimate', events: [{ type: 'report_filed', date: '2024-10-02' }] }, status: 'at_risk', reason: /^Un compte rendu concluant à une consultation illégitime a été versé au dossier personnel de l’agent le 2 octobre 2024\.$/ },
    { name: 'an illegitimate report not filed is not by itself a risk', input: { reportOutcome: 'illegitimate' }, status: 'respected' },
    { name: 'no report given', input: { reportOutcome: 'none_given' }, status: 'at_risk', reason: /Aucun compte rendu/ },
    { name: 'no report after the grace period', input: { reportOutcome: null, interviewDate: '2024-09-20', today: '2024-10-25' }, status: 'at_risk', reason: /^Aucun compte rendu n’a été reçu 35 jours après l’entretien du 20 septembre 2024, alors que la campagne en annonçait un\.$/ },
    { name: 'still within the grace period', input: { reportOutcome: null, interviewDate: '2024-09-20', today: '2024-10-10' }, status: 'respected' },
    { name: 'the report was received but its outcome not entered yet', input: { reportOutcome: null, events: [{ type: 'report_received', date: '2024-09-25' }] }, status: 'respected' },
    { name: 'an interview before the announced window', input: { interviewDate: '2024-08-28' }, status: 'at_risk', reason: /^L’entretien a eu lieu le 28 août 2024, en dehors de la période annoncée \(du 1er septembre 2024 au 31 octobre 2024\)\.$/ },
    { name: 'an interview after the window', input: { interviewDate: '2024-11-04' }, status: 'at_risk', reason: /^L’entretien a eu lieu le 4 novembre 2024, en dehors de la période annoncée/ },
    { name: 'an interview set after the window, not yet held', input: { interviewDate: '2024-12-02', reportOutcome: null, interviewTone: null }, status: 'at_risk', reason: /^L’entretien est fixé au 2 décembre 2024, en dehors de la période annoncée/ },
    { name: 'the last day of the window is inside', input: { interviewDate: '2024-10-31' }, status: 'respected' },
    // A deadline closing soon is no fact against the commitment: it shows on the deadline itself.
    { name: 'a deadline falling soon, on its own, leaves the commitment respected', input: { knowledgeDate: '2024-09-15', today: '2024-11-05' }, status: 'respected' },
    { name: 'a deadline falling soon with nothing else, before the interview', input: { knowledgeDate: '2024-09-15', today: '2024-11-05', interviewDate: null, reportOutcome: null, interviewTone: null }, status: 'respected' },
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

  it('reports a late disciplinary step as a reason, in its own sentence', () => {
    const result = assess({ knowledgeDate: '2024-06-01', events: [{ type: 'pre_disciplinary_convocation', date: '2024-10-15' }] });
    assert.equal(result.status, 'breached');
    assert.ok(result.reasons.some((r) => r.level === 'risk' && /^La procédure disciplinaire a été engagée le 15 octobre 2024, après la fin du délai de deux mois/.test(r.text)));
  });

  it('a soon deadline gives no reason at all', () => {
    const result = assess({ knowledgeDate: '2024-09-15', today: '2024-11-05' });
    const deadlines = computeDeadlines({ employmentStatus: 'private', knowledgeDate: '2024-09-15', events: [], priorSanctions: [], today: '2024-11-05' });
    assert.equal(deadlines.deadlines[0]?.status, 'soon', 'the deadline itself still says soon');
    assert.ok(result.reasons.every((r) => !/Échéance|proche/.test(r.text)));
  });

  it('a doubtful step (limit ending on a Sunday) is a reason with its caveat; an unconfirmed one is none', () => {
    // Facts known on 1 July 2024: the limit ends on Sunday 1 September; convocation on Monday 2.
    const events: CaseEvent[] = [{ type: 'pre_disciplinary_convocation', date: '2024-09-02' }];
    const facts = { campaign: { ...WAVE_1, interviewsStart: null, interviewsEnd: null }, interviewDate: '2024-08-20', reportOutcome: 'legitimate' as const, interviewTone: 'kind' as const, events, today: '2024-11-20' };
    const deadlines = (employmentStatus: 'private' | 'unknown') => computeDeadlines({ employmentStatus, knowledgeDate: '2024-07-01', events, priorSanctions: [], today: facts.today });
    const privateLaw = assessCommitment({ ...facts, deadlines: deadlines('private') });
    assert.ok(privateLaw.reasons.some((r) => r.level === 'risk' && /^La procédure disciplinaire a été engagée le lundi 2 septembre 2024, .* n’est pas tranchée\.$/.test(r.text)));
    const unknown = assessCommitment({ ...facts, deadlines: deadlines('unknown') });
    assert.equal(unknown.status, 'at_risk', 'the convocation itself, in a campaign without commitment');
    assert.deepEqual(
      unknown.reasons.map((r) => r.text),
      ['La direction a convoqué l’agent le 2 septembre 2024 à un entretien préalable à sanction ; cette campagne ne comporte pas d’engagement de non-sanction.'],
    );
  });

  it('every reason is a sentence, with curly apostrophes and « » spaced by narrow no-break spaces', () => {
    const inputs: Array<Parameters<typeof assess>[0]> = [
      {},
      { interviewDate: null, reportOutcome: null, interviewTone: null },
      { interviewTone: 'pressure', reportOutcome: 'illegitimate', events: [{ type: 'report_filed', date: '2024-10-02' }], interviewDate: '2024-08-28' },
      { reportOutcome: 'none_given' },
      { reportOutcome: null, today: '2024-10-25' },
      { knowledgeDate: '2024-06-01', events: [{ type: 'pre_disciplinary_convocation', date: '2024-10-15', hearingDate: '2024-10-25' }, { type: 'sanction_notified', date: '2024-12-15', sanctionKind: 'blame' }], today: '2025-01-10' },
      { campaign: WAVE_1, events: [{ type: 'pre_disciplinary_convocation', date: '2024-10-15' }, { type: 'sanction_notified', date: '2024-10-20' }] },
    ];
    for (const input of inputs) {
      for (const r of assess(input).reasons) {
        assert.doesNotMatch(r.text, /'/, r.text);
        assert.match(r.text, /^[A-ZÀÉ].*\.$/, r.text);
        assert.doesNotMatch(r.text, /«(?!\u202F)|(?<!\u202F)»/, r.text);
        assert.doesNotMatch(r.text, /^(Délai légal|Échéance|Convocation le|Sanction notifiée|Entretien |Pas de compte rendu)/, r.text);
      }
    }
  });
});

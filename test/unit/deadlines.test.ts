import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CaseEvent } from '../../src/domain/case-events';
import { computeDeadlines, type DeadlineFacts } from '../../src/domain/deadlines';
import { addMonths } from '../../src/domain/french-dates';

function facts(overrides: Partial<DeadlineFacts> = {}): DeadlineFacts {
  return { employmentStatus: 'private', knowledgeDate: '2024-07-01', events: [], priorSanctions: [], today: '2024-08-01', ...overrides };
}

const convocation = (date: string, hearingDate: string | null = null): CaseEvent => ({ type: 'pre_disciplinary_convocation', date, hearingDate });
const sanction = (date: string, sanctionKind: CaseEvent['sanctionKind'] = 'avertissement'): CaseEvent => ({ type: 'sanction_notified', date, sanctionKind });

describe('addMonths (same day, or the last day of a shorter month)', () => {
  const table: Array<[string, number, string]> = [
    ['2024-07-01', 2, '2024-09-01'],
    ['2023-12-31', 2, '2024-02-29'],
    ['2024-12-31', 2, '2025-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2024-10-15', 1, '2024-11-15'],
  ];
  for (const [from, months, expected] of table) {
    it(`${from} + ${months} months = ${expected}`, () => assert.equal(addMonths(from, months), expected));
  }
});

describe('two-month limit to start proceedings (L1332-4)', () => {
  const table: Array<{ name: string; f: Partial<DeadlineFacts>; status: string; due: string | null; late: number }> = [
    { name: 'running, far from the end', f: { today: '2024-07-10' }, status: 'running', due: '2024-09-01', late: 0 },
    { name: 'soon: 14 days before the end', f: { today: '2024-08-18' }, status: 'soon', due: '2024-09-01', late: 0 },
    { name: 'soon on the last day', f: { today: '2024-09-01' }, status: 'soon', due: '2024-09-01', late: 0 },
    { name: 'passed the day after, with no step', f: { today: '2024-09-02' }, status: 'passed', due: '2024-09-01', late: 0 },
    { name: 'met: convocation on the last day', f: { events: [convocation('2024-09-01')] }, status: 'met', due: '2024-09-01', late: 0 },
    { name: 'missed: convocation one day late', f: { events: [convocation('2024-09-02')] }, status: 'missed', due: '2024-09-01', late: 1 },
    { name: 'missed: a warning notified without interview, late', f: { events: [sanction('2024-10-01')] }, status: 'missed', due: '2024-09-01', late: 1 },
    { name: 'the earliest step counts', f: { events: [sanction('2024-10-01'), convocation('2024-08-20', '2024-09-05')] }, status: 'met', due: '2024-09-01', late: 0 },
    { name: 'unknown without the knowledge date', f: { knowledgeDate: null }, status: 'unknown', due: null, late: 0 },
    { name: 'public agent: not computed', f: { employmentStatus: 'public', events: [convocation('2024-12-01')] }, status: 'not_verified', due: null, late: 0 },
  ];
  for (const c of table) {
    it(c.name, () => {
      const report = computeDeadlines(facts(c.f));
      const d = report.deadlines.find((x) => x.code === 'disciplinary_start');
      assert.equal(d?.status, c.status);
      assert.equal(d?.dueDate, c.due);
      assert.equal(d?.legalRef, 'L1332-4');
      assert.equal(report.lateSteps.filter((s) => s.startsWith('Procédure disciplinaire')).length, c.late);
    });
  }

  it('says why no date is computed for a public agent', () => {
    const d = computeDeadlines(facts({ employmentStatus: 'public' })).deadlines[0];
    assert.match(d?.explanation ?? '', /droit public/);
    assert.match(d?.explanation ?? '', /aucun délai vérifié/);
  });

  it('warns that the computation assumes private-law staff when the status is unknown', () => {
    const d = computeDeadlines(facts({ employmentStatus: 'unknown' })).deadlines[0];
    assert.equal(d?.status, 'running');
    assert.match(d?.explanation ?? '', /droit privé/);
  });

  it('phrases a late step with its dates', () => {
    const report = computeDeadlines(facts({ events: [convocation('2024-09-10')] }));
    assert.deepEqual(report.lateSteps, [
      'Procédure disciplinaire engagée le 10 septembre 2024, après l’expiration du délai de deux mois (le 1er septembre 2024) courant depuis la connaissance des faits le 1er juillet 2024.',
    ]);
  });
});

describe('one-month limit to notify a sanction after the hearing (L1332-2)', () => {
  const table: Array<{ name: string; events: CaseEvent[]; today?: string; status: string | undefined; due: string | null; late: number }> = [
    { name: 'no pre-disciplinary convocation: nothing to compute', events: [], status: undefined, due: null, late: 0 },
    { name: 'hearing date unknown', events: [convocation('2024-08-01')], status: 'unknown', due: null, late: 0 },
    { name: 'running after the hearing', events: [convocation('2024-08-01', '2024-08-12')], today: '2024-08-13', status: 'running', due: '2024-09-12', late: 0 },
    { name: 'soon', events: [convocation('2024-08-01', '2024-08-12')], today: '2024-09-01', status: 'soon', due: '2024-09-12', late: 0 },
    { name: 'passed without a sanction', events: [convocation('2024-08-01', '2024-08-12')], today: '2024-09-13', status: 'passed', due: '2024-09-12', late: 0 },
    { name: 'met', events: [convocation('2024-08-01', '2024-08-12'), sanction('2024-08-20')], status: 'met', due: '2024-09-12', late: 0 },
    { name: 'missed: notified after a month', events: [convocation('2024-08-01', '2024-08-12'), sanction('2024-09-13', 'blame')], status: 'missed', due: '2024-09-12', late: 1 },
    { name: 'missed: notified the next day', events: [convocation('2024-08-01', '2024-08-12'), sanction('2024-08-13')], status: 'missed', due: '2024-09-12', late: 1 },
    // Hearing on Tuesday 13 Aug 2024: Wed 14, Thu 15 (Assomption, not a working day), Fri 16 → earliest Fri 16.
    { name: 'a public holiday is not a working day', events: [convocation('2024-08-01', '2024-08-13'), sanction('2024-08-15')], status: 'missed', due: '2024-09-13', late: 1 },
    { name: 'two working days later is allowed', events: [convocation('2024-08-01', '2024-08-13'), sanction('2024-08-16')], status: 'met', due: '2024-09-13', late: 0 },
  ];
  for (const c of table) {
    it(c.name, () => {
      const report = computeDeadlines(facts({ knowledgeDate: '2024-07-20', events: c.events, today: c.today ?? '2024-08-13' }));
      const d = report.deadlines.find((x) => x.code === 'sanction_notification');
      assert.equal(d?.status, c.status);
      assert.equal(d?.dueDate ?? null, c.due);
      assert.equal(report.lateSteps.filter((s) => s.startsWith('Sanction')).length, c.late);
    });
  }
});

describe('three-year bar on invoking an old sanction (L1332-5)', () => {
  it('dates each prior sanction and never calls it a limit on prosecuting facts', () => {
    const report = computeDeadlines(facts({ priorSanctions: [{ date: '2022-03-15', kind: 'blame' }, { date: '2020-01-10', kind: 'avertissement' }], today: '2024-08-01' }));
    const bars = report.deadlines.filter((d) => d.code === 'old_sanction_bar');
    assert.deepEqual(bars.map((b) => [b.dueDate, b.status]), [['2023-01-10', 'passed'], ['2025-03-15', 'running']]);
    assert.match(bars[0]?.explanation ?? '', /Ce n’est pas un délai pour poursuivre des faits/);
    assert.match(bars[1]?.label ?? '', /blâme du 15 mars 2022/);
  });

  it('is not computed for a public agent', () => {
    const report = computeDeadlines(facts({ employmentStatus: 'public', priorSanctions: [{ date: '2022-03-15' }] }));
    assert.equal(report.deadlines.find((d) => d.code === 'old_sanction_bar')?.status, 'not_verified');
  });
});

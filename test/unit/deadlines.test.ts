import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CaseEvent } from '../../src/domain/case-events';
import { computeDeadlines, type DeadlineFacts, earliestSanctionDate, STATUS_TO_CONFIRM } from '../../src/domain/deadlines';
import { addMonths } from '../../src/domain/french-dates';
import { type HolidayCalendar, territoryOf } from '../../src/domain/territories';
import { workingDays } from '../../src/domain/working-days';

function facts(overrides: Partial<DeadlineFacts> = {}): DeadlineFacts {
  return { employmentStatus: 'private', knowledgeDate: '2024-07-01', events: [], priorSanctions: [], today: '2024-08-01', ...overrides };
}

const convocation = (date: string, hearingDate: string | null = null): CaseEvent => ({ type: 'pre_disciplinary_convocation', date, hearingDate });
const sanction = (date: string, sanctionKind: CaseEvent['sanctionKind'] = 'blame'): CaseEvent => ({ type: 'sanction_notified', date, sanctionKind });

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
  // Facts known on 1 July 2024: the limit ends on Sunday 1 September 2024 (extension, if any: Monday 2).
  const table: Array<{ name: string; f: Partial<DeadlineFacts>; status: string; due: string | null; late: number; doubtful?: number }> = [
    { name: 'running, far from the end', f: { today: '2024-07-10' }, status: 'running', due: '2024-09-01', late: 0 },
    { name: 'soon: 14 days before the end', f: { today: '2024-08-18' }, status: 'soon', due: '2024-09-01', late: 0 },
    { name: 'soon on the last day', f: { today: '2024-09-01' }, status: 'soon', due: '2024-09-01', late: 0 },
    { name: 'passed the day after, with no step', f: { today: '2024-09-02' }, status: 'passed', due: '2024-09-01', late: 0 },
    { name: 'met: convocation on the last day', f: { events: [convocation('2024-09-01')] }, status: 'met', due: '2024-09-01', late: 0 },
    { name: 'doubtful: convocation on the Monday after a limit ending on Sunday', f: { events: [convocation('2024-09-02')] }, status: 'doubtful', due: '2024-09-01', late: 0, doubtful: 1 },
    { name: 'missed: convocation two days after a limit ending on Sunday', f: { events: [convocation('2024-09-03')] }, status: 'missed', due: '2024-09-01', late: 1 },
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
      assert.equal(report.lateSteps.filter((s) => s.startsWith('La procédure disciplinaire')).length, c.late);
      assert.equal(report.doubtfulSteps.length, c.doubtful ?? 0);
      assert.deepEqual(report.unconfirmedSteps, []);
    });
  }

  it('says why no date is computed for a public agent', () => {
    const d = computeDeadlines(facts({ employmentStatus: 'public' })).deadlines[0];
    assert.match(d?.explanation ?? '', /droit public/);
    assert.match(d?.explanation ?? '', /aucun délai vérifié/);
    assert.equal(d?.caveat, null);
  });

  it('phrases a late step as a sentence with its dates', () => {
    const report = computeDeadlines(facts({ events: [convocation('2024-09-10')] }));
    assert.deepEqual(report.lateSteps, [
      'La procédure disciplinaire a été engagée le 10 septembre 2024, après la fin du délai de deux mois qui courait depuis que la direction a eu connaissance des faits (le 1er juillet 2024), le 1er septembre 2024.',
    ]);
    const d = report.deadlines[0]!;
    assert.equal(d.caveat, null, 'a clear miss carries no caveat');
    assert.match(d.explanation, /La procédure disciplinaire a été engagée le 10 septembre 2024, après le 1er septembre 2024\.$/);
  });
});

describe('a limit ending on a Saturday, Sunday or public holiday (CPC 642 extension, not settled)', () => {
  // [name, knowledge date, step date, expected status]; the limit ends two months after the knowledge date.
  const table: Array<[string, string, string, 'doubtful' | 'missed' | 'met']> = [
    ['limit ending on Saturday 1 March 2025, step on Monday 3: doubtful', '2025-01-01', '2025-03-03', 'doubtful'],
    ['limit ending on Saturday, step on the Sunday: doubtful', '2025-01-01', '2025-03-02', 'doubtful'],
    ['limit ending on Saturday, step on Tuesday 4: a clear miss', '2025-01-01', '2025-03-04', 'missed'],
    ['limit ending on Thursday 1 August 2024 (a weekday), step the next day: a clear miss', '2024-06-01', '2024-08-02', 'missed'],
    ['limit ending on Thursday 15 August 2024 (Assomption), step on Friday 16: doubtful', '2024-06-15', '2024-08-16', 'doubtful'],
    ['limit ending on Thursday 15 August 2024, step on Saturday 17: a clear miss', '2024-06-15', '2024-08-17', 'missed'],
    ['limit ending on Friday 1 November 2024 (Toussaint), step on Monday 4: doubtful', '2024-09-01', '2024-11-04', 'doubtful'],
    ['limit ending on Friday 1 November 2024, step on Tuesday 5: a clear miss', '2024-09-01', '2024-11-05', 'missed'],
  ];
  for (const [name, knowledgeDate, step, status] of table) {
    it(name, () => {
      const report = computeDeadlines(facts({ knowledgeDate, events: [convocation(step)], today: '2025-06-01' }));
      const d = report.deadlines.find((x) => x.code === 'disciplinary_start')!;
      assert.equal(d.status, status);
      assert.equal(report.doubtfulSteps.length, status === 'doubtful' ? 1 : 0);
      assert.equal(report.lateSteps.length, status === 'missed' ? 1 : 0);
      if (status === 'doubtful') assert.match(d.caveat ?? '', /n’est pas tranchée\.$/);
      else assert.equal(d.caveat, null);
    });
  }

  it('phrases a doubtful step with its caveat, in one sentence', () => {
    const report = computeDeadlines(facts({ knowledgeDate: '2025-01-01', events: [convocation('2025-03-03')], today: '2025-06-01' }));
    assert.deepEqual(report.doubtfulSteps, [
      'La procédure disciplinaire a été engagée le lundi 3 mars 2025, après la fin du délai de deux mois qui courait depuis que la direction a eu connaissance des faits (le 1er janvier 2025), le samedi 1er mars 2025 ; la question de savoir si ce délai est prorogé jusqu’au lundi 3 mars 2025, premier jour qui n’est ni un samedi, ni un dimanche, ni un jour férié, n’est pas tranchée.',
    ]);
    assert.equal(
      report.deadlines[0]?.caveat,
      'Ce délai prenait fin le samedi 1er mars 2025 ; la question de savoir s’il est prorogé jusqu’au lundi 3 mars 2025, premier jour qui n’est ni un samedi, ni un dimanche, ni un jour férié, n’est pas tranchée.',
    );
  });

  it('names the holiday a limit ended on', () => {
    const report = computeDeadlines(facts({ knowledgeDate: '2024-06-15', events: [convocation('2024-08-16')], today: '2025-06-01' }));
    assert.match(report.doubtfulSteps[0] ?? '', /le jeudi 15 août 2024, jour férié \(Assomption\) ; la question de savoir si ce délai est prorogé jusqu’au vendredi 16 août 2024/);
  });

  it('a limit just passed with no step says the extension is unsettled, until the day it would end', () => {
    const on = (today: string) => computeDeadlines(facts({ knowledgeDate: '2025-01-01', today })).deadlines[0]!;
    assert.equal(on('2025-03-03').status, 'passed');
    assert.match(on('2025-03-03').caveat ?? '', /prorogé jusqu’au lundi 3 mars 2025/);
    assert.equal(on('2025-03-04').caveat, null);
  });

  const notification: Array<[string, string, string, 'doubtful' | 'missed']> = [
    // Hearing Thursday 12 September 2024: the month ends on Saturday 12 October (extension: Monday 14).
    ['one month ending on Saturday, sanction on Monday: doubtful', '2024-09-12', '2024-10-14', 'doubtful'],
    ['one month ending on Saturday, sanction on Tuesday: a clear miss', '2024-09-12', '2024-10-15', 'missed'],
    // Hearing Wednesday 11 September 2024: the month ends on Friday 11 October.
    ['one month ending on Friday, sanction on Saturday: a clear miss', '2024-09-11', '2024-10-12', 'missed'],
  ];
  for (const [name, hearing, notified, status] of notification) {
    it(name, () => {
      const report = computeDeadlines(facts({ knowledgeDate: '2024-08-20', events: [convocation('2024-09-02', hearing), sanction(notified, 'blame')], today: '2025-01-01' }));
      const d = report.deadlines.find((x) => x.code === 'sanction_notification')!;
      assert.equal(d.status, status);
      assert.equal(report.doubtfulSteps.length, status === 'doubtful' ? 1 : 0);
      assert.equal(report.lateSteps.length, status === 'missed' ? 1 : 0);
      assert.equal(d.caveat === null, status === 'missed');
    });
  }

  it('phrases a doubtful sanction', () => {
    const report = computeDeadlines(facts({ knowledgeDate: '2024-08-20', events: [convocation('2024-09-02', '2024-09-12'), sanction('2024-10-14', 'blame')], today: '2025-01-01' }));
    assert.deepEqual(report.doubtfulSteps, [
      'La sanction (blâme) a été notifiée le lundi 14 octobre 2024, après la fin du délai d’un mois qui suivait l’entretien préalable du 12 septembre 2024, le samedi 12 octobre 2024 ; la question de savoir si ce délai est prorogé jusqu’au lundi 14 octobre 2024, premier jour qui n’est ni un samedi, ni un dimanche, ni un jour férié, n’est pas tranchée.',
    ]);
  });
});

describe('employment status unknown: what the limits would be, never a claim of lateness', () => {
  const unknown = (f: Partial<DeadlineFacts>) => computeDeadlines(facts({ employmentStatus: 'unknown', ...f }));

  it('still gives the date, in the conditional, with a caveat asking to confirm the status', () => {
    const d = unknown({ today: '2024-07-10' }).deadlines[0]!;
    assert.equal(d.status, 'running');
    assert.equal(d.dueDate, '2024-09-01');
    assert.match(d.explanation, /Si l’agent est de droit privé, aucune procédure disciplinaire ne peut être engagée pour ces seuls faits après le 1er septembre 2024/);
    assert.equal(d.caveat, STATUS_TO_CONFIRM);
  });

  it('a step after the limit is unconfirmed, not missed, and goes in unconfirmedSteps only', () => {
    const report = unknown({ events: [convocation('2024-09-10')] });
    const d = report.deadlines[0]!;
    assert.equal(d.status, 'unconfirmed');
    assert.deepEqual(report.lateSteps, []);
    assert.deepEqual(report.doubtfulSteps, []);
    assert.deepEqual(report.unconfirmedSteps, [
      'Si l’agent est de droit privé, la procédure disciplinaire engagée le 10 septembre 2024 serait tardive, car le délai de deux mois qui courait depuis que la direction a eu connaissance des faits (le 1er juillet 2024) a pris fin le 1er septembre 2024 ; nous demandons à la direction de confirmer le statut de l’agent.',
    ]);
  });

  it('a step within the unsettled extension is unconfirmed, with both doubts said', () => {
    const report = unknown({ events: [convocation('2024-09-02')] });
    assert.equal(report.deadlines[0]?.status, 'unconfirmed');
    assert.match(report.unconfirmedSteps[0] ?? '', /^Si l’agent est de droit privé, la procédure disciplinaire engagée le 2 septembre 2024 pourrait être tardive, .* n’est cependant pas tranchée, et nous demandons à la direction de confirmer le statut de l’agent\.$/);
    assert.match(report.deadlines[0]?.caveat ?? '', /^Le statut de l’agent n’est pas renseigné.*prorogé jusqu’au lundi 2 septembre 2024/);
  });

  it('a sanction too early or too late is unconfirmed', () => {
    const early = unknown({ knowledgeDate: '2024-08-20', events: [convocation('2024-08-26', '2024-09-02'), sanction('2024-09-04')], today: '2024-10-01' });
    assert.equal(early.deadlines[1]?.status, 'unconfirmed');
    assert.deepEqual(early.lateSteps, []);
    assert.match(early.unconfirmedSteps[0] ?? '', /^Si l’agent est de droit privé, la sanction \(blâme\) notifiée le 4 septembre 2024 l’aurait été trop tôt/);
    const late = unknown({ knowledgeDate: '2024-08-20', events: [convocation('2024-08-26', '2024-09-02'), sanction('2024-10-10')], today: '2024-11-01' });
    assert.equal(late.deadlines[1]?.status, 'unconfirmed');
    assert.deepEqual(late.lateSteps, []);
    assert.match(late.unconfirmedSteps[0] ?? '', /^Si l’agent est de droit privé, la sanction \(blâme\) notifiée le 10 octobre 2024 serait tardive/);
  });

  it('a step in time is met, with the caveat', () => {
    const report = unknown({ events: [convocation('2024-08-01')] });
    assert.deepEqual([report.deadlines[0]?.status, report.deadlines[0]?.caveat], ['met', STATUS_TO_CONFIRM]);
    assert.deepEqual(report.unconfirmedSteps, []);
  });

  it('private-law agents get no status caveat', () => {
    for (const d of computeDeadlines(facts({ events: [convocation('2024-08-01', '2024-08-12')], priorSanctions: [{ date: '2023-01-01' }] })).deadlines) {
      assert.equal(d.caveat, null, d.code);
    }
  });
});

describe('earliest date to notify a sanction: the day after the second jour ouvrable (L1332-2)', () => {
  // [hearing, earliest]: the hearing day does not count, both days must have fully passed;
  // jours ouvrables are Monday to Saturday, public holidays excluded.
  const table: Array<[string, string, string]> = [
    ['Monday 2 September 2024 → Thursday 5', '2024-09-02', '2024-09-05'],
    ['Tuesday 13 August 2024 → Saturday 17 (Thursday 15 is the Assomption)', '2024-08-13', '2024-08-17'],
    ['Friday 6 September 2024 → Tuesday 10 (Saturday counts, Sunday does not)', '2024-09-06', '2024-09-10'],
    ['Saturday 7 September 2024 → Wednesday 11', '2024-09-07', '2024-09-11'],
    ['Tuesday 7 May 2024, before 8 May and Ascension Thursday 9 → Sunday 12', '2024-05-07', '2024-05-12'],
    ['Wednesday 30 April 2025, before 1 May → Sunday 4 May', '2025-04-30', '2025-05-04'],
    ['Saturday 19 April 2025, before Easter Monday → Thursday 24', '2025-04-19', '2025-04-24'],
  ];
  for (const [name, hearing, earliest] of table) {
    it(name, () => assert.equal(earliestSanctionDate(hearing), earliest));
  }
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
    // Hearing on Monday 2 September 2024: Tuesday 3 and Wednesday 4 must have fully passed.
    { name: 'missed: notified on the Wednesday after a Monday hearing', events: [convocation('2024-08-26', '2024-09-02'), sanction('2024-09-04')], today: '2024-09-10', status: 'missed', due: '2024-10-02', late: 1 },
    { name: 'met: notified on the Thursday after a Monday hearing', events: [convocation('2024-08-26', '2024-09-02'), sanction('2024-09-05')], today: '2024-09-10', status: 'met', due: '2024-10-02', late: 0 },
    // Hearing on Tuesday 13 Aug 2024: Wed 14 (1st), Thu 15 (Assomption, not a working day), Fri 16 (2nd) → earliest Sat 17.
    { name: 'a public holiday is not a working day', events: [convocation('2024-08-01', '2024-08-13'), sanction('2024-08-15')], status: 'missed', due: '2024-09-13', late: 1 },
    { name: 'missed: notified on the second working day itself', events: [convocation('2024-08-01', '2024-08-13'), sanction('2024-08-16')], status: 'missed', due: '2024-09-13', late: 1 },
    { name: 'met: the day after the second working day', events: [convocation('2024-08-01', '2024-08-13'), sanction('2024-08-17')], status: 'met', due: '2024-09-13', late: 0 },
  ];
  for (const c of table) {
    it(c.name, () => {
      const report = computeDeadlines(facts({ knowledgeDate: '2024-07-20', events: c.events, today: c.today ?? '2024-08-13' }));
      const d = report.deadlines.find((x) => x.code === 'sanction_notification');
      assert.equal(d?.status, c.status);
      assert.equal(d?.dueDate ?? null, c.due);
      assert.equal(report.lateSteps.filter((s) => s.startsWith('La sanction')).length, c.late);
    });
  }

  it('prints the right earliest date and says the hearing took place or is set', () => {
    const held = computeDeadlines(facts({ knowledgeDate: '2024-07-20', events: [convocation('2024-08-01', '2024-08-13')], today: '2024-08-14' })).deadlines[1]!;
    assert.equal(
      held.explanation,
      'L’entretien préalable a eu lieu le 13 août 2024 : une sanction ne peut être notifiée ni moins de deux jours ouvrables pleins après l’entretien (pas avant le 17 août 2024), ni plus d’un mois après (au plus tard le 13 septembre 2024).',
    );
    const set = computeDeadlines(facts({ knowledgeDate: '2024-07-20', events: [convocation('2024-08-01', '2024-08-13')], today: '2024-08-05' })).deadlines[1]!;
    assert.match(set.explanation, /^L’entretien préalable est fixé au 13 août 2024 : /);
  });

  it('phrases a sanction notified too early', () => {
    const report = computeDeadlines(facts({ knowledgeDate: '2024-08-20', events: [convocation('2024-08-26', '2024-09-02'), sanction('2024-09-04')], today: '2024-09-10' }));
    assert.deepEqual(report.lateSteps, [
      'La sanction (blâme) a été notifiée le 4 septembre 2024, moins de deux jours ouvrables pleins après l’entretien préalable du 2 septembre 2024, alors qu’elle ne pouvait l’être avant le 5 septembre 2024.',
    ]);
  });

  it('says an avertissement’s early notice with a caveat, never as a clear miss: the entretien préalable is not required for it', () => {
    const report = computeDeadlines(facts({ knowledgeDate: '2024-08-01', events: [convocation('2024-08-26', '2024-09-02'), sanction('2024-09-04', 'avertissement')] }));
    const d = report.deadlines.find((x) => x.code === 'sanction_notification')!;
    assert.equal(d.status, 'doubtful');
    assert.deepEqual(report.lateSteps, []);
    assert.match(report.doubtfulSteps[0] ?? '', /^La sanction \(avertissement\) a été notifiée le 4 septembre 2024, moins de deux jours ouvrables pleins .* ; l’entretien préalable n’étant pas obligatoire pour un avertissement, l’application de ce délai lorsque la direction en a tout de même tenu un est à vérifier avec le syndicat\.$/);
    const blame = computeDeadlines(facts({ knowledgeDate: '2024-08-01', events: [convocation('2024-08-26', '2024-09-02'), sanction('2024-09-04', 'blame')] }));
    assert.equal(blame.lateSteps.length, 1, 'a blâme notified as early is a clear miss');
  });
});

describe('French of the sentences', () => {
  const scenarios: Array<Partial<DeadlineFacts>> = [];
  for (const employmentStatus of ['private', 'unknown', 'public'] as const) {
    for (const events of [
      [],
      [convocation('2024-09-02')],
      [convocation('2024-09-10')],
      [convocation('2024-08-01')],
      [convocation('2024-08-01', '2024-08-13'), sanction('2024-08-16')],
      [convocation('2024-08-01', '2024-08-13'), sanction('2024-08-20')],
      [convocation('2024-08-01', '2024-08-10'), sanction('2024-09-11')],
      [convocation('2024-08-01', '2024-08-10'), sanction('2024-09-20')],
      [convocation('2024-08-01')],
    ]) {
      for (const today of ['2024-07-10', '2024-09-02', '2024-12-01']) {
        scenarios.push({ employmentStatus, events, today, priorSanctions: [{ date: '2022-03-15', kind: 'blame' }] });
      }
    }
  }
  scenarios.push({ knowledgeDate: null }, { knowledgeDate: null, employmentStatus: 'unknown' });

  it('every explanation, caveat and step is a sentence with curly apostrophes', () => {
    for (const s of scenarios) {
      const report = computeDeadlines(facts(s));
      const sentences = [
        ...report.deadlines.flatMap((d) => [d.explanation, d.caveat ?? '']),
        ...report.lateSteps,
        ...report.doubtfulSteps,
        ...report.unconfirmedSteps,
      ].filter(Boolean);
      for (const text of sentences) {
        assert.doesNotMatch(text, /'/, text);
        assert.match(text, /^[A-ZÀÉ].*\.$/, text);
        assert.doesNotMatch(text, / : (hors délai|trop tôt|dans le délai)/, text);
        assert.doesNotMatch(text, /de le /, text);
      }
    }
  });
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

describe('the agent’s own public holidays (calendar by territory)', () => {
  const lille = territoryOf('HDF', '59').calendar;
  const moselle = territoryOf('GES', '57').calendar;
  const basRhin = territoryOf('GES', '67').calendar;
  const calendarOf = (region: string) => territoryOf(region).calendar;

  it('the territories give the calendars these cases expect', () => {
    assert.deepEqual([lille, moselle, basRhin], ['national', 'alsace_moselle', 'alsace_moselle']);
    assert.deepEqual(['REU', 'MTQ', 'GUY', 'MAY', 'GUA'].map(calendarOf), ['reunion', 'martinique', 'guyane', 'mayotte', 'guadeloupe']);
  });

  // [name, hearing, calendar, earliest]: the day after the second jour ouvrable (Monday–Saturday, the
  // calendar's holidays excluded). Weekdays checked on a calendar.
  const table: Array<[string, string, HolidayCalendar, string]> = [
    // Easter 2025: Good Friday 18 April, Easter Sunday 20, Easter Monday 21.
    ['Lille, hearing Wednesday 16 April 2025: Thursday 17, Friday 18 → Saturday 19', '2025-04-16', lille, '2025-04-19'],
    ['Moselle, same hearing: Thursday 17, (Good Friday), Saturday 19 → Sunday 20', '2025-04-16', moselle, '2025-04-20'],
    ['Lille, hearing Thursday 17 April 2025: Friday 18, Saturday 19 → Sunday 20', '2025-04-17', lille, '2025-04-20'],
    ['Moselle, same hearing: (Good Friday), Saturday 19, (Sunday), (Easter Monday), Tuesday 22 → Wednesday 23', '2025-04-17', moselle, '2025-04-23'],
    ['Lille, hearing on Good Friday 18 April 2025: Saturday 19, (Easter Monday), Tuesday 22 → Wednesday 23', '2025-04-18', lille, '2025-04-23'],
    ['Guadeloupe keeps Good Friday as a working day (local custom only): Friday 18, Saturday 19 → Sunday 20', '2025-04-17', 'guadeloupe', '2025-04-20'],
    ['Martinique likewise', '2025-04-17', 'martinique', '2025-04-20'],
    // Christmas 2024: Wednesday 25 December, Thursday 26 (Saint-Étienne in Alsace-Moselle).
    ['national, hearing Tuesday 24 December 2024: (Christmas), Thursday 26, Friday 27 → Saturday 28', '2024-12-24', 'national', '2024-12-28'],
    ['Bas-Rhin, same hearing: (Christmas), (Saint-Étienne), Friday 27, Saturday 28 → Sunday 29', '2024-12-24', basRhin, '2024-12-29'],
    ['national, hearing Monday 23 December 2024: Tuesday 24, (Christmas), Thursday 26 → Friday 27', '2024-12-23', 'national', '2024-12-27'],
    ['Bas-Rhin, same hearing: Tuesday 24, (Christmas), (Saint-Étienne), Friday 27 → Saturday 28', '2024-12-23', basRhin, '2024-12-28'],
    // La Réunion: Friday 20 December 2024.
    ['national, hearing Wednesday 18 December 2024: Thursday 19, Friday 20 → Saturday 21', '2024-12-18', 'national', '2024-12-21'],
    ['La Réunion, same hearing: Thursday 19, (20 December), Saturday 21 → Sunday 22', '2024-12-18', 'reunion', '2024-12-22'],
    ['national, hearing Thursday 19 December 2024: Friday 20, Saturday 21 → Sunday 22', '2024-12-19', 'national', '2024-12-22'],
    ['La Réunion, same hearing: (20 December), Saturday 21, (Sunday), Monday 23 → Tuesday 24', '2024-12-19', 'reunion', '2024-12-24'],
    // Martinique: Wednesday 22 May 2024.
    ['national, hearing Tuesday 21 May 2024: Wednesday 22, Thursday 23 → Friday 24', '2024-05-21', 'national', '2024-05-24'],
    ['Martinique, same hearing: (22 May), Thursday 23, Friday 24 → Saturday 25', '2024-05-21', 'martinique', '2024-05-25'],
    // Guyane: Tuesday 10 June 2025, the day after Whit Monday (9 June).
    ['national, hearing Friday 6 June 2025: Saturday 7, (Whit Monday), Tuesday 10 → Wednesday 11', '2025-06-06', 'national', '2025-06-11'],
    ['Guyane, same hearing: Saturday 7, (Whit Monday), (10 June), Wednesday 11 → Thursday 12', '2025-06-06', 'guyane', '2025-06-12'],
    // Mayotte: Monday 27 April 2026.
    ['national, hearing Friday 24 April 2026: Saturday 25, (Sunday), Monday 27 → Tuesday 28', '2026-04-24', 'national', '2026-04-28'],
    ['Mayotte, same hearing: Saturday 25, (Sunday), (27 April), Tuesday 28 → Wednesday 29', '2026-04-24', 'mayotte', '2026-04-29'],
    // Guadeloupe: Tuesday 27 May 2025, two days before Ascension (Thursday 29 May).
    ['national, hearing Monday 26 May 2025: Tuesday 27, Wednesday 28 → Thursday 29 (Ascension)', '2025-05-26', 'national', '2025-05-29'],
    ['Guadeloupe, same hearing: (27 May), Wednesday 28, (Ascension), Friday 30 → Saturday 31', '2025-05-26', 'guadeloupe', '2025-05-31'],
    ['La Réunion has no 27 May: as national', '2025-05-26', 'reunion', '2025-05-29'],
  ];
  for (const [name, hearing, calendar, earliest] of table) {
    it(name, () => {
      assert.equal(earliestSanctionDate(hearing, calendar), earliest);
      assert.equal(workingDays(calendar).earliestSanctionDate(hearing), earliest);
    });
  }

  it('the national calendar is the default', () => {
    assert.equal(earliestSanctionDate('2025-04-17'), '2025-04-20');
    assert.equal(earliestSanctionDate('2024-12-19'), '2024-12-22');
  });

  // [name, calendar, knowledge date, step, status]: a two-month limit ending on a day that is a
  // holiday in one calendar only; the step comes the next working day there.
  const limits: Array<[string, HolidayCalendar, string, string, 'doubtful' | 'missed']> = [
    ['Martinique: ends Thursday 22 May 2025 (abolition day), step Friday 23', 'martinique', '2025-03-22', '2025-05-23', 'doubtful'],
    ['mainland: ends on an ordinary Thursday 22 May 2025, step Friday 23', 'national', '2025-03-22', '2025-05-23', 'missed'],
    ['Guadeloupe: ends Tuesday 27 May 2025 (abolition day), step Wednesday 28', 'guadeloupe', '2025-03-27', '2025-05-28', 'doubtful'],
    ['mainland: ends Tuesday 27 May 2025, step Wednesday 28', 'national', '2025-03-27', '2025-05-28', 'missed'],
    ['Guyane: ends Tuesday 10 June 2025 (abolition day), step Wednesday 11', 'guyane', '2025-04-10', '2025-06-11', 'doubtful'],
    ['mainland: ends Tuesday 10 June 2025, step Wednesday 11', 'national', '2025-04-10', '2025-06-11', 'missed'],
    ['Mayotte: ends Monday 27 April 2026 (abolition day), step Tuesday 28', 'mayotte', '2026-02-27', '2026-04-28', 'doubtful'],
    ['mainland: ends Monday 27 April 2026, step Tuesday 28', 'national', '2026-02-27', '2026-04-28', 'missed'],
    ['La Réunion: ends Friday 20 December 2024 (abolition day), step Monday 23 after the week-end', 'reunion', '2024-10-20', '2024-12-23', 'doubtful'],
    ['mainland: ends Friday 20 December 2024, step Monday 23', 'national', '2024-10-20', '2024-12-23', 'missed'],
    ['La Réunion: a step on Tuesday 24 is a clear miss there too', 'reunion', '2024-10-20', '2024-12-24', 'missed'],
    ['Moselle: ends on Good Friday 18 April 2025, step Tuesday 22 after Easter Monday', 'alsace_moselle', '2025-02-18', '2025-04-22', 'doubtful'],
    ['mainland: ends Friday 18 April 2025, step Tuesday 22', 'national', '2025-02-18', '2025-04-22', 'missed'],
    ['Bas-Rhin: ends Friday 26 December 2025 (Saint-Étienne), step Monday 29', 'alsace_moselle', '2025-10-26', '2025-12-29', 'doubtful'],
    ['mainland: ends Friday 26 December 2025, step Monday 29', 'national', '2025-10-26', '2025-12-29', 'missed'],
  ];
  for (const [name, calendar, knowledgeDate, step, status] of limits) {
    it(`two-month limit, ${name}: ${status}`, () => {
      const report = computeDeadlines(facts({ knowledgeDate, events: [convocation(step)], today: '2026-06-01', calendar }));
      const d = report.deadlines.find((x) => x.code === 'disciplinary_start')!;
      assert.equal(d.dueDate, addMonths(knowledgeDate, 2));
      assert.equal(d.status, status);
      assert.equal(report.doubtfulSteps.length, status === 'doubtful' ? 1 : 0);
      assert.equal(report.lateSteps.length, status === 'missed' ? 1 : 0);
    });
  }

  it('names the local holiday the limit ended on, and the day it would be extended to', () => {
    const martinique = computeDeadlines(facts({ knowledgeDate: '2025-03-22', events: [convocation('2025-05-23')], today: '2025-06-01', calendar: 'martinique' }));
    assert.equal(
      martinique.deadlines[0]?.caveat,
      'Ce délai prenait fin le jeudi 22 mai 2025, jour férié (Abolition de l’esclavage) ; la question de savoir s’il est prorogé jusqu’au vendredi 23 mai 2025, premier jour qui n’est ni un samedi, ni un dimanche, ni un jour férié, n’est pas tranchée.',
    );
    const basRhin = computeDeadlines(facts({ knowledgeDate: '2025-10-26', events: [convocation('2025-12-29')], today: '2026-01-15', calendar: 'alsace_moselle' }));
    assert.match(basRhin.doubtfulSteps[0] ?? '', /le vendredi 26 décembre 2025, jour férié \(Saint-Étienne\) ; la question de savoir si ce délai est prorogé jusqu’au lundi 29 décembre 2025/);
    const moselle = computeDeadlines(facts({ knowledgeDate: '2025-02-18', events: [convocation('2025-04-22')], today: '2025-06-01', calendar: 'alsace_moselle' }));
    assert.match(moselle.deadlines[0]?.caveat ?? '', /le vendredi 18 avril 2025, jour férié \(Vendredi saint\) ; la question de savoir s’il est prorogé jusqu’au mardi 22 avril 2025/);
  });

  it('a limit just passed with no step: the caveat only where the last day was a holiday', () => {
    // Ends Thursday 22 May 2025; today Friday 23.
    const on = (calendar: HolidayCalendar) => computeDeadlines(facts({ knowledgeDate: '2025-03-22', today: '2025-05-23', calendar })).deadlines[0]!;
    assert.equal(on('martinique').status, 'passed');
    assert.match(on('martinique').caveat ?? '', /prorogé jusqu’au vendredi 23 mai 2025/);
    assert.equal(on('national').status, 'passed');
    assert.equal(on('national').caveat, null);
  });

  it('an agent whose status is unknown: the local holiday makes the step only possibly late', () => {
    const report = computeDeadlines(facts({ employmentStatus: 'unknown', knowledgeDate: '2024-10-20', events: [convocation('2024-12-23')], today: '2025-01-10', calendar: 'reunion' }));
    assert.equal(report.deadlines[0]?.status, 'unconfirmed');
    assert.match(report.unconfirmedSteps[0] ?? '', /pourrait être tardive, car le .* a pris fin le vendredi 20 décembre 2024, jour férié \(Abolition de l’esclavage\) ; la question de savoir si ce délai est prorogé jusqu’au lundi 23 décembre 2024/);
    const mainland = computeDeadlines(facts({ employmentStatus: 'unknown', knowledgeDate: '2024-10-20', events: [convocation('2024-12-23')], today: '2025-01-10' }));
    assert.match(mainland.unconfirmedSteps[0] ?? '', /serait tardive, car le .* a pris fin le 20 décembre 2024 ;/);
  });

  it('one month after the hearing: ends on 20 December 2024, a holiday in La Réunion only', () => {
    // Hearing Wednesday 20 November 2024; the month ends Friday 20 December; sanction Monday 23.
    const events = [convocation('2024-11-12', '2024-11-20'), sanction('2024-12-23')];
    const at = (calendar?: HolidayCalendar) => computeDeadlines(facts({ knowledgeDate: '2024-11-01', events, today: '2025-01-10', calendar })).deadlines.find((x) => x.code === 'sanction_notification')!;
    assert.equal(at('reunion').status, 'doubtful');
    assert.equal(at('national').status, 'missed');
    assert.equal(at().status, 'missed', 'national by default');
  });

  it('the earliest notification date in the explanation is the agent’s own', () => {
    // Hearing Thursday 19 December 2024, sanction Monday 23: in time on the mainland (from Sunday 22),
    // too early in La Réunion (not before Tuesday 24).
    const events = [convocation('2024-12-10', '2024-12-19'), sanction('2024-12-23')];
    const reunion = computeDeadlines(facts({ knowledgeDate: '2024-12-01', events, today: '2024-12-30', calendar: 'reunion' }));
    const r = reunion.deadlines.find((x) => x.code === 'sanction_notification')!;
    assert.match(r.explanation, /pas avant le 24 décembre 2024/);
    assert.equal(r.status, 'missed');
    assert.deepEqual(reunion.lateSteps, [
      'La sanction (blâme) a été notifiée le 23 décembre 2024, moins de deux jours ouvrables pleins après l’entretien préalable du 19 décembre 2024, alors qu’elle ne pouvait l’être avant le 24 décembre 2024.',
    ]);
    const paris = computeDeadlines(facts({ knowledgeDate: '2024-12-01', events, today: '2024-12-30', calendar: 'national' })).deadlines.find((x) => x.code === 'sanction_notification')!;
    assert.match(paris.explanation, /pas avant le 22 décembre 2024/);
    assert.equal(paris.status, 'met');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ArgumentFacts, type Condition, conditionSchema, evaluate, selectArguments } from '../../src/domain/argument-conditions';

const BASE: ArgumentFacts = {
  situations: ['odd_hours'],
  oddHoursConsultations: 3,
  consultationsWithoutActing: 2,
  explanations: ['answering_user'],
  campaignExcludesSanctions: true,
  commitmentStatus: 'respected',
  disciplinaryStep: false,
  lateDisciplinaryStep: false,
  employmentStatus: 'private',
  trainingReceived: 'unknown',
  hasAgentAccount: false,
  campaignFigures: true,
  interviewTone: 'kind',
  reportOutcome: 'legitimate',
};

describe('argument conditions', () => {
  const table: Array<[string, Condition, Partial<ArgumentFacts>, boolean]> = [
    ['always', { always: true }, {}, true],
    ['situations: one of', { situations: ['political_figure', 'odd_hours'] }, {}, true],
    ['situations: none of', { situations: ['political_figure'] }, {}, false],
    ['odd hours reached', { oddHoursConsultations: { min: 3 } }, {}, true],
    ['odd hours not reached', { oddHoursConsultations: { min: 4 } }, {}, false],
    ['odd hours: none', { oddHoursConsultations: { min: 1 } }, { oddHoursConsultations: 0 }, false],
    ['consulted without acting', { consultationsWithoutActing: { min: 1 } }, {}, true],
    ['consulted without acting: none', { consultationsWithoutActing: { min: 1 } }, { consultationsWithoutActing: 0 }, false],
    ['explanations: match', { explanations: ['own_file', 'answering_user'] }, {}, true],
    ['explanations: no match', { explanations: ['relative'] }, {}, false],
    ['campaign excludes sanctions', { campaignExcludesSanctions: true }, {}, true],
    ['campaign without commitment', { campaignExcludesSanctions: true }, { campaignExcludesSanctions: false }, false],
    ['commitment status', { commitmentStatus: ['breached'] }, { commitmentStatus: 'breached' }, true],
    ['commitment status: other', { commitmentStatus: ['breached'] }, {}, false],
    ['disciplinary step', { disciplinaryStep: true }, { disciplinaryStep: true }, true],
    ['no disciplinary step', { disciplinaryStep: true }, {}, false],
    ['late step', { lateDisciplinaryStep: true }, { lateDisciplinaryStep: true }, true],
    ['employment status', { employmentStatus: ['public'] }, { employmentStatus: 'public' }, true],
    ['employment status: other', { employmentStatus: ['public'] }, {}, false],
    ['training: no', { trainingReceived: ['no'] }, { trainingReceived: 'no' }, true],
    ['training: unknown is not no', { trainingReceived: ['no'] }, {}, false],
    ['agent account present', { hasAgentAccount: true }, { hasAgentAccount: true }, true],
    ['agent account absent', { hasAgentAccount: true }, {}, false],
    ['campaign figures', { campaignFigures: true }, {}, true],
    ['no campaign figures', { campaignFigures: true }, { campaignFigures: false }, false],
    ['tone', { interviewTone: ['pressure'] }, { interviewTone: 'pressure' }, true],
    ['tone unknown never matches', { interviewTone: ['pressure', 'kind', 'neutral'] }, { interviewTone: null }, false],
    ['report outcome', { reportOutcome: ['illegitimate'] }, { reportOutcome: 'illegitimate' }, true],
    ['report outcome unknown never matches', { reportOutcome: ['illegitimate'] }, { reportOutcome: null }, false],
    ['all: every one', { all: [{ situations: ['odd_hours'] }, { campaignFigures: true }] }, {}, true],
    ['all: one fails', { all: [{ situations: ['odd_hours'] }, { disciplinaryStep: true }] }, {}, false],
    ['any: one holds', { any: [{ situations: ['political_figure'] }, { campaignFigures: true }] }, {}, true],
    ['any: none holds', { any: [{ situations: ['political_figure'] }, { disciplinaryStep: true }] }, {}, false],
    ['not', { not: { disciplinaryStep: true } }, {}, true],
    ['nested', { all: [{ not: { employmentStatus: ['public'] } }, { any: [{ disciplinaryStep: true }, { commitmentStatus: ['at_risk'] }] }] }, { commitmentStatus: 'at_risk' }, true],
  ];
  for (const [name, condition, facts, expected] of table) {
    it(name, () => {
      assert.equal(conditionSchema.parse(condition) !== undefined, true);
      assert.equal(evaluate(condition, { ...BASE, ...facts }), expected);
    });
  }

  it('refuses conditions a file could get wrong', () => {
    assert.equal(conditionSchema.safeParse({ situation: ['odd_hours'] }).success, false, 'unknown predicate');
    assert.equal(conditionSchema.safeParse({ situations: ['odd-hours'] }).success, false, 'unknown situation');
    assert.equal(conditionSchema.safeParse({ oddHoursConsultations: { min: 0 } }).success, false, 'a minimum of zero always holds');
    assert.equal(conditionSchema.safeParse({ all: [] }).success, false, 'empty all');
    assert.equal(conditionSchema.safeParse({ always: true, situations: ['odd_hours'] }).success, false, 'two predicates in one');
  });
});

describe('selectArguments', () => {
  const library = [
    { id: 'b', title: 'B', order: 20, when: { always: true } as Condition, reason: 'toujours' },
    { id: 'a', title: 'A', order: 10, when: { situations: ['odd_hours'] } as Condition, reason: 'horaires' },
    { id: 'c', title: 'C', order: 5, when: { disciplinaryStep: true } as Condition, reason: 'procédure' },
    { id: 'd', title: 'D', order: 20, when: { always: true } as Condition, reason: 'toujours aussi' },
  ];

  it('keeps what applies, in the library order, each with its reason', () => {
    const selected = selectArguments(library, BASE);
    assert.deepEqual(selected.map((s) => s.argument.id), ['a', 'b', 'd']);
    assert.deepEqual(selected.map((s) => s.reason), ['horaires', 'toujours', 'toujours aussi']);
  });

  it('adds the procedure argument when a disciplinary step was taken', () => {
    assert.deepEqual(selectArguments(library, { ...BASE, disciplinaryStep: true }).map((s) => s.argument.id), ['c', 'a', 'b', 'd']);
  });
});

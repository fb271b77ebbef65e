import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ArgumentFacts, type Condition, conditionSchema, evaluate, explainFailure, selectArguments } from '../../src/domain/argument-conditions';

const BASE: ArgumentFacts = {
  situations: ['odd_hours'],
  oddHoursConsultations: 3,
  oddHoursWithinDeclaredHours: 1,
  oddHoursNotWithinDeclaredHours: 2,
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
  campaignRates: true,
  hierarchyInformed: 'unknown',
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
    ['odd hours within declared hours reached', { oddHoursWithinDeclaredHours: { min: 1 } }, {}, true],
    ['odd hours within declared hours not reached', { oddHoursWithinDeclaredHours: { min: 2 } }, {}, false],
    ['odd hours within declared hours: none', { oddHoursWithinDeclaredHours: { min: 1 } }, { oddHoursWithinDeclaredHours: 0 }, false],
    ['odd hours not within declared hours reached', { oddHoursNotWithinDeclaredHours: { min: 2 } }, {}, true],
    ['odd hours not within declared hours not reached', { oddHoursNotWithinDeclaredHours: { min: 3 } }, {}, false],
    ['odd hours not within declared hours: none', { oddHoursNotWithinDeclaredHours: { min: 1 } }, { oddHoursNotWithinDeclaredHours: 0 }, false],
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
    ['campaign rates', { campaignRates: true }, {}, true],
    ['campaign figures without a rate', { campaignRates: true }, { campaignRates: false }, false],
    ['campaign without a rate, asked for', { campaignRates: false }, { campaignRates: false }, true],
    ['hierarchy informed', { hierarchyInformed: ['yes'] }, { hierarchyInformed: 'yes' }, true],
    ['hierarchy informed: unknown is not yes', { hierarchyInformed: ['yes'] }, {}, false],
    ['hierarchy not informed', { hierarchyInformed: ['no'] }, { hierarchyInformed: 'no' }, true],
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
    assert.equal(conditionSchema.safeParse({ oddHoursWithinDeclaredHours: { min: 0 } }).success, false, 'a minimum of zero within declared hours always holds');
    assert.equal(conditionSchema.safeParse({ oddHoursNotWithinDeclaredHours: { min: 0 } }).success, false, 'a minimum of zero outside declared hours always holds');
    assert.equal(conditionSchema.safeParse({ campaignRates: 'yes' }).success, false, 'campaignRates is a boolean');
    assert.equal(conditionSchema.safeParse({ hierarchyInformed: ['maybe'] }).success, false, 'unknown hierarchy answer');
    assert.equal(conditionSchema.safeParse({ hierarchyInformed: [] }).success, false, 'no hierarchy answer');
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

describe('explainFailure: why an argument was not ticked, one sentence per missing fact', () => {
  it('says nothing when the condition holds', () => {
    assert.deepEqual(explainFailure({ always: true }, BASE), []);
    assert.deepEqual(explainFailure({ situations: ['odd_hours'] }, BASE), []);
    assert.deepEqual(explainFailure({ all: [{ campaignFigures: true }, { not: { disciplinaryStep: true } }] }, BASE), []);
  });

  const table: Array<[string, Condition, Partial<ArgumentFacts>, Array<string | RegExp>]> = [
    ['situations', { situations: ['political_figure'] }, {}, ['Aucune de ces situations n’est cochée dans le dossier : « Dossier d’une personnalité politique ».']],
    [
      'situations: several, each named',
      { situations: ['agent_ex_job_seeker', 'other_conflict'] },
      {},
      ['Aucune de ces situations n’est cochée dans le dossier : « Dossier d’un·e agent FT ex-demandeur·se d’emploi » ou « Autre situation de conflit d’intérêts ».'],
    ],
    ['odd hours: none', { oddHoursConsultations: { min: 1 } }, { oddHoursConsultations: 0 }, ['Aucune consultation entre 20 h et 5 h, le week-end ou un jour férié n’est enregistrée.']],
    ['odd hours: fewer than the minimum, which is named', { oddHoursConsultations: { min: 4 } }, {}, ['Moins de 4 consultations entre 20 h et 5 h, le week-end ou un jour férié sont enregistrées.']],
    [
      'odd hours within declared hours',
      { oddHoursWithinDeclaredHours: { min: 1 } },
      { oddHoursWithinDeclaredHours: 0 },
      ['Aucune consultation « hors normes » ne se situe pendant les horaires de travail déclarés de l’agent (ou ces horaires ne sont pas renseignés).'],
    ],
    [
      'odd hours outside declared hours',
      { oddHoursNotWithinDeclaredHours: { min: 1 } },
      { oddHoursNotWithinDeclaredHours: 0 },
      ['Aucune consultation « hors normes » faite pour le travail (ni le dossier de l’agent, ni celui d’un·e proche) en dehors des horaires de travail déclarés de l’agent n’est enregistrée.'],
    ],
    ['consulted without acting', { consultationsWithoutActing: { min: 1 } }, { consultationsWithoutActing: 0 }, ['Aucune consultation seule, sans intervention sur le dossier, n’est enregistrée.']],
    ['explanations', { explanations: ['own_file', 'relative'] }, {}, ['Aucune consultation n’a pour explication « Son propre dossier » ou « Dossier d’un·e proche ».']],
    ['campaign excludes sanctions', { campaignExcludesSanctions: true }, { campaignExcludesSanctions: false }, ['La campagne ne comporte pas d’engagement de n’engager aucune sanction.']],
    ['campaign without that commitment', { campaignExcludesSanctions: false }, {}, ['La campagne comporte un engagement de n’engager aucune sanction.']],
    ['commitment status', { commitmentStatus: ['at_risk', 'breached'] }, {}, ['L’engagement n’est pas évalué « menacé » ou « rompu » dans ce dossier.']],
    ['disciplinary step', { disciplinaryStep: true }, {}, ['Aucune convocation à un entretien préalable à sanction ni aucune sanction n’est enregistrée.']],
    ['late disciplinary step', { lateDisciplinaryStep: true }, {}, ['Aucune étape disciplinaire prise hors délai n’est relevée.']],
    ['employment status', { employmentStatus: ['public'] }, {}, ['Le statut de l’agent n’est pas « Agent de droit public (décret 2003-1370) ».']],
    ['training', { trainingReceived: ['no'] }, {}, ['La réponse sur la formation reçue n’est pas « Non, aucune formation reçue ».']],
    ['agent’s account', { hasAgentAccount: true }, {}, ['Le récit de l’agent n’est pas renseigné dans le dossier.']],
    ['campaign figures', { campaignFigures: true }, { campaignFigures: false }, ['La campagne ne comporte aucun chiffre de la direction.']],
    ['campaign rates', { campaignRates: true }, { campaignRates: false }, [/^La campagne ne comporte aucun taux de la direction .*: de simples effectifs ne suffisent pas\.$/]],
    ['hierarchy informed', { hierarchyInformed: ['yes'] }, {}, ['La réponse à « hiérarchie informée au préalable » n’est pas « Oui ».']],
    ['interview tone', { interviewTone: ['pressure'] }, {}, ['L’entretien n’est pas rapporté comme « Pressions ou menaces ».']],
    ['interview tone not recorded', { interviewTone: ['pressure'] }, { interviewTone: null }, ['L’entretien n’est pas rapporté comme « Pressions ou menaces ».']],
    ['report outcome', { reportOutcome: ['illegitimate'] }, {}, ['La conclusion du compte rendu n’est pas « Consultation illégitime ».']],
    [
      'all: only the parts that fail, in order',
      { all: [{ situations: ['odd_hours'] }, { disciplinaryStep: true }, { campaignFigures: true }, { hasAgentAccount: true }] },
      {},
      ['Aucune convocation à un entretien préalable à sanction ni aucune sanction n’est enregistrée.', 'Le récit de l’agent n’est pas renseigné dans le dossier.'],
    ],
    [
      'any: every branch, since none holds',
      { any: [{ situations: ['political_figure'] }, { reportOutcome: ['illegitimate'] }] },
      {},
      ['Aucune de ces situations n’est cochée dans le dossier : « Dossier d’une personnalité politique ».', 'La conclusion du compte rendu n’est pas « Consultation illégitime ».'],
    ],
    ['not: the employment status present rules it out', { not: { employmentStatus: ['private'] } }, {}, ['Le statut de l’agent (« Salarié·e de droit privé (CCN) ») l’écarte.']],
    ['not: the situation present rules it out', { not: { situations: ['odd_hours', 'political_figure'] } }, {}, ['La situation signalée « Consultations répétées à des horaires hors normes » ou « Dossier d’une personnalité politique » l’écarte.']],
    ['not: the explanation present rules it out', { not: { explanations: ['answering_user'] } }, {}, ['Une consultation a pour explication « Pour répondre à un usager » : cet argument ne lui convient pas.']],
    ['not: any other fact present', { not: { campaignFigures: true } }, {}, ['Un fait enregistré dans le dossier écarte cet argument.']],
    ['not of not: the fact is missing again', { not: { not: { disciplinaryStep: true } } }, {}, ['Aucune convocation à un entretien préalable à sanction ni aucune sanction n’est enregistrée.']],
    [
      'not of any: only the branches that hold',
      { not: { any: [{ employmentStatus: ['public'] }, { explanations: ['answering_user'] }] } },
      {},
      ['Une consultation a pour explication « Pour répondre à un usager » : cet argument ne lui convient pas.'],
    ],
    [
      'not of all: every part, since all hold',
      { not: { all: [{ situations: ['odd_hours'] }, { employmentStatus: ['private'] }] } },
      {},
      ['La situation signalée « Consultations répétées à des horaires hors normes » l’écarte.', 'Le statut de l’agent (« Salarié·e de droit privé (CCN) ») l’écarte.'],
    ],
    [
      'the same missing fact is said once',
      { any: [{ disciplinaryStep: true }, { all: [{ disciplinaryStep: true }, { hasAgentAccount: true }] }] },
      {},
      ['Aucune convocation à un entretien préalable à sanction ni aucune sanction n’est enregistrée.', 'Le récit de l’agent n’est pas renseigné dans le dossier.'],
    ],
    [
      'nested, as the public-service argument: own file, no service explanation',
      { any: [{ explanations: ['answering_user', 'service_task', 'colleague_asked'] }, { all: [{ consultationsWithoutActing: { min: 1 } }, { not: { explanations: ['own_file', 'relative'] } }] }] },
      { explanations: ['own_file'] },
      [
        'Aucune consultation n’a pour explication « Pour répondre à un usager » ou « Pour une tâche du service » ou « À la demande d’un·e collègue ».',
        'Une consultation a pour explication « Son propre dossier » ou « Dossier d’un·e proche » : cet argument ne lui convient pas.',
      ],
    ],
  ];
  for (const [name, condition, facts, expected] of table) {
    it(name, () => {
      const all = { ...BASE, ...facts };
      assert.equal(evaluate(conditionSchema.parse(condition), all), false, 'the condition fails for these facts');
      const sentences = explainFailure(condition, all);
      assert.equal(sentences.length, expected.length, sentences.join(' | '));
      expected.forEach((e, i) => (typeof e === 'string' ? assert.equal(sentences[i], e) : assert.match(sentences[i]!, e)));
      for (const s of sentences) assert.match(s, /^\p{Lu}.*\.$/u, `a full sentence: ${s}`);
    });
  }
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadArgumentLibrary, loadLegalReferences } from '../../src/briefs/argument-library';
import { argumentFacts, briefContext } from '../../src/briefs/brief-context';
import type { CaseDetail } from '../../src/cases/cases.types';
import { selectArguments } from '../../src/domain/argument-conditions';
import { TODAY, WAVE_1, WAVE_2, assess, caseDetail, consultation, event } from '../fixtures/case-fixtures';

const library = loadArgumentLibrary();
const references = loadLegalReferences();

function select(detail: CaseDetail, campaign = WAVE_2) {
  return selectArguments(library, argumentFacts(detail, assess(detail, campaign), campaign)).map((s) => s.argument.id);
}

function contextOf(detail: CaseDetail, campaign = WAVE_2) {
  return briefContext(detail, assess(detail, campaign), campaign, { regionName: 'Hauts-de-France', repName: 'Sophie Lemaire', today: TODAY });
}

function render(detail: CaseDetail, campaign = WAVE_2) {
  const context = contextOf(detail, campaign);
  return new Map(library.map((a) => [a.id, a.body(context)]));
}

/** The few lines each argument gives a letter or the agent's sheet. */
function renderSummaries(detail: CaseDetail, campaign = WAVE_2) {
  const context = contextOf(detail, campaign);
  return new Map(library.map((a) => [a.id, a.summary(context)]));
}

/** A campaign whose figures are only these (headcounts, rates, for some region or the country). */
const withFigures = (figures: typeof WAVE_2.figures, falsePositivesStatement = ''): typeof WAVE_2 => ({ ...WAVE_2, figures, falsePositivesStatement });
const headcountsOnly = withFigures(WAVE_2.figures.filter((f) => f.metric === 'agents_concerned' || f.metric === 'cases_identified'));
/** Saturday 18 May 2024, 10:00 in Paris: flagged (a week-end) yet within the hours of an agent who works on Saturdays. */
const SATURDAY_MORNING = '2024-05-18T08:00:00Z';
const worksSaturdays = { workDays: [2, 3, 4, 5, 6], workStart: '08:30', workEnd: '17:00' };

const sanctioned = (kind: 'blame' | 'avertissement' = 'blame') => [
  event({ type: 'pre_disciplinary_convocation', date: '2024-10-01', hearingDate: '2024-10-10' }),
  event({ type: 'sanction_notified', date: '2024-10-20', sanctionKind: kind }),
];

describe('argument library (templates/arguments)', () => {
  it('loads every argument with a unique id, a reason, a summary and only citable references', () => {
    assert.ok(library.length >= 8);
    assert.equal(new Set(library.map((a) => a.id)).size, library.length);
    for (const a of library) {
      assert.ok(a.reason.length > 10, `${a.id} explains why it applies`);
      assert.equal(typeof a.summary, 'function', `${a.id} has a summary for letters and sheets`);
      for (const ref of a.citations) {
        assert.notEqual(ref.mark, 'N', `${a.id} cites ${ref.id}, which is not verified`);
        assert.ok(ref.cues.length > 0, `${a.id} cites ${ref.id}, which has no cue to find it in a printed paragraph`);
      }
    }
  });

  it('has the arguments the product asks for', () => {
    for (const id of ['right_to_disconnect', 'declared_working_hours', 'public_service_mission', 'duty_to_train', 'conflict_of_interest_not_misconduct', 'experiment_commitment', 'false_positives', 'procedure_and_time_limits', 'agents_account']) {
      assert.ok(library.some((a) => a.id === id), `missing ${id}`);
    }
  });

  it('keeps unverified references out of reach: every N entry exists but none is cited', () => {
    const unverified = [...references.values()].filter((r) => r.mark === 'N');
    assert.ok(unverified.length > 0, 'the N entries are listed so they can be refused');
    const cited = new Set(library.flatMap((a) => a.citations.map((c) => c.id)));
    for (const ref of unverified) assert.equal(cited.has(ref.id), false);
  });

  const triggers: Array<{ id: string; must: Array<[string, CaseDetail, typeof WAVE_2?]>; mustNot: Array<[string, CaseDetail, typeof WAVE_2?]> }> = [
    {
      id: 'right_to_disconnect',
      must: [
        ['odd-hours situation', caseDetail({ situations: ['odd_hours'] })],
        ['a night consultation in another situation', caseDetail({ situations: ['political_figure'] })],
        ['a flagged consultation, the agent’s hours not stated', caseDetail({ situations: ['political_figure'], agent: { workDays: [] }, consultations: [consultation(SATURDAY_MORNING)] })],
        ['odd-hours situation without any consultation recorded', caseDetail({ situations: ['odd_hours'], consultations: [] })],
        ['one flagged consultation within declared hours, another outside', caseDetail({ agent: worksSaturdays, consultations: [consultation(SATURDAY_MORNING), consultation('2024-05-14T19:15:00Z')] })],
      ],
      mustNot: [
        ['daytime consultations only, other situation', caseDetail({ situations: ['political_figure'], consultations: [consultation('2024-05-15T08:00:00Z')] })],
        ['odd-hours situation, every flagged consultation within declared hours', caseDetail({ situations: ['odd_hours'], agent: worksSaturdays, consultations: [consultation(SATURDAY_MORNING), consultation('2024-05-15T08:00:00Z')] })],
      ],
    },
    {
      id: 'declared_working_hours',
      must: [
        ['a Saturday consultation for an agent who works on Saturdays', caseDetail({ agent: worksSaturdays, consultations: [consultation(SATURDAY_MORNING)] })],
        ['one within declared hours among others outside', caseDetail({ agent: worksSaturdays, consultations: [consultation(SATURDAY_MORNING), consultation('2024-05-14T19:15:00Z')] })],
      ],
      mustNot: [
        ['flagged consultations outside declared hours', caseDetail()],
        ['a daytime consultation within declared hours is not flagged', caseDetail({ consultations: [consultation('2024-05-15T08:00:00Z')] })],
        ['the agent’s hours not stated', caseDetail({ agent: { workDays: [] }, consultations: [consultation(SATURDAY_MORNING)] })],
      ],
    },
    {
      id: 'public_service_mission',
      must: [['consulted without acting, to answer a user', caseDetail()], ['a colleague asked', caseDetail({ situations: ['political_figure'], consultations: [consultation('2024-05-15T08:00:00Z', 'modified', 'colleague_asked')] })]],
      mustNot: [['every consultation modified the file', caseDetail({ consultations: [consultation('2024-05-15T08:00:00Z', 'modified', 'own_file')] })]],
    },
    {
      id: 'duty_to_train',
      must: [['any case', caseDetail()], ['no training stated', caseDetail({ trainingReceived: 'no' })]],
      mustNot: [],
    },
    {
      id: 'conflict_of_interest_not_misconduct',
      must: [
        ['agent ex job seeker', caseDetail({ situations: ['agent_ex_job_seeker'] })],
        ['own file', caseDetail({ situations: ['political_figure'], consultations: [consultation('2024-05-15T08:00:00Z', 'consulted', 'own_file')] })],
        ['a relative’s file', caseDetail({ situations: ['political_figure'], consultations: [consultation('2024-05-15T08:00:00Z', 'consulted', 'relative')] })],
      ],
      mustNot: [
        ['political figure consulted for a user', caseDetail({ situations: ['political_figure'] })],
        ['a colleague asked (a service reason)', caseDetail({ situations: ['political_figure'], consultations: [consultation('2024-05-15T08:00:00Z', 'consulted', 'colleague_asked')] })],
      ],
    },
    {
      id: 'experiment_commitment',
      must: [['wave 2', caseDetail()], ['wave 2 breached', caseDetail({ events: sanctioned() })]],
      mustNot: [['wave 1 has no commitment', caseDetail(), WAVE_1]],
    },
    {
      id: 'false_positives',
      must: [
        ['campaign with a national rate', caseDetail()],
        ['a rate for the agent’s own region', caseDetail(), withFigures([{ scope: 'HDF', metric: 'share_legitimate_local', situationCode: '', value: 62, source: 'tract' }])],
      ],
      mustNot: [
        ['campaign without figures', caseDetail(), WAVE_1],
        ['headcounts only, no rate', caseDetail(), headcountsOnly],
        ['a rate for another region only', caseDetail(), withFigures([{ scope: 'IDF', metric: 'share_legitimate_local', situationCode: '', value: 62, source: 'tract' }])],
      ],
    },
    {
      id: 'procedure_and_time_limits',
      must: [['sanction notified', caseDetail({ events: sanctioned() })], ['pre-disciplinary convocation only', caseDetail({ events: [event({ type: 'pre_disciplinary_convocation', date: '2024-10-01' })] })]],
      mustNot: [['no disciplinary step', caseDetail()]],
    },
    {
      id: 'agents_account',
      must: [['the rep wrote the account', caseDetail({ agentAccount: 'Je répondais à une usagère au téléphone.' })]],
      mustNot: [['no account', caseDetail()]],
    },
  ];

  for (const t of triggers) {
    describe(t.id, () => {
      for (const [name, detail, campaign] of t.must) it(`applies: ${name}`, () => assert.ok(select(detail, campaign).includes(t.id)));
      for (const [name, detail, campaign] of t.mustNot) it(`does not apply: ${name}`, () => assert.equal(select(detail, campaign).includes(t.id), false));
    });
  }

  it('orders the selection by the library order', () => {
    const ids = select(caseDetail({ events: sanctioned(), agentAccount: 'x', situations: ['odd_hours', 'agent_ex_job_seeker'] }));
    const orders = ids.map((id) => library.find((a) => a.id === id)!.order);
    assert.deepEqual(orders, [...orders].sort((a, b) => a - b));
  });
});

describe('argument texts filled from the facts', () => {
  const cases: Array<[string, CaseDetail, typeof WAVE_2?]> = [
    ['no dates at all', caseDetail({ knowledgeDate: null, convocationDate: null, interviewDate: null, reportOutcome: null, interviewTone: null })],
    ['a single consultation', caseDetail({ consultations: [consultation('2024-05-14T21:00:00Z')] })],
    ['200 consultations', caseDetail({ consultations: Array.from({ length: 200 }, (_, i) => consultation(`2024-05-${String((i % 28) + 1).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:10:00Z`)) })],
    ['a public agent sanctioned', caseDetail({ agent: { employmentStatus: 'public' }, events: sanctioned('avertissement') })],
    ['a private agent sanctioned late', caseDetail({ events: sanctioned() })],
    ['wave 1 without figures', caseDetail(), WAVE_1],
    ['no consultation', caseDetail({ consultations: [] })],
  ];
  for (const [name, detail, campaign] of cases) {
    it(`reads well: ${name}`, () => {
      const summaries = renderSummaries(detail, campaign);
      for (const [id, text] of render(detail, campaign)) {
        const summary = summaries.get(id)!;
        for (const [what, t] of [['text', text], ['summary', summary]] as const) {
          assert.ok(t.length > 40, `${id}'s ${what} is not empty`);
          assert.doesNotMatch(t, /undefined|\[object Object\]|NaN|\{\{|\}\}/, `${id}'s ${what} has no template leftovers`);
          assert.doesNotMatch(t, /\n{3,}/, `${id}'s ${what} has no empty gaps`);
          assert.doesNotMatch(t, /'/, `${id}'s ${what} uses the typographic apostrophe`);
        }
        assert.doesNotMatch(summary, /\n\n/, `${id}'s summary is one paragraph`);
        assert.ok(summary.length <= 700, `${id}'s summary is a few lines (${summary.length} characters)`);
      }
    });
  }

  it('uses the case’s own off-hours counts', () => {
    const detail = caseDetail({ consultations: [consultation('2024-05-14T19:15:00Z'), consultation('2024-05-14T20:15:00Z'), consultation('2024-05-15T08:00:00Z')] });
    const text = render(detail).get('right_to_disconnect')!;
    assert.match(text, /^Sur les 3 consultations relevées, 2 ont eu lieu à un horaire «\u202Fhors normes\u202F» au sens de la direction \(entre 20 h et 5 h, et le week-end\), à l’heure locale de l’agent \(heure de Paris\)\./);
    assert.match(text, /Ces 2 consultations «\u202Fhors normes\u202F» se situent toutes deux en dehors des horaires de travail déclarés de l’agent\./);
    assert.match(renderSummaries(detail).get('right_to_disconnect')!, /^Parmi les consultations relevées, 2 ont eu lieu la nuit \(heure de Paris\), en dehors des horaires de travail de l’agent\./);
  });

  it('counts within declared hours only the flagged consultations, and argues the agent’s normal hours for them', () => {
    // A Saturday 10:00 (flagged, within the hours of an agent who works on Saturdays), a Tuesday
    // 21:15 (flagged, outside) and a Wednesday 10:00 (not flagged: it says nothing either way).
    const detail = caseDetail({ agent: worksSaturdays, consultations: [consultation(SATURDAY_MORNING), consultation('2024-05-14T19:15:00Z'), consultation('2024-05-15T08:00:00Z')] });
    const disconnect = render(detail).get('right_to_disconnect')!;
    assert.match(disconnect, /Parmi ces 2 consultations «\u202Fhors normes\u202F», 1 se situe pendant les horaires de travail déclarés de l’agent\./);
    assert.match(renderSummaries(detail).get('right_to_disconnect')!, /^Une consultation relevée a eu lieu la nuit \(heure de Paris\), en dehors des horaires de travail de l’agent\./);
    const declared = render(detail).get('declared_working_hours')!;
    assert.match(declared, /^Parmi les 2 consultations relevées comme «\u202Fhors normes\u202F» \(heure de Paris\), 1 a eu lieu pendant les horaires de travail déclarés de l’agent/);
    assert.doesNotMatch(declared, /Toutes les consultations/);

    const allWithin = caseDetail({ agent: worksSaturdays, consultations: [consultation(SATURDAY_MORNING), consultation('2024-05-15T08:00:00Z')] });
    assert.match(render(allWithin).get('declared_working_hours')!, /^Toutes les consultations relevées comme «\u202Fhors normes\u202F» \(1 sur 2, heure de Paris\) ont eu lieu pendant les horaires de travail déclarés de l’agent/);
    assert.match(renderSummaries(allWithin).get('declared_working_hours')!, /^Toutes les consultations relevées comme «\u202Fhors normes\u202F» \(heure de Paris\) ont eu lieu pendant les horaires de travail déclarés de l’agent\u202F: ce sont ses horaires normaux de travail/);
  });

  it('presents a public holiday as Vigie’s own observation, not the direction’s definition', () => {
    // Wednesday 1 May 2024, 10:00 in Paris: a holiday, neither at night nor on a week-end.
    const text = render(caseDetail({ consultations: [consultation('2024-05-01T08:00:00Z'), consultation('2024-05-14T19:15:00Z')] })).get('right_to_disconnect')!;
    assert.match(text, /Sur les 2 consultations relevées, 1 a eu lieu à un horaire «\u202Fhors normes\u202F» au sens de la direction \(entre 20 h et 5 h, et le week-end\), à l’heure locale de l’agent \(heure de Paris\)\./);
    assert.match(text, /Par ailleurs, une autre a eu lieu un jour férié, ce que nous relevons en plus\u202F: la définition de la direction ne vise pas les jours fériés\./);
    assert.doesNotMatch(text, /\(entre 20 h et 5 h[^)]*férié/, 'holidays are not in the direction’s definition');
  });

  it('speaks of the agent’s own file only for an own-file consultation, and never says art. 15 authorises consulting it', () => {
    const own = render(caseDetail({ situations: ['agent_ex_job_seeker'], consultations: [consultation('2024-05-15T08:00:00Z', 'consulted', 'own_file')] })).get('conflict_of_interest_not_misconduct')!;
    assert.match(own, /S’agissant de son propre dossier, Élodie Martin n’y a consulté que ses propres données\./);
    assert.match(own, /quelle voie d’accès à leurs propres données elle attend d’eux/);
    assert.doesNotMatch(own, /article 15[^.]*(autorise|permet)/, 'art. 15 is a right to ask the controller');
    const relative = render(caseDetail({ situations: ['agent_ex_job_seeker'], consultations: [consultation('2024-05-15T08:00:00Z', 'consulted', 'relative')] })).get('conflict_of_interest_not_misconduct')!;
    assert.doesNotMatch(relative, /propre dossier|propres données|article 15/);
    assert.match(relative, /S’agissant du dossier d’un·e proche, la question est celle de la transparence envers la hiérarchie/);
    assert.doesNotMatch(relative, /consulter n.est pas intervenir/i);
  });

  it('says the hierarchy was informed, and when, only when it was', () => {
    const consultations = [consultation('2024-05-15T08:00:00Z', 'consulted', 'relative')];
    const informed = render(caseDetail({ situations: ['agent_ex_job_seeker'], consultations, hierarchyInformed: 'yes', hierarchyInformedDate: '2024-03-04' })).get('conflict_of_interest_not_misconduct')!;
    assert.match(informed, /Élodie Martin avait informé sa hiérarchie le 4 mars 2024, en toute transparence/);
    assert.match(informed, /la hiérarchie en avait été informée/);
    for (const answer of ['no', 'unknown'] as const) {
      const text = render(caseDetail({ situations: ['agent_ex_job_seeker'], consultations, hierarchyInformed: answer })).get('conflict_of_interest_not_misconduct')!;
      assert.doesNotMatch(text, /avait informé sa hiérarchie|en avait été informée/, `hierarchy informed: ${answer}`);
    }
  });

  it('introduces only the direction’s quoted words as its own terms', () => {
    const text = render(caseDetail()).get('experiment_commitment')!;
    assert.match(text, /Les documents de la CGT rapportent en ces termes l’engagement pris à ce titre\u202F: «\u202FComme il s’agit d’une expérimentation/);
    assert.ok(text.includes(`La direction a précisé, dans ses propres termes\u202F: «\u202F${WAVE_2.commitmentQuote}\u202F»`), text);
    const withoutQuote = render(caseDetail(), { ...WAVE_2, commitmentQuote: '' }).get('experiment_commitment')!;
    assert.doesNotMatch(withoutQuote, /dans ses propres termes/);
  });

  it('states the breach with its date when the commitment is broken', () => {
    const text = render(caseDetail({ events: sanctioned() })).get('experiment_commitment')!;
    assert.match(text, /20 octobre 2024/);
  });

  it('computes the two-month limit for a private-law agent and never for a public one', () => {
    const privateText = render(caseDetail({ events: sanctioned() })).get('procedure_and_time_limits')!;
    assert.match(privateText, /1er septembre 2024/);
    const publicText = render(caseDetail({ agent: { employmentStatus: 'public' }, events: sanctioned() })).get('procedure_and_time_limits')!;
    assert.doesNotMatch(publicText, /1er septembre 2024/);
    assert.match(publicText, /2003-1370/);
  });

  it('quotes the direction’s figures from the campaign, not from the text', () => {
    const text = render(caseDetail()).get('false_positives')!;
    assert.match(text, /10\s%/);
    const national = render(caseDetail(), withFigures([{ scope: 'national', metric: 'share_real_misuse', situationCode: '', value: 12.5, source: 'CSEC' }])).get('false_positives')!;
    assert.match(national, /La direction estime elle-même à 12,5\s% la part des situations de détournement de finalités réel .*\(au niveau national\)/);
    const regional = render(
      caseDetail(),
      withFigures([
        { scope: 'HDF', metric: 'share_legitimate_local', situationCode: '', value: 62, source: 'tract' },
        { scope: 'IDF', metric: 'share_legitimate_local', situationCode: '', value: 31, source: 'tract' },
      ]),
    ).get('false_positives')!;
    assert.match(regional, /\(dans la région Hauts-de-France\), les managers locaux, qui connaissent le travail réel des agents, ont jugé légitimes 62\s%/);
    assert.doesNotMatch(regional, /31\s%/, 'never another region’s figure');
  });

  it('quotes the direction’s « faux positifs » only when the campaign carries that statement', () => {
    assert.match(render(caseDetail()).get('false_positives')!, /D’après le compte rendu de la CGT, devant le CSEC/);
    const withoutStatement = withFigures([{ scope: 'national', metric: 'share_real_misuse', situationCode: '', value: 10, source: 'CSEC' }]);
    const text = render(caseDetail(), withoutStatement).get('false_positives')!;
    assert.doesNotMatch(text, /faux positifs|compte rendu de la CGT/);
    assert.match(text, /La direction estime elle-même à 10\s% la part/, 'the rate itself is still argued');
  });
});

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

function render(detail: CaseDetail, campaign = WAVE_2) {
  const context = briefContext(detail, assess(detail, campaign), campaign, { regionName: 'Hauts-de-France', repName: 'Sophie Lemaire', today: TODAY });
  return new Map(library.map((a) => [a.id, a.body(context)]));
}

const sanctioned = (kind: 'blame' | 'avertissement' = 'blame') => [
  event({ type: 'pre_disciplinary_convocation', date: '2024-10-01', hearingDate: '2024-10-10' }),
  event({ type: 'sanction_notified', date: '2024-10-20', sanctionKind: kind }),
];

describe('argument library (templates/arguments)', () => {
  it('loads every argument with a unique id, a reason and only citable references', () => {
    assert.ok(library.length >= 8);
    assert.equal(new Set(library.map((a) => a.id)).size, library.length);
    for (const a of library) {
      assert.ok(a.reason.length > 10, `${a.id} explains why it applies`);
      for (const ref of a.citations) assert.notEqual(ref.mark, 'N', `${a.id} cites ${ref.id}, which is not verified`);
    }
  });

  it('has the arguments the product asks for', () => {
    for (const id of ['right_to_disconnect', 'public_service_mission', 'duty_to_train', 'conflict_of_interest_not_misconduct', 'experiment_commitment', 'false_positives', 'procedure_and_time_limits', 'agents_account']) {
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
      must: [['odd-hours situation', caseDetail({ situations: ['odd_hours'] })], ['a night consultation in another situation', caseDetail({ situations: ['political_figure'] })]],
      mustNot: [['daytime consultations only, other situation', caseDetail({ situations: ['political_figure'], consultations: [consultation('2024-05-15T08:00:00Z')] })]],
    },
    {
      id: 'public_service_mission',
      must: [['consulted without acting, to answer a user', caseDetail()]],
      mustNot: [['every consultation modified the file', caseDetail({ consultations: [consultation('2024-05-15T08:00:00Z', 'modified', 'own_file')] })]],
    },
    {
      id: 'duty_to_train',
      must: [['any case', caseDetail()], ['no training stated', caseDetail({ trainingReceived: 'no' })]],
      mustNot: [],
    },
    {
      id: 'conflict_of_interest_not_misconduct',
      must: [['agent ex job seeker', caseDetail({ situations: ['agent_ex_job_seeker'] })], ['own file', caseDetail({ situations: ['political_figure'], consultations: [consultation('2024-05-15T08:00:00Z', 'consulted', 'own_file')] })]],
      mustNot: [['political figure consulted for a user', caseDetail({ situations: ['political_figure'] })]],
    },
    {
      id: 'experiment_commitment',
      must: [['wave 2', caseDetail()], ['wave 2 breached', caseDetail({ events: sanctioned() })]],
      mustNot: [['wave 1 has no commitment', caseDetail(), WAVE_1]],
    },
    {
      id: 'false_positives',
      must: [['campaign with figures', caseDetail()]],
      mustNot: [['campaign without figures', caseDetail(), WAVE_1]],
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
      for (const [id, text] of render(detail, campaign)) {
        assert.ok(text.length > 40, `${id} is not empty`);
        assert.doesNotMatch(text, /undefined|\[object Object\]|NaN|\{\{|\}\}/, `${id} has no template leftovers`);
        assert.doesNotMatch(text, /\n{3,}/, `${id} has no empty gaps`);
      }
    });
  }

  it('uses the case’s own off-hours counts', () => {
    const text = render(caseDetail({ consultations: [consultation('2024-05-14T19:15:00Z'), consultation('2024-05-14T20:15:00Z'), consultation('2024-05-15T08:00:00Z')] })).get('right_to_disconnect')!;
    assert.match(text, /2 sur 3 entre 20 h et 5 h/);
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
  });
});

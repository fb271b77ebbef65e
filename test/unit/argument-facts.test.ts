/**
 * The facts argument conditions test (src/domain/argument-facts.ts), read from a case, its
 * assessment and its campaign; and the counts the brief's texts share with them, computed once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { briefContext } from '../../src/briefs/brief-context';
import type { CampaignWithFigures } from '../../src/campaigns/campaigns.repository';
import type { CaseDetail } from '../../src/cases/cases.types';
import type { ArgumentFacts } from '../../src/domain/argument-conditions';
import { argumentFacts, briefFigures } from '../../src/domain/argument-facts';
import { TODAY, WAVE_1, WAVE_2, assess, caseDetail, consultation, event } from '../fixtures/case-fixtures';

const factsOf = (detail: CaseDetail, campaign: CampaignWithFigures = WAVE_2) => argumentFacts(detail, assess(detail, campaign), campaign);

// Paris in May is UTC+2: 19:15Z is 21:15 (night), 2024-05-18 is a Saturday.
const NIGHT = '2024-05-14T19:15:00Z';
const SATURDAY = '2024-05-18T08:00:00Z';
const WEEKDAY = '2024-05-15T08:00:00Z';

describe('argumentFacts', () => {
  const cases: Array<{ name: string; detail: CaseDetail; campaign?: CampaignWithFigures; expect: Partial<ArgumentFacts> }> = [
    {
      name: 'the fixture case: two consultations off hours, one during the week, all only looked at',
      detail: caseDetail(),
      expect: {
        situations: ['odd_hours'],
        oddHoursConsultations: 2,
        oddHoursNotWithinDeclaredHours: 2,
        consultationsWithoutActing: 3,
        explanations: ['answering_user'],
        campaignExcludesSanctions: true,
        disciplinaryStep: false,
        employmentStatus: 'private',
        hasAgentAccount: false,
        campaignFigures: true,
        campaignRates: true,
      },
    },
    {
      name: 'own and relative files count off hours, not as work outside the declared hours',
      detail: caseDetail({ consultations: [consultation(NIGHT, 'consulted', 'own_file'), consultation(SATURDAY, 'acted', 'relative'), consultation(WEEKDAY, 'acted')] }),
      expect: { oddHoursConsultations: 2, oddHoursNotWithinDeclaredHours: 0, consultationsWithoutActing: 1, explanations: ['own_file', 'relative', 'answering_user'] },
    },
    {
      name: 'a Saturday the agent declares working is within the declared hours',
      detail: caseDetail({ agent: { workDays: [1, 2, 3, 4, 5, 6], workStart: '07:00', workEnd: '19:00' }, consultations: [consultation(SATURDAY)] }),
      expect: { oddHoursConsultations: 1, oddHoursWithinDeclaredHours: 1, oddHoursNotWithinDeclaredHours: 0 },
    },
    {
      name: 'a pre-disciplinary convocation is a disciplinary step',
      detail: caseDetail({ events: [event({ type: 'pre_disciplinary_convocation', date: '2024-10-08', hearingDate: '2024-10-15' })] }),
      expect: { disciplinaryStep: true },
    },
    {
      name: 'a notified sanction is one too',
      detail: caseDetail({ events: [event({ type: 'sanction_notified', date: '2024-10-22', sanctionKind: 'blame' })] }),
      expect: { disciplinaryStep: true },
    },
    {
      name: 'an account made of blanks is no account',
      detail: caseDetail({ agentAccount: '  \n ' }),
      expect: { hasAgentAccount: false },
    },
    {
      name: 'an account written by the agent',
      detail: caseDetail({ agentAccount: 'Je répondais à une usagère.' }),
      expect: { hasAgentAccount: true },
    },
    {
      name: 'a campaign without figures nor a sanctions exclusion',
      detail: caseDetail(),
      campaign: WAVE_1,
      expect: { campaignFigures: false, campaignRates: false, campaignExcludesSanctions: false },
    },
    {
      name: 'another region only has the national figures, here a rate',
      detail: caseDetail({ agent: { regionCode: 'BRE' } }),
      expect: { campaignFigures: true, campaignRates: true },
    },
    {
      name: 'headcounts of the agent\'s region alone are figures, not rates',
      detail: caseDetail(),
      campaign: { ...WAVE_2, figures: WAVE_2.figures.filter((f) => f.scope === 'HDF') },
      expect: { campaignFigures: true, campaignRates: false },
    },
    {
      name: 'another region\'s figures are never the agent\'s',
      detail: caseDetail({ agent: { regionCode: 'BRE' } }),
      campaign: { ...WAVE_2, figures: WAVE_2.figures.filter((f) => f.scope === 'HDF') },
      expect: { campaignFigures: false, campaignRates: false },
    },
    {
      name: 'what the case says of the interview, the report, training and the hierarchy, as it is',
      detail: caseDetail({ interviewTone: 'pressure', reportOutcome: 'illegitimate', trainingReceived: 'no', hierarchyInformed: 'yes', agent: { employmentStatus: 'public' } }),
      expect: { interviewTone: 'pressure', reportOutcome: 'illegitimate', trainingReceived: 'no', hierarchyInformed: 'yes', employmentStatus: 'public' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const facts = factsOf(c.detail, c.campaign);
      for (const [key, value] of Object.entries(c.expect)) assert.deepEqual(facts[key as keyof ArgumentFacts], value, key);
    });
  }

  it('takes the commitment and the late steps from the assessment', () => {
    const detail = caseDetail();
    const assessment = assess(detail);
    const facts = argumentFacts(detail, assessment, WAVE_2);
    assert.equal(facts.commitmentStatus, assessment.commitment.status);
    assert.equal(facts.lateDisciplinaryStep, assessment.deadlines.lateSteps.length > 0);
  });
});

describe('briefFigures', () => {
  it('are what the facts and the brief context both say', () => {
    const detail = caseDetail({ consultations: [consultation(NIGHT), consultation(SATURDAY, 'acted'), consultation(WEEKDAY, 'consulted', 'relative')] });
    const assessment = assess(detail);
    const figures = briefFigures(detail, WAVE_2);
    const facts = argumentFacts(detail, assessment, WAVE_2, figures);
    const context = briefContext(detail, assessment, WAVE_2, { regionName: 'Hauts-de-France', repName: 'Rep', today: TODAY }, figures);
    assert.equal(facts.oddHoursNotWithinDeclaredHours, figures.work.count);
    assert.equal(context.consultations.outOfHoursWork, figures.work.count);
    assert.equal(facts.consultationsWithoutActing, context.consultations.withoutActing);
    assert.equal(facts.campaignRates, context.campaign.hasRates);
    assert.equal(context.case.relativeFile, true);
    // Given or computed, the same.
    assert.deepEqual(argumentFacts(detail, assessment, WAVE_2), facts);
  });

  it('reads consultations in the agent\'s own clock', () => {
    // 19:15Z is 23:15 in Réunion (night there) and 21:15 in Paris: night in both; 16:30Z is 20:30 in Réunion only.
    const detail = caseDetail({ agent: { regionCode: 'REU', departmentCode: '974' }, consultations: [consultation('2024-05-14T16:30:00Z')] });
    assert.equal(briefFigures(detail, WAVE_2).work.count, 1);
    const paris = caseDetail({ consultations: [consultation('2024-05-14T16:30:00Z')] });
    assert.equal(briefFigures(paris, WAVE_2).work.count, 0);
  });
});

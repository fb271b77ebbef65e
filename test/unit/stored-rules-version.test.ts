import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { caseFactsOf } from '../../src/cases/case-facts';
import { ASSESSMENT_RULES_VERSION, assessCase } from '../../src/domain/case-assessment';
import { storedFigureFacts } from '../../src/domain/figure-case-facts';
import { TODAY, WAVE_2, caseDetail, consultation, event } from '../fixtures/case-fixtures';

/**
 * Cases store what the rules found (commitment, next deadline, the figure facts declarations add
 * up), and are judged again only when ASSESSMENT_RULES_VERSION changes. These few cases' stored
 * results are pinned to the version: a rule change that moves them fails here until the version
 * is changed too (and the pins with it), so no stored result silently differs from the rules.
 */
const CASES = {
  'an office agent, three consultations': caseDetail(),
  'a sanctioned agent after an entretien préalable, night and week-end consultations': caseDetail({
    consultations: [consultation('2024-05-14T21:15:00Z'), consultation('2024-05-18T08:00:00Z'), consultation('2024-05-20T23:40:00Z'), consultation('2024-05-21T09:00:00Z')],
    events: [
      event({ type: 'convocation_received', date: '2024-09-10' }),
      event({ type: 'interview_held', date: '2024-09-20' }),
      event({ type: 'pre_disciplinary_convocation', date: '2024-10-08', hearingDate: '2024-10-15' }),
      event({ type: 'sanction_notified', date: '2024-10-22', sanctionKind: 'blame' }),
    ],
  }),
  'an agent in La Réunion, status unknown': caseDetail({ agent: { regionCode: 'REU', employmentStatus: 'unknown' }, consultations: [consultation('2024-05-14T16:30:00Z'), consultation('2024-08-15T06:00:00Z')] }),
};

function storedResults() {
  return Object.fromEntries(
    Object.entries(CASES).map(([name, detail]) => {
      const facts = caseFactsOf(detail, WAVE_2, []);
      const assessment = assessCase(facts, TODAY);
      return [name, { commitment: assessment.commitment.status, reasons: assessment.commitment.reasons.length, nextDeadline: assessment.nextDeadline?.dueDate ?? null, figures: storedFigureFacts(facts, TODAY) }];
    }),
  );
}

const PINNED: { version: string; results: unknown } = {
  "version": "2026-12-08 the agent's own time zone and public holidays",
  "results": {
    "an office agent, three consultations": {
      "commitment": "respected",
      "reasons": 3,
      "nextDeadline": null,
      "figures": {
        "figureDelayDays": 125,
        "figureOddOutside": 2,
        "figureOddWithin": 0,
        "figurePreDisciplinary": 0,
        "figureLate": 0,
        "figureSanctionKinds": ""
      }
    },
    "a sanctioned agent after an entretien préalable, night and week-end consultations": {
      "commitment": "breached",
      "reasons": 3,
      "nextDeadline": null,
      "figures": {
        "figureDelayDays": 122,
        "figureOddOutside": 3,
        "figureOddWithin": 0,
        "figurePreDisciplinary": 1,
        "figureLate": 1,
        "figureSanctionKinds": ",blame,"
      }
    },
    "an agent in La Réunion, status unknown": {
      "commitment": "respected",
      "reasons": 3,
      "nextDeadline": null,
      "figures": {
        "figureDelayDays": 36,
        "figureOddOutside": 1,
        "figureOddWithin": 0,
        "figurePreDisciplinary": 0,
        "figureLate": 0,
        "figureSanctionKinds": ""
      }
    }
  }
};

describe('stored rule results and ASSESSMENT_RULES_VERSION', () => {
  it('are pinned to the current version', () => {
    if (PINNED.version !== ASSESSMENT_RULES_VERSION) console.log(JSON.stringify({ version: ASSESSMENT_RULES_VERSION, results: storedResults() }, null, 2));
    assert.equal(PINNED.version, ASSESSMENT_RULES_VERSION, 'the version changed: pin the results printed above');
  });
  it('are what the rules give today (else change ASSESSMENT_RULES_VERSION)', () => {
    assert.deepEqual(storedResults(), PINNED.results);
  });
});

import { type CaseFacts, workingPatternOf } from '../domain/case-assessment';
import { territoryOf } from '../domain/territories';
import type { CaseDetail } from './cases.types';

/** What the commitment rules read of a stored case: the one mapping from a case to its facts. */
export function caseFactsOf(detail: CaseDetail, campaign: CaseFacts['campaign'], priorSanctions: CaseFacts['priorSanctions']): CaseFacts {
  return {
    campaign,
    employmentStatus: detail.agent.employmentStatus,
    knowledgeDate: detail.knowledgeDate,
    interviewDate: detail.interviewDate,
    reportOutcome: detail.reportOutcome,
    interviewTone: detail.interviewTone,
    events: detail.events,
    priorSanctions,
    consultationInstants: detail.consultations.map((c) => c.at),
    workingPattern: workingPatternOf(detail.agent.workDays.join(','), detail.agent.workStart, detail.agent.workEnd),
    territory: territoryOf(detail.agent.regionCode, detail.agent.departmentCode),
  };
}

import type { CaseForm } from './cases.schemas';
import type { AgentInput, CaseDetail, CaseInput } from './cases.types';

/**
 * Between the case form and the stored case: what the form shows for a case, what a browser
 * posts for it, and what a validated form saves. The form's routes and the CSV import share these.
 */

export function toInputs(form: CaseForm): { agent: AgentInput; case: CaseInput } {
  return {
    agent: {
      fullName: form.fullName,
      civility: form.civility,
      proEmail: form.proEmail,
      personalEmail: form.personalEmail,
      phone: form.phone,
      contactChannels: form.contactChannels,
      regionCode: form.regionCode,
      departmentCode: form.departmentCode,
      site: form.site,
      job: form.job,
      employmentStatus: form.employmentStatus,
      workDays: [...new Set(form.workDays)].sort(),
      workStart: form.workStart,
      workEnd: form.workEnd,
      partTime: form.partTime,
      teleworkDays: [...new Set(form.teleworkDays)].sort(),
    },
    case: {
      campaignId: form.campaignId,
      situations: form.situations,
      otherSituationText: form.otherSituationText,
      knowledgeDate: form.knowledgeDate,
      convocationDate: form.convocationDate,
      convocationForm: form.convocationForm,
      interviewDate: form.interviewDate,
      managerName: form.managerName,
      repAccompanied: form.repAccompanied,
      reportOutcome: form.reportOutcome,
      interviewTone: form.interviewTone,
      toneNotes: form.toneNotes,
      trainingReceived: form.trainingReceived,
      hierarchyInformed: form.hierarchyInformed,
      hierarchyInformedDate: form.hierarchyInformedDate,
      agentAccount: form.agentAccount,
      repIds: form.repIds,
    },
  };
}

export function agentFormValues(agent: AgentInput) {
  return {
    fullName: agent.fullName,
    civility: agent.civility ?? '',
    proEmail: agent.proEmail ?? '',
    personalEmail: agent.personalEmail ?? '',
    phone: agent.phone ?? '',
    contactChannels: agent.contactChannels,
    regionCode: agent.regionCode,
    departmentCode: agent.departmentCode ?? '',
    site: agent.site,
    job: agent.job,
    employmentStatus: agent.employmentStatus,
    workDays: agent.workDays.map(String),
    workStart: agent.workStart ?? '',
    workEnd: agent.workEnd ?? '',
    partTime: agent.partTime,
    teleworkDays: agent.teleworkDays.map(String),
  };
}

export function caseFormValues(detail: CaseDetail) {
  return {
    ...agentFormValues(detail.agent),
    campaignId: String(detail.campaignId),
    situations: detail.situations,
    otherSituationText: detail.otherSituationText,
    knowledgeDate: detail.knowledgeDate ?? '',
    convocationDate: detail.convocationDate ?? '',
    convocationForm: detail.convocationForm ?? '',
    interviewDate: detail.interviewDate ?? '',
    managerName: detail.managerName,
    repAccompanied: detail.repAccompanied === null ? '' : detail.repAccompanied ? 'yes' : 'no',
    reportOutcome: detail.reportOutcome ?? '',
    interviewTone: detail.interviewTone ?? '',
    toneNotes: detail.toneNotes,
    trainingReceived: detail.trainingReceived,
    hierarchyInformed: detail.hierarchyInformed,
    hierarchyInformedDate: detail.hierarchyInformedDate ?? '',
    agentAccount: detail.agentAccount,
    repIds: detail.repIds.map(String),
  };
}

/** The case as its edit form would post it unchanged: the body the CSV import lays a file's cells over. */
export function caseFormBody(detail: CaseDetail): Record<string, unknown> {
  const { partTime, ...values } = caseFormValues(detail);
  return { ...values, ...(partTime ? { partTime: 'on' } : {}) };
}

// The rules of who may follow a case live in the domain; the form and the CSV import read them from here.
export { assignableReps, repsOutsideRegion } from '../domain/case-reps';

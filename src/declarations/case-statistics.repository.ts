import type { DB } from '../db/database';
import { workingPatternOf } from '../domain/case-assessment';
import type { CaseEvent } from '../domain/case-events';
import type { FigureCase } from '../domain/declaration-figures';
import { parisClock } from '../domain/off-hours';

/**
 * Reads a campaign's cases in the reduced form the declaration figures need: no names, no
 * contact details, no free text. Reading whole tables per campaign (three queries) keeps it fast
 * at national scale.
 */
export function createCaseStatisticsRepository(db: DB) {
  return {
    async figureCases(campaignId: number, regions: readonly string[] | 'national'): Promise<FigureCase[]> {
      if (regions !== 'national' && regions.length === 0) return [];
      let casesQuery = db
        .selectFrom('cases')
        .innerJoin('agents', 'agents.id', 'cases.agentId')
        .select([
          'cases.id',
          'cases.agentId',
          'cases.regionCode',
          'agents.departmentCode',
          'agents.site',
          'cases.knowledgeDate',
          'cases.convocationDate',
          'cases.interviewDate',
          'cases.createdAt',
          'cases.reportOutcome',
          'cases.interviewTone',
          'cases.commitmentStatus',
          'agents.employmentStatus',
          'agents.workDays',
          'agents.workStart',
          'agents.workEnd',
        ])
        .where('cases.campaignId', '=', campaignId);
      if (regions !== 'national') casesQuery = casesQuery.where('cases.regionCode', 'in', [...regions]);
      const rows = await casesQuery.orderBy('cases.id').execute();
      if (rows.length === 0) return [];

      const ofCampaign = <T extends { caseId: number }>(items: T[]) => {
        const byCase = new Map<number, T[]>();
        for (const item of items) {
          const list = byCase.get(item.caseId);
          if (list) list.push(item);
          else byCase.set(item.caseId, [item]);
        }
        return byCase;
      };
      // Linked rows of the same cases: the campaign's, narrowed to the chosen regions.
      const narrowed = regions === 'national' ? null : [...regions];
      const [situations, events, consultations] = await Promise.all([
        db
          .selectFrom('caseSituations')
          .innerJoin('cases', 'cases.id', 'caseSituations.caseId')
          .select(['caseSituations.caseId', 'caseSituations.situationCode'])
          .where('cases.campaignId', '=', campaignId)
          .$if(narrowed !== null, (q) => q.where('cases.regionCode', 'in', narrowed!))
          .execute(),
        db
          .selectFrom('caseEvents')
          .innerJoin('cases', 'cases.id', 'caseEvents.caseId')
          .select(['caseEvents.caseId', 'caseEvents.type', 'caseEvents.date', 'caseEvents.sanctionKind', 'caseEvents.hearingDate'])
          .where('cases.campaignId', '=', campaignId)
          .$if(narrowed !== null, (q) => q.where('cases.regionCode', 'in', narrowed!))
          .execute(),
        db
          .selectFrom('consultations')
          .innerJoin('cases', 'cases.id', 'consultations.caseId')
          .select(['consultations.caseId', 'consultations.at'])
          .where('cases.campaignId', '=', campaignId)
          .$if(narrowed !== null, (q) => q.where('cases.regionCode', 'in', narrowed!))
          .execute(),
      ]).then(([s, e, c]) => [ofCampaign(s), ofCampaign(e), ofCampaign(c)] as const);

      return rows.map((r) => ({
        agentId: r.agentId,
        regionCode: r.regionCode,
        departmentCode: r.departmentCode,
        site: r.site,
        situations: (situations.get(r.id) ?? []).map((s) => s.situationCode),
        knowledgeDate: r.knowledgeDate,
        convocationDate: r.convocationDate,
        interviewDate: r.interviewDate,
        openedOn: parisClock(r.createdAt).date,
        reportOutcome: r.reportOutcome,
        interviewTone: r.interviewTone,
        commitmentStatus: r.commitmentStatus,
        employmentStatus: r.employmentStatus,
        events: (events.get(r.id) ?? []).map(
          (e): CaseEvent => ({
            type: e.type as CaseEvent['type'],
            date: e.date,
            ...(e.sanctionKind ? { sanctionKind: e.sanctionKind as CaseEvent['sanctionKind'] } : {}),
            hearingDate: e.hearingDate,
          }),
        ),
        consultations: (consultations.get(r.id) ?? []).map((c) => c.at),
        workingPattern: workingPatternOf(r.workDays, r.workStart, r.workEnd),
      }));
    },
  };
}

export type CaseStatisticsRepository = ReturnType<typeof createCaseStatisticsRepository>;

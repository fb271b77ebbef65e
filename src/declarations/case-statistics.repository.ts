import { CompiledQuery } from 'kysely';
import type { DB } from '../db/database';
import { workingPatternOf } from '../domain/case-assessment';
import { type CaseEvent, DISCIPLINARY_EVENT_TYPES } from '../domain/case-events';
import type { CommitmentStatus, InterviewTone, ReportOutcome } from '../domain/commitment';
import type { EmploymentStatus } from '../domain/deadlines';
import type { FigureCase } from '../domain/declaration-figures';
import { parisClock } from '../domain/off-hours';

interface FigureRow {
  agentId: number;
  regionCode: string;
  departmentCode: string | null;
  site: string;
  knowledgeDate: string | null;
  convocationDate: string | null;
  interviewDate: string | null;
  createdAt: string;
  reportOutcome: ReportOutcome | null;
  interviewTone: InterviewTone | null;
  commitmentStatus: CommitmentStatus;
  employmentStatus: EmploymentStatus;
  workDays: string;
  workStart: string | null;
  workEnd: string | null;
  situations: string | null;
  consultations: string | null;
  /** JSON: [type, date, sanction kind, hearing date] per disciplinary event, in the order entered. */
  events: string | null;
}

/**
 * One row per case, its linked rows folded in by SQLite (the indexes on case_id serve each
 * subquery): a national declaration reads 50 000 rows, not 400 000, and the values handed from
 * SQLite to JavaScript one by one were what the first compose cost. Only the disciplinary events
 * are read: the figures look at no other (FigureCase.events).
 */
function figureCasesSql(regionCount: number | null): string {
  const disciplinary = DISCIPLINARY_EVENT_TYPES.map((t) => `'${t}'`).join(', ');
  return `select c.agent_id, c.region_code, a.department_code, a.site, c.knowledge_date, c.convocation_date, c.interview_date,
      c.created_at, c.report_outcome, c.interview_tone, c.commitment_status, a.employment_status, a.work_days, a.work_start, a.work_end,
      (select group_concat(s.situation_code, ',') from case_situations s where s.case_id = c.id) as situations,
      (select group_concat(k.at, ',') from consultations k where k.case_id = c.id) as consultations,
      (select json_group_array(json_array(e.type, e.date, e.sanction_kind, e.hearing_date) order by e.id)
         from case_events e where e.case_id = c.id and e.type in (${disciplinary})
       having count(*) > 0) as events
    from cases c join agents a on a.id = c.agent_id
    where c.campaign_id = ?${regionCount === null ? '' : ` and c.region_code in (${Array(regionCount).fill('?').join(', ')})`}
    order by c.id`;
}

const split = (list: string | null): string[] => (list ? list.split(',') : []);

function eventsOf(json: string | null): CaseEvent[] {
  if (!json) return [];
  return (JSON.parse(json) as Array<[CaseEvent['type'], string, CaseEvent['sanctionKind'] | null, string | null]>).map(([type, date, sanctionKind, hearingDate]) => ({
    type,
    date,
    ...(sanctionKind ? { sanctionKind } : {}),
    hearingDate,
  }));
}

/**
 * Reads a campaign's cases in the reduced form the declaration figures need: no names, no
 * contact details, no free text.
 */
export function createCaseStatisticsRepository(db: DB) {
  return {
    async figureCases(campaignId: number, regions: readonly string[] | 'national'): Promise<FigureCase[]> {
      if (regions !== 'national' && regions.length === 0) return [];
      const query = regions === 'national' ? CompiledQuery.raw(figureCasesSql(null), [campaignId]) : CompiledQuery.raw(figureCasesSql(regions.length), [campaignId, ...regions]);
      const { rows } = await db.executeQuery<FigureRow>(query);
      return rows.map((r) => ({
        agentId: r.agentId,
        regionCode: r.regionCode,
        departmentCode: r.departmentCode,
        site: r.site,
        situations: split(r.situations),
        knowledgeDate: r.knowledgeDate,
        convocationDate: r.convocationDate,
        interviewDate: r.interviewDate,
        openedOn: parisClock(r.createdAt).date,
        reportOutcome: r.reportOutcome,
        interviewTone: r.interviewTone,
        commitmentStatus: r.commitmentStatus,
        employmentStatus: r.employmentStatus,
        events: eventsOf(r.events),
        consultations: split(r.consultations),
        workingPattern: workingPatternOf(r.workDays, r.workStart, r.workEnd),
      }));
    },
  };
}

export type CaseStatisticsRepository = ReturnType<typeof createCaseStatisticsRepository>;

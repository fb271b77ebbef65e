import { type ExpressionBuilder, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { DB } from '../db/database';
import type { Database } from '../db/schema';
import type { CommitmentReason, CommitmentStatus } from '../domain/commitment';
import { SITUATION_CODES, type SituationCode } from '../domain/situations';
import type { CaseListItem } from './cases.types';
import type { Scope } from '../access/scope';
import { searchName } from './search-name';

/**
 * The queries over many cases: the list and its counts, the CSV export, the dashboard's figures.
 * They read what each case's stored assessment says (never re-assessing) and never write.
 */

export interface CaseFilters {
  q?: string;
  campaignId?: number;
  region?: string;
  site?: string;
  situation?: SituationCode;
  commitment?: CommitmentStatus;
  /** A rep's id, or 'none' for cases nobody is assigned to. */
  rep?: number | 'none';
  status?: 'open' | 'closed';
  deadlineFrom?: string;
  deadlineTo?: string;
  interviewFrom?: string;
  interviewTo?: string;
}

export type CaseSort = 'recent' | 'name' | 'deadline' | 'interview';

type CasesQuery = SelectQueryBuilder<Database, 'cases', object>;

/** The list's orders, in SQL: a page's ids are sorted by it, then its rows again. */
const LIST_ORDER: Record<CaseSort, RawBuilder<unknown>> = {
  recent: sql`cases.id desc`,
  name: sql`agents.search_name, cases.id`,
  deadline: sql`cases.next_deadline_date is null, cases.next_deadline_date, cases.id`,
  interview: sql`cases.interview_date is null, cases.interview_date desc, cases.id desc`,
};

export function createCaseQueries(db: DB) {
  function applyScope<Q extends CasesQuery>(query: Q, scope: Scope): Q {
    if (scope.kind === 'all') return query;
    if (scope.regions.length === 0) return query.where(sql<boolean>`0`) as Q;
    return query.where('cases.regionCode', 'in', [...scope.regions]) as Q;
  }

  function applyFilters<Q extends CasesQuery>(query: Q, f: CaseFilters): Q {
    let q = query as CasesQuery;
    // Agent-side filters are subqueries, so counts never need to join the agents table.
    if (f.q) {
      const term = searchName(f.q);
      if (term) {
        q = q.where('cases.agentId', 'in', (eb: ExpressionBuilder<Database, 'cases'>) =>
          eb.selectFrom('agents').select('agents.id').where('agents.searchName', 'like', `%${term.replace(/[%_]/g, '')}%`),
        );
      }
    }
    if (f.campaignId) q = q.where('cases.campaignId', '=', f.campaignId);
    if (f.region) q = q.where('cases.regionCode', '=', f.region);
    if (f.site) {
      const site = f.site;
      q = q.where('cases.agentId', 'in', (eb: ExpressionBuilder<Database, 'cases'>) =>
        eb.selectFrom('agents').select('agents.id').where('agents.site', '=', site),
      );
    }
    if (f.commitment) q = q.where('cases.commitmentStatus', '=', f.commitment);
    if (f.status) q = q.where('cases.status', '=', f.status);
    if (f.situation) {
      const code = f.situation;
      q = q.where((eb: ExpressionBuilder<Database, 'cases'>) =>
        eb.exists(
          eb.selectFrom('caseSituations').select('caseSituations.caseId').whereRef('caseSituations.caseId', '=', 'cases.id').where('caseSituations.situationCode', '=', code),
        ),
      );
    }
    if (f.rep === 'none') {
      q = q.where('cases.repsCount', '=', 0);
    } else if (typeof f.rep === 'number') {
      const repId = f.rep;
      q = q.where((eb: ExpressionBuilder<Database, 'cases'>) =>
        eb.exists(eb.selectFrom('caseReps').select('caseReps.caseId').whereRef('caseReps.caseId', '=', 'cases.id').where('caseReps.userId', '=', repId)),
      );
    }
    if (f.deadlineFrom) q = q.where('cases.nextDeadlineDate', '>=', f.deadlineFrom);
    if (f.deadlineTo) q = q.where('cases.nextDeadlineDate', '<=', f.deadlineTo);
    if (f.interviewFrom) q = q.where('cases.interviewDate', '>=', f.interviewFrom);
    if (f.interviewTo) q = q.where('cases.interviewDate', '<=', f.interviewTo);
    return q as Q;
  }

  function base() {
    return db.selectFrom('cases');
  }

  /** The ids of the filtered cases in the list's order (the name sort needs the agents table). */
  function orderedIds(filtered: CasesQuery, sort: CaseSort) {
    const ids = sort === 'name' ? filtered.innerJoin('agents', 'agents.id', 'cases.agentId').select('cases.id') : filtered.select('cases.id');
    return ids.orderBy(LIST_ORDER[sort]);
  }

  async function situationsOf(caseIds: number[]): Promise<Map<number, string[]>> {
    const map = new Map<number, string[]>();
    if (caseIds.length === 0) return map;
    const rows = await db.selectFrom('caseSituations').select(['caseId', 'situationCode']).where('caseId', 'in', caseIds).execute();
    for (const r of rows) map.set(r.caseId, [...(map.get(r.caseId) ?? []), r.situationCode]);
    for (const [id, codes] of map) map.set(id, SITUATION_CODES.filter((c) => codes.includes(c)));
    return map;
  }

  async function repsOf(caseIds: number[]): Promise<Map<number, Array<{ id: number; name: string }>>> {
    const map = new Map<number, Array<{ id: number; name: string }>>();
    if (caseIds.length === 0) return map;
    const rows = await db
      .selectFrom('caseReps')
      .innerJoin('users', 'users.id', 'caseReps.userId')
      .select(['caseReps.caseId', 'users.id', 'users.name'])
      .where('caseReps.caseId', 'in', caseIds)
      .orderBy('users.name')
      .execute();
    for (const r of rows) map.set(r.caseId, [...(map.get(r.caseId) ?? []), { id: r.id, name: r.name }]);
    return map;
  }

  async function exportRowsWhere(query: CasesQuery) {
    const rows = await query
      .innerJoin('agents', 'agents.id', 'cases.agentId')
      .innerJoin('campaigns', 'campaigns.id', 'cases.campaignId')
      .select([
        'cases.id',
        'agents.fullName as agentName',
        'agents.civility',
        'cases.regionCode',
        'agents.site',
        'agents.job',
        'campaigns.name as campaignName',
        'cases.status',
        'cases.commitmentStatus',
        'cases.commitmentReasons',
        'cases.convocationDate',
        'cases.interviewDate',
        'cases.reportOutcome',
        'cases.interviewTone',
        'cases.hierarchyInformed',
        'cases.hierarchyInformedDate',
        'cases.nextDeadlineDate',
        'cases.nextDeadlineLabel',
        'cases.consultationsCount',
        'cases.oddHoursCount',
      ])
      .orderBy('cases.id')
      .execute();
    const ids = rows.map((r) => r.id);
    const [situations, reps] = await Promise.all([situationsOf(ids), repsOf(ids)]);
    return rows.map((r) => ({ ...r, situations: situations.get(r.id) ?? [], reps: (reps.get(r.id) ?? []).map((x) => x.name) }));
  }

  return {
    async list(scope: Scope, filters: CaseFilters, options: { sort: CaseSort; page: number; perPage: number }) {
      const filtered = applyFilters(applyScope(base(), scope), filters);
      const totalRow = await filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      // The page's ids first, filtered and sorted from the list indexes alone; then only those rows
      // are read whole. Sorting every row in scope cost 30 ms over 12 000 cases. CROSS JOIN keeps
      // SQLite's planner from starting elsewhere: it would rather scan every case of the campaign.
      const page = orderedIds(filtered, options.sort)
        .limit(options.perPage)
        .offset((options.page - 1) * options.perPage);
      const rows = await db
        .selectFrom(page.as('page'))
        .crossJoin('cases')
        .crossJoin('agents')
        .crossJoin('campaigns')
        .whereRef('cases.id', '=', 'page.id')
        .whereRef('agents.id', '=', 'cases.agentId')
        .whereRef('campaigns.id', '=', 'cases.campaignId')
        .select([
          'cases.id',
          'agents.fullName as agentName',
          'agents.site',
          'cases.regionCode',
          'cases.campaignId',
          'campaigns.name as campaignName',
          'cases.status',
          'cases.commitmentStatus',
          'cases.commitmentReasons',
          'cases.interviewDate',
          'cases.nextDeadlineDate',
          'cases.nextDeadlineLabel',
          'cases.consultationsCount',
          'cases.oddHoursCount',
          // A page's situations and reps come with its rows, not in two more statements.
          sql<string>`(select json_group_array(s.situation_code) from case_situations s where s.case_id = cases.id)`.as('situationsJson'),
          sql<string>`(select json_group_array(u.name) from case_reps r join users u on u.id = r.user_id where r.case_id = cases.id)`.as('repsJson'),
        ])
        .orderBy(LIST_ORDER[options.sort])
        .execute();
      const items: CaseListItem[] = rows.map(({ situationsJson, repsJson, ...r }) => {
        const situations = JSON.parse(situationsJson) as string[];
        return {
          ...r,
          commitmentReasons: JSON.parse(r.commitmentReasons) as CommitmentReason[],
          situations: SITUATION_CODES.filter((c) => situations.includes(c)),
          reps: (JSON.parse(repsJson) as string[]).sort(),
        };
      });
      return { items, total: Number(totalRow.n) };
    },

    async count(scope: Scope, filters: CaseFilters): Promise<number> {
      const row = await applyFilters(applyScope(base(), scope), filters)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** Counts by commitment status under the same scope and filters (the status filter itself excepted). */
    async countByCommitment(scope: Scope, filters: CaseFilters): Promise<Record<CommitmentStatus, number>> {
      const { commitment: _ignored, ...others } = filters;
      const rows = await applyFilters(applyScope(base(), scope), others)
        .select(['cases.commitmentStatus', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('cases.commitmentStatus')
        .execute();
      const counts: Record<CommitmentStatus, number> = { respected: 0, at_risk: 0, breached: 0 };
      for (const r of rows) counts[r.commitmentStatus] = Number(r.n);
      return counts;
    },

    async countBySituation(scope: Scope, filters: CaseFilters): Promise<Map<string, number>> {
      const { situation: _ignored, ...others } = filters;
      const rows = await applyFilters(applyScope(base(), scope), others)
        .innerJoin('caseSituations', 'caseSituations.caseId', 'cases.id')
        .select(['caseSituations.situationCode', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('caseSituations.situationCode')
        .execute();
      return new Map(rows.map((r) => [r.situationCode, Number(r.n)]));
    },

    /** Each full row of the filtered list, for the CSV export. */
    async exportRows(scope: Scope, filters: CaseFilters) {
      return exportRowsWhere(applyFilters(applyScope(base(), scope), filters));
    },

    /** The export's row of each of these cases the scope covers (the CSV import compares a file with them). */
    async exportRowsOf(scope: Scope, ids: readonly number[]) {
      const rows = [];
      // Bound parameters per statement stay far below SQLite's limit.
      for (let i = 0; i < ids.length; i += 500) {
        rows.push(...(await exportRowsWhere(applyScope(base(), scope).where('cases.id', 'in', ids.slice(i, i + 500)))));
      }
      return rows;
    },

    async sitesOf(scope: Scope): Promise<string[]> {
      let q = db.selectFrom('agents').select('site').distinct().where('site', '!=', '');
      if (scope.kind === 'regions') q = scope.regions.length ? q.where('regionCode', 'in', [...scope.regions]) : q.where(sql<boolean>`0`);
      return (await q.orderBy('site').execute()).map((r) => r.site);
    },

    /**
     * What the list's filters and the case form offer, in one statement: the campaigns, and the
     * active accounts with the regions they cover (whom a case may be assigned to follows from these).
     */
    async choices(): Promise<FormChoices> {
      const { rows } = await sql<{ campaigns: string; people: string }>`select
        (select json_group_array(json_object('id', id, 'name', name, 'status', status, 'tracesStart', traces_start)) from campaigns) as campaigns,
        (select json_group_array(json_object('id', u.id, 'name', u.name, 'role', u.role, 'regions', json((
          select json_group_array(json_array(ur.region_code, g.position)) from user_regions ur join regions g on g.code = ur.region_code where ur.user_id = u.id
        )))) from users u where u.status = 'active') as people`.execute(db);
      const row = rows[0]!;
      type Read = { campaigns: Array<CampaignChoice & { tracesStart: string | null }>; people: Array<Omit<PersonChoice, 'regions'> & { regions: Array<[string, number]> }> };
      const campaigns = (JSON.parse(row.campaigns) as Read['campaigns'])
        // The campaigns' own order (src/campaigns): active ones first, the latest traces first, no date last.
        .sort((a, b) => compare(a.status, b.status) || compare(b.tracesStart ?? '', a.tracesStart ?? '') || b.id - a.id)
        .map(({ id, name, status }) => ({ id, name, status }));
      const people = (JSON.parse(row.people) as Read['people'])
        .sort((a, b) => compare(a.name, b.name))
        .map((p) => ({ ...p, regions: p.regions.sort((a, b) => a[1] - b[1]).map(([code]) => code) }));
      return { campaigns, people };
    },
  };
}

export type CaseQueries = ReturnType<typeof createCaseQueries>;

export interface CampaignChoice {
  id: number;
  name: string;
  status: 'active' | 'closed';
}

export interface PersonChoice {
  id: number;
  name: string;
  role: 'admin' | 'rep';
  regions: string[];
}

export interface FormChoices {
  campaigns: CampaignChoice[];
  /** Active accounts, by name. */
  people: PersonChoice[];
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

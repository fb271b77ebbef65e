import type SQLite from 'better-sqlite3';
import { type CaseFacts, assessCase } from '../../src/domain/case-assessment';
import { openedOnOf, storedFigureFacts } from '../../src/domain/figure-case-facts';
import type { CaseEvent } from '../../src/domain/case-events';
import { territoryOf } from '../../src/domain/territories';
import { searchName } from '../../src/cases/search-name';

/**
 * Seeds a realistic campaign at scale straight through SQLite (fast), with each case's stored
 * assessment computed by the same domain rules the app uses.
 */
const FIRST = ['Élodie', 'Karim', 'Jeanne', 'Sophie', 'Thomas', 'Nadia', 'Luc', 'Inès', 'Marc', 'Aïcha', 'Paul', 'Chloé', 'Yanis', 'Léa', 'Hugo'];
const LAST = ['Martin', 'Bernard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Benali', 'Lefebvre', 'Garcia', 'Roux', 'Fournier', 'Girard', 'Mercier', 'Dupont', 'Lambert'];
const SITUATIONS = ['political_figure', 'agent_ex_job_seeker', 'job_seeker_ex_agent', 'odd_hours'];
const SITUATION_WEIGHTS = [70, 602, 60, 476];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface SeedResult {
  caseIds: number[];
  regions: string[];
}

/** Above this, a base of cases is drawn and assessed one by one, then copied by SQLite (seedCases). */
const DRAWN_AT_MOST = 48_000;

/**
 * Seeds `cases` cases. Up to 48 000 each is drawn and assessed by the domain rules; beyond, the
 * first 48 000 (a multiple of the twelve regions, so every case keeps its region's place in the
 * cycle) are copied by SQLite with their agents, consultations, events and situations until the
 * count is reached: a million cases then seed in minutes, not in the hour that a million
 * assessments take on two shared cores, with the same mix of cases.
 */
export function seedCases(sqlite: SQLite.Database, options: { cases: number; regions: string[]; campaignId: number; today: string }): SeedResult {
  if (options.cases <= DRAWN_AT_MOST || DRAWN_AT_MOST % options.regions.length !== 0) return drawCases(sqlite, options);
  const base = drawCases(sqlite, { ...options, cases: DRAWN_AT_MOST });
  const caseIds = [...base.caseIds];
  const [firstCase, lastCase] = [base.caseIds[0]!, base.caseIds.at(-1)!];
  const { lo: firstAgent, hi: lastAgent } = sqlite.prepare('select min(agent_id) lo, max(agent_id) hi from cases where id between ? and ?').get(firstCase, lastCase) as { lo: number; hi: number };
  const columns = (table: string) => (sqlite.pragma(`table_info(${table})`) as Array<{ name: string }>).map((c) => c.name);
  const copy = (table: string, replaced: Record<string, string>, where: string) => {
    const names = columns(table).filter((c) => c !== 'id' || 'id' in replaced);
    const values = names.map((c) => replaced[c] ?? c);
    return sqlite.prepare(`insert into ${table} (${names.join(', ')}) select ${values.join(', ')} from ${table} where ${where}`);
  };
  const agents = copy('agents', { id: 'id + @agentShift', full_name: "full_name || ' ' || @copy", search_name: "search_name || ' ' || @copy" }, 'id between @firstAgent and @lastAgent');
  const cases = copy('cases', { id: 'id + @caseShift', agent_id: 'agent_id + @agentShift' }, 'id between @firstCase and @lastCase');
  const linked = ['consultations', 'case_events', 'case_situations'].map((t) => copy(t, { case_id: 'case_id + @caseShift' }, 'case_id between @firstCase and @lastCase'));
  for (let copyIndex = 1; caseIds.length < options.cases; copyIndex++) {
    const count = Math.min(DRAWN_AT_MOST, options.cases - caseIds.length);
    const caseShift = caseIds.at(-1)! + 1 - firstCase;
    const agentShift = (lastAgent - firstAgent + 1) * copyIndex;
    const range = { firstAgent, lastAgent: firstAgent + count - 1, firstCase, lastCase: firstCase + count - 1 };
    sqlite.transaction(() => {
      agents.run({ agentShift, copy: String(copyIndex), firstAgent: range.firstAgent, lastAgent: range.lastAgent });
      cases.run({ caseShift, agentShift, firstCase: range.firstCase, lastCase: range.lastCase });
      for (const statement of linked) statement.run({ caseShift, firstCase: range.firstCase, lastCase: range.lastCase });
    })();
    for (let i = 0; i < count; i++) caseIds.push(caseShift + firstCase + i);
  }
  return { caseIds, regions: options.regions };
}

function drawCases(sqlite: SQLite.Database, options: { cases: number; regions: string[]; campaignId: number; today: string }): SeedResult {
  const random = rng(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const weighted = () => {
    let r = random() * 1208;
    for (let i = 0; i < SITUATIONS.length; i++) {
      r -= SITUATION_WEIGHTS[i]!;
      if (r <= 0) return SITUATIONS[i]!;
    }
    return SITUATIONS[1]!;
  };
  const campaign = { excludesSanctions: true, reportRequired: true, interviewsStart: '2024-09-01', interviewsEnd: '2024-10-31' };
  const now = new Date().toISOString();
  const insertAgent = sqlite.prepare(
    `insert into agents (full_name, search_name, region_code, site, job, employment_status, work_days, work_start, work_end, contact_channels, created_at, updated_at)
     values (?, ?, ?, ?, 'Conseiller·ère', ?, '1,2,3,4,5', '08:30', '17:00', 'pro_email', ?, ?)`,
  );
  const insertCase = sqlite.prepare(
    `insert into cases (agent_id, campaign_id, region_code, knowledge_date, convocation_date, interview_date, report_outcome, interview_tone,
       status, commitment_status, commitment_reasons, next_deadline_date, next_deadline_label, assessed_on, consultations_count, odd_hours_count, created_at, updated_at,
       figure_opened_on, figure_delay_days, figure_odd_outside, figure_odd_within, figure_pre_disciplinary, figure_late, figure_sanction_kinds,
       figure_site)
     values (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertSituation = sqlite.prepare('insert into case_situations (case_id, situation_code) values (?, ?)');
  const insertConsultation = sqlite.prepare("insert into consultations (case_id, at, action, explanation) values (?, ?, 'consulted', 'answering_user')");
  const insertEvent = sqlite.prepare('insert into case_events (case_id, type, date, note, sanction_kind, created_at, updated_at) values (?, ?, ?, \'\', ?, ?, ?)');

  const caseIds: number[] = [];
  sqlite.transaction(() => {
    for (let i = 0; i < options.cases; i++) {
      const region = options.regions[i % options.regions.length]!;
      const fullName = `${pick(FIRST)} ${pick(LAST)} ${i}`;
      const site = `Agence ${1 + Math.floor(random() * 40)}`;
      const employmentStatus = random() < 0.1 ? 'public' : 'private';
      const agentId = Number(insertAgent.run(fullName, searchName(fullName), region, site, employmentStatus, now, now).lastInsertRowid);
      const situation = weighted();
      const knowledgeDate = `2024-07-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
      const interviewDate = random() < 0.8 ? `2024-${random() < 0.5 ? '09' : '10'}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}` : null;
      const consultationCount = situation === 'odd_hours' ? 3 + Math.floor(random() * 10) : 1 + Math.floor(random() * 3);
      const instants = Array.from({ length: consultationCount }, () => {
        const day = 1 + Math.floor(random() * 28);
        const hour = situation === 'odd_hours' && random() < 0.7 ? 19 + Math.floor(random() * 4) : 6 + Math.floor(random() * 10);
        return `2024-05-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:${String(Math.floor(random() * 60)).padStart(2, '0')}:00Z`;
      });
      const events: CaseEvent[] = [{ type: 'flagged', date: knowledgeDate }];
      if (interviewDate) events.push({ type: 'convocation_received', date: interviewDate }, { type: 'interview_held', date: interviewDate });
      const roll = random();
      if (roll < 0.03) events.push({ type: 'sanction_notified', date: '2024-11-15', sanctionKind: random() < 0.5 ? 'avertissement' : 'blame' });
      else if (roll < 0.05) events.push({ type: 'pre_disciplinary_convocation', date: '2024-11-05' });
      const reportOutcome = interviewDate ? pick(['legitimate', 'legitimate', 'legitimate', 'illegitimate', 'none_given'] as const) : null;
      const interviewTone = interviewDate ? pick(['kind', 'kind', 'neutral', 'pressure'] as const) : null;
      const facts: CaseFacts = {
        campaign,
        employmentStatus: 'private',
        knowledgeDate,
        interviewDate,
        reportOutcome,
        interviewTone,
        events,
        priorSanctions: [],
        consultationInstants: instants,
        workingPattern: { days: [1, 2, 3, 4, 5], start: '08:30', end: '17:00' },
        territory: territoryOf(region),
      };
      const assessment = assessCase(facts, options.today);
      // What a declaration adds up, from the agent as stored (a re-assessment would find the same).
      const figures = storedFigureFacts({ ...facts, employmentStatus }, options.today);
      const caseId = Number(
        insertCase.run(
          agentId, options.campaignId, region, knowledgeDate, interviewDate, interviewDate, reportOutcome, interviewTone,
          assessment.commitment.status, JSON.stringify(assessment.commitment.reasons), assessment.nextDeadline?.dueDate ?? null,
          assessment.nextDeadline?.label ?? null, options.today, instants.length, assessment.offHours.oddHours, now, now,
          openedOnOf(now), figures.figureDelayDays, figures.figureOddOutside, figures.figureOddWithin, figures.figurePreDisciplinary, figures.figureLate, figures.figureSanctionKinds,
          site,
        ).lastInsertRowid,
      );
      caseIds.push(caseId);
      insertSituation.run(caseId, situation);
      for (const at of instants) insertConsultation.run(caseId, at);
      for (const e of events) insertEvent.run(caseId, e.type, e.date, e.sanctionKind ?? null, now, now);
    }
  })();
  return { caseIds, regions: options.regions };
}

import { createHash } from 'node:crypto';
import type { AuditLog } from '../audit/audit.repository';
import type { Campaign } from '../campaigns/campaigns.repository';
import { ASSESSMENT_RULES_VERSION, type CaseAssessment, assessCase } from '../domain/case-assessment';
import type { CaseEvent } from '../domain/case-events';
import { statusFromEvents } from '../domain/case-status';
import { parisToday } from '../domain/french-dates';
import type { User } from '../access/user';
import { describeJournal } from './case-journal';
import type { CaseFilters, CasesRepository } from './cases.repository';
import type { AgentInput, CaseDetail, CaseInput, ConsultationInput } from './cases.types';
import { type CampaignDashboard, campaignDashboard } from './dashboard';
import { type Scope, scopeOf } from '../access/scope';
import { maySeeCase, visibleTo } from '../access/case-visibility';
import type { CommitmentStatus } from '../domain/commitment';
import { caseFactsOf } from './case-facts';
import type { LoadedCase } from './case-load.repository';
import { type CaseData, ReadModelCache } from './read-model-cache';
import { type StoredFigureFacts, openedOnOf, storedFigureFacts } from '../domain/figure-case-facts';

export interface CasesDeps {
  cases: CasesRepository;
  audit: AuditLog;
  now: () => Date;
}

/**
 * Whether a list filter reads a column the timeline or the assessment moves (commitment, open or
 * closed, deadline, interview, reps): the others (search, campaign, region, site, situation) read
 * only what a case's own form, an import or an erasure changes.
 */
function readsTimelineFacts(filters: CaseFilters): boolean {
  const { q: _q, campaignId: _campaign, region: _region, site: _site, situation: _situation, ...others } = filters;
  return Object.values(others).some((value) => value !== undefined);
}

export function createCasesService(deps: CasesDeps) {
  const { cases, audit, now } = deps;
  // Read models computed from many cases (dashboards, list counts), dropped when what they read changes.
  const readModels = new ReadModelCache();
  const LISTED: readonly CaseData[] = ['cases', 'assessments'];

  /**
   * Assessments already computed, by their facts and day. assessCase is pure: the same facts on the
   * same day give the same assessment, so a case read again unchanged (its page reloaded, a brief
   * after the page) is not judged again; any change to the case, its campaign's rules, the agent's
   * other sanctions or the day makes another key. Keyed by a digest, since the facts hold event
   * notes; bounded in entries, and emptied with the read models (an erasure, a purge, an import).
   */
  const assessments = new Map<string, Judged>();
  const MAX_KEPT_ASSESSMENTS = 5_000;

  /**
   * Judges a loaded case as of today: everything it reads came with the case (src/cases/case-load.repository.ts).
   * What it brings to the declaration figures is worked out from the same facts, to be stored with it.
   */
  function assess(loaded: LoadedCase, today: string): Judged {
    const { detail, campaignRules } = loaded;
    const facts = caseFactsOf(detail, campaignRules, loaded.priorSanctions);
    const key = createHash('sha256').update(JSON.stringify([facts, today])).digest('base64');
    const known = assessments.get(key);
    if (known) return known;
    const judged = { assessment: assessCase(facts, today), figures: storedFigureFacts(facts, today) };
    if (assessments.size >= MAX_KEPT_ASSESSMENTS) assessments.clear();
    assessments.set(key, judged);
    return judged;
  }

  /**
   * Recomputes what lists and dashboards read and stores it when it changed (or was not yet
   * computed today); returns the fresh assessment, with the case as loaded. Given a loaded case,
   * reads nothing more.
   */
  async function reassess(caseOrId: number | LoadedCase, attempt = 1): Promise<Assessed | undefined> {
    const loaded = typeof caseOrId === 'number' ? await cases.loadCase(caseOrId) : caseOrId;
    if (!loaded) return undefined;
    const { detail, stored } = loaded;
    const today = parisToday(now());
    const { assessment, figures } = assess(loaded, today);
    const status = statusFromEvents(detail.events);
    const fresh = {
      status,
      commitmentStatus: assessment.commitment.status,
      commitmentReasons: JSON.stringify(assessment.commitment.reasons),
      nextDeadlineDate: assessment.nextDeadline?.dueDate ?? null,
      nextDeadlineLabel: assessment.nextDeadline?.label ?? null,
      assessedOn: today,
      consultationsCount: detail.consultations.length,
      oddHoursCount: assessment.offHours.oddHours,
      ...figures,
      // The day it was opened never changes: worked out once.
      figureOpenedOn: stored.figureOpenedOn ?? openedOnOf(detail.createdAt),
      figureSite: detail.agent.site,
    };
    const differs = (keys: ReadonlyArray<keyof typeof fresh>) => keys.some((k) => stored[k] !== fresh[k]);
    if (differs(Object.keys(fresh) as Array<keyof typeof fresh>)) {
      const saved = await cases.saveAssessment(
        loaded.id,
        { assessment, status, consultationsCount: detail.consultations.length, today, figures: { ...figures, figureOpenedOn: fresh.figureOpenedOn, figureSite: fresh.figureSite } },
        { updatedAt: detail.updatedAt, stored },
      );
      // The case changed after it was read (a page loaded before an event was added, then viewed):
      // its older facts must not overwrite the newer ones; judged again from the case as it is now.
      if (!saved && attempt < 3) return reassess(loaded.id, attempt + 1);
      // Counts of consultations and the day of assessment show on the list, which is never cached.
      if (differs(['status', 'commitmentStatus', 'commitmentReasons', 'nextDeadlineDate', 'nextDeadlineLabel'])) readModels.invalidate(['assessments']);
      // The declaration figures add these up (src/declarations/figure-tally.repository.ts).
      if (differs([...(Object.keys(figures) as Array<keyof typeof figures>), 'figureSite'])) readModels.invalidate(['timeline']);
    }
    return {
      detail: { ...detail, status, commitmentStatus: assessment.commitment.status, commitmentReasons: assessment.commitment.reasons },
      assessment,
      loaded,
    };
  }

  /**
   * Sanctions in one case count as prior sanctions in the agent's other cases: after a change, the
   * case and each other case of its agent are judged again. Returns the case's new commitment status.
   */
  async function reassessAgentCases(caseId: number): Promise<CommitmentStatus | undefined> {
    const first = await reassess(caseId);
    if (!first) return undefined;
    for (const other of first.loaded.otherCases) await reassess(other.id);
    return first.detail.commitmentStatus;
  }

  /**
   * Deadlines move with the calendar: re-assess open cases not assessed today, and any case marked
   * for re-assessment, in batches.
   */
  async function refreshStale(batch = 500): Promise<number> {
    const today = parisToday(now());
    let total = 0;
    for (;;) {
      const ids = await cases.staleCaseIds(today, batch);
      if (ids.length === 0) return total;
      for (const id of ids) await reassess(id);
      total += ids.length;
    }
  }

  /** Whether the user may see the case; false when it does not exist, so callers answer 404 either way. */
  async function visibleRegion(user: User, caseId: number): Promise<boolean> {
    const region = await cases.regionOf(caseId);
    return maySeeCase(user, region === undefined ? undefined : { regionCode: region });
  }

  /** The whole case, once, if the user may see it (the case pages' loader); undefined otherwise. */
  async function load(user: User, caseId: number): Promise<LoadedCase | undefined> {
    return visibleTo(user, await cases.loadCase(caseId));
  }

  /** A view of a case is recorded in its access log: who read it, never what. */
  function recordView(user: User, caseId: number): Promise<void> {
    return audit.record({ actorUserId: user.id, action: 'view', entityType: 'case', entityId: caseId });
  }

  /** A timeline event's change and the case's, in one commit (one sync of the disk, not two). */
  function recordEventChange(user: User, action: 'create' | 'update' | 'delete', eventId: number, caseId: number): Promise<void> {
    return audit.recordMany([
      { actorUserId: user.id, action, entityType: 'case_event', entityId: eventId },
      { actorUserId: user.id, action: 'update', entityType: 'case', entityId: caseId },
    ]);
  }

  return {
    visibleRegion,
    load,
    recordView,
    reassess,

    /** Cases changed outside this service's own methods (an import's transaction): drop what was computed from them. */
    invalidateReadModels: () => {
      readModels.invalidate();
      assessments.clear();
    },

    async create(user: User, input: { agent: AgentInput | { existingId: number }; case: CaseInput }): Promise<number> {
      const id = await cases.create({ ...input, createdBy: user.id, now: now() });
      readModels.invalidate();
      await audit.record({ actorUserId: user.id, action: 'create', entityType: 'case', entityId: id });
      await reassessAgentCases(id);
      return id;
    },

    async update(user: User, caseId: number, input: { agent: AgentInput; case: CaseInput }): Promise<void> {
      await cases.update(caseId, { ...input, now: now() });
      readModels.invalidate();
      await audit.record({ actorUserId: user.id, action: 'update', entityType: 'case', entityId: caseId });
      await reassessAgentCases(caseId);
    },

    /**
     * Reads a case for display and records the consultation in the audit log. Given the case the
     * page's loader read (its visibility checked there), reads nothing more unless its stored
     * assessment is out of date; given an id, checks visibility itself.
     */
    async view(user: User, caseOrId: number | LoadedCase) {
      const loaded = typeof caseOrId === 'number' ? await load(user, caseOrId) : caseOrId;
      if (!loaded) return undefined;
      const result = await reassess(loaded);
      if (!result) return undefined;
      await recordView(user, loaded.id);
      return result;
    },

    /** The latest entries of each kind of a case's access log (changes, views), and how many entries it holds. */
    async journalExtract(caseId: number, limit: number) {
      const { others, views, total } = await audit.caseJournalHeads(caseId, limit);
      return { changes: { entries: describeJournal(others) }, views: { entries: describeJournal(views) }, total };
    },

    /**
     * One page of a case's access log: given the case the page's loader read and checked, or an id
     * (then undefined when the user may not see it). Reading who accessed a case is itself an access
     * to it, recorded as a view.
     */
    async readJournal(user: User, caseOrId: number | LoadedCase, page: { number: number; perPage: number }) {
      const kase = typeof caseOrId === 'number' ? await load(user, caseOrId) : caseOrId;
      if (!kase) return undefined;
      await recordView(user, kase.id);
      const total = await audit.countForCase(kase.id);
      const pages = Math.max(1, Math.ceil(total / page.perPage));
      const number = Math.min(Math.max(1, page.number), pages);
      const rows = await audit.forCase(kase.id, { limit: page.perPage, offset: (number - 1) * page.perPage });
      return { entries: describeJournal(rows), total, page: number, pages };
    },

    /** Adds an event to the timeline; returns the case's commitment status once judged again. */
    async addEvent(user: User, caseId: number, event: CaseEvent): Promise<TimelineChange> {
      const id = await cases.addEvent(caseId, event, user.id, now());
      readModels.invalidate(['timeline']);
      await recordEventChange(user, 'create', id, caseId);
      return { done: true, commitmentStatus: await reassessAgentCases(caseId) };
    },

    async correctEvent(user: User, caseId: number, eventId: number, event: CaseEvent): Promise<TimelineChange> {
      const ok = await cases.updateEvent(caseId, eventId, event, now());
      readModels.invalidate(['timeline']);
      if (!ok) return { done: false };
      await recordEventChange(user, 'update', eventId, caseId);
      return { done: true, commitmentStatus: await reassessAgentCases(caseId) };
    },

    async deleteEvent(user: User, caseId: number, eventId: number): Promise<TimelineChange> {
      const ok = await cases.deleteEvent(caseId, eventId, now());
      readModels.invalidate(['timeline']);
      if (!ok) return { done: false };
      await recordEventChange(user, 'delete', eventId, caseId);
      return { done: true, commitmentStatus: await reassessAgentCases(caseId) };
    },

    /** Adds the consultations the case does not have yet (never the same instant twice); returns how many were added. */
    async addConsultations(user: User, caseId: number, items: ConsultationInput[]): Promise<number> {
      const added = await cases.addConsultations(caseId, items, now());
      if (added === 0) return 0;
      readModels.invalidate(['timeline']);
      await audit.record({ actorUserId: user.id, action: 'update', entityType: 'case', entityId: caseId });
      await reassess(caseId);
      return added;
    },

    async deleteConsultation(user: User, caseId: number, consultationId: number): Promise<boolean> {
      const ok = await cases.deleteConsultation(caseId, consultationId, now());
      readModels.invalidate(['timeline']);
      if (!ok) return false;
      await audit.record({ actorUserId: user.id, action: 'update', entityType: 'case', entityId: caseId });
      await reassess(caseId);
      return true;
    },

    async exportRows(user: User, filters: CaseFilters) {
      const rows = await cases.exportRows(scopeOf(user), filters);
      // Each case the file carries is read by this export: it appears in that case's access log.
      await audit.recordMany([
        ...rows.map((r) => ({ actorUserId: user.id, action: 'export' as const, entityType: 'case', entityId: r.id })),
        { actorUserId: user.id, action: 'export', entityType: 'case_list', entityId: null },
      ]);
      return rows;
    },

    /** A campaign's commitment or window changed: every case of it is judged again, now. */
    async reassessCampaign(campaignId: number): Promise<number> {
      const ids = await cases.idsOfCampaign(campaignId);
      for (const id of ids) await reassess(id);
      readModels.invalidate();
      return ids.length;
    },

    refreshStale,

    /**
     * At start-up: when the assessment rules changed since the stored assessments were computed
     * (ASSESSMENT_RULES_VERSION), every case, closed ones too, is marked for re-assessment; then the
     * stale ones are re-assessed, as every day.
     */
    async refreshAtStart(batch = 500): Promise<{ marked: number; reassessed: number }> {
      const marked = await cases.markAssessmentsStale(ASSESSMENT_RULES_VERSION);
      const reassessed = await refreshStale(batch);
      return { marked, reassessed };
    },

    /** A read model another feature builds from many cases (declaration figures), dropped on any case change. */
    cached<T>(key: string, compute: () => Promise<T>): Promise<T> {
      return readModels.get(`shared:${key}`, ['cases', 'assessments', 'timeline'], compute);
    },

    /** One campaign's dashboard for this user's scope, computed once per change of the cases. */
    dashboard(user: User, campaign: Campaign): Promise<CampaignDashboard> {
      const scope = scopeOf(user);
      const today = parisToday(now());
      const key = JSON.stringify([campaign.id, campaign.updatedAt, today, scope]);
      // Situations are the cases' own data: their counts outlive the many timeline changes that
      // move assessments, and were half of a dashboard's recomputation (npm run bench, 50 000 cases).
      const bySituation = () => readModels.get(`dashboard-situations:${JSON.stringify([campaign.id, scope])}`, ['cases'], () => cases.countBySituation(scope, { campaignId: campaign.id }));
      return readModels.get(`dashboard:${key}`, LISTED, () => campaignDashboard(cases, scope, campaign, today, bySituation()));
    },

    /** Counts per commitment status and per situation under the list's filters, and the sites in scope. */
    listFacets(user: User, filters: CaseFilters) {
      const scope = scopeOf(user);
      const byStatus = readModels.get(`facets-commitment:${JSON.stringify([scope, filters])}`, LISTED, () => cases.countByCommitment(scope, filters));
      // Counted on the cases' own data unless a filter reads what timelines move (as the dashboard's).
      const bySituation = readModels.get(`facets-situation:${JSON.stringify([scope, filters])}`, readsTimelineFacts(filters) ? LISTED : ['cases'], () =>
        cases.countBySituation(scope, filters),
      );
      const counts = Promise.all([byStatus, bySituation]).then(([s, c]) => ({ byStatus: s, bySituation: c }));
      // Sites are the agents', whatever happens on their timelines.
      const sites = readModels.get(`sites:${JSON.stringify(scope)}`, ['cases'], () => cases.sitesOf(scope));
      return Promise.all([counts, sites]).then(([c, s]) => ({ ...c, sites: s }));
    },

    scopeOf,
  };
}

export type CasesService = ReturnType<typeof createCasesService>;

/** A case's assessment, and what it brings to the declaration figures, from the same facts. */
interface Judged {
  assessment: CaseAssessment;
  figures: StoredFigureFacts;
}

/** A case judged again: its detail with the fresh status, the assessment, and the case as loaded. */
export interface Assessed {
  detail: CaseDetail;
  assessment: CaseAssessment;
  loaded: LoadedCase;
}

/** What a change to a timeline did: whether it was made, and the case's commitment status after it. */
export interface TimelineChange {
  done: boolean;
  commitmentStatus?: CommitmentStatus;
}
export type { Scope };

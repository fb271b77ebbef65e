import type { AuditLog } from '../audit/audit.repository';
import type { Region, RegionsRepository } from '../regions/regions.repository';
import type { RequestsRepository } from '../requests/requests.repository';
import { inScope, scopeOf } from '../access/scope';
import type { User } from '../access/user';
import { assignableReps } from '../domain/case-reps';
import { parisToday } from '../domain/french-dates';
import type { LoadedCase } from './case-load.repository';
import type { CaseFilters, CaseSort, CasesRepository } from './cases.repository';
import type { CasesService } from './cases.service';
import type { AgentInput, CaseInput, ConsultationInput } from './cases.types';

/**
 * The cases feature's face to its pages (src/cases/*.routes.ts): every read and write they make goes
 * through here, audit entries included, so that no route reaches a repository or another feature.
 */
export interface CasePagesDeps {
  cases: CasesService;
  repository: Pick<CasesRepository, 'list' | 'choices' | 'findAgent' | 'findAgentsByName' | 'casesOfAgent'>;
  regions: Pick<RegionsRepository, 'list' | 'nameOf'>;
  /** The few request methods opening a case from a support request needs. */
  requests: Pick<RequestsRepository, 'findById' | 'setStatus' | 'assign'>;
  audit: AuditLog;
  now: () => Date;
}

export type SupportRequest = NonNullable<Awaited<ReturnType<RequestsRepository['findById']>>>;

export function createCasePages(deps: CasePagesDeps) {
  const { cases, repository, regions, requests, audit, now } = deps;

  async function regionsInScope(user: User): Promise<Region[]> {
    const all = await regions.list();
    return user.role === 'admin' ? all : all.filter((r) => user.regions.includes(r.code));
  }

  /** The agent of that id, if the user may see them. */
  async function agentFor(user: User, agentId: number) {
    const agent = await repository.findAgent(agentId);
    return agent && inScope(scopeOf(user), agent.regionCode) ? agent : undefined;
  }

  /** A support request the user may see, open or not (the creation form shows it). */
  async function requestFor(user: User, requestId: number): Promise<SupportRequest | undefined> {
    const request = await requests.findById(requestId);
    return request && inScope(scopeOf(user), request.regionCode) ? request : undefined;
  }

  return {
    load: cases.load,
    update: cases.update,
    addConsultations: cases.addConsultations,
    deleteConsultation: cases.deleteConsultation,
    addEvent: cases.addEvent,
    correctEvent: cases.correctEvent,
    deleteEvent: cases.deleteEvent,
    readJournal: cases.readJournal,
    listFacets: cases.listFacets,
    exportRows: cases.exportRows,
    regionsInScope,
    agentFor,
    requestFor,

    /** A request this user may turn into a case: still without one. */
    async linkableRequest(user: User, requestId: number): Promise<SupportRequest | undefined> {
      const request = await requestFor(user, requestId);
      return request && request.caseId === null ? request : undefined;
    },

    /** What the case form and the list's filters offer this user: regions in scope, campaigns, reps they may assign. */
    async choices(user: User) {
      const [scopeRegions, { campaigns, people }] = await Promise.all([regionsInScope(user), repository.choices()]);
      return { regions: scopeRegions, campaigns, reps: assignableReps(people, scopeRegions.map((r) => r.code)) };
    },

    /** One page of the list under the user's scope. */
    list(user: User, filters: CaseFilters, options: { sort: CaseSort; page: number; perPage: number }) {
      return repository.list(scopeOf(user), filters, options);
    },

    /** Names of every region, by code (the export names regions). */
    async regionNames(): Promise<Map<string, string>> {
      return new Map((await regions.list()).map((r) => [r.code, r.name]));
    },

    /** Agents of the region who may be the same person as the one typed, each with their cases. */
    async namesakes(agent: AgentInput) {
      const found = await repository.findAgentsByName(agent.regionCode, agent.fullName, {
        emails: [agent.proEmail, agent.personalEmail],
        phone: agent.phone,
      });
      return Promise.all(found.map(async (a) => ({ ...a, cases: await repository.casesOfAgent(a.id) })));
    },

    /**
     * Opens a case, for a new agent or one already followed (whom the user must be able to see),
     * optionally from a support request: the request becomes the case's first step, is marked as
     * turned into this case and assigned to the user if nobody had it. Then the consultations
     * typed with the form are added. Returns the case's id and how many consultations were added,
     * or undefined when the agent named is not one the user may see.
     */
    async openCase(
      user: User,
      input: { agent: AgentInput | { existingId: number }; case: CaseInput; consultations: ConsultationInput[]; request?: SupportRequest },
    ): Promise<{ id: number; added: number } | undefined> {
      if ('existingId' in input.agent && !(await agentFor(user, input.agent.existingId))) return undefined;
      const id = await cases.create(user, { agent: input.agent, case: input.case });
      const { request } = input;
      if (request) {
        // The request becomes the case's first step: « demande d'accompagnement » on the day it came.
        await cases.addEvent(user, id, { type: 'support_requested', date: parisToday(new Date(request.createdAt)), note: `Demande ${request.reference}` });
        await requests.setStatus(request.id, 'case_opened', now(), { caseId: id });
        if (!request.assignedUserId) await requests.assign(request.id, user.id, now());
        await audit.record({ actorUserId: user.id, action: 'update', entityType: 'support_request', entityId: request.id });
      }
      const added = await cases.addConsultations(user, id, input.consultations);
      return { id, added };
    },

    /**
     * The case page's data, for a case the page's loader read and checked: the case judged as of
     * today, the agent's other cases, the region's name and the extract of its access log. The view
     * is recorded first, so that the extract shows it.
     */
    async show(user: User, kase: LoadedCase, journalSize: number) {
      const viewed = await cases.view(user, kase);
      if (!viewed) return undefined;
      const [regionName, journal] = await Promise.all([regions.nameOf(kase.detail.agent.regionCode), cases.journalExtract(kase.id, journalSize)]);
      return { ...viewed, otherCases: kase.otherCases, regionName, journal };
    },

    /** A form showing the case's data (its edit form, an event's) is a view of it, recorded as such. */
    recordView: cases.recordView,
  };
}

export type CasePages = ReturnType<typeof createCasePages>;

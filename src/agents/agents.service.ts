import { createAuditLog, type AuditLog } from '../audit/audit.repository';
import { tryCheckpointAndTruncate } from '../db/checkpoint';
import type { DB } from '../db/database';
import type { DocumentModel } from '../documents/model';
import type { RegionsRepository } from '../regions/regions.repository';
import type { User } from '../access/user';
import { inScope, scopeOf } from '../access/scope';
import { searchName } from '../cases/search-name';
import { agentExportDocument, auditActor } from './agent-export-document';
import type { AgentFootprint, AgentRecords, AgentsRepository, ErasedCounts } from './agents.repository';

export interface AgentsDeps {
  db: DB;
  agents: AgentsRepository;
  regions: RegionsRepository;
  audit: AuditLog;
  /** Called once an erasure has committed: lists and dashboards computed from cases are stale. */
  casesChanged: () => void;
  now: () => Date;
}

/** What the agent's page and the erasure's confirmation show: ids, counts, no content beyond the name. */
export interface AgentOverview {
  footprint: AgentFootprint;
  counts: ErasedCounts;
  cases: Array<{ id: number; campaignName: string; status: 'open' | 'closed' }>;
  requests: Array<{ id: number; reference: string }>;
  auditEntries: number;
}

export type EraseOutcome =
  | { ok: true; counts: ErasedCounts; walTruncated: boolean }
  /** The typed name does not match: nothing erased. */
  | { ok: false; reason: 'confirmation' }
  /** Cases or requests were added or removed since the confirmation page: nothing erased. */
  | { ok: false; reason: 'changed' }
  /** A CSV import is being written, whose file may name the agent: nothing erased, try again after it. */
  | { ok: false; reason: 'import-running' };

/**
 * One agent's data: seeing what is held, exporting all of it (JSON and a PDF summary) and erasing it.
 *
 * Who: a user who may see every one of the agent's records — admins, or reps covering the agent's
 * region and the region of each of their cases and requests. Anyone else is told the agent does not
 * exist. Erasing is for administrators only (see README, « One agent's data »).
 */
export function createAgentsService(deps: AgentsDeps) {
  const { db, agents, regions, audit, now } = deps;

  /** The agent's footprint if this user may see all of it; undefined otherwise, whatever the reason. */
  async function visibleFootprint(user: User, agentId: number): Promise<AgentFootprint | undefined> {
    const foot = await agents.footprint(agentId);
    if (!foot) return undefined;
    const scope = scopeOf(user);
    return foot.regions.every((code) => inScope(scope, code)) ? foot : undefined;
  }

  async function overviewOf(foot: AgentFootprint): Promise<AgentOverview> {
    const records = await agents.records(foot.agentId);
    if (!records) throw new Error(`agent ${foot.agentId} vanished`);
    return {
      footprint: foot,
      counts: await agents.counts(foot),
      cases: records.cases.map((c) => ({ id: c.id, campaignName: c.campaignName, status: c.status })),
      requests: records.requests.map((r) => ({ id: r.id, reference: r.reference })),
      auditEntries: records.audit.length,
    };
  }

  /** Records an export of the agent and of each of their cases and requests. */
  async function recordExport(user: User, foot: AgentFootprint): Promise<void> {
    await audit.recordMany([
      { actorUserId: user.id, action: 'export', entityType: 'agent', entityId: foot.agentId },
      ...foot.caseIds.map((id) => ({ actorUserId: user.id, action: 'export' as const, entityType: 'case', entityId: id })),
      ...foot.requestIds.map((id) => ({ actorUserId: user.id, action: 'export' as const, entityType: 'support_request', entityId: id })),
    ]);
  }

  async function readForExport(user: User, agentId: number): Promise<AgentRecords | undefined> {
    const foot = await visibleFootprint(user, agentId);
    if (!foot) return undefined;
    const records = await agents.records(agentId);
    if (!records) return undefined;
    await recordExport(user, foot);
    return records;
  }

  /** The agent's page: what is held, in counts. Recorded as a view of the agent. */
  async function overview(user: User, agentId: number): Promise<AgentOverview | undefined> {
    const foot = await visibleFootprint(user, agentId);
    if (!foot) return undefined;
    await audit.record({ actorUserId: user.id, action: 'view', entityType: 'agent', entityId: agentId });
    return overviewOf(foot);
  }

  return {
    visibleFootprint,
    overview,

    /** Everything held about the agent, as a JSON-ready object. Recorded as an export. */
    async exportJson(user: User, agentId: number): Promise<Record<string, unknown> | undefined> {
      const records = await readForExport(user, agentId);
      return records && exportObject(records, user, now());
    },

    /** The same, as a document to render in PDF. Recorded as an export. */
    async exportDocument(user: User, agentId: number): Promise<DocumentModel | undefined> {
      const records = await readForExport(user, agentId);
      if (!records) return undefined;
      const regionNames = new Map((await regions.list()).map((r) => [r.code, r.name]));
      return agentExportDocument({ records, regionNames, exportedBy: user.name, now: now() });
    },

    /** The erasure's confirmation page, for administrators. Recorded as a view of the agent. */
    async erasurePreview(user: User, agentId: number): Promise<AgentOverview | undefined> {
      if (user.role !== 'admin') return undefined;
      return overview(user, agentId);
    },

    /**
     * Erases the agent and everything about them but the audit log, whose entries name no content;
     * records the erasure (ids only), then empties the write-ahead log so that the erased pages do
     * not linger in vigie.db-wal. `expected` is what the confirmation page showed.
     */
    async erase(
      user: User,
      agentId: number,
      input: { confirmName: string; caseIds: number[]; requestIds: number[] },
    ): Promise<EraseOutcome | undefined> {
      if (user.role !== 'admin') return undefined;
      const foot = await agents.footprint(agentId);
      if (!foot) return undefined;
      if (!sameName(input.confirmName, foot.fullName)) return { ok: false, reason: 'confirmation' };
      const counts = await agents.erase(agentId, input, async (conn, erased) => {
        // On the transaction's connection: the erasure and its trace commit together, or neither.
        await createAuditLog(conn, now).recordMany([
          { actorUserId: user.id, action: 'delete', entityType: 'agent', entityId: erased.agentId },
          ...erased.caseIds.map((id) => ({ actorUserId: user.id, action: 'delete' as const, entityType: 'case', entityId: id })),
          ...erased.requestIds.map((id) => ({ actorUserId: user.id, action: 'delete' as const, entityType: 'support_request', entityId: id })),
        ]);
      });
      if (counts === 'import-running') return { ok: false, reason: 'import-running' };
      if (!counts) return (await agents.footprint(agentId)) ? { ok: false, reason: 'changed' } : undefined;
      deps.casesChanged();
      return { ok: true, counts, walTruncated: await tryCheckpointAndTruncate(db) };
    },
  };
}

export type AgentsService = ReturnType<typeof createAgentsService>;

/** The typed confirmation: the agent's name, whatever the case, accents or spacing. */
export function sameName(typed: string, fullName: string): boolean {
  const a = searchName(typed);
  return a.length > 0 && a === searchName(fullName);
}

const parseJson = (value: string): unknown => {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};

/**
 * The JSON export: every column of every record, grouped by case and request. Text columns holding
 * JSON (commitment reasons, brief documents) are given as JSON. Audit entries: who, when, what.
 */
export function exportObject(records: AgentRecords, user: Pick<User, 'name'>, at: Date): Record<string, unknown> {
  return {
    format: 'vigie-agent-data',
    version: 1,
    exportedAt: at.toISOString(),
    exportedBy: user.name,
    about:
      'Toutes les données que Vigie détient sur cet agent : l’agent, ses dossiers (situations, représentant·es, suivi, consultations signalées, ' +
      'argumentaires), les demandes d’accompagnement reliées à ses dossiers avec leurs messages, et les entrées du journal d’audit qui les concernent ' +
      '(qui, quand, quelle action ; jamais le contenu). Les consultations ne portent jamais l’identité d’un·e demandeur·se d’emploi.',
    agent: records.agent,
    cases: records.cases.map((c) => ({
      ...c,
      commitmentReasons: parseJson(c.commitmentReasons),
      situations: records.situations.filter((s) => s.caseId === c.id).map((s) => s.situationCode),
      reps: records.reps.filter((r) => r.caseId === c.id).map((r) => ({ userId: r.userId, name: r.name })),
      events: records.events.filter((e) => e.caseId === c.id),
      consultations: records.consultations.filter((x) => x.caseId === c.id),
      briefVersions: records.briefVersions
        .filter((b) => b.caseId === c.id)
        .map((b) => ({ ...b, argumentIds: parseJson(b.argumentIds), document: parseJson(b.document) })),
    })),
    supportRequests: records.requests.map((r) => ({ ...r, messages: records.messages.filter((m) => m.requestId === r.id) })),
    audit: records.audit.map((a) => ({ at: a.at, actor: auditActor(a), action: a.action, entityType: a.entityType, entityId: a.entityId })),
  };
}

import type { User } from '../access/user';
import { inScope, scopeOf } from '../access/scope';
import type { AuditLog } from '../audit/audit.repository';
import type { SupportRequestStatus } from '../db/schema';
import { staleSince } from '../domain/support-requests';
import type { UsersRepository } from '../users/users.repository';
import { type RequestInput, type RequestsRepository, newFollowUpToken } from './requests.repository';

export interface RequestsDeps {
  requests: RequestsRepository;
  users: Pick<UsersRepository, 'findById' | 'listAssignable'>;
  audit: AuditLog;
  now: () => Date;
}

export type SupportRequest = NonNullable<Awaited<ReturnType<RequestsRepository['findById']>>>;
type Contact = Parameters<RequestsRepository['updateContact']>[1];

/** An agent's actions go to the audit log under this label: they have no account. */
const PUBLIC = { actorUserId: null, actorLabel: 'public' } as const;

/**
 * Support requests: what representatives do with them (queue, take, answer, close, merge) and what
 * the agent who sent one does through its private link. Every access is audited here; nothing here
 * knows about HTTP, sessions or e-mail.
 */
export function createRequestsService({ requests, users, audit, now }: RequestsDeps) {
  const touched = (actor: User, requestId: number) =>
    audit.record({ actorUserId: actor.id, action: 'update', entityType: 'support_request', entityId: requestId });
  const touchedByAgent = (requestId: number) => audit.record({ ...PUBLIC, action: 'update', entityType: 'support_request', entityId: requestId });

  return {
    queue(user: User, filters: { status?: SupportRequestStatus; region?: string }) {
      return requests.queue(scopeOf(user), filters);
    },

    /** For the dashboard: requests of the user's regions nobody took for too long. */
    countStale(user: User): Promise<number> {
      return requests.countUnassignedSince(scopeOf(user), staleSince(now()));
    },

    /** The request if it is in the user's regions; undefined otherwise, whatever the reason. */
    async visibleTo(user: User, id: number): Promise<SupportRequest | undefined> {
      const request = await requests.findById(id);
      return request && inScope(scopeOf(user), request.regionCode) ? request : undefined;
    },

    /** What the request's page shows besides the request; the view is audited. */
    async openedBy(user: User, request: SupportRequest) {
      await audit.record({ actorUserId: user.id, action: 'view', entityType: 'support_request', entityId: request.id });
      const reps = (await users.listAssignable()).filter((u) => u.role === 'admin' || u.regions.includes(request.regionCode));
      return { reps, messages: await requests.messages(request.id) };
    },

    /** Gives the request to an active representative of its region (or an admin); undefined if that account may not take it. */
    async assign(actor: User, request: SupportRequest, assigneeId: number | undefined) {
      const assignee = assigneeId === undefined ? undefined : await users.findById(assigneeId);
      if (!assignee || assignee.status !== 'active' || (assignee.role !== 'admin' && !assignee.regions.includes(request.regionCode))) return undefined;
      await requests.assign(request.id, assignee.id, now());
      await touched(actor, request.id);
      return assignee;
    },

    /** A representative's answer; a request nobody had taken is taken by whoever answers. */
    async reply(actor: User, request: SupportRequest, body: string): Promise<void> {
      await requests.addMessage(request.id, 'rep', actor.id, body, now());
      if (request.status === 'received') await requests.assign(request.id, request.assignedUserId ?? actor.id, now());
      await touched(actor, request.id);
    },

    /** Merges the request into another of the user's regions; false when no such other request exists. */
    async markDuplicate(actor: User, request: SupportRequest, reference: string): Promise<boolean> {
      const other = await requests.findByReference(reference);
      if (!other || other.id === request.id || !inScope(scopeOf(actor), other.regionCode)) return false;
      await requests.setStatus(request.id, 'duplicate', now(), { duplicateOf: other.id });
      await touched(actor, request.id);
      return true;
    },

    async close(actor: User, request: SupportRequest): Promise<void> {
      await requests.setStatus(request.id, 'closed', now());
      await touched(actor, request.id);
    },

    /** Stores what an agent sent, with a new private follow-up link returned only here. */
    async submit(input: RequestInput): Promise<{ id: number; reference: string; token: string }> {
      const token = newFollowUpToken();
      const created = await requests.create(input, token, now());
      await audit.record({ ...PUBLIC, action: 'create', entityType: 'support_request', entityId: created.id });
      return { ...created, token };
    },

    findById(id: number): Promise<SupportRequest | undefined> {
      return requests.findById(id);
    },

    /** A new follow-up link for the request; the previous one stops working. */
    async renewLink(requestId: number): Promise<string> {
      const token = newFollowUpToken();
      await requests.replaceToken(requestId, token, now());
      await touchedByAgent(requestId);
      return token;
    },

    byToken(token: string) {
      return requests.findByToken(token);
    },

    /** The messages of the follow-up page, its view audited. */
    async followedUp(request: { id: number }) {
      const messages = await requests.messages(request.id);
      await audit.record({ ...PUBLIC, action: 'view', entityType: 'support_request', entityId: request.id });
      return messages;
    },

    async agentMessage(request: { id: number }, body: string): Promise<void> {
      await requests.addMessage(request.id, 'agent', null, body, now());
      await touchedByAgent(request.id);
    },

    async updateContact(request: { id: number }, contact: Contact): Promise<void> {
      await requests.updateContact(request.id, contact, now());
      await touchedByAgent(request.id);
    },

    async erase(request: { id: number }): Promise<void> {
      await requests.erase(request.id);
      await audit.record({ ...PUBLIC, action: 'delete', entityType: 'support_request', entityId: request.id });
    },
  };
}

export type RequestsService = ReturnType<typeof createRequestsService>;

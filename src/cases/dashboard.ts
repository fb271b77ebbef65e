import { DateTime } from 'luxon';
import type { Campaign } from '../campaigns/campaigns.repository';
import { COMMITMENT_STATUS_LABELS } from '../domain/commitment';
import { SITUATIONS } from '../domain/situations';
import type { CasesRepository } from './cases.repository';
import { commitmentView } from './case-presenter';
import { listHref } from './list-query';
import type { Scope } from '../access/scope';

export const DEADLINE_WINDOW_DAYS = 14;

/** One campaign's figures for the home page, each linked to the filtered list that explains it. */
export type CampaignDashboard = Awaited<ReturnType<typeof campaignDashboard>>;

/** `situationCounts`: the cases in scope per situation, which the caller may keep longer than the rest. */
export async function campaignDashboard(cases: CasesRepository, scope: Scope, campaign: Campaign, today: string, situationCounts: Promise<Map<string, number>>) {
  const base = { campaignId: campaign.id };
  const day = DateTime.fromISO(today);
  const week = { interviewFrom: day.startOf('week').toISODate()!, interviewTo: day.endOf('week').toISODate()! };
  const soon = { deadlineFrom: today, deadlineTo: day.plus({ days: DEADLINE_WINDOW_DAYS }).toISODate()! };
  const [byStatus, bySituation, breached, deadlines, unassigned, interviews] = await Promise.all([
    cases.countByCommitment(scope, base),
    situationCounts,
    cases.list(scope, { ...base, commitment: 'breached' }, { sort: 'recent', page: 1, perPage: 5 }),
    cases.list(scope, { ...base, ...soon, status: 'open' }, { sort: 'deadline', page: 1, perPage: 5 }),
    cases.count(scope, { ...base, rep: 'none', status: 'open' }),
    cases.count(scope, { ...base, ...week, status: 'open' }),
  ]);
  const q = { campagne: campaign.id };
  const total = byStatus.breached + byStatus.at_risk + byStatus.respected;
  return {
    campaign,
    total,
    allHref: listHref(q, {}),
    statuses: (['breached', 'at_risk', 'respected'] as const).map((code) => ({
      code,
      label: COMMITMENT_STATUS_LABELS[code],
      count: byStatus[code],
      badge: commitmentView(code).badge,
      href: listHref(q, { engagement: code }),
    })),
    situations: SITUATIONS.filter((s) => bySituation.has(s.code) || campaign.situations.includes(s.code)).map((s) => ({
      label: s.label,
      count: bySituation.get(s.code) ?? 0,
      href: listHref(q, { situation: s.code }),
    })),
    breaches: {
      total: breached.total,
      href: listHref(q, { engagement: 'breached' }),
      items: breached.items.map((item) => ({
        id: item.id,
        agentName: item.agentName,
        reasons: item.commitmentReasons.filter((r) => r.level === 'breach').map((r) => r.text),
      })),
    },
    // Only what the stored assessment carries: the cache keeps this until an assessment changes.
    deadlines: {
      total: deadlines.total,
      items: deadlines.items.map(({ id, agentName, nextDeadlineDate, nextDeadlineLabel }) => ({ id, agentName, nextDeadlineDate, nextDeadlineLabel })),
      href: listHref(q, { echeance: DEADLINE_WINDOW_DAYS, etat: 'ouverts', tri: 'echeance' }) },
    unassigned: { total: unassigned, href: listHref(q, { rep: 'aucun', etat: 'ouverts' }) },
    interviews: { total: interviews, href: listHref(q, { entretiens: 'semaine', etat: 'ouverts', tri: 'entretien' }) },
  };
}

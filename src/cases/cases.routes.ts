import { Router, type Request, type Response } from 'express';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Services } from '../services';
import { type LineProblem, describeLineProblems, duplicatesSummary } from '../domain/consultation-lines';
import { FOLD_LABELS } from '../domain/local-time';
import { DEPARTMENTS, PARIS_TERRITORY, type Territory, departmentLabel, territoryOf } from '../domain/territories';
import { typedAndStoredText } from '../domain/typed-clock';
import { parisToday } from '../domain/french-dates';
import { SITUATIONS } from '../domain/situations';
import { COMMITMENT_STATUS_LABELS, type CommitmentStatus } from '../domain/commitment';
import { notFound } from '../web/errors';
import { flash } from '../web/flash';
import { currentUser, requireUser } from '../web/guards';
import { idParam, parseForm } from '../web/validation';
import type { User } from '../access/user';
import { CASE_FORM_OPTIONS, commitmentView, pastedListHint, presentCase } from './case-presenter';
import { agentFormValues, assignableReps, caseFormValues, repsOutsideRegion, toInputs } from './case-form';
import { CONSULTATION_EXAMPLE, bulkConsultationsSchema, caseFormSchema, consultationSchema, eventSchema } from './cases.schemas';
import { duplicateEventMessage, identicalEvent } from './event-duplicates';
import type { AgentInput, ConsultationInput } from './cases.types';
import { toCsv } from './cases-csv';
import { listHref, readListQuery } from './list-query';
import { inScope, scopeOf } from '../access/scope';
import type { RequestInput } from '../requests/requests.repository';

const PER_PAGE = 25;
/** Entries of each column of the journal on the case page; the rest is on /dossiers/:id/journal. */
const JOURNAL_ON_PAGE = 10;
const JOURNAL_PER_PAGE = 50;
/** A page number from the query string; anything else reads as the first page. */
const pageParam = z.coerce.number().int().min(1).max(1_000_000).catch(1);

type FormState = { values: Record<string, unknown>; errors: Record<string, string> };

/** Every line of a pasted list, each with what the rep said of them all and the clock it was typed in. */
function pastedConsultations(instants: readonly string[], about: Omit<ConsultationInput, 'at'>): ConsultationInput[] {
  return instants.map((at) => ({ at, ...about }));
}

/** The answers to « which of the two ? » for a time the clocks passed twice. */
const FOLD_CHOICES = [
  { code: 'summer', label: `${FOLD_LABELS.summer} (la première)` },
  { code: 'winter', label: `${FOLD_LABELS.winter} (la seconde)` },
];

/** How many typed-and-stored pairs a flash names before « … et N autres ». */
const CONVERSIONS_LISTED = 5;

/**
 * When times were typed in another clock than the agent's (Paris time, by the rep's choice): what
 * each became in the agent's clock, « 14/05/2024 22:10 heure de Paris, soit 16:10 heure de la Martinique ».
 */
function conversions(instants: readonly string[], typedZone: string, agent: Territory): string {
  if (typedZone === agent.zone || instants.length === 0) return '';
  const listed = instants.slice(0, CONVERSIONS_LISTED).map((at) => typedAndStoredText(at, typedZone, agent));
  const more = instants.length - listed.length;
  return ` : ${listed.join(' ; ')}${more > 0 ? ` ; et ${more} autre(s)` : ''}`;
}

/** After a pasted list: how many were added (in which clock), and which lines were not, being already there. */
function flashPasted(req: Request, added: number, pasted: { instants: readonly string[]; duplicates: readonly LineProblem[]; typedZone: string }, agent: Territory): void {
  const { duplicates } = pasted;
  if (added > 0 || duplicates.length === 0) flash(req, 'success', `${added} consultation(s) ajoutée(s)${added > 0 ? conversions(pasted.instants, pasted.typedZone, agent) : ''}.`);
  if (duplicates.length === 0) return;
  const summary = duplicatesSummary(duplicates);
  flash(req, 'info', summary ? `Non ajoutées, car déjà saisies : ${summary}.` : `Non ajoutée(s), car déjà saisie(s) : ${describeLineProblems(duplicates)}.`);
}

/** « Heures saisies en » : offered only for an agent outside Paris time, the agent's clock first. */
function clockChoices(agentClock: string) {
  return [
    { code: 'agent', label: agentClock },
    { code: 'paris', label: PARIS_TERRITORY.zoneLabel },
  ];
}

export function casesRoutes(services: Services): Router {
  const router = Router();
  const { cases, casesService, campaigns, regions, users, audit, now } = services;
  router.use('/dossiers', requireUser);

  async function regionsInScope(user: User) {
    const all = await regions.list();
    return user.role === 'admin' ? all : all.filter((r) => user.regions.includes(r.code));
  }

  async function assignable(user: User) {
    const scope = await regionsInScope(user);
    return assignableReps(await users.listAssignable(), scope.map((r) => r.code));
  }

  /** The case id if it exists and the user may see it; 404 otherwise, whichever the reason. */
  async function visibleCaseId(req: Request, res: Response): Promise<number> {
    const id = idParam.safeParse(req.params.id);
    if (!id.success || !(await casesService.visibleRegion(currentUser(res), id.data))) throw notFound();
    return id.data;
  }

  /** The agent a new case is opened for, when already followed and within the user's regions. */
  async function followedAgent(user: User, values: Record<string, unknown> | undefined) {
    const agentId = idParam.safeParse(values?.existingAgentId);
    const agent = agentId.success ? await cases.findAgent(agentId.data) : undefined;
    return agent && inScope(scopeOf(user), agent.regionCode) ? agent : undefined;
  }

  async function renderCaseForm(res: Response, locals: Record<string, unknown>, status = 200) {
    const user = currentUser(res);
    const [regionList, campaignList, repList] = await Promise.all([regionsInScope(user), campaigns.list(), assignable(user)]);
    const regionNames = new Map(regionList.map((r) => [r.code, r.name]));
    const followed = locals.isNew ? await followedAgent(user, locals.values as Record<string, unknown> | undefined) : undefined;
    // « Heures saisies en » on the creation form: for an agent followed outside Paris time, or when the user may open a case there.
    const followedZone = followed ? territoryOf(followed.regionCode, followed.departmentCode) : undefined;
    const agentClock = followedZone
      ? followedZone.zone === PARIS_TERRITORY.zone
        ? null
        : `${followedZone.zoneLabel} (heure de l’agent)`
      : regionList.some((r) => territoryOf(r.code).zone !== PARIS_TERRITORY.zone)
        ? 'heure locale de l’agent'
        : null;
    res.status(status).render('cases/form', {
      options: CASE_FORM_OPTIONS,
      situations: SITUATIONS,
      consultationsHint: locals.isNew ? pastedListHint(regionList.map((r) => r.code), followed) : '',
      consultationsClocks: locals.isNew && agentClock ? clockChoices(agentClock) : null,
      choices: {
        regions: regionList.map((r) => ({ code: r.code, label: r.name })),
        // One group per region the user may choose: a département of another region is refused anyway.
        departments: regionList
          .map((r) => ({ label: r.name, options: DEPARTMENTS.filter((d) => d.region === r.code).map((d) => ({ code: d.code, label: departmentLabel(d.code) })) }))
          .filter((g) => g.options.length > 0),
        campaigns: campaignList.map((c) => ({ code: String(c.id), label: c.status === 'closed' ? `${c.name} (terminée)` : c.name })),
        reps: repList.map((r) => ({
          code: String(r.id),
          label: `${r.name}${r.regions.length ? ` (${r.regions.map((c) => regionNames.get(c) ?? c).join(', ')})` : ''}`,
        })),
        weekdays: CASE_FORM_OPTIONS.weekdays.map((w) => ({ code: String(w.day), label: w.label })),
        yesNo: [
          { code: 'yes', label: 'Oui' },
          { code: 'no', label: 'Non' },
        ],
      },
      ...locals,
      values: { consultationsClock: 'agent', ...(locals.values as Record<string, unknown> | undefined) },
    });
  }

  async function validateCaseForm(req: Request, res: Response) {
    const user = currentUser(res);
    const [scopeRegions, campaignList, repList] = await Promise.all([regionsInScope(user), campaigns.list(), assignable(user)]);
    // A new case for an agent already followed: their consultations are read in their own clock.
    const followed = await followedAgent(user, req.body as Record<string, unknown> | undefined);
    const form = parseForm(
      caseFormSchema({
        regionCodes: scopeRegions.map((r) => r.code),
        campaignIds: campaignList.map((c) => c.id),
        repIds: repList.map((r) => r.id),
        today: parisToday(now()),
        agentTerritory: followed ? territoryOf(followed.regionCode, followed.departmentCode) : undefined,
      }),
      req.body,
    );
    if (!form.ok) return form;
    // A case for an agent already followed takes that agent's region, whatever the form says.
    const existing = form.data.existingAgentId ? await cases.findAgent(form.data.existingAgentId) : undefined;
    const caseRegion = existing?.regionCode ?? form.data.regionCode;
    const repsOutOfRegion = repsOutsideRegion(repList, form.data.repIds, caseRegion);
    if (repsOutOfRegion.length > 0) {
      return {
        ok: false as const,
        values: form.values,
        errors: { repIds: `${repsOutOfRegion.map((r) => r.name).join(', ')} ne suit pas la région de cet agent.` },
      };
    }
    return form;
  }

  // ---- list and export ----

  router.get('/dossiers', async (req, res) => {
    const user = currentUser(res);
    const today = parisToday(now());
    const { query, filters, sort, page } = readListQuery(req.query, today);
    const scope = scopeOf(user);
    const [{ items, total }, { byStatus, bySituation, sites }, campaignList, regionList, reps] = await Promise.all([
      cases.list(scope, filters, { sort, page, perPage: PER_PAGE }),
      casesService.listFacets(user, filters),
      campaigns.list(),
      regionsInScope(user),
      assignable(user),
    ]);
    const pages = Math.max(1, Math.ceil(total / PER_PAGE));
    const activeFilters = Object.entries(query).filter(([k, v]) => v !== undefined && k !== 'page' && k !== 'tri').length;
    res.render('cases/list', {
      title: 'Dossiers',
      query,
      total,
      items: items.map((i) => ({
        ...i,
        regionName: regionList.find((r) => r.code === i.regionCode)?.name ?? i.regionCode,
        commitment: commitmentView(i.commitmentStatus),
        situationLabels: i.situations.map((s) => SITUATIONS.find((x) => x.code === s)?.label ?? s),
      })),
      statusFacets: (['breached', 'at_risk', 'respected'] as const).map((code) => ({
        code,
        label: COMMITMENT_STATUS_LABELS[code],
        count: byStatus[code],
        href: listHref(query, { engagement: query.engagement === code ? undefined : code, page: undefined }),
        active: query.engagement === code,
        badge: commitmentView(code).badge,
      })),
      situationFacets: SITUATIONS.map((s) => ({
        ...s,
        count: bySituation.get(s.code) ?? 0,
        href: listHref(query, { situation: query.situation === s.code ? undefined : s.code, page: undefined }),
        active: query.situation === s.code,
      })),
      campaigns: campaignList,
      regions: regionList,
      sites,
      reps,
      page,
      pages,
      prevHref: page > 1 ? listHref(query, { page: page - 1 }) : null,
      nextHref: page < pages ? listHref(query, { page: page + 1 }) : null,
      exportHref: listHref(query, { page: undefined, tri: undefined }, '/dossiers/export.csv'),
      briefsHref: listHref(query, { page: undefined, tri: undefined }, '/dossiers/argumentaires'),
      hasFilters: activeFilters > 0,
      activeFilters,
      openFilters: Boolean(query.q),
    });
  });

  router.get('/dossiers/export.csv', async (req, res) => {
    const user = currentUser(res);
    const { filters } = readListQuery(req.query, parisToday(now()));
    const rows = await casesService.exportRows(user, filters);
    const regionNames = new Map((await regions.list()).map((r) => [r.code, r.name]));
    const stamp = DateTime.fromJSDate(now()).setZone('Europe/Paris').toFormat('yyyy-LL-dd');
    res.set('Content-Type', 'text/csv; charset=utf-8');
    res.set('Content-Disposition', `attachment; filename="vigie-dossiers-${stamp}.csv"`);
    res.send(toCsv(rows, regionNames));
  });

  // ---- create ----

  router.get('/dossiers/nouveau', async (req, res) => {
    const user = currentUser(res);
    const values: Record<string, unknown> = {
      employmentStatus: 'unknown',
      trainingReceived: 'unknown',
      hierarchyInformed: 'unknown',
      repIds: [String(user.id)],
      consultationAction: 'consulted',
      consultationExplanation: 'unknown',
      consultationsClock: 'agent',
    };
    const active = (await campaigns.list()).find((c) => c.status === 'active');
    if (active) values.campaignId = String(active.id);
    const agentId = idParam.safeParse(req.query.agent);
    let existingAgent;
    if (agentId.success) {
      existingAgent = await cases.findAgent(agentId.data);
      if (!existingAgent || !scopeOf(user) || (user.role !== 'admin' && !user.regions.includes(existingAgent.regionCode))) throw notFound();
      Object.assign(values, agentFormValues(existingAgent), { existingAgentId: String(existingAgent.id) });
    } else if (user.regions.length === 1) {
      values.regionCode = user.regions[0];
    }
    const fromRequest = idParam.safeParse(req.query.demande);
    let request;
    if (fromRequest.success) {
      request = await services.requests.findById(fromRequest.data);
      if (!request || !inScope(scopeOf(user), request.regionCode)) throw notFound();
      Object.assign(values, requestFormValues(request), { requestId: String(request.id) });
    }
    await renderCaseForm(res, { title: 'Nouveau dossier', action: '/dossiers', values, existingAgent, request, isNew: true });
  });

  router.post('/dossiers', async (req, res) => {
    const user = currentUser(res);
    const form = await validateCaseForm(req, res);
    const fromRequest = await linkableRequest(req.body?.requestId, user);
    if (!form.ok) {
      return renderCaseForm(res, { title: 'Nouveau dossier', action: '/dossiers', values: form.values, errors: form.errors, isNew: true, request: fromRequest }, 400);
    }
    const inputs = toInputs(form.data);
    let agent: AgentInput | { existingId: number } = inputs.agent;
    if (form.data.existingAgentId) {
      const existing = await cases.findAgent(form.data.existingAgentId);
      if (!existing || (user.role !== 'admin' && !user.regions.includes(existing.regionCode))) throw notFound();
      agent = { existingId: existing.id };
    } else if (!form.data.confirmNewAgent) {
      const namesakes = await cases.findAgentsByName(inputs.agent.regionCode, inputs.agent.fullName, {
        emails: [inputs.agent.proEmail, inputs.agent.personalEmail],
        phone: inputs.agent.phone,
      });
      if (namesakes.length > 0) {
        return renderCaseForm(
          res,
          {
            title: 'Nouveau dossier',
            action: '/dossiers',
            values: form.values,
            isNew: true,
            request: fromRequest,
            namesakes: await Promise.all(namesakes.map(async (a) => ({ ...a, cases: await cases.casesOfAgent(a.id) }))),
          },
          409,
        );
      }
    }
    const request = fromRequest;
    const id = await casesService.create(user, { agent, case: inputs.case });
    if (request) {
      // The request becomes the case's first step: « demande d'accompagnement » on the day it came.
      await casesService.addEvent(user, id, { type: 'support_requested', date: parisToday(new Date(request.createdAt)), note: `Demande ${request.reference}` });
      await services.requests.setStatus(request.id, 'case_opened', now(), { caseId: id });
      if (!request.assignedUserId) await services.requests.assign(request.id, user.id, now());
      await audit.record({ actorUserId: user.id, action: 'update', entityType: 'support_request', entityId: request.id });
    }
    const { pasted } = form.data;
    const added = await casesService.addConsultations(
      user,
      id,
      pastedConsultations(pasted.instants, {
        action: form.data.consultationAction,
        explanation: form.data.consultationExplanation,
        explanationText: form.data.consultationExplanationText,
        typedZone: pasted.typedZone,
      }),
    );
    flash(req, 'success', 'Dossier créé.');
    if (pasted.instants.length > 0 || pasted.duplicates.length > 0) flashPasted(req, added, pasted, pasted.territory);
    res.redirect(303, `/dossiers/${id}`);
  });

  /** A request this user may turn into a case, still open; undefined when none was given. */
  async function linkableRequest(raw: unknown, user: User) {
    const id = idParam.safeParse(raw);
    if (!id.success) return undefined;
    const request = await services.requests.findById(id.data);
    if (!request || !inScope(scopeOf(user), request.regionCode) || request.caseId !== null) return undefined;
    return request;
  }

  // ---- case page ----

  async function renderCasePage(req: Request, res: Response, forms: { event?: FormState; consultation?: FormState; bulk?: FormState } = {}, status = 200) {
    const id = await visibleCaseId(req, res);
    const user = currentUser(res);
    const result = await casesService.view(user, id);
    if (!result) throw notFound();
    const { detail, assessment } = result;
    const regionName = await regions.nameOf(detail.agent.regionCode);
    const otherCases = (await cases.casesOfAgent(detail.agent.id)).filter((c) => c.id !== id).map((c) => ({ ...c, commitment: commitmentView(c.commitmentStatus) }));
    // The clock chosen is kept on re-render; the agent's own until the rep says otherwise.
    const withClock = (form: FormState | undefined): FormState =>
      form ? { ...form, values: { clock: 'agent', ...form.values } } : { values: { action: 'consulted', explanation: 'unknown', clock: 'agent' }, errors: {} };
    const consultationForm = withClock(forms.consultation);
    const kase = presentCase(detail, assessment, regionName);
    res.status(status).render('cases/show', {
      title: `Dossier ${detail.agent.fullName}`,
      kase,
      // Outside Paris time, the direction's list may give Paris times: the rep says which.
      clockChoices: kase.zoneLabel === PARIS_TERRITORY.zoneLabel ? null : clockChoices(`${kase.zoneLabel} (heure de l’agent)`),
      otherCases,
      options: CASE_FORM_OPTIONS,
      eventForm: forms.event ?? { values: { date: parisToday(now()) }, errors: {} },
      // The question « which of the two ? » stays on screen once asked, with the answer given.
      consultationForm: { ...consultationForm, askFold: Boolean(consultationForm.errors.fold || consultationForm.values.fold) },
      consultationExample: CONSULTATION_EXAMPLE,
      foldChoices: FOLD_CHOICES,
      bulkForm: withClock(forms.bulk),
      journal: await journalExtract(id),
    });
  }

  /** The latest entries of the case's access log, changes and views apart, with the whole log's size. */
  async function journalExtract(caseId: number) {
    const [changes, views] = await Promise.all([
      casesService.journalExtract(caseId, 'others', JOURNAL_ON_PAGE),
      casesService.journalExtract(caseId, 'views', JOURNAL_ON_PAGE),
    ]);
    return { changes, views, total: changes.total + views.total };
  }

  router.get('/dossiers/:id', async (req, res) => {
    await renderCasePage(req, res);
  });

  // ---- access log ----

  router.get('/dossiers/:id/journal', async (req, res) => {
    const id = await visibleCaseId(req, res);
    const page = pageParam.parse(req.query.page);
    const journal = await casesService.readJournal(currentUser(res), id, { number: page, perPage: JOURNAL_PER_PAGE });
    if (!journal) throw notFound();
    const href = (n: number) => `/dossiers/${id}/journal${n > 1 ? `?page=${n}` : ''}`;
    const agentName = await agentNameOf(id);
    res.render('cases/journal', {
      title: `Journal du dossier de ${agentName}`,
      caseId: id,
      agentName,
      ...journal,
      prevHref: journal.page > 1 ? href(journal.page - 1) : null,
      nextHref: journal.page < journal.pages ? href(journal.page + 1) : null,
    });
  });

  // ---- edit ----

  router.get('/dossiers/:id/modifier', async (req, res) => {
    const id = await visibleCaseId(req, res);
    const detail = await cases.findById(id);
    if (!detail) throw notFound();
    await audit.record({ actorUserId: currentUser(res).id, action: 'view', entityType: 'case', entityId: id });
    await renderCaseForm(res, {
      title: `Modifier le dossier de ${detail.agent.fullName}`,
      action: `/dossiers/${id}`,
      caseId: id,
      values: caseFormValues(detail),
    });
  });

  router.post('/dossiers/:id', async (req, res) => {
    const id = await visibleCaseId(req, res);
    const form = await validateCaseForm(req, res);
    if (!form.ok) {
      return renderCaseForm(res, { title: 'Modifier le dossier', action: `/dossiers/${id}`, caseId: id, values: form.values, errors: form.errors }, 400);
    }
    await casesService.update(currentUser(res), id, toInputs(form.data));
    flash(req, 'success', 'Dossier mis à jour.');
    res.redirect(303, `/dossiers/${id}`);
  });

  // ---- consultations ----

  /** What a typed time is read against: the agent's clock, and the instants the case already has. */
  async function consultationContext(caseId: number) {
    const agentId = await cases.agentIdOf(caseId);
    const agent = agentId === undefined ? undefined : await cases.findAgent(agentId);
    if (!agent) throw notFound();
    const existing = (await cases.consultationsOf(caseId)).map((c) => c.at);
    return { territory: territoryOf(agent.regionCode, agent.departmentCode), existing };
  }

  router.post('/dossiers/:id/consultations', async (req, res) => {
    const id = await visibleCaseId(req, res);
    const { territory, existing } = await consultationContext(id);
    const form = parseForm(consultationSchema(territory, existing), req.body);
    if (!form.ok) return renderCasePage(req, res, { consultation: { values: form.values, errors: form.errors } }, 400);
    const added = await casesService.addConsultations(currentUser(res), id, [form.data]);
    // Only a second tab saving the same time at the same moment gets here with nothing added.
    if (added && form.data.typedZone !== territory.zone) flash(req, 'success', `1 consultation ajoutée${conversions([form.data.at], form.data.typedZone, territory)}.`);
    else if (added) flash(req, 'success', 'Consultation ajoutée.');
    else flash(req, 'info', 'Cette consultation était déjà saisie : elle n’a pas été ajoutée une seconde fois.');
    res.redirect(303, `/dossiers/${id}#consultations`);
  });

  router.post('/dossiers/:id/consultations/lot', async (req, res) => {
    const id = await visibleCaseId(req, res);
    const { territory, existing } = await consultationContext(id);
    const form = parseForm(bulkConsultationsSchema(territory, existing), req.body);
    if (!form.ok) return renderCasePage(req, res, { bulk: { values: form.values, errors: form.errors } }, 400);
    const { instants, duplicates, ...about } = form.data;
    const added = await casesService.addConsultations(currentUser(res), id, pastedConsultations(instants, about));
    flashPasted(req, added, form.data, territory);
    res.redirect(303, `/dossiers/${id}#consultations`);
  });

  router.post('/dossiers/:id/consultations/:consultationId/supprimer', async (req, res) => {
    const id = await visibleCaseId(req, res);
    const consultationId = idParam.safeParse(req.params.consultationId);
    if (!consultationId.success || !(await casesService.deleteConsultation(currentUser(res), id, consultationId.data))) throw notFound();
    flash(req, 'success', 'Consultation retirée.');
    res.redirect(303, `/dossiers/${id}#consultations`);
  });

  // ---- timeline ----

  router.post('/dossiers/:id/evenements', async (req, res) => {
    const id = await visibleCaseId(req, res);
    const form = parseForm(eventSchema, req.body);
    if (!form.ok) return renderCasePage(req, res, { event: { values: form.values, errors: form.errors } }, 400);
    const event = eventFromForm(form.data);
    const twin = form.data.confirmDuplicate ? undefined : identicalEvent(await cases.eventsOf(id), event);
    if (twin) return renderCasePage(req, res, { event: { values: form.values, errors: { confirmDuplicate: duplicateEventMessage(twin) } } }, 409);
    const before = await cases.storedAssessment(id);
    await casesService.addEvent(currentUser(res), id, event);
    flash(req, 'success', `Événement ajouté au suivi.${await statusChange(id, before?.commitmentStatus)}`);
    res.redirect(303, `/dossiers/${id}`);
  });

  async function agentNameOf(caseId: number): Promise<string> {
    return (await cases.findById(caseId))?.agent.fullName ?? 'Dossier';
  }

  /** Tells the rep when a timeline change moved the case to another commitment status. */
  async function statusChange(caseId: number, before: CommitmentStatus | undefined): Promise<string> {
    const after = (await cases.storedAssessment(caseId))?.commitmentStatus;
    return after && after !== before ? ` Le dossier passe en « ${COMMITMENT_STATUS_LABELS[after]} ».` : '';
  }

  async function findEvent(req: Request, caseId: number) {
    const eventId = idParam.safeParse(req.params.eventId);
    const event = eventId.success ? (await cases.eventsOf(caseId)).find((e) => e.id === eventId.data) : undefined;
    if (!event) throw notFound();
    return event;
  }

  router.get('/dossiers/:id/evenements/:eventId/modifier', async (req, res) => {
    const id = await visibleCaseId(req, res);
    const event = await findEvent(req, id);
    await audit.record({ actorUserId: currentUser(res).id, action: 'view', entityType: 'case', entityId: id });
    res.render('cases/event-form', { title: 'Corriger un événement', caseId: id, agentName: await agentNameOf(id), eventId: event.id, options: CASE_FORM_OPTIONS, values: event });
  });

  router.post('/dossiers/:id/evenements/:eventId', async (req, res) => {
    const id = await visibleCaseId(req, res);
    const event = await findEvent(req, id);
    const form = parseForm(eventSchema, req.body);
    const refuse = async (values: Record<string, unknown>, errors: Record<string, string>, status: number) =>
      res.status(status).render('cases/event-form', {
        title: 'Corriger un événement',
        caseId: id,
        agentName: await agentNameOf(id),
        eventId: event.id,
        options: CASE_FORM_OPTIONS,
        values,
        errors,
      });
    if (!form.ok) return refuse(form.values, form.errors, 400);
    const corrected = eventFromForm(form.data);
    // A correction must not make it a twin of another event without the rep saying so.
    const twin = form.data.confirmDuplicate ? undefined : identicalEvent((await cases.eventsOf(id)).filter((e) => e.id !== event.id), corrected);
    if (twin) return refuse(form.values, { confirmDuplicate: duplicateEventMessage(twin, 'Corriger quand même') }, 409);
    const before = await cases.storedAssessment(id);
    await casesService.correctEvent(currentUser(res), id, event.id, corrected);
    flash(req, 'success', `Événement corrigé.${await statusChange(id, before?.commitmentStatus)}`);
    res.redirect(303, `/dossiers/${id}`);
  });

  router.post('/dossiers/:id/evenements/:eventId/supprimer', async (req, res) => {
    const id = await visibleCaseId(req, res);
    const event = await findEvent(req, id);
    const before = await cases.storedAssessment(id);
    await casesService.deleteEvent(currentUser(res), id, event.id);
    flash(req, 'success', `Événement supprimé du suivi.${await statusChange(id, before?.commitmentStatus)}`);
    res.redirect(303, `/dossiers/${id}`);
  });

  return router;
}

function eventFromForm(data: ReturnType<typeof eventSchema.parse>) {
  return {
    type: data.type,
    date: data.date,
    note: data.note,
    sanctionKind: data.type === 'sanction_notified' ? (data.sanctionKind as never) : undefined,
    hearingDate: data.type === 'pre_disciplinary_convocation' ? data.hearingDate : null,
    closingOutcome: data.type === 'closed' ? (data.closingOutcome as never) : undefined,
  };
}

function requestFormValues(request: RequestInput) {
  return {
    fullName: request.name,
    personalEmail: request.email ?? '',
    phone: request.phone ?? '',
    contactChannels: [request.preferredContact === 'email' ? 'personal_email' : 'phone'],
    regionCode: request.regionCode,
    site: request.site,
    convocationDate: request.convocationDate ?? '',
    interviewDate: request.interviewDate ?? '',
    managerName: request.summonedBy,
    situations: request.situation === 'unknown' ? [] : [request.situation],
    agentAccount: request.message,
  };
}

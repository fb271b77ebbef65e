import { type Request, type Response, Router } from 'express';
import type { User } from '../access/user';
import { repsOutsideRegion } from '../domain/case-reps';
import { parisToday } from '../domain/french-dates';
import { SITUATIONS } from '../domain/situations';
import { DEPARTMENTS, PARIS_TERRITORY, departmentLabel, territoryOf } from '../domain/territories';
import { notFound } from '../web/errors';
import { flash } from '../web/flash';
import { currentUser } from '../web/guards';
import { idParam, parseForm } from '../web/validation';
import { clockChoices, flashPasted, pastedConsultations } from './case-flash';
import { caseFormValues, agentFormValues, toInputs } from './case-form';
import { caseParam, loadedCase } from './case-loader';
import type { CasePages, SupportRequest } from './case-pages.service';
import { CASE_FORM_OPTIONS, pastedListHint } from './case-presenter';
import { caseFormSchema } from './cases.schemas';

/** The case form: opening a case (from scratch, for an agent already followed, from a support request) and editing one. */
export function caseFormRoutes({ cases, now }: { cases: CasePages; now: () => Date }): Router {
  const router = Router();
  router.param('id', caseParam(cases));

  /** The agent a new case is opened for, when already followed and within the user's regions. */
  async function followedAgent(user: User, values: Record<string, unknown> | undefined) {
    const agentId = idParam.safeParse(values?.existingAgentId);
    return agentId.success ? cases.agentFor(user, agentId.data) : undefined;
  }

  async function renderCaseForm(res: Response, locals: Record<string, unknown>, status = 200) {
    const user = currentUser(res);
    const [{ regions: regionList, campaigns: campaignList, reps: repList }, followed] = await Promise.all([
      cases.choices(user),
      locals.isNew ? followedAgent(user, locals.values as Record<string, unknown> | undefined) : undefined,
    ]);
    const regionNames = new Map(regionList.map((r) => [r.code, r.name]));
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
    const body = req.body as Record<string, unknown> | undefined;
    // A new case for an agent already followed: their consultations are read in their own clock.
    const [{ regions: scopeRegions, campaigns: campaignList, reps: repList }, followed] = await Promise.all([cases.choices(user), followedAgent(user, body)]);
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
    // An agent the user may not see answers as if it did not exist.
    if (form.data.existingAgentId && followed?.id !== form.data.existingAgentId) throw notFound();
    // A case for an agent already followed takes that agent's region, whatever the form says.
    const caseRegion = followed?.regionCode ?? form.data.regionCode;
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
    const { campaigns } = await cases.choices(user);
    const active = campaigns.find((c) => c.status === 'active');
    if (active) values.campaignId = String(active.id);
    const agentId = idParam.safeParse(req.query.agent);
    let existingAgent;
    if (agentId.success) {
      existingAgent = await cases.agentFor(user, agentId.data);
      if (!existingAgent) throw notFound();
      Object.assign(values, agentFormValues(existingAgent), { existingAgentId: String(existingAgent.id) });
    } else if (user.regions.length === 1) {
      values.regionCode = user.regions[0];
    }
    const fromRequest = idParam.safeParse(req.query.demande);
    let request;
    if (fromRequest.success) {
      request = await cases.requestFor(user, fromRequest.data);
      if (!request) throw notFound();
      Object.assign(values, requestFormValues(request), { requestId: String(request.id) });
    }
    await renderCaseForm(res, { title: 'Nouveau dossier', action: '/dossiers', values, existingAgent, request, isNew: true });
  });

  router.post('/dossiers', async (req, res) => {
    const user = currentUser(res);
    const form = await validateCaseForm(req, res);
    const requestId = idParam.safeParse(req.body?.requestId);
    const request = requestId.success ? await cases.linkableRequest(user, requestId.data) : undefined;
    const page = { title: 'Nouveau dossier', action: '/dossiers', isNew: true, request };
    if (!form.ok) return renderCaseForm(res, { ...page, values: form.values, errors: form.errors }, 400);
    const inputs = toInputs(form.data);
    const existingId = form.data.existingAgentId;
    if (!existingId && !form.data.confirmNewAgent) {
      const namesakes = await cases.namesakes(inputs.agent);
      if (namesakes.length > 0) return renderCaseForm(res, { ...page, values: form.values, namesakes }, 409);
    }
    const { pasted } = form.data;
    const opened = await cases.openCase(user, {
      agent: existingId ? { existingId } : inputs.agent,
      case: inputs.case,
      request,
      consultations: pastedConsultations(pasted.instants, {
        action: form.data.consultationAction,
        explanation: form.data.consultationExplanation,
        explanationText: form.data.consultationExplanationText,
        typedZone: pasted.typedZone,
      }),
    });
    if (!opened) throw notFound();
    flash(req, 'success', 'Dossier créé.');
    if (pasted.instants.length > 0 || pasted.duplicates.length > 0) flashPasted(req, opened.added, pasted, pasted.territory);
    res.redirect(303, `/dossiers/${opened.id}`);
  });

  // ---- edit ----

  router.get('/dossiers/:id/modifier', async (_req, res) => {
    const { id, detail } = loadedCase(res);
    await cases.recordView(currentUser(res), id);
    await renderCaseForm(res, {
      title: `Modifier le dossier de ${detail.agent.fullName}`,
      action: `/dossiers/${id}`,
      caseId: id,
      values: caseFormValues(detail),
    });
  });

  router.post('/dossiers/:id', async (req, res) => {
    const { id } = loadedCase(res);
    const form = await validateCaseForm(req, res);
    if (!form.ok) {
      return renderCaseForm(res, { title: 'Modifier le dossier', action: `/dossiers/${id}`, caseId: id, values: form.values, errors: form.errors }, 400);
    }
    await cases.update(currentUser(res), id, toInputs(form.data));
    flash(req, 'success', 'Dossier mis à jour.');
    res.redirect(303, `/dossiers/${id}`);
  });

  return router;
}

function requestFormValues(request: SupportRequest) {
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

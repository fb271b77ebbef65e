import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { parisToday } from '../domain/french-dates';
import { PARIS_TERRITORY } from '../domain/territories';
import { notFound } from '../web/errors';
import { currentUser } from '../web/guards';
import { FOLD_CHOICES, clockChoices } from './case-flash';
import { caseParam, loadedCase } from './case-loader';
import type { CasePages } from './case-pages.service';
import { CASE_FORM_OPTIONS, commitmentView, presentCase } from './case-presenter';
import { CONSULTATION_EXAMPLE } from './cases.schemas';

/** Entries of each column of the journal on the case page; the rest is on /dossiers/:id/journal. */
const JOURNAL_ON_PAGE = 10;
const JOURNAL_PER_PAGE = 50;
/** A page number from the query string; anything else reads as the first page. */
const pageParam = z.coerce.number().int().min(1).max(1_000_000).catch(1);

export type FormState = { values: Record<string, unknown>; errors: Record<string, string> };
export type CasePageForms = { event?: FormState; consultation?: FormState; bulk?: FormState };

/**
 * The case page, for the case the route's loader read, with the forms of its timeline (as posted,
 * with their errors, when one was refused).
 */
export async function renderCasePage(cases: CasePages, now: () => Date, res: Response, forms: CasePageForms = {}, status = 200) {
  const shown = await cases.show(currentUser(res), loadedCase(res), JOURNAL_ON_PAGE);
  if (!shown) throw notFound();
  const { detail, assessment, regionName, journal } = shown;
  const otherCases = shown.otherCases.map((c) => ({ ...c, commitment: commitmentView(c.commitmentStatus) }));
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
    journal,
  });
}

/** The case page and the case's whole access log. */
export function casePageRoutes({ cases, now }: { cases: CasePages; now: () => Date }): Router {
  const router = Router();
  router.param('id', caseParam(cases));

  router.get('/dossiers/:id', async (_req, res) => {
    await renderCasePage(cases, now, res);
  });

  router.get('/dossiers/:id/journal', async (req: Request, res) => {
    const kase = loadedCase(res);
    const page = pageParam.parse(req.query.page);
    const journal = await cases.readJournal(currentUser(res), kase, { number: page, perPage: JOURNAL_PER_PAGE });
    if (!journal) throw notFound();
    const href = (n: number) => `/dossiers/${kase.id}/journal${n > 1 ? `?page=${n}` : ''}`;
    const agentName = kase.detail.agent.fullName;
    res.render('cases/journal', {
      title: `Journal du dossier de ${agentName}`,
      caseId: kase.id,
      agentName,
      ...journal,
      prevHref: journal.page > 1 ? href(journal.page - 1) : null,
      nextHref: journal.page < journal.pages ? href(journal.page + 1) : null,
    });
  });

  return router;
}

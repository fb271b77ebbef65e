import type { DeclarationFigures, PublishedCount } from '../domain/declaration-figures';
import { frenchDate, parisToday } from '../domain/french-dates';

/**
 * The variables the declaration texts are written with (templates/declarations.yaml). Counts come
 * as phrases already protected: « 12 dossiers », « moins de 5 dossiers », « 1 dossier ».
 */
export interface DeclarationContextInput {
  meeting: { kind: string; kindLabel: string; body: string; date: string };
  campaign: { name: string; commitmentText: string; commitmentQuote: string; excludesSanctions: boolean };
  scopeLabel: string;
  period: { from: string | null; to: string | null };
  figures: DeclarationFigures;
  computedAt: Date;
}

const NUMBER = new Intl.NumberFormat('fr-FR');

export function countPhrase(count: Pick<PublishedCount, 'state' | 'value'>, singular: string, plural: string): string {
  if (count.state === 'small') return `moins de 5\u00A0${plural}`;
  if (count.state === 'masked') return `un nombre non communiqué ${/^[aeiouyhâàéèêîïôû]/i.test(plural) ? 'd’' : 'de '}${plural}`;
  const value = count.value ?? 0;
  return `${NUMBER.format(value)}\u00A0${value <= 1 ? singular : plural}`;
}

/** Something to say: the count is withheld (so at least one) or more than zero. */
function any(count: Pick<PublishedCount, 'state' | 'value'>): boolean {
  return count.state !== 'shown' || (count.value ?? 0) > 0;
}

/** The figures count cases, not sanctions: « 6 dossiers avec un blâme ». */
const WITH_SANCTION: Record<string, string> = {
  avertissement: 'avec un avertissement',
  blame: 'avec un blâme',
  mise_a_pied: 'avec une mise à pied',
  mutation: 'avec une mutation',
  licenciement: 'avec un licenciement',
  other: 'avec une autre sanction',
};

export function periodLabel(period: { from: string | null; to: string | null }): string {
  if (period.from && period.to) return `dossiers placés du ${frenchDate(period.from)} au ${frenchDate(period.to)}`;
  if (period.from) return `dossiers placés à partir du ${frenchDate(period.from)}`;
  if (period.to) return `dossiers placés jusqu’au ${frenchDate(period.to)}`;
  return '';
}

/** A text that ends a sentence ends with its punctuation. */
function sentence(text: string): string {
  return /[.!?…»]$/.test(text) ? text : `${text}.`;
}

/**
 * The commitment as a declaration states it after « la direction s’est engagée : »: the union's
 * account of it as it is, the direction's own words (commitmentQuote) alone in guillemets.
 */
export function commitmentQuoted(campaign: { commitmentText: string; commitmentQuote: string }): string {
  const framing = campaign.commitmentText.trim();
  const quote = campaign.commitmentQuote.trim();
  if (!quote) return framing && sentence(framing);
  return framing ? `${sentence(framing)} Selon ses propres termes : « ${quote} »` : `« ${quote} »`;
}

export function declarationContext(input: DeclarationContextInput) {
  const { figures } = input;
  const outcome = (key: string) => figures.outcomes.find((o) => o.key === key)!;
  const status = (key: string) => figures.commitment.find((o) => o.key === key)!;
  const official = (metric: string) => figures.official.find((l) => l.metric === metric && l.situationCode === '')?.display ?? '';
  const coverage = figures.coverageParts;
  const sanctions = figures.sanctions.map((s) =>
    s.key === 'withheld' ? 'dans des dossiers dont le détail n’est pas publié (effectifs trop faibles)' : `${countPhrase(s, 'dossier', 'dossiers')} ${WITH_SANCTION[s.key] ?? 'avec une sanction'}`,
  );
  return {
    meeting: { ...input.meeting, date: frenchDate(input.meeting.date) },
    campaign: {
      ...input.campaign,
      commitmentQuoted: commitmentQuoted(input.campaign),
    },
    scope: { label: input.scopeLabel },
    period: { label: periodLabel(input.period) },
    computedOn: frenchDate(parisToday(input.computedAt)),
    figures: {
      cases: countPhrase(figures.cases, 'dossier', 'dossiers'),
      agents: countPhrase(figures.agents, 'agent', 'agents'),
      coverage: coverage
        ? `${coverage.followed} des ${coverage.official} ${coverage.unit === 'agents' ? 'agents concernés selon la direction' : 'cas identifiés par la direction'}${coverage.percent === null ? '' : ` (${coverage.percent}\u00A0%)`}`
        : '',
      legitimate: countPhrase(outcome('legitimate'), 'compte rendu', 'comptes rendus'),
      illegitimate: countPhrase(outcome('illegitimate'), 'compte rendu', 'comptes rendus'),
      notStated: countPhrase(outcome('not_stated'), 'compte rendu', 'comptes rendus'),
      noneGiven: countPhrase(outcome('none_given'), 'dossier', 'dossiers'),
      shareLegitimate: figures.shareLegitimate.percent === null ? '' : figures.shareLegitimate.display,
      interviewsHeld: figures.interviewsHeld.display,
      pressure: figures.pressure.display,
      breached: countPhrase(status('breached'), 'dossier', 'dossiers'),
      atRisk: countPhrase(status('at_risk'), 'dossier', 'dossiers'),
      atRiskCount: status('at_risk').display,
      respected: countPhrase(status('respected'), 'dossier', 'dossiers'),
      preDisciplinary: countPhrase(figures.preDisciplinary, 'dossier', 'dossiers'),
      sanctions: sanctions.join(', '),
      lateSteps: countPhrase(figures.lateSteps, 'dossier', 'dossiers'),
      medianDelay: figures.medianDelay.days === null ? '' : figures.medianDelay.display,
      offHoursOutside: figures.offHours.outside.percent === null ? '' : figures.offHours.outside.display,
      offHoursWithin: figures.offHours.within.percent === null ? '' : figures.offHours.within.display,
      hasBreaches: any(status('breached')) || any(figures.preDisciplinary) || sanctions.length > 0,
      hasPreDisciplinary: any(figures.preDisciplinary),
      hasOffHoursWithin: (figures.offHours.within.percent ?? 0) > 0,
      hasPressure: any(figures.pressure),
      hasLateSteps: any(figures.lateSteps),
    },
    official: {
      agents: official('agents_concerned'),
      cases: official('cases_identified'),
      shareLegitimateLocal: official('share_legitimate_local'),
      shareLegitimateRegional: official('share_legitimate_regional'),
      shareRealMisuse: official('share_real_misuse'),
      hasShares: ['share_legitimate_local', 'share_legitimate_regional', 'share_real_misuse'].some((m) => official(m) !== ''),
    },
  };
}

export type DeclarationContext = ReturnType<typeof declarationContext>;

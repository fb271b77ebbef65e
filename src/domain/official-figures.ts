import { CAMPAIGN_METRICS, type CampaignFigure, NATIONAL_SCOPE } from './campaign-metrics';
import type { FigureSelection, PublishedCount } from './declaration-figures';
import { SITUATIONS } from './situations';

/**
 * The direction's own figures beside a declaration's: those of its scope (one region, the
 * country, or several regions added up), as printed lines, and how many of them Vigie follows.
 */

const NUMBER = new Intl.NumberFormat('fr-FR');
const DECIMAL = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

export interface OfficialLine {
  /** The campaign metric (campaign-metrics.ts), with the situation when broken down. */
  metric: string;
  situationCode: string;
  label: string;
  display: string;
  source: string;
}

export interface Coverage {
  followed: string;
  official: string;
  unit: 'agents' | 'cases';
  percent: number | null;
}

/** The direction's figures for the scope: one region's, the national ones, or several regions' counts added up. */
export function officialFor(figures: readonly CampaignFigure[], selection: FigureSelection): CampaignFigure[] {
  if (selection.regions === 'national') return figures.filter((f) => f.scope === NATIONAL_SCOPE);
  const regions = [...new Set(selection.regions)];
  if (regions.length === 1) return figures.filter((f) => f.scope === regions[0]);
  const summed: CampaignFigure[] = [];
  for (const metric of CAMPAIGN_METRICS.filter((m) => m.unit === 'count')) {
    const keys = [...new Set(figures.filter((f) => f.metric === metric.code).map((f) => f.situationCode))];
    for (const situationCode of keys) {
      const parts = regions.map((r) => figures.find((f) => f.scope === r && f.metric === metric.code && f.situationCode === situationCode));
      // A sum over some of the regions would read as the whole scope's: all or nothing.
      if (parts.every(Boolean)) {
        summed.push({ scope: regions.join('+'), metric: metric.code, situationCode, value: parts.reduce((n, f) => n + f!.value, 0), source: [...new Set(parts.map((f) => f!.source))].join(' ; ') });
      }
    }
  }
  return summed;
}

export function officialLines(figures: readonly CampaignFigure[], selection: FigureSelection): OfficialLine[] {
  const scoped = officialFor(figures, selection);
  const lines: OfficialLine[] = [];
  for (const metric of CAMPAIGN_METRICS) {
    const ofMetric = scoped.filter((f) => f.metric === metric.code);
    const format = (v: number) => (metric.unit === 'percent' ? `${DECIMAL.format(v)}\u00A0%` : NUMBER.format(v));
    if (metric.bySituation) {
      for (const s of SITUATIONS) {
        const f = ofMetric.find((x) => x.situationCode === s.code);
        if (f) lines.push({ metric: metric.code, situationCode: s.code, label: `${metric.label} — ${s.label}`, display: format(f.value), source: f.source });
      }
    } else if (ofMetric[0]) {
      lines.push({ metric: metric.code, situationCode: '', label: metric.label, display: format(ofMetric[0].value), source: ofMetric[0].source });
    }
  }
  // The national estimate of real misuse frames every regional declaration too.
  if (selection.regions !== 'national') {
    const estimate = figures.find((f) => f.scope === NATIONAL_SCOPE && f.metric === 'share_real_misuse');
    if (estimate) {
      lines.push({
        metric: estimate.metric,
        situationCode: '',
        label: 'Part estimée de détournements réels, au niveau national (estimation de la direction)',
        display: `${DECIMAL.format(estimate.value)}\u00A0%`,
        source: estimate.source,
      });
    }
  }
  return lines;
}

export function coverageOf(figures: readonly CampaignFigure[], selection: FigureSelection, agents: PublishedCount, cases: PublishedCount): Coverage | null {
  const scoped = officialFor(figures, selection);
  const officialAgents = scoped.find((f) => f.metric === 'agents_concerned')?.value;
  const officialCases = scoped.find((f) => f.metric === 'cases_identified')?.value;
  const percent = (part: PublishedCount, whole: number) => (part.state === 'shown' && whole > 0 ? Math.round((100 * part.value!) / whole) : null);
  // A masked agents count would read « n.c. des 939 agents »: the cases then say it better.
  if (officialAgents && agents.state !== 'masked') {
    return { followed: agents.display, official: NUMBER.format(officialAgents), unit: 'agents', percent: percent(agents, officialAgents) };
  }
  if (officialCases) return { followed: cases.display, official: NUMBER.format(officialCases), unit: 'cases', percent: percent(cases, officialCases) };
  return null;
}

export function coverageSentence(coverage: Coverage | null): string | null {
  if (!coverage) return null;
  const what = coverage.unit === 'agents' ? 'agents concernés selon la direction' : 'cas identifiés par la direction';
  return `Vigie suit ${coverage.followed} des ${coverage.official} ${what}${coverage.percent === null ? '' : ` (${coverage.percent}\u00A0%)`}`;
}

import { SITUATIONS, type SituationCode } from './situations';

/**
 * The official figures a campaign may hold, per region or nationally, as the direction gave them.
 * Kept as a closed list so later features (declarations, briefs) can rely on each metric's meaning.
 */
export const CAMPAIGN_METRICS = [
  { code: 'agents_concerned', label: 'Agents concernés', unit: 'count', bySituation: false },
  { code: 'cases_identified', label: 'Cas identifiés', unit: 'count', bySituation: false },
  { code: 'cases_by_situation', label: 'Cas par situation', unit: 'count', bySituation: true },
  {
    code: 'share_legitimate_local',
    label: 'Part des consultations jugées légitimes par les managers locaux',
    unit: 'percent',
    bySituation: false,
  },
  {
    code: 'share_legitimate_regional',
    label: 'Part des consultations jugées légitimes après revue par la direction régionale',
    unit: 'percent',
    bySituation: false,
  },
  {
    code: 'share_real_misuse',
    label: 'Part estimée de détournements réels (estimation de la direction)',
    unit: 'percent',
    bySituation: false,
  },
] as const;

export type MetricCode = (typeof CAMPAIGN_METRICS)[number]['code'];
export const NATIONAL_SCOPE = 'national';

export interface CampaignFigure {
  scope: string;
  metric: MetricCode;
  situationCode: SituationCode | '';
  value: number;
  source: string;
}

export interface FigureLine {
  label: string;
  value: number;
  display: string;
  source: string;
}

/** Orders a scope's figures as the direction presents them: totals, then situations, then shares. */
export function describeFigures(figures: CampaignFigure[]): FigureLine[] {
  const lines: FigureLine[] = [];
  for (const metric of CAMPAIGN_METRICS) {
    const ofMetric = figures.filter((f) => f.metric === metric.code);
    if (metric.bySituation) {
      for (const situation of SITUATIONS) {
        const f = ofMetric.find((x) => x.situationCode === situation.code);
        if (f) lines.push(line(`${metric.label} — ${situation.label}`, f, metric.unit));
      }
    } else if (ofMetric[0]) {
      lines.push(line(metric.label, ofMetric[0], metric.unit));
    }
  }
  return lines;
}

function line(label: string, f: CampaignFigure, unit: 'count' | 'percent'): FigureLine {
  const number = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(f.value);
  return { label, value: f.value, display: unit === 'percent' ? `${number} %` : number, source: f.source };
}

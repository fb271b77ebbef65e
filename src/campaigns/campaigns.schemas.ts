import { z } from 'zod';
import { CAMPAIGN_METRICS, NATIONAL_SCOPE } from '../domain/campaign-metrics';
import { SITUATION_CODES, SITUATIONS } from '../domain/situations';
import { checkbox, optionalIsoDate, optionalNumber, optionalText, requiredText, stringList } from '../web/validation';

/** Guillemets or quotation marks around the whole text go: the pages print the words as a quotation themselves. */
function withoutWrappingQuotes(text: string): string {
  for (const [open, close] of [['«', '»'], ['“', '”'], ['"', '"']] as const) {
    const inner = text.slice(1, -1);
    if (text.length >= 2 && text.startsWith(open) && text.endsWith(close) && !inner.includes(open) && !inner.includes(close)) return inner.trim();
  }
  return text;
}

function periodIsOrdered(start: string | null, end: string | null) {
  return !start || !end || start <= end;
}

export const campaignSchema = z
  .object({
    name: requiredText('Le nom de la campagne', 120),
    wave: optionalNumber('Le numéro de vague', { integer: true, max: 99 }),
    description: optionalText('La description', 4000),
    tracesStart: optionalIsoDate('Le début de la période analysée'),
    tracesEnd: optionalIsoDate('La fin de la période analysée'),
    interviewsStart: optionalIsoDate('Le début des entretiens'),
    interviewsEnd: optionalIsoDate('La fin des entretiens'),
    commitmentText: optionalText('L’engagement tel que rapporté', 4000),
    commitmentQuote: optionalText('La citation de la direction', 2000).transform(withoutWrappingQuotes),
    falsePositivesStatement: optionalText('Ce que la direction a dit des faux positifs', 2000),
    excludesSanctions: checkbox,
    reportRequired: checkbox,
    status: z.enum(['active', 'closed'], { error: 'Choisissez l’état de la campagne.' }),
    source: optionalText('La source', 1000),
    situations: stringList().pipe(
      z
        .array(z.enum(SITUATION_CODES, { error: 'Situation inconnue.' }))
        .min(1, 'Cochez au moins une situation visée par la campagne.'),
    ),
  })
  .refine((v) => periodIsOrdered(v.tracesStart, v.tracesEnd), {
    path: ['tracesEnd'],
    message: 'La fin de la période analysée doit suivre son début.',
  })
  .refine((v) => periodIsOrdered(v.interviewsStart, v.interviewsEnd), {
    path: ['interviewsEnd'],
    message: 'La fin des entretiens doit suivre leur début.',
  })
  .refine((v) => !v.excludesSanctions || v.commitmentText.length > 0 || v.commitmentQuote.length > 0, {
    path: ['commitmentText'],
    message: 'Citez l’engagement de la direction : c’est lui que Vigie suit dossier par dossier.',
  });

/** The figures form has one input per metric (and per situation for the breakdown). */
export function figureFieldName(metric: string, situation?: string): string {
  return situation ? `${metric}__${situation}` : metric;
}

export function figuresSchema(scopes: string[]) {
  const shape: Record<string, z.ZodType> = {
    scope: z.enum([NATIONAL_SCOPE, ...scopes] as [string, ...string[]], { error: 'Choisissez une région ou « national ».' }),
    source: optionalText('La source', 1000),
  };
  for (const metric of CAMPAIGN_METRICS) {
    const max = metric.unit === 'percent' ? 100 : 10_000_000;
    const field = (label: string) => optionalNumber(label, { integer: metric.unit === 'count', max });
    if (metric.bySituation) {
      for (const s of SITUATIONS) shape[figureFieldName(metric.code, s.code)] = field(s.label);
    } else {
      shape[metric.code] = field(metric.label);
    }
  }
  return z.object(shape);
}

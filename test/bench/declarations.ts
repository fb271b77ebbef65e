/**
 * Declaration figures at scale: reading a campaign's cases in the reduced form, computing the
 * protected figures, and rendering the declaration as PDF, for one region and for the whole country.
 */
import { renderPdfBuffer } from '../../src/documents/render-pdf';
import type { Services } from '../../src/services';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed<T>(runs: number, work: () => Promise<T>): Promise<{ ms: number; last: T }> {
  const times: number[] = [];
  let last!: T;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    last = await work();
    times.push(performance.now() - started);
  }
  return { ms: median(times), last };
}

/** Targets (issue 14): a region's compose, first or again, within 50 ms; the country's first compose 300 ms, a preview 100 ms. */
const TARGETS = { region: { first: 50, again: 50 }, national: { first: 300, again: 100 } } as const;

export interface DeclarationLine {
  title: string;
  value: string;
  note: string;
  target: string;
  met?: boolean;
}

export async function benchDeclarations(services: Services): Promise<DeclarationLine[]> {
  const lines: DeclarationLine[] = [];
  for (const [label, regions, runs, targets] of [
    ['one region (HDF)', ['HDF'], 9, TARGETS.region],
    ['national', 'national', 3, TARGETS.national],
  ] as const) {
    const settings = { meetingKind: 'CSE', bodyName: 'CSE bench', meetingDate: '2026-12-03', campaignId: 2, regions: regions === 'national' ? ('national' as const) : [...regions], periodFrom: null, periodTo: null };
    // The first compose reads the cases; later ones (previews) reuse them until a case changes.
    const cold = await timed(1, () => services.declarations.compose(settings));
    const warm = await timed(runs, () => services.declarations.compose(settings));
    const composed = warm.last!;
    const cases = composed.figures.cases.value ?? 0;
    const draft = { settings, sections: composed.proposals.map((p) => ({ blockId: p.id, title: p.title, text: p.text, order: p.order })) };
    const pdf = await timed(runs, () => renderPdfBuffer(services.declarations.preview(composed, draft)));
    lines.push({ title: `compose, first (reads the cases), ${label}`, value: `${cold.ms.toFixed(0)} ms`, note: `${cases} cases`, target: `< ${targets.first} ms`, met: cold.ms < targets.first });
    lines.push({
      title: `compose again (preview), ${label}`,
      value: `${warm.ms.toFixed(0)} ms`,
      note: `${((warm.ms / Math.max(cases, 1)) * 1000).toFixed(1)} µs per case`,
      target: `< ${targets.again} ms`,
      met: warm.ms < targets.again,
    });
    lines.push({ title: `declaration PDF, ${label}`, value: `${pdf.ms.toFixed(0)} ms`, note: '', target: '' });
  }
  return lines;
}

import { loadArgumentLibrary } from '../../src/briefs/argument-library';
import { argumentFacts, briefContext } from '../../src/briefs/brief-context';
import { buildBriefDocument } from '../../src/briefs/brief-document';
import { loadBriefSettings } from '../../src/briefs/brief-settings';
import { selectArguments } from '../../src/domain/argument-conditions';
import { renderPdfBuffer } from '../../src/documents/render-pdf';
import { TODAY, WAVE_2, assess, caseDetail, consultation, event } from '../fixtures/case-fixtures';

/**
 * Brief generation speed: a case with 20 consultations and 10 events, from facts to finished PDF
 * (selection, texts, document model, PDF), measured one after the other on one core.
 */
export async function benchBriefs(): Promise<Array<{ title: string; value: string; target: string; met: boolean }>> {
  const library = loadArgumentLibrary();
  const settings = loadBriefSettings();
  const detail = caseDetail({
    consultations: Array.from({ length: 20 }, (_, i) => consultation(`2024-05-${String(i + 1).padStart(2, '0')}T${String((i * 5) % 24).padStart(2, '0')}:20:00Z`)),
    events: [
      event({ type: 'flagged', date: '2024-07-01' }),
      event({ type: 'convocation_received', date: '2024-09-05' }),
      event({ type: 'support_requested', date: '2024-09-06' }),
      event({ type: 'rep_assigned', date: '2024-09-07' }),
      event({ type: 'interview_held', date: '2024-09-20' }),
      event({ type: 'report_received', date: '2024-09-27' }),
      event({ type: 'observations_sent', date: '2024-10-02' }),
      event({ type: 'report_filed', date: '2024-10-05' }),
      event({ type: 'pre_disciplinary_convocation', date: '2024-10-08', hearingDate: '2024-10-15' }),
      event({ type: 'sanction_notified', date: '2024-10-22', sanctionKind: 'blame' }),
    ],
    agentAccount: 'Je préparais mes rendez-vous du lendemain depuis mon domicile ; l’application restait ouverte.',
  });

  async function oneBrief(): Promise<Buffer> {
    const assessment = assess(detail);
    const context = briefContext(detail, assessment, WAVE_2, { regionName: 'Hauts-de-France', repName: 'Rep Bench', today: TODAY });
    const selected = selectArguments(library, argumentFacts(detail, assessment, WAVE_2));
    const document = buildBriefDocument({
      caseId: detail.id,
      draft: {
        purpose: 'contestation',
        addressee: 'regional_direction',
        sections: selected.map((s, i) => ({ argumentId: s.argument.id, title: '', text: s.argument.body(context), summary: s.argument.summary(context), order: i + 1 })),
        annex: true,
      },
      context,
      library,
      settings,
      now: new Date(),
      versionNumber: 1,
    });
    return renderPdfBuffer(document);
  }

  for (let i = 0; i < 5; i++) await oneBrief(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const started = performance.now();
    await oneBrief();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;

  const started = performance.now();
  for (let i = 0; i < 1000; i++) await oneBrief();
  const thousand = (performance.now() - started) / 1000;

  return [
    { title: 'one brief PDF, median (20 consultations, 10 events)', value: `${median.toFixed(1)} ms`, target: '≤ 40 ms', met: median <= 40 },
    { title: '1 000 brief PDFs, one after the other', value: `${thousand.toFixed(1)} s`, target: '< 40 s', met: thousand < 40 },
  ];
}

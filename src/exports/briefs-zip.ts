/**
 * The briefs of many cases as one ZIP, written to any stream (an HTTP response or a file): briefs
 * are read in the cases' order and rendered in worker threads a few ahead of the one being appended,
 * and the loop waits whenever the output asks it to (backpressure), so only a handful of PDFs are
 * ever in memory, whatever the number of cases.
 *
 * Entries are `argumentaire-<case id>.pdf` (ASCII, unique) and a README.txt saying where each brief
 * comes from. Agents' names are only inside the PDFs: file names end up in the indexes, recent
 * files lists and previews of whatever machine opens the archive.
 */
import { once } from 'node:events';
import type { PassThrough, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DateTime } from 'luxon';
import { ZipFile } from 'yazl';
import type { AuditEntry, AuditLog } from '../audit/audit.repository';
import type { BatchMemo, BriefsService, ExportedBriefSource } from '../briefs/briefs.service';
import type { DocumentModel } from '../documents/model';
import { formatNumber } from '../web/helpers/format-number';
import type { User } from '../access/user';
import { sharedPdfPool } from './pdf-pool';

export interface BriefBatch {
  user: User;
  /** In the order they go into the archive. */
  caseIds: readonly number[];
  /** The list's filters in French, for the README (never an agent's name). */
  filters: readonly string[];
}

export interface BriefsZipDeps {
  briefs: BriefsService;
  audit: AuditLog;
  now: () => Date;
  /** Renders one PDF; by default in the process's worker threads (pdf-pool.ts). */
  render?: (model: DocumentModel) => Promise<Buffer>;
  /** Briefs prepared ahead of the one being appended; by default one more than the workers. */
  ahead?: number;
}

/** Audit entries are written by hundreds, and whatever is left when the archive ends or fails. */
const AUDIT_CHUNK = 100;

export const briefEntryName = (caseId: number) => `argumentaire-${caseId}.pdf`;

const parisDate = (iso: string | Date) => DateTime.fromJSDate(new Date(iso)).setZone('Europe/Paris');

function describeSource(source: ExportedBriefSource): string {
  if (source.kind === 'version') return `version ${source.number} générée le ${parisDate(source.createdAt).toFormat('dd/LL/yyyy')}`;
  const args = source.argumentCount === 0 ? 'aucun argument retenu par les faits' : `${source.argumentCount} argument(s) retenu(s) par les faits`;
  return `proposition automatique non relue : « ${source.purpose} », pour « ${source.addressee} » (${args})`;
}

function readme(batch: BriefBatch, at: Date, lines: string[], missing: number): string {
  const when = parisDate(at).toFormat("dd/LL/yyyy 'à' HH'h'mm");
  const text = [
    'ARGUMENTAIRES — VIGIE, CGT FRANCE TRAVAIL',
    '',
    `Export du ${when} (heure de Paris) par ${batch.user.name}.`,
    `${formatNumber(lines.length)} argumentaire(s) pour ${formatNumber(batch.caseIds.length)} dossier(s) de la liste filtrée.`,
    `Filtres de la liste : ${batch.filters.length ? batch.filters.join(' ; ') : 'aucun (tous les dossiers de votre périmètre)'}.`,
    ...(missing > 0 ? [`${formatNumber(missing)} dossier(s) supprimé(s) ou sorti(s) de votre périmètre pendant l’export n’y sont pas.`] : []),
    '',
    'Chaque fichier argumentaire-<n°>.pdf est l’argumentaire du dossier n° <n°> dans Vigie :',
    '- sa dernière version générée dans Vigie, quand il en existe une ;',
    '- sinon une proposition établie automatiquement à partir des faits enregistrés, avec les arguments',
    '  que ces faits retiennent, et l’objet et le destinataire que Vigie propose à l’étape du dossier',
    '  (fiche de préparation avant l’entretien, observations sur un compte rendu concluant à une',
    '  consultation illégitime, préparation de l’entretien préalable, contestation d’une sanction…),',
    '  indiqués pour chaque fichier ci-dessous.',
    '  Personne ne l’a relue : relisez-la et générez-en une version dans Vigie avant de vous en servir.',
    '  Le PDF le dit lui-même en tête.',
    '',
    'Les noms des agents figurent seulement dans les PDF, jamais dans les noms de fichiers.',
    'Document confidentiel : il contient des données personnelles sensibles. Ne le transmettez pas hors',
    'du syndicat, ne le déposez pas sur un espace partagé, supprimez-le quand vous n’en avez plus besoin.',
    '',
    'Fichier — contenu',
    ...lines,
    '',
  ];
  // CRLF: read as it should in any text editor, Windows' Notepad included.
  return text.join('\r\n');
}

export function createBriefsZipWriter(deps: BriefsZipDeps) {
  const { briefs, audit, now } = deps;
  const pool = deps.render ? undefined : sharedPdfPool();
  const render = deps.render ?? ((model: DocumentModel) => pool!.render(model));
  const ahead = deps.ahead ?? (pool ? pool.size + 1 : 1);

  /**
   * Writes the archive into `out` and resolves once `out` has finished. Records one export entry
   * for the batch, then one per case as its brief goes into the archive (on the brief version when
   * it is a generated one, on the case otherwise). Stops at the first error, or when `signal`
   * aborts (the download was cancelled), and rejects; `out` is destroyed then.
   */
  async function write(
    batch: BriefBatch,
    out: Writable,
    options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<{ briefs: number; missing: number }> {
    const { user } = batch;
    const at = now();
    const zip = new ZipFile();
    // yazl's output is a PassThrough (its types say only "readable"): its writable side tells when to wait.
    const output = zip.outputStream as PassThrough;
    const stop = new AbortController();
    const onAbort = () => stop.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    // The output failing (a closed connection, a full disk) stops the loop too.
    const finished = pipeline(output, out);
    finished.catch((err: unknown) => stop.abort(err));

    const pending: AuditEntry[] = [];
    const flush = async () => {
      if (pending.length > 0) await audit.recordMany(pending.splice(0));
    };
    await audit.record({ actorUserId: user.id, action: 'export', entityType: 'brief_batch', entityId: null });

    const memo: BatchMemo = { campaigns: new Map(), regionNames: new Map() };
    const lines: string[] = [];
    let missing = 0;
    // Briefs are read here in order and rendered by the pool, a few ahead of the one being appended:
    // at most `ahead` PDFs wait in memory, and they go into the archive in the cases' order.
    const prepare = async (caseId: number) => {
      const brief = await briefs.forExport(user, caseId, memo);
      return brief && { ...brief, pdf: await render(brief.document) };
    };
    const queue: Array<{ caseId: number; ready: Promise<Awaited<ReturnType<typeof prepare>>> }> = [];
    const enqueue = (caseId: number) => {
      const ready = prepare(caseId);
      ready.catch(() => undefined); // awaited in turn; a batch that stops early leaves none unhandled
      queue.push({ caseId, ready });
    };
    let next = 0;
    try {
      while (queue.length > 0 || next < batch.caseIds.length) {
        while (next < batch.caseIds.length && queue.length < ahead) enqueue(batch.caseIds[next++]!);
        stop.signal.throwIfAborted();
        const { caseId, ready } = queue.shift()!;
        const brief = await ready;
        stop.signal.throwIfAborted();
        if (!brief) {
          missing += 1;
        } else {
          const { pdf } = brief;
          // PDFs are compressed already: stored as they are, sizes and checksum known up front.
          zip.addBuffer(pdf, briefEntryName(caseId), { compress: false, mtime: at });
          lines.push(`${briefEntryName(caseId)} — ${describeSource(brief.source)}`);
          pending.push(
            brief.source.kind === 'version'
              ? { actorUserId: user.id, action: 'export', entityType: 'brief', entityId: brief.source.versionId }
              : { actorUserId: user.id, action: 'export', entityType: 'case', entityId: caseId },
          );
          if (pending.length >= AUDIT_CHUNK) await flush();
        }
        options.onProgress?.(lines.length + missing, batch.caseIds.length);
        // Backpressure: wait until the output has taken what is buffered before preparing more.
        if (output.writableNeedDrain) await once(output, 'drain', { signal: stop.signal });
        // Database calls resolve without leaving the event loop: let other requests in between briefs.
        else await new Promise((resolve) => setImmediate(resolve));
      }
      zip.addBuffer(Buffer.from(readme(batch, at, lines, missing), 'utf8'), 'README.txt', { mtime: at });
      zip.end();
      await finished;
      return { briefs: lines.length, missing };
    } catch (err) {
      // The first cause: a cancelled download or a failed output, else what the loop threw.
      const cause: unknown = stop.signal.aborted && stop.signal.reason !== undefined ? stop.signal.reason : err;
      output.destroy();
      out.destroy();
      await finished.catch(() => undefined);
      throw cause;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      await flush();
    }
  }

  return { write };
}

export type BriefsZipWriter = ReturnType<typeof createBriefsZipWriter>;

import { CIVILITIES, CIVILITY_NOT_STATED, HIERARCHY_INFORMED, INTERVIEW_TONES, REPORT_OUTCOMES } from '../domain/case-vocabulary';
import { SITUATIONS } from '../domain/situations';
import type { Region } from '../regions/regions.repository';
import type { User } from '../access/user';
import { parseForm } from '../web/validation';
import { caseFormBody, repsOutsideRegion, toInputs } from '../cases/case-form';
import type { FileRow } from './case-import-file';
import { CSV_COLUMNS, type CsvColumn, REPS_SEPARATOR, SITUATIONS_SEPARATOR, exportCells } from '../cases/cases-csv';
import type { CasesRepository } from '../cases/cases.repository';
import { caseFormSchema } from '../cases/cases.schemas';
import { searchName } from '../cases/search-name';
import {
  FIELD_COLUMN,
  FILE_WORDING,
  IMPORTED_COLUMNS,
  type ImportedColumn,
  NOT_IN_FILE,
  OTHER,
  dateReader,
  fold,
  noSuchCase,
  plain,
  same,
  splitList,
} from './case-import-cells';
import type { ImportContext, PlanError, RowPlan, RowWrite } from './case-import.types';

export type { ImportContext, PlanError, RowError, RowPlan, RowWrite } from './case-import.types';
export { IMPORTED_COLUMNS } from './case-import-cells';

/**
 * What one row of an imported file would do — create a case, update one, or nothing — and why it
 * cannot, column by column. Every rule is the case form's (caseFormSchema, the reps' regions, the
 * agent matching); this module only turns cells into what the form would have posted, and the
 * form's messages into the file's words.
 */

export function createRowPlanner(ctx: ImportContext) {
  const regionByKey = new Map<string, Region>();
  for (const r of ctx.regions) {
    regionByKey.set(fold(r.name), r);
    regionByKey.set(fold(r.code), r);
  }
  const regionNames = new Map(ctx.regions.map((r) => [r.code, r.name]));
  const campaignByKey = new Map(ctx.campaigns.map((c) => [fold(c.name), c]));
  const repsByKey = new Map<string, User[]>();
  for (const r of ctx.reps) repsByKey.set(fold(r.name), [...(repsByKey.get(fold(r.name)) ?? []), r]);
  const labelled = <T extends { code: string; label: string }>(list: readonly T[]) => {
    const map = new Map<string, T['code']>();
    for (const item of list) {
      map.set(fold(item.label), item.code);
      map.set(fold(item.code), item.code);
    }
    return map;
  };
  const situationByKey = labelled(SITUATIONS);
  /**
   * Columns that take one of a closed list, by label or code: the form field each fills, what an
   * empty cell means, and the start of the message for a value not in the list.
   */
  const choice = (field: string, list: readonly { code: string; label: string }[], blank: { value: string; label?: string }, unknown: string) => {
    const byKey: Map<string, string> = labelled(list);
    if (blank.label) byKey.set(fold(blank.label), blank.value);
    return { field, byKey, blank: blank.value, unknown, possible: `(valeurs possibles : ${[...list.map((o) => o.label), ...(blank.label ? [blank.label] : [])].join(', ')})` };
  };
  const choices = {
    report: choice('reportOutcome', REPORT_OUTCOMES.list, { value: '' }, 'Compte rendu inconnu'),
    tone: choice('interviewTone', INTERVIEW_TONES.list, { value: '' }, 'Ton inconnu'),
    civility: choice('civility', CIVILITIES.list, { value: '', label: CIVILITY_NOT_STATED }, 'Civilité inconnue'),
    hierarchyInformed: choice('hierarchyInformed', HIERARCHY_INFORMED.list, { value: 'unknown' }, 'Réponse inconnue'),
  };
  const schema = caseFormSchema({
    regionCodes: [...ctx.scopeRegionCodes],
    campaignIds: ctx.campaigns.map((c) => c.id),
    repIds: ctx.reps.map((r) => r.id),
    today: ctx.today,
  });
  const has = (column: CsvColumn) => ctx.columns.includes(column);

  /** Case numbers already met in the file, and agents the file creates: later rows refer to them. */
  const seenIds = new Map<number, number>();
  const newAgents = new Map<string, number>();

  /** A cell as a comparable value: two cells with the same key mean the same thing. */
  function compareKey(column: ImportedColumn, raw: string): string {
    const value = plain(raw);
    switch (column) {
      case 'region':
        return regionByKey.get(fold(value))?.code ?? `?${fold(value)}`;
      case 'campaign': {
        const id = campaignByKey.get(fold(value))?.id;
        return id === undefined ? `?${fold(value)}` : String(id);
      }
      case 'convocation':
      case 'interview':
      case 'hierarchyInformedDate': {
        const date = dateReader.safeParse(value);
        return date.success ? date.data : value;
      }
      case 'report':
      case 'tone':
      case 'civility':
      case 'hierarchyInformed': {
        const { byKey, blank } = choices[column];
        return byKey.get(fold(value)) ?? (value === '' ? blank : `?${fold(value)}`);
      }
      case 'situations':
        return splitList(value, SITUATIONS_SEPARATOR).map((s) => situationByKey.get(fold(s)) ?? `?${fold(s)}`).sort().join('|');
      case 'reps':
        return splitList(value, REPS_SEPARATOR).map(fold).sort().join('|');
      default:
        return value;
    }
  }

  /**
   * A cell as the form field it stands for; an error when it names nothing Vigie knows.
   * (Dates and texts go to the form as they are: its rules judge them.)
   */
  function formValue(column: ImportedColumn, raw: string): { field: string; value: unknown } | { error: string; kept: string } {
    const value = plain(raw);
    switch (column) {
      case 'agent':
        return { field: 'fullName', value: raw };
      case 'site':
        return { field: 'site', value: raw };
      case 'job':
        return { field: 'job', value: raw };
      case 'convocation':
        return { field: 'convocationDate', value };
      case 'interview':
        return { field: 'interviewDate', value };
      case 'hierarchyInformedDate':
        return { field: 'hierarchyInformedDate', value };
      case 'region': {
        if (value === '') return same('La région est obligatoire.');
        const region = regionByKey.get(fold(value));
        if (!region) return { error: `Région inconnue : « ${value} ».`, kept: 'Région inconnue.' };
        if (!ctx.scopeRegionCodes.includes(region.code)) return { error: `Vous ne suivez pas la région « ${region.name} ».`, kept: 'Vous ne suivez pas cette région.' };
        return { field: 'regionCode', value: region.code };
      }
      case 'campaign': {
        if (value === '') return same('La campagne est obligatoire.');
        const campaign = campaignByKey.get(fold(value));
        return campaign ? { field: 'campaignId', value: String(campaign.id) } : { error: `Campagne inconnue : « ${value} ».`, kept: 'Campagne inconnue.' };
      }
      case 'report':
      case 'tone':
      case 'civility':
      case 'hierarchyInformed': {
        const { field, byKey, blank, unknown, possible } = choices[column];
        if (value === '') return { field, value: blank };
        const code = byKey.get(fold(value));
        return code !== undefined ? { field, value: code } : { error: `${unknown} : « ${value} » ${possible}.`, kept: `${unknown} ${possible}.` };
      }
      case 'situations': {
        const items = splitList(value, SITUATIONS_SEPARATOR);
        const unknown = items.filter((s) => !situationByKey.has(fold(s)));
        if (unknown.length > 0) {
          return {
            error: `Situation inconnue : ${unknown.map((s) => `« ${s} »`).join(', ')} (séparez les situations par « | »).`,
            kept: `${unknown.length > 1 ? 'Situations inconnues' : 'Situation inconnue'} (séparez les situations par « | »).`,
          };
        }
        return { field: 'situations', value: [...new Set(items.map((s) => situationByKey.get(fold(s))!))] };
      }
      case 'reps': {
        const names = splitList(value, REPS_SEPARATOR);
        const ids: string[] = [];
        const unknown: string[] = [];
        const ambiguous: string[] = [];
        for (const name of names) {
          const found = repsByKey.get(fold(name)) ?? [];
          if (found.length === 0) unknown.push(`« ${name} »`);
          else if (found.length > 1) ambiguous.push(`« ${name} »`);
          else ids.push(String(found[0]!.id));
        }
        if (unknown.length > 0) return { error: `Représentant·e inconnu·e ou qui ne suit pas vos régions : ${unknown.join(', ')}.`, kept: 'Représentant·e inconnu·e ou qui ne suit pas vos régions.' };
        if (ambiguous.length > 0) {
          return {
            error: `Plusieurs comptes portent le nom ${ambiguous.join(', ')} : choisissez depuis le formulaire du dossier.`,
            kept: 'Plusieurs comptes portent le même nom : choisissez depuis le formulaire du dossier.',
          };
        }
        return { field: 'repIds', value: ids };
      }
    }
  }

  /** The form's verdict on a body, in the file's columns. */
  function validate(body: Record<string, unknown>, errors: PlanError[], taken: Set<string>) {
    const form = parseForm(schema, body);
    if (form.ok) return form.data;
    for (const [field, message] of Object.entries(form.errors)) {
      const column = FIELD_COLUMN[field];
      const label = column ? CSV_COLUMNS[column] : OTHER;
      if (taken.has(label)) continue;
      taken.add(label);
      const worded = FILE_WORDING[message] ?? message;
      const say = (text: string) =>
        NOT_IN_FILE.has(field)
          ? `${text} Le fichier n’a pas de colonne pour cela : complétez ce dossier depuis son formulaire.`
          : column
            ? text
            : `${text} (à corriger depuis le formulaire du dossier)`;
      // The form's messages name fields, not values, except the few that quote what was typed.
      errors.push({ column: label, message: say(worded), kept: say(worded.includes('«') ? 'Valeur refusée par le formulaire du dossier.' : worded) });
    }
    return undefined;
  }

  function blankPlan(row: FileRow): RowPlan {
    const region = row.cells.region ? regionByKey.get(fold(row.cells.region)) : undefined;
    return {
      line: row.line,
      action: 'error',
      caseId: null,
      agentName: plain(row.cells.agent ?? ''),
      regionName: region?.name ?? plain(row.cells.region ?? ''),
      campaignName: plain(row.cells.campaign ?? ''),
      agentNote: null,
      changes: [],
      errors: row.problem ? [{ column: null, message: row.problem, kept: row.problem }] : [],
    };
  }

  /** Reps named by the row who do not follow the agent's region, unless the reps cell is already in error. */
  function refuseRepsOutsideRegion(data: { repIds: number[]; regionCode: string }, plan: RowPlan, taken: ReadonlySet<string>): void {
    const outside = repsOutsideRegion(ctx.reps, data.repIds, data.regionCode);
    if (outside.length === 0 || taken.has(CSV_COLUMNS.reps)) return;
    plan.errors.push({
      column: CSV_COLUMNS.reps,
      message: `${outside.map((r) => r.name).join(', ')} ne suit pas la région de cet agent.`,
      kept: `${outside.length > 1 ? 'Des représentant·es indiqué·es ne suivent' : 'Un·e représentant·e indiqué·e ne suit'} pas la région de cet agent.`,
    });
  }

  async function planUpdate(cases: CasesRepository, row: FileRow, plan: RowPlan, caseId: number, existing: Record<CsvColumn, string>): Promise<{ plan: RowPlan; write?: RowWrite }> {
    plan.caseId = caseId;
    plan.agentName ||= existing.agent;
    plan.regionName ||= existing.region;
    plan.campaignName ||= existing.campaign;
    const changed = IMPORTED_COLUMNS.filter((c) => has(c) && compareKey(c, row.cells[c] ?? '') !== compareKey(c, existing[c]));
    plan.changes = changed.map((c) => ({ column: CSV_COLUMNS[c], before: existing[c], after: plain(row.cells[c] ?? '') }));
    if (changed.length === 0 && plan.errors.length === 0) return { plan: { ...plan, action: 'unchanged' } };
    const detail = await cases.findById(caseId);
    if (!detail) return { plan: { ...plan, errors: [noSuchCase(caseId)] } };
    // What the case's form would post, with the file's changed cells laid over it.
    const body = caseFormBody(detail);
    const taken = new Set<string>();
    for (const column of changed) {
      const mapped = formValue(column, row.cells[column] ?? '');
      if ('error' in mapped) {
        plan.errors.push({ column: CSV_COLUMNS[column], message: mapped.error, kept: mapped.kept });
        taken.add(CSV_COLUMNS[column]);
      } else body[mapped.field] = mapped.value;
    }
    const data = validate(body, plan.errors, taken);
    if (data) refuseRepsOutsideRegion(data, plan, taken);
    if (plan.errors.length > 0 || !data) return { plan };
    return { plan: { ...plan, action: 'update' }, write: { kind: 'update', caseId, ...toInputs(data) } };
  }

  async function planCreate(cases: CasesRepository, row: FileRow, plan: RowPlan): Promise<{ plan: RowPlan; write?: RowWrite }> {
    // What the « Nouveau dossier » form posts for a case it is given no more about.
    const body: Record<string, unknown> = {
      employmentStatus: 'unknown',
      trainingReceived: 'unknown',
      hierarchyInformed: 'unknown',
      consultationAction: 'consulted',
      consultationExplanation: 'unknown',
    };
    const taken = new Set<string>();
    for (const column of IMPORTED_COLUMNS) {
      if (!has(column)) continue;
      const mapped = formValue(column, row.cells[column] ?? '');
      if ('error' in mapped) {
        plan.errors.push({ column: CSV_COLUMNS[column], message: mapped.error, kept: mapped.kept });
        taken.add(CSV_COLUMNS[column]);
      } else body[mapped.field] = mapped.value;
    }
    // The agent, matched as the form does, by name within the region; the form would ask the
    // rep, a file cannot: one agent of that name is theirs, several are for the form to sort out.
    let agentKey: string | undefined;
    if (typeof body.regionCode === 'string' && typeof body.fullName === 'string' && searchName(body.fullName)) {
      const namesakes = await cases.findAgentsByName(body.regionCode, body.fullName);
      if (namesakes.length === 1) {
        body.existingAgentId = String(namesakes[0]!.id);
        plan.agentNote = 'Agent déjà suivi : le dossier lui est rattaché.';
      } else if (namesakes.length > 1) {
        const message = `${namesakes.length} agents de cette région portent ce nom : créez ce dossier depuis le formulaire « Nouveau dossier », qui vous laisse choisir.`;
        plan.errors.push({ column: CSV_COLUMNS.agent, message, kept: message });
        taken.add(CSV_COLUMNS.agent);
      } else {
        body.confirmNewAgent = 'on';
        agentKey = `${body.regionCode}|${searchName(body.fullName)}`;
        const first = newAgents.get(agentKey);
        plan.agentNote = first === undefined ? 'Nouvel agent.' : `Nouvel agent, le même qu’à la ligne ${first}.`;
      }
    }
    const data = validate(body, plan.errors, taken);
    if (data) refuseRepsOutsideRegion(data, plan, taken);
    // An invalid row says what is wrong, not whose case it would have been.
    if (plan.errors.length > 0 || !data) return { plan: { ...plan, agentNote: null } };
    if (agentKey && !newAgents.has(agentKey)) newAgents.set(agentKey, row.line);
    const inputs = toInputs(data);
    return {
      plan: { ...plan, action: 'create' },
      write: { kind: 'create', agent: data.existingAgentId ? { existingId: data.existingAgentId } : inputs.agent, case: inputs.case },
    };
  }

  return {
    /**
     * Plans rows in file order, reading the cases through the repository given (a transaction's,
     * when the rows are then written); state carries over from one batch to the next.
     */
    async planBatch(rows: readonly FileRow[], cases: CasesRepository): Promise<Array<{ plan: RowPlan; write?: RowWrite }>> {
      const ids = new Map<FileRow, number>();
      for (const row of rows) {
        const raw = (row.cells.id ?? '').trim();
        if (/^\d{1,15}$/.test(raw) && Number(raw) > 0) ids.set(row, Number(raw));
      }
      const existing = new Map(
        (await cases.exportRowsOf(ctx.scope, [...new Set(ids.values())])).map((r) => [r.id, exportCells(r, regionNames)]),
      );
      const results: Array<{ plan: RowPlan; write?: RowWrite }> = [];
      for (const row of rows) {
        const plan = blankPlan(row);
        const raw = (row.cells.id ?? '').trim();
        if (raw === '') {
          results.push(await planCreate(cases, row, plan));
          continue;
        }
        const caseId = ids.get(row);
        if (caseId === undefined) {
          const message = 'Le numéro de dossier doit être un nombre entier ; laissez la cellule vide pour créer un dossier.';
          plan.errors.push({ column: CSV_COLUMNS.id, message, kept: message });
          results.push({ plan });
          continue;
        }
        const earlier = seenIds.get(caseId);
        if (earlier !== undefined) {
          plan.caseId = caseId;
          plan.errors.push({ column: CSV_COLUMNS.id, message: `Le dossier n° ${caseId} figure déjà à la ligne ${earlier}.`, kept: `Ce numéro de dossier figure déjà à la ligne ${earlier}.` });
          results.push({ plan });
          continue;
        }
        seenIds.set(caseId, row.line);
        const cells = existing.get(caseId);
        if (!cells) {
          // Whether it does not exist or lies outside the rep's regions, the answer is the same.
          plan.errors.push(noSuchCase(caseId));
          results.push({ plan });
          continue;
        }
        results.push(await planUpdate(cases, row, plan, caseId, cells));
      }
      return results;
    },
  };
}

export type RowPlanner = ReturnType<typeof createRowPlanner>;

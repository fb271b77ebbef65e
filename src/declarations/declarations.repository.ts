import type { DB } from '../db/database';
import { type DocumentModel, reviveDocument } from '../documents/model';
import type { DeclarationFigures } from '../domain/declaration-figures';
import type { DeclarationDraft } from './declaration-draft';
import { NATIONAL } from './declaration-draft';
import { type CellsToStore, type PublishedRecord, readPublished, storeCells } from './declaration-cells.repository';

export interface DeclarationSummary {
  id: number;
  number: number;
  meetingKind: string;
  bodyName: string;
  meetingDate: string;
  campaignId: number;
  campaignName: string;
  regions: string[] | 'national';
  createdBy: string | null;
  createdAt: string;
}

export interface Declaration extends DeclarationSummary {
  draft: DeclarationDraft;
  figures: DeclarationFigures;
  figuresComputedAt: string;
  document: DocumentModel;
}

function scopeOf(stored: string): string[] | 'national' {
  return stored === NATIONAL ? NATIONAL : stored.split(',').filter(Boolean);
}

/** Versions of one meeting's declaration for one scope are numbered together (reps of other regions keep their own). */
export function seriesKey(settings: Pick<DeclarationDraft['settings'], 'meetingKind' | 'bodyName' | 'meetingDate' | 'regions'>): string {
  return [settings.meetingKind, settings.bodyName.trim().toLocaleLowerCase('fr'), settings.meetingDate, String(settings.regions)].join('|');
}

export function createDeclarationsRepository(db: DB) {
  const summary = () =>
    db
      .selectFrom('declarations')
      .innerJoin('campaigns', 'campaigns.id', 'declarations.campaignId')
      .leftJoin('users', 'users.id', 'declarations.createdBy')
      .select([
        'declarations.id',
        'declarations.number',
        'declarations.meetingKind',
        'declarations.bodyName',
        'declarations.meetingDate',
        'declarations.campaignId',
        'campaigns.name as campaignName',
        'declarations.scope',
        'users.name as createdBy',
        'declarations.createdAt',
      ]);

  return {
    /**
     * Stores a new immutable version, numbered after the meeting's last one in the same
     * transaction; the document is built for that number.
     */
    async create(input: {
      draft: DeclarationDraft;
      figures: DeclarationFigures;
      figuresComputedAt: Date;
      build: (number: number) => DocumentModel;
      /** The composed page's key: a second submission of it returns the version already made. */
      submissionKey: string | null;
      createdBy: number;
      now: Date;
      /** What this version makes public, stored with it for the differencing guard. */
      cells: CellsToStore;
      /**
       * Whether its figures are still safe to publish beside those already published, read in the
       * same transaction: a declaration generated meanwhile may make them reveal a small count.
       */
      stillSafe: (published: PublishedRecord) => boolean;
    }): Promise<number | 'unsafe'> {
      const { settings } = input.draft;
      const key = seriesKey(settings);
      return db.transaction().execute(async (trx) => {
        if (input.submissionKey) {
          const made = await trx
            .selectFrom('declarations')
            .select('id')
            .where('submissionKey', '=', input.submissionKey)
            .where('createdBy', '=', input.createdBy)
            .executeTakeFirst();
          if (made) return made.id;
        }
        if (!input.stillSafe(await readPublished(trx, settings.campaignId))) return 'unsafe' as const;
        const last = await trx
          .selectFrom('declarations')
          .select((eb) => eb.fn.max('number').as('n'))
          .where('seriesKey', '=', key)
          .executeTakeFirst();
        const number = Number(last?.n ?? 0) + 1;
        const { id } = await trx
          .insertInto('declarations')
          .values({
            seriesKey: key,
            number,
            meetingKind: settings.meetingKind,
            bodyName: settings.bodyName,
            meetingDate: settings.meetingDate,
            campaignId: settings.campaignId,
            scope: settings.regions === NATIONAL ? NATIONAL : settings.regions.join(','),
            periodFrom: settings.periodFrom,
            periodTo: settings.periodTo,
            draft: JSON.stringify(input.draft),
            figures: JSON.stringify(input.figures),
            figuresComputedAt: input.figuresComputedAt.toISOString(),
            document: JSON.stringify(input.build(number)),
            submissionKey: input.submissionKey,
            createdBy: input.createdBy,
            createdAt: input.now.toISOString(),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await storeCells(trx, id, settings.campaignId, input.cells);
        return id;
      });
    },

    /** What the campaign's generated declarations made known. */
    published(campaignId: number): Promise<PublishedRecord> {
      return readPublished(db, campaignId);
    },

    /** Every version, the next meetings first; the caller keeps those the user may see. */
    async list(): Promise<DeclarationSummary[]> {
      const rows = await summary().orderBy('declarations.meetingDate', 'desc').orderBy('declarations.id', 'desc').execute();
      return rows.map(({ scope, ...r }) => ({ ...r, regions: scopeOf(scope) }));
    },

    async find(id: number): Promise<Declaration | undefined> {
      const row = await summary()
        .select(['declarations.draft', 'declarations.figures', 'declarations.figuresComputedAt', 'declarations.document'])
        .where('declarations.id', '=', id)
        .executeTakeFirst();
      if (!row) return undefined;
      const { scope, draft, figures, document, ...rest } = row;
      return {
        ...rest,
        regions: scopeOf(scope),
        draft: JSON.parse(draft) as DeclarationDraft,
        figures: JSON.parse(figures) as DeclarationFigures,
        document: reviveDocument(document),
      };
    },

    async versionsOf(id: number): Promise<Array<{ id: number; number: number; createdAt: string; createdBy: string | null; regions: string[] | 'national' }>> {
      const rows = await db
        .selectFrom('declarations as d')
        .innerJoin('declarations as self', 'self.seriesKey', 'd.seriesKey')
        .leftJoin('users', 'users.id', 'd.createdBy')
        .select(['d.id', 'd.number', 'd.createdAt', 'users.name as createdBy', 'd.scope'])
        .where('self.id', '=', id)
        .orderBy('d.number', 'desc')
        .execute();
      return rows.map(({ scope, ...r }) => ({ ...r, regions: scopeOf(scope) }));
    },
  };
}

export type DeclarationsRepository = ReturnType<typeof createDeclarationsRepository>;

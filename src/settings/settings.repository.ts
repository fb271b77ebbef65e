import type { DB } from '../db/database';

/** Settings live in app_meta, each under « setting: » and its name, its value as JSON. */
const PREFIX = 'setting:';

export function createSettingsRepository(db: DB) {
  return {
    async all(): Promise<Map<string, unknown>> {
      const rows = await db.selectFrom('appMeta').select(['key', 'value']).where('key', 'like', `${PREFIX}%`).execute();
      return new Map(rows.map((r) => [r.key.slice(PREFIX.length), JSON.parse(r.value) as unknown]));
    },

    /** Writes the given settings in one transaction (who changed them and when is in the audit log). */
    async save(values: Record<string, unknown>): Promise<void> {
      await db.transaction().execute(async (trx) => {
        for (const [name, value] of Object.entries(values)) {
          const row = { key: `${PREFIX}${name}`, value: JSON.stringify(value) };
          await trx.insertInto('appMeta').values(row).onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value })).execute();
        }
      });
    },
  };
}

export type SettingsRepository = ReturnType<typeof createSettingsRepository>;

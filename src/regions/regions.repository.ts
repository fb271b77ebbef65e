import type { DB } from '../db/database';

export interface Region {
  code: string;
  name: string;
}

export function createRegionsRepository(db: DB) {
  let cache: Region[] | undefined;
  return {
    /** Regions are reference data fixed by migrations: read once per process. */
    async list(): Promise<Region[]> {
      cache ??= await db.selectFrom('regions').select(['code', 'name']).orderBy('position').execute();
      return cache;
    },
    async nameOf(code: string): Promise<string> {
      return (await this.list()).find((r) => r.code === code)?.name ?? code;
    },
  };
}

export type RegionsRepository = ReturnType<typeof createRegionsRepository>;

import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the migrations are. On its own, without Kysely, so that checking a backup's migrations
 * (database-check.ts, for the CLI's backup and restore) does not load the query builder.
 */
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

/**
 * Shared tools of the security suites (test/security/*.test.ts): the app's route list read from its
 * router, a snapshot of every table to prove that a refused request changed nothing, a reader for
 * the forms the pages carry, and a context whose logs are kept in memory.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import { sql } from 'kysely';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app';
import { hashPassword } from '../../src/auth/passwords';
import { seedReferenceCampaigns } from '../../src/campaigns/campaign-seed';
import { loadConfig } from '../../src/config';
import { type DB, openDatabase } from '../../src/db/database';
import { migrateToLatest } from '../../src/db/migrate';
import { createLogger } from '../../src/logger';
import type { Mailer } from '../../src/mail/mailer';
import { CSV_COLUMNS, type CsvColumn } from '../../src/cases/cases-csv';
import { buildServices } from '../../src/services';
import { type Agent, DEFAULT_PASSWORD, TestClock, enrolTestSecondFactor, extractCsrf } from '../helpers/context';
import type { Fields } from '../helpers/forms';
import { decode } from '../helpers/html';
export { binary, zipEntries } from '../helpers/binary-bodies';

/** Limits high enough never to get in the way of a suite that sends thousands of requests. */
export const UNLIMITED = { RATE_LIMIT_PER_MINUTE: '1000000', PUBLIC_FORM_LIMIT_PER_HOUR: '1000000' } as const;

// ---- routes, from the router itself -------------------------------------------------------------

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteEntry {
  method: Method;
  path: string;
  /** `${method} ${path}`: the key of the fixture tables. */
  key: string;
}

interface LayerLike {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[]; name?: string };
  name?: string;
  rawPath?: unknown;
}

/**
 * Every route the app answers, read from Express 5's router at run time (recursing into mounted
 * routers), so a route added tomorrow shows up here without anyone listing it. A static folder
 * counts as one GET route (`/assets/*`).
 */
export function listRoutes(app: Express): RouteEntry[] {
  const out: RouteEntry[] = [];
  const add = (method: string, p: string) => {
    const m = method.toUpperCase() as Method;
    if (m === ('HEAD' as Method) || m === ('_ALL' as Method)) return;
    const key = `${m} ${p}`;
    if (!out.some((r) => r.key === key)) out.push({ method: m, path: p, key });
  };
  const walk = (stack: LayerLike[], prefix: string) => {
    for (const layer of stack) {
      const raw = typeof layer.rawPath === 'string' ? layer.rawPath : '/';
      const mount = raw === '/' ? '' : raw;
      if (layer.route) {
        for (const p of [layer.route.path].flat()) {
          for (const [method, on] of Object.entries(layer.route.methods)) if (on) add(method, `${prefix}${p}`);
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, `${prefix}${mount}`);
      } else if (layer.name === 'serveStatic') {
        add('GET', `${prefix}${mount}/*`);
      }
    }
  };
  const router = (app as unknown as { router?: { stack: LayerLike[] } }).router;
  assert.ok(router?.stack, 'an Express 5 app exposes its router as app.router');
  walk(router.stack, '');
  return out;
}

export const STATE_CHANGING: ReadonlySet<Method> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// ---- database snapshots -------------------------------------------------------------------------

/**
 * Tables whose changes say nothing about a request's effect: the session store, the migrator's own,
 * and the audit log's counts, which follow the log (checked against it at every snapshot instead).
 */
const NOT_STATE = new Set(['sessions', 'kysely_migration', 'kysely_migration_lock', 'audit_entity_counts']);

export type Snapshot = Map<string, string[]>;

/** Every row of every table (sessions apart), as sorted JSON lines. */
export async function snapshot(db: DB, options: { except?: string[] } = {}): Promise<Snapshot> {
  const skip = new Set([...NOT_STATE, ...(options.except ?? [])]);
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' order by name`.execute(db);
  const kept = await sql`select entity_type, entity_id, entries from audit_entity_counts order by 1, 2`.execute(db);
  const counted = await sql`select entity_type, entity_id, count(*) entries from audit_log where entity_id is not null group by 1, 2 order by 1, 2`.execute(db);
  assert.deepEqual(kept.rows, counted.rows, 'the audit log’s kept counts follow the log');
  const snap: Snapshot = new Map();
  for (const { name } of tables.rows) {
    if (skip.has(name)) continue;
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    snap.set(name, rows.rows.map((r) => JSON.stringify(r)).sort());
  }
  return snap;
}

/** The tables that differ, with a few rows added or removed in each, for the failure message. */
export function changes(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  for (const [table, rows] of after) {
    const old = before.get(table) ?? [];
    const oldSet = new Set(old);
    const newSet = new Set(rows);
    const added = rows.filter((r) => !oldSet.has(r));
    const removed = old.filter((r) => !newSet.has(r));
    if (added.length || removed.length) {
      out.push(`${table}: +${added.length} -${removed.length} ${[...added.slice(0, 2).map((r) => `+${r}`), ...removed.slice(0, 2).map((r) => `-${r}`)].join(' ').slice(0, 600)}`);
    }
  }
  return out;
}

/**
 * Fails unless every table is as it was. `ownView` tolerates audit entries recording that the
 * user viewed one record of their own (a refusal shown on that record's page), and nothing else.
 */
export async function assertUnchanged(db: DB, before: Snapshot, what: string, ownView?: { entityType: string; entityId: number }): Promise<void> {
  const after = await snapshot(db);
  if (ownView) {
    const old = new Set(before.get('audit_log') ?? []);
    after.set(
      'audit_log',
      (after.get('audit_log') ?? []).filter((row) => {
        if (old.has(row)) return true;
        const entry = JSON.parse(row) as { action: string; entityType: string; entityId: string };
        return !(entry.action === 'view' && entry.entityType === ownView.entityType && entry.entityId === String(ownView.entityId));
      }),
    );
    after.set('sqlite_sequence', (after.get('sqlite_sequence') ?? []).filter((r) => !r.includes('"audit_log"')));
    before = new Map(before);
    before.set('sqlite_sequence', (before.get('sqlite_sequence') ?? []).filter((r) => !r.includes('"audit_log"')));
  }
  assert.deepEqual(changes(before, after), [], `${what}: nothing may change in the database`);
}

// ---- forms --------------------------------------------------------------------------------------

function attributes(tag: string): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (const m of tag.matchAll(/([a-zA-Z_:][\w:.-]*)(?:="([^"]*)")?/g)) {
    const name = m[1]!.toLowerCase();
    if (name === 'input' || name === 'select' || name === 'textarea') continue;
    out[name] = m[2] === undefined ? true : decode(m[2]);
  }
  return out;
}

function put(fields: Fields, name: string, value: string): void {
  const prev = fields[name];
  fields[name] = prev === undefined ? value : [prev, value].flat();
}

/** The inside of the first POST form of the page whose action is `action` (any POST form when undefined). */
export function formHtml(html: string, action?: string): string {
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const attrs = attributes(m[1]!);
    if (String(attrs.method).toLowerCase() !== 'post') continue;
    if (action === undefined || attrs.action === action) return m[2]!;
  }
  assert.fail(`no POST form with action ${action ?? '(any)'} on the page`);
}

/**
 * What a browser would send for a form as the page shows it: text, hidden and date inputs,
 * ticked boxes and radios, textareas, and each select's chosen option. The CSRF field is left
 * out: the suites add the token they mean to test.
 */
export function readForm(html: string, action?: string): Fields {
  const inner = formHtml(html, action);
  const fields: Fields = {};
  for (const m of inner.matchAll(/<input\b([^>]*)>/g)) {
    const a = attributes(m[1]!);
    const name = typeof a.name === 'string' ? a.name : undefined;
    if (!name || name === '_csrf') continue;
    const type = typeof a.type === 'string' ? a.type.toLowerCase() : 'text';
    if (type === 'submit' || type === 'button' || type === 'file') continue;
    if ((type === 'checkbox' || type === 'radio') && !a.checked) continue;
    put(fields, name, typeof a.value === 'string' ? a.value : type === 'checkbox' ? 'on' : '');
  }
  for (const m of inner.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const a = attributes(m[1]!);
    if (typeof a.name === 'string') put(fields, a.name, decode(m[2]!));
  }
  for (const m of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const a = attributes(m[1]!);
    if (typeof a.name !== 'string') continue;
    const options = [...m[2]!.matchAll(/<option\b([^>]*)>/g)].map((o) => attributes(o[1]!));
    const chosen = options.find((o) => o.selected) ?? options[0];
    if (chosen) put(fields, a.name, typeof chosen.value === 'string' ? chosen.value : '');
  }
  return fields;
}

// ---- sessions and tokens ------------------------------------------------------------------------

const tokens = new WeakMap<Agent, string>();

/**
 * The session's CSRF token, read from a page once: csrf-sync keeps one token per session, so it
 * stays valid until the session changes (sign-in, sign-out).
 */
export async function tokenOf(agent: Agent, signedIn: boolean): Promise<string> {
  let token = tokens.get(agent);
  if (!token) {
    const page = await agent.get(signedIn ? '/campagnes' : '/connexion');
    token = extractCsrf(page.text);
    tokens.set(agent, token);
  }
  return token;
}

export function forgetToken(agent: Agent): void {
  tokens.delete(agent);
}

export function setCookies(res: { headers: Record<string, unknown> }): string[] {
  const raw = res.headers['set-cookie'];
  return Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
}

/** The `vigie.sid=…` pair a response sets, if any. */
export function sessionPair(res: { headers: Record<string, unknown> }): string | undefined {
  return setCookies(res).find((c) => c.startsWith('vigie.sid='))?.split(';')[0];
}

// ---- CSV imports ------------------------------------------------------------------------------

/** One row of a cases file, by column (the export's, src/cases/cases-csv.ts); a column left out is an empty cell. */
export type CsvRow = Partial<Record<CsvColumn, string>>;

export const ODD_HOURS_LABEL = 'Consultations répétées à des horaires hors normes';

/** A file in the export's format: BOM, the export's header, semicolons, cells quoted when they need it. */
export function casesCsv(rows: CsvRow[]): Buffer {
  const columns = Object.keys(CSV_COLUMNS) as CsvColumn[];
  const cell = (v: string) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [columns.map((c) => CSV_COLUMNS[c]).join(';'), ...rows.map((r) => columns.map((c) => cell(r[c] ?? '')).join(';'))];
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/**
 * A multipart body built byte by byte, as the import's form sends it (the token first, then the
 * file), so that the file name reaches the server exactly as given: `fileName` is written raw
 * between quotes, `fileNameStar` as RFC 5987 `filename*=UTF-8''…` (percent-encoded, which is how a
 * client smuggles control characters or slashes into a name).
 */
export function multipart(fields: Fields, file: { field: string; content: Buffer; fileName?: string; fileNameStar?: string }): { body: Buffer; contentType: string } {
  const boundary = `----vigie-securite-${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    for (const v of [value ?? []].flat()) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`, 'utf8'));
  }
  const names = [
    ...(file.fileName !== undefined ? [`; filename="${file.fileName}"`] : []),
    ...(file.fileNameStar !== undefined ? [`; filename*=UTF-8''${file.fileNameStar}`] : []),
  ].join('');
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"${names}\r\nContent-Type: text/csv\r\n\r\n`, 'utf8'));
  parts.push(file.content, Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Uploads a cases file with the session's token (or the one given), as the import's form does. */
export async function uploadCases(
  agent: Agent,
  content: Buffer,
  options: { fileName?: string; fileNameStar?: string; csrf?: string | null } = {},
): Promise<request.Response> {
  const csrf = options.csrf === undefined ? await tokenOf(agent, true) : options.csrf;
  const { body, contentType } = multipart(csrf === null ? {} : { _csrf: csrf }, {
    field: 'fichier',
    content,
    fileName: options.fileName ?? (options.fileNameStar === undefined ? 'dossiers.csv' : undefined),
    fileNameStar: options.fileNameStar,
  });
  return agent.post('/dossiers/import').set('Content-Type', contentType).send(body);
}

/** The import id of an upload's redirect to its dry run (fails the test otherwise). */
export function importIdOf(res: { status: number; headers: Record<string, unknown>; text?: string }): string {
  const id = /^\/dossiers\/import\/([A-Za-z0-9_-]{22})$/.exec(String(res.headers.location ?? ''))?.[1];
  assert.ok(id, `the file is analysed: ${res.status} ${String(res.headers.location ?? '')} ${(res.text ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 300)}`);
  return id;
}



// ---- a context whose logs are kept --------------------------------------------------------------

/** A pino destination that keeps every line in memory. */
export class MemoryLog extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

/**
 * Like test/helpers/context.ts, but the app and its services log through the real logger of
 * src/logger.ts (its options and redaction) at the given level, into memory instead of standard output.
 */
export async function createLoggedContext(options: { level?: string; env?: Record<string, string>; mailer?: Mailer | null } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vigie-security-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: options.level ?? 'trace', ...UNLIMITED, ...options.env }, { sessionSecret: 'test-secret-'.padEnd(48, 'x') });
  const { db, close } = openDatabase(':memory:');
  await migrateToLatest(db);
  await seedReferenceCampaigns(db, new Date());
  const clock = new TestClock();
  const log = new MemoryLog();
  const logger = createLogger(config.logLevel);
  // Same logger, same options and redaction; only its destination is swapped for the memory one.
  (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = log;
  // The services log through it too (a CSV import job's failures, for one): without it they would
  // get a silent logger of their own, and the log checks would pass whatever they logged.
  const services = buildServices(db, config, clock.now, { mailer: options.mailer ?? null, logger });
  const app = createApp({ db, config, logger, services });
  let counter = 0;
  async function createUser(o: { role?: 'rep' | 'admin'; regions?: string[]; name?: string; email?: string; password?: string } = {}) {
    counter += 1;
    const email = o.email ?? `journal${counter}@exemple.fr`;
    const password = o.password ?? DEFAULT_PASSWORD;
    const id = await services.users.create({
      email,
      name: o.name ?? `Compte ${counter}`,
      role: o.role ?? 'rep',
      status: 'active',
      passwordHash: await hashPassword(password),
      regions: o.regions ?? (o.role === 'admin' ? [] : ['HDF']),
      now: new Date(),
    });
    // Administrators must have a second factor: theirs answers with TEST_TOTP_SECRET.
    if (o.role === 'admin') await enrolTestSecondFactor(db, config.sessionSecret, id, clock.now());
    return { id, email, password };
  }
  return { app, db, config, services, clock, log, logger, createUser, close, agent: () => request.agent(app) };
}

/**
 * The floors of src/ (README, « Layout »): a file imports only from its own floor or the ones below,
 * routes never reach the database or the composition root, and only the root imports services.ts.
 * Read from the import statements themselves: no dependency, no build.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');
const MAX_LINES = 400;

/** Bottom to top. A folder not listed here is an error: a new folder chooses its floor. */
const FLOORS: ReadonlyArray<{ name: string; members: readonly string[] }> = [
  { name: 'domain', members: ['domain'] },
  { name: 'documents and legal texts', members: ['documents', 'legal'] },
  { name: 'database', members: ['db'] },
  { name: 'access', members: ['access'] },
  { name: 'web', members: ['web'] },
  {
    name: 'features',
    members: ['cases', 'case-import', 'briefs', 'declarations', 'requests', 'campaigns', 'agents', 'admin', 'auth', 'users', 'regions', 'audit', 'home', 'exports', 'retention', 'mail', 'operations', 'settings'],
  },
  { name: 'root', members: ['app.ts', 'server.ts', 'cli.ts', 'services.ts', 'config.ts', 'logger.ts'] },
];

/**
 * config.ts and logger.ts sit at the root but import nothing of the app: the web floor and the
 * features may take their types (a logger, a config value's shape) from them. Besides the floors,
 * routes and web/ never import db/ (web/ reads accounts through access/'s AccountLookup).
 */
const ROOT_LEAVES = new Set(['config.ts', 'logger.ts']);
const LEAVES_FROM_FLOOR = 'web';
/** Only these import the composition root. */
const COMPOSERS = new Set(['app.ts', 'server.ts', 'cli.ts']);
/** What domain rules may use besides each other: libraries that do no I/O and know no framework. */
const PURE_LIBRARIES = new Set(['luxon', 'zod']);

/**
 * Known offenders, each with why it is still here; the list only shrinks. A line matches a failure
 * when the failure's message starts with it.
 */
const PENDING: ReadonlyArray<{ offence: string; reason: string }> = [];

interface SourceFile {
  /** Relative to src/, with forward slashes: 'cases/cases.routes.ts'. */
  rel: string;
  text: string;
}

function listSources(dir = SRC): SourceFile[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listSources(full);
    if (!entry.name.endsWith('.ts')) return [];
    return [{ rel: path.relative(SRC, full).split(path.sep).join('/'), text: readFileSync(full, 'utf8') }];
  });
}

/** Every module a file names: static imports and re-exports (type-only included), side-effect imports, dynamic imports. */
export function importsOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  for (const re of [/\b(?:import|export)\s[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g]) {
    for (const m of code.matchAll(re)) found.push(m[1]!);
  }
  return found;
}

/** The floor member a src-relative path belongs to: its top folder, or the root file itself. */
function memberOf(rel: string): string {
  return rel.split('/')[0]!;
}

function floorOf(member: string): number {
  const index = FLOORS.findIndex((f) => f.members.includes(member));
  if (index < 0) throw new Error(`src/${member} is on no floor: add it to FLOORS in test/unit/layers.test.ts (and to the README's Layout)`);
  return index;
}

/** The src-relative file an import names, or undefined for a package. */
function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  return joined.endsWith('.ts') || joined.endsWith('.mjs') || joined.endsWith('.json') ? joined : `${joined}.ts`;
}

export function layerFailures(files: readonly SourceFile[]): string[] {
  const failures: string[] = [];
  const floorIndex = (name: string) => FLOORS.findIndex((f) => f.name === name);
  for (const file of files) {
    const lines = file.text.split('\n').length - (file.text.endsWith('\n') ? 1 : 0);
    if (lines > MAX_LINES) failures.push(`src/${file.rel}: ${lines} lines, over ${MAX_LINES}`);
    const member = memberOf(file.rel);
    const floor = floorOf(member);
    const isRoutes = file.rel.endsWith('.routes.ts');
    for (const spec of importsOf(file.text)) {
      const target = resolveImport(file.rel, spec);
      const where = `src/${file.rel} imports '${spec}'`;
      if (target === undefined) {
        if (floor === 0 && !PURE_LIBRARIES.has(spec)) {
          failures.push(`${where}: domain rules use only pure libraries (${[...PURE_LIBRARIES].join(', ')}), no I/O, no framework`);
        }
        continue;
      }
      if (target.startsWith('..')) {
        failures.push(`${where}: outside src/`);
        continue;
      }
      const targetMember = memberOf(target);
      if (target === 'services.ts' && !COMPOSERS.has(file.rel)) {
        failures.push(`${where}: only ${[...COMPOSERS].join(', ')} import the composition root`);
        continue;
      }
      if (isRoutes && targetMember === 'db') {
        failures.push(`${where}: a route reaches the database only through its feature's service (types included)`);
        continue;
      }
      if (member === 'web' && targetMember === 'db') {
        failures.push(`${where}: the web floor knows accounts through access/, never the database (types included)`);
        continue;
      }
      if (ROOT_LEAVES.has(targetMember) && member !== targetMember) {
        if (floor < floorIndex(LEAVES_FROM_FLOOR)) failures.push(`${where}: below the web floor, config and logger come in as values, not imports`);
        continue;
      }
      if (ROOT_LEAVES.has(member) && targetMember !== member) {
        failures.push(`${where}: config.ts and logger.ts import nothing of the app`);
        continue;
      }
      const targetFloor = floorOf(targetMember);
      if (targetFloor > floor) {
        failures.push(`${where}: the ${FLOORS[floor]!.name} floor may not import the ${FLOORS[targetFloor]!.name} floor above it`);
      }
    }
  }
  return failures;
}

describe('layers of src/', () => {
  const failures = layerFailures(listSources());
  const pendingFor = (failure: string) => PENDING.find((p) => failure.startsWith(p.offence));

  it('no file imports a floor above its own, no route imports db/ or services.ts, no file over 400 lines', (t) => {
    const pending = failures.filter((f) => pendingFor(f));
    for (const failure of pending) t.diagnostic(`still pending (see PENDING): ${failure}`);
    assert.deepEqual(
      failures.filter((f) => !pendingFor(f)),
      [],
    );
  });

  it('lists in PENDING only offences still there', (t) => {
    // Not a failure: other work may land an entry's fix at any time; the list is pruned by hand.
    const stale = PENDING.filter((p) => !failures.some((f) => f.startsWith(p.offence)));
    for (const p of stale) t.diagnostic(`PENDING entry now fixed, to remove: ${p.offence}`);
  });

  it('reads imports of every form', () => {
    const text = [
      "import type { A } from '../db/schema';",
      "import {\n  b,\n  c,\n} from './b';",
      "export { d } from '../d';",
      "export * from './e';",
      "import './side-effect';",
      "const f = await import('../f');",
      "// import { g } from '../commented';",
      "/* import { h } from '../commented'; */",
    ].join('\n');
    assert.deepEqual(importsOf(text).sort(), ['../d', '../db/schema', '../f', './b', './e', './side-effect'].sort());
  });

  it('names the file and the import in each failure', () => {
    const failures = layerFailures([
      { rel: 'domain/rule.ts', text: "import express from 'express';\nimport { x } from '../cases/cases.service';\n" },
      { rel: 'web/guard.ts', text: "import type { X } from '../cases/cases.repository';\nimport type { Logger } from '../logger';\nimport type { DB } from '../db/database';\n" },
      { rel: 'cases/cases.routes.ts', text: "import type { DB } from '../db/database';\nimport type { Services } from '../services';\n" },
      { rel: 'cases/cases.service.ts', text: "import { buildServices } from '../services';\n" },
      { rel: 'cli.ts', text: "import { buildServices } from './services';\n" },
      { rel: 'documents/big.ts', text: 'x\n'.repeat(401) },
    ]);
    assert.deepEqual(failures, [
      "src/domain/rule.ts imports 'express': domain rules use only pure libraries (luxon, zod), no I/O, no framework",
      "src/domain/rule.ts imports '../cases/cases.service': the domain floor may not import the features floor above it",
      "src/web/guard.ts imports '../cases/cases.repository': the web floor may not import the features floor above it",
      "src/web/guard.ts imports '../db/database': the web floor knows accounts through access/, never the database (types included)",
      "src/cases/cases.routes.ts imports '../db/database': a route reaches the database only through its feature's service (types included)",
      "src/cases/cases.routes.ts imports '../services': only app.ts, server.ts, cli.ts import the composition root",
      "src/cases/cases.service.ts imports '../services': only app.ts, server.ts, cli.ts import the composition root",
      'src/documents/big.ts: 401 lines, over 400',
    ]);
  });
});

import { readdirSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { loadConfig } from '../config';
import {
  type Finding,
  type SmtpReachability,
  checkBackups,
  checkBaseUrl,
  checkDataFolder,
  checkProxy,
  checkSessionSecret,
  checkSmtp,
} from '../domain/deployment-checks';

/*
 * `cli doctor`: reads the configuration and the disk, and says what to fix. It changes nothing:
 * neither the session secret (loadConfig would create it) nor the database are created.
 */

const SMTP_TIMEOUT_MS = 3_000;
/** Any value: only keeps loadConfig from writing a session secret file. */
const UNUSED_SECRET = 'doctor-reads-the-secret-file-itself';

const modeOf = (file: string) => statSync(file, { throwIfNoEntry: false })?.mode ?? null;

/** The most recent backup: regular files, temporary ones (.name.tmp, being written) aside. */
function newestBackup(dir: string): { exists: boolean; newest: Date | null } {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { exists: false, newest: null };
  }
  let newest: Date | null = null;
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const stat = statSync(path.join(dir, name), { throwIfNoEntry: false });
    if (stat?.isFile() && (newest === null || stat.mtime > newest)) newest = stat.mtime;
  }
  return { exists: true, newest };
}

/** A TCP connection only: enough to know the server answers, without sending or logging in. */
function reachSmtp(host: string, port: number): Promise<SmtpReachability> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: SmtpReachability) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(SMTP_TIMEOUT_MS, () => done({ reachable: false, reason: `pas de réponse en ${SMTP_TIMEOUT_MS / 1000} s` }));
    socket.once('connect', () => done({ reachable: true }));
    socket.once('error', (err: NodeJS.ErrnoException) => done({ reachable: false, reason: err.code ?? err.message }));
  });
}

export async function diagnose(now = new Date()): Promise<{ dataDir: string; findings: Finding[] }> {
  const config = loadConfig(process.env, { sessionSecret: UNUSED_SECRET });
  const backups = config.backup.dir === null ? { exists: false, newest: null } : newestBackup(config.backup.dir);
  const reachability = config.smtp ? await reachSmtp(config.smtp.host, config.smtp.port) : null;
  const findings = [
    checkBaseUrl({ baseUrl: config.baseUrl, production: config.production }),
    checkProxy({ baseUrl: config.baseUrl, trustProxy: config.trustProxy }),
    checkDataFolder({ dataDir: config.dataDir, mode: modeOf(config.dataDir), databaseMode: modeOf(config.databaseFile) }),
    checkSessionSecret({ file: config.sessionSecretFile, mode: config.sessionSecretFile ? modeOf(config.sessionSecretFile) : null }),
    checkBackups({ dir: config.backup.dir, ...backups, now }),
    checkSmtp({ smtp: config.smtp, reachability }),
  ];
  return { dataDir: config.dataDir, findings };
}

/** Prints every finding; 0 when all is well, 1 when something is to fix (so a script or a timer can tell). */
export async function doctorCommand(): Promise<number> {
  const { dataDir, findings } = await diagnose();
  console.log(`Vigie — vérification de l’installation (DATA_DIR=${dataDir})\n`);
  for (const finding of findings) {
    console.log(`  ${finding.ok ? '✔' : '✘'} ${finding.summary}`);
    if (finding.fix) console.log(`      → ${finding.fix}`);
  }
  const toFix = findings.filter((f) => !f.ok).length;
  console.log(toFix === 0 ? '\nTout est en ordre.' : `\n${toFix} point(s) à corriger.`);
  return toFix === 0 ? 0 : 1;
}

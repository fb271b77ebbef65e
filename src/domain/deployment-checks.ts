/**
 * What `cli doctor` says of a deployment, one rule a function: each takes the facts read from the
 * configuration and the disk, and says whether all is well and, if not, what to do, in French for the
 * volunteer who installs Vigie. Reading the facts is the command's job (src/operations/doctor.ts).
 */

export interface Finding {
  ok: boolean;
  /** What was checked, and what was found. */
  summary: string;
  /** When not ok: what to do about it. */
  fix?: string;
}

const good = (summary: string): Finding => ({ ok: true, summary });
const bad = (summary: string, fix: string): Finding => ({ ok: false, summary, fix });

/** Permission bits as ls shows them in octal: 700, 644… */
export const octalMode = (mode: number) => (mode & 0o777).toString(8).padStart(3, '0');
/** Any right for the group or for others. */
const sharedBits = (mode: number) => (mode & 0o077) !== 0;

export function checkBaseUrl(facts: { baseUrl: string; production: boolean }): Finding {
  if (facts.baseUrl.startsWith('https://')) return good(`Adresse publique en https : ${facts.baseUrl}.`);
  if (!facts.production) return good(`Adresse publique ${facts.baseUrl} (en http, admis hors production : NODE_ENV n’est pas production).`);
  return bad(
    `L’adresse publique est en http en production : ${facts.baseUrl}. Mots de passe et cookies de session passeraient en clair.`,
    'Mettez dans BASE_URL l’adresse https servie par Caddy (par exemple BASE_URL=https://vigie.exemple.fr), la même que dans le Caddyfile.',
  );
}

export function checkProxy(facts: { baseUrl: string; trustProxy: boolean | number | string }): Finding {
  if (facts.trustProxy === true) {
    return bad(
      'TRUST_PROXY=true fait confiance à tout en-tête X-Forwarded-For : un client peut alors choisir son adresse et échapper aux limites.',
      'Indiquez le nombre de proxys devant Vigie : TRUST_PROXY=1 avec Caddy sur le même serveur.',
    );
  }
  if (!facts.baseUrl.startsWith('https://')) return good('Pas de proxy HTTPS attendu (adresse en http).');
  if (facts.trustProxy === false) {
    return bad(
      'L’adresse est en https, donc Vigie est derrière un proxy (Caddy), mais TRUST_PROXY n’est pas défini : Vigie croirait que tout arrive en http de la seule adresse du proxy. Les cookies de session ne seraient pas envoyés et tous les utilisateurs partageraient une même limite de requêtes.',
      'Ajoutez TRUST_PROXY=1 dans /etc/vigie/vigie.env (un proxy, Caddy, sur le même serveur).',
    );
  }
  return good(`Proxy pris en compte (TRUST_PROXY=${facts.trustProxy}).`);
}

/** `mode` is null when the path does not exist. */
export function checkDataFolder(facts: { dataDir: string; mode: number | null; databaseMode: number | null }): Finding {
  if (facts.mode === null) {
    return bad(`Le dossier des données ${facts.dataDir} n’existe pas.`, 'Vérifiez DATA_DIR, ou démarrez le service une première fois : il le crée (systemctl start vigie).');
  }
  if (sharedBits(facts.mode)) {
    return bad(
      `Le dossier des données ${facts.dataDir} est ouvert à d’autres comptes du serveur (droits ${octalMode(facts.mode)}).`,
      `chmod 700 ${facts.dataDir} (il ne doit être lisible que par le compte vigie).`,
    );
  }
  if (facts.databaseMode !== null && sharedBits(facts.databaseMode)) {
    return bad(
      `La base ${facts.dataDir}/vigie.db est ouverte à d’autres comptes du serveur (droits ${octalMode(facts.databaseMode)}).`,
      `chmod 600 ${facts.dataDir}/vigie.db*`,
    );
  }
  return good(`Dossier des données réservé à son propriétaire (droits ${octalMode(facts.mode)}) : ${facts.dataDir}.`);
}

export const BACKUP_MAX_AGE_HOURS = 48;

/** `newest` is the last modification of the most recent backup file, null when there is none. */
export function checkBackups(facts: { dir: string | null; exists: boolean; newest: Date | null; now: Date }): Finding {
  if (facts.dir === null) return good('Pas de dossier de sauvegarde indiqué (BACKUP_DIR) : non vérifié.');
  const schedule = 'Vérifiez le minuteur de sauvegarde (systemctl status vigie-backup.timer, journalctl -u vigie-backup) ou la ligne cron.';
  if (!facts.exists) return bad(`Le dossier de sauvegarde ${facts.dir} n’existe pas.`, `install -d -o vigie -g vigie -m 700 ${facts.dir}, puis ${schedule.charAt(0).toLowerCase()}${schedule.slice(1)}`);
  if (facts.newest === null) return bad(`Aucune sauvegarde dans ${facts.dir}.`, schedule);
  const hours = Math.floor((facts.now.getTime() - facts.newest.getTime()) / 3_600_000);
  if (hours >= BACKUP_MAX_AGE_HOURS) {
    return bad(`La dernière sauvegarde dans ${facts.dir} date de ${Math.floor(hours / 24)} jour(s) (plus de ${BACKUP_MAX_AGE_HOURS} heures).`, schedule);
  }
  return good(`Dernière sauvegarde il y a ${hours} heure(s), dans ${facts.dir}.`);
}

export type SmtpReachability = { reachable: true } | { reachable: false; reason: string };

export function checkSmtp(facts: { smtp: { host: string; port: number } | null; reachability: SmtpReachability | null }): Finding {
  if (facts.smtp === null) return good('Pas de serveur d’e-mails (SMTP_HOST vide) : les liens d’invitation sont à transmettre à la main.');
  const where = `${facts.smtp.host}:${facts.smtp.port}`;
  if (facts.reachability?.reachable) return good(`Serveur d’e-mails joignable : ${where}.`);
  return bad(
    `Le serveur d’e-mails ${where} ne répond pas (${facts.reachability?.reason ?? 'non vérifié'}) : invitations et accusés de réception ne partiraient pas.`,
    'Vérifiez SMTP_HOST et SMTP_PORT (587, ou 465 avec SMTP_SECURE=true) et que le pare-feu laisse sortir vers ce port.',
  );
}

/** `file` is null when SESSION_SECRET gives the secret; `mode` null when the file does not exist yet. */
export function checkSessionSecret(facts: { file: string | null; mode: number | null }): Finding {
  if (facts.file === null) return good('Secret des sessions fourni par SESSION_SECRET (gardez le fichier qui le contient en 600).');
  if (facts.mode === null) return good(`Secret des sessions pas encore créé : il le sera au premier démarrage, en 600, dans ${facts.file}.`);
  if (sharedBits(facts.mode)) {
    return bad(
      `Le secret des sessions ${facts.file} est lisible par d’autres comptes (droits ${octalMode(facts.mode)}) : qui le lit peut fabriquer des cookies de session.`,
      `chmod 600 ${facts.file}, puis supprimez-le et redémarrez si d’autres ont pu le lire (un nouveau secret est créé ; chacun devra se reconnecter).`,
    );
  }
  return good(`Secret des sessions réservé à son propriétaire (droits ${octalMode(facts.mode)}).`);
}

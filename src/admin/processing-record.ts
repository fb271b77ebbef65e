/**
 * The record of processing (« registre des traitements ») as Vigie can state it about itself: built
 * from the running configuration and the reference data, so the durations, limits and recipients it
 * shows are the ones in force, never figures copied into a page. Pure: no Express, no SQL.
 */
import type { Config } from '../config';
import type { LegalReference } from '../legal/legal-references';
import type { ThrottlePolicy } from '../domain/login-throttle';

export interface ProcessingRecordFacts {
  config: Pick<
    Config,
    | 'session'
    | 'requestRetentionDays'
    | 'rateLimitPerMinute'
    | 'publicFormLimitPerHour'
    | 'smtp'
    | 'secureCookies'
    | 'invitationLinkDays'
    | 'closedCaseRetentionDays'
    | 'auditRetentionDays'
    | 'setupLinkHours'
    | 'caseImport'
    | 'exportFileHours'
  >;
  regions: readonly { code: string; name: string }[];
  accounts: readonly { role: 'admin' | 'rep'; status: string; regions: readonly string[] }[];
  campaigns: readonly { name: string; status: string }[];
  situations: readonly { label: string }[];
  consultationActions: readonly { label: string }[];
  database: { secureDelete: boolean; journalMode: string; foreignKeys: boolean };
  throttle: { account: ThrottlePolicy; address: ThrottlePolicy };
  password: { algorithm: string; memoryKiB: number; passes: number; minLength: number };
  /** Whether the command line offers a consistent backup of the database. */
  backupCommand: boolean;
  references: ReadonlyMap<string, LegalReference>;
}

export interface RecordItem {
  title: string;
  detail: string;
  /** A duration or measure the configuration does not define yet. */
  pending?: boolean;
}

export interface ProcessingRecord {
  purposes: RecordItem[];
  people: string[];
  dataCategories: (RecordItem & { special?: boolean })[];
  excluded: string[];
  recipients: RecordItem[];
  retention: RecordItem[];
  security: RecordItem[];
  references: { label: string; summary: string }[];
  campaigns: string[];
}

/** « 1 jour », « 90 jours ». */
export function days(n: number): string {
  return `${n} jour${n > 1 ? 's' : ''}`;
}

/** « 1 heure », « 12 heures ». */
export function hours(n: number): string {
  return `${n} heure${n > 1 ? 's' : ''}`;
}

/** Minutes in whole hours when they are, else « 1 h 30 » or « 45 minutes ». */
export function minutes(n: number): string {
  if (n % 60 === 0) return hours(n / 60);
  if (n < 60) return `${n} minute${n > 1 ? 's' : ''}`;
  return `${Math.floor(n / 60)} h ${String(n % 60).padStart(2, '0')}`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n > 1 ? many : one}`;
}

/** « Dossier d’un·e agent FT » → « dossier d’un·e agent FT »: acronyms kept. */
function lowerFirst(label: string): string {
  return label.charAt(0).toLowerCase() + label.slice(1);
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} et ${items.at(-1)}`;
}

/** The references this page may cite: verified (V) entries only, in the order asked. */
const CITED = ['rgpd-art9', 'rgpd-art5-1-b', 'rgpd-art32', 'rgpd-art15', 'cnil-2021-122'] as const;

export function buildProcessingRecord(facts: ProcessingRecordFacts): ProcessingRecord {
  const { config } = facts;
  const active = facts.accounts.filter((a) => a.status === 'active');
  const admins = active.filter((a) => a.role === 'admin').length;
  const repsByRegion = facts.regions
    .map((r) => ({ name: r.name, count: active.filter((a) => a.role === 'rep' && a.regions.includes(r.code)).length }))
    .filter((r) => r.count > 0);
  const verified = (id: string) => {
    const ref = facts.references.get(id);
    return ref && ref.mark === 'V' ? ref : undefined;
  };
  const art9 = verified('rgpd-art9');
  const cnil = verified('cnil-2021-122');

  return {
    campaigns: facts.campaigns.map((c) => (c.status === 'closed' ? `${c.name} (terminée)` : c.name)),

    purposes: [
      {
        title: 'Défense des agents convoqué·es',
        detail:
          'Suivre chaque agent convoqué·e pour un « rappel aux règles » : faits, consultations signalées, entretien, compte rendu, suites disciplinaires ; calculer les délais légaux et l’état de l’engagement de la direction ; préparer les argumentaires de défense.',
      },
      {
        title: 'Demandes d’accompagnement',
        detail: `Recevoir les demandes d’aide des agents par le formulaire public, leur répondre par un lien de suivi privé${config.smtp ? ' (envoyé aussi par e-mail quand l’agent donne une adresse)' : ''}, et ouvrir un dossier quand l’accompagnement commence.`,
      },
      {
        title: 'Déclarations préalables en CSE et CSEC',
        detail:
          'Établir les chiffres de la campagne à partir des dossiers : jamais de nom, tout effectif de 1 à 4 affiché « moins de 5 » et les cases qui permettraient de le retrouver masquées.',
      },
      {
        title: 'Sécurité de l’outil',
        detail: 'Gérer les comptes des représentant·es et tracer les accès (journal d’audit), pour détecter un usage abusif.',
      },
    ],

    people: [
      'Agents de France Travail convoqué·es ou qui demandent l’aide du syndicat',
      'Représentant·es et élu·es CGT titulaires d’un compte, administrateur·rices',
      'Managers et interlocuteurs de la direction, nommés seulement par leur nom ou leur fonction dans le dossier',
    ],

    dataCategories: [
      {
        title: 'Identité et coordonnées de l’agent',
        detail: 'Nom, e-mail professionnel et personnel, téléphone, canaux de contact acceptés, région et site.',
      },
      {
        title: 'Emploi et horaires',
        detail: 'Métier, statut (droit privé ou droit public), jours et horaires de travail déclarés, temps partiel, jours de télétravail.',
      },
      {
        title: 'Consultations signalées',
        detail: `Date et heure de chaque consultation, ce qui a été fait (${list(facts.consultationActions.map((a) => lowerFirst(a.label)))}), l’explication de l’agent, et la catégorie de la situation reprochée : ${list(facts.situations.map((s) => lowerFirst(s.label)))}.`,
      },
      {
        title: 'Suivi du dossier',
        detail:
          'Convocation, entretien, compte rendu, ton de l’entretien, événements (convocation à entretien préalable, sanctions, recours, clôture), notes des représentant·es, récit de l’agent, versions des argumentaires.',
      },
      {
        title: 'Accompagnement syndical',
        detail: `Le fait qu’un agent demande ou reçoive l’aide de la CGT révèle une appartenance ou une proximité syndicale : catégorie particulière de données${art9 ? ` (${art9.label})` : ''}.`,
        special: true,
      },
      {
        title: 'Demandes d’accompagnement',
        detail: 'Nom, coordonnées, message, convocation et situation déclarées, accord donné et sa date ; le lien de suivi n’est gardé que sous forme d’empreinte.',
      },
      {
        title: 'Comptes et journal',
        detail:
          'Nom, e-mail, rôle et régions des comptes ; empreinte du mot de passe ; sessions ; journal d’audit : qui a fait quoi, sur quel enregistrement et quand, jamais le contenu.',
      },
    ],

    excluded: [
      'L’identité des demandeur·ses d’emploi ou des personnes dont le dossier a été consulté : seules la catégorie et l’heure de la consultation sont notées.',
      'Aucun nom ni petit effectif dans les déclarations CSE.',
    ],

    recipients: [
      {
        title: 'Représentant·es de la région',
        detail: `Chaque représentant·e ne voit que les dossiers et demandes des régions qu’il ou elle suit${
          repsByRegion.length ? ` : ${list(repsByRegion.map((r) => `${r.name} (${plural(r.count, 'compte actif', 'comptes actifs')})`))}` : ' (aucun compte actif pour l’instant)'
        }.`,
      },
      {
        title: 'Administrateur·rices',
        detail: `${plural(admins, 'compte actif', 'comptes actifs')}, avec accès à toutes les régions pour gérer les comptes et les campagnes.`,
      },
      {
        title: 'L’agent lui-même',
        detail: 'Par son lien de suivi privé, pour sa propre demande d’accompagnement.',
      },
      {
        title: 'Aucun tiers',
        detail: config.smtp
          ? `Rien n’est transmis à la direction ni à des tiers. Seul le serveur d’envoi d’e-mails configuré (${config.smtp.host}) achemine le lien de suivi aux agents qui ont donné une adresse.`
          : 'Rien n’est transmis à la direction ni à des tiers. L’envoi d’e-mails n’est pas configuré : aucun prestataire de messagerie ne reçoit de données.',
      },
    ],

    retention: [
      {
        title: 'Demandes jamais transformées en dossier',
        detail: `${days(config.requestRetentionDays)} après leur dernière activité, puis effacées par la commande de purge (REQUEST_RETENTION_DAYS). L’agent peut l’effacer lui-même avant.`,
      },
      {
        title: 'Dossiers clos',
        detail: `${days(config.closedCaseRetentionDays)} sans activité après leur clôture, puis effacés par la commande de purge (CLOSED_CASE_RETENTION_DAYS), avec leur chronologie, leurs argumentaires et la demande d’origine.`,
      },
      {
        title: 'Journal d’audit',
        detail: `${days(config.auditRetentionDays)}, puis effacé par la commande de purge (AUDIT_RETENTION_DAYS).${cnil ? ` La ${cnil.label} recommande de six mois à un an, sans caractère obligatoire.` : ''}`,
      },
      {
        title: 'Fichiers CSV importés',
        detail: `Le fichier déposé pour créer ou mettre à jour des dossiers (toutes ses cellules) et son analyse, visibles de la seule personne qui l’a déposé : effacés à la fin de l’import, ou ${hours(config.caseImport.uploadHours)} après le dépôt si l’import n’est pas lancé ; le bilan de l’import (nombres, numéros de ligne et messages d’erreur) reste ${hours(config.caseImport.summaryHours)} de plus. Effacer les données d’un agent efface aussi les fichiers en attente.`,
      },
      {
        title: 'Exports groupés d’argumentaires',
        detail: `Fichiers ZIP des argumentaires en PDF, écrits sur le serveur (DATA_DIR/exports, lisible du seul compte système de Vigie) pour la seule personne qui les a demandés : effacés dès leur téléchargement, sinon ${hours(config.exportFileHours)} après être prêts ; un export qui échoue est effacé aussitôt.`,
      },
      {
        title: 'Sessions',
        detail: `Fermées après ${minutes(config.session.idleMinutes)} d’inactivité et au plus tard ${hours(config.session.absoluteHours)} après la connexion ; effacées de la base peu après leur expiration. Sans connexion, une session n’existe que pour un formulaire (connexion, demande d’accompagnement) : elle dure ${minutes(config.session.anonymousMinutes)} au plus, et les plus anciennes sont effacées au-delà de ${config.session.maxAnonymous.toLocaleString('fr-FR')}. Les pages en lecture seule (guide, pages d’erreur) n’en créent pas.`,
      },
      {
        title: 'Liens d’invitation et de réinitialisation',
        detail: `Valables ${days(config.invitationLinkDays)} ; lien d’installation du premier compte : ${hours(config.setupLinkHours)}. Seule leur empreinte est gardée.`,
      },
    ],

    security: [
      {
        title: 'Mots de passe',
        detail: `Hachés avec ${facts.password.algorithm} (${Math.round(facts.password.memoryKiB / 1024)} Mio, ${facts.password.passes} passes), ${facts.password.minLength} caractères au moins ; refusés s’ils sont trop faciles à deviner (mots de passe courants, suites, nom ou adresse e-mail de la personne) ; même message pour un e-mail inconnu et un mauvais mot de passe.`,
      },
      {
        title: 'Tentatives de connexion',
        detail: `Un compte est verrouillé après ${facts.throttle.account.freeFailures} échecs depuis une même adresse (sa ou son titulaire se connecte toujours d’ailleurs), une adresse après ${facts.throttle.address.freeFailures} échecs tous comptes confondus ; verrou de ${minutes(facts.throttle.account.baseLockMinutes)} doublé à chaque échec, jusqu’à ${minutes(facts.throttle.account.maxLockMinutes)}. La table des tentatives ne garde ni adresse e-mail ni adresse IP en clair (empreintes HMAC).`,
      },
      {
        title: 'Sessions',
        detail: `Conservées côté serveur dans la base SQLite, nouvel identifiant à chaque connexion ; cookie HttpOnly, SameSite=Lax${config.secureCookies ? ', Secure (adresse publique en https, avec HSTS)' : ' ; attention : l’adresse publique (BASE_URL) n’est pas en https, le cookie n’est donc pas marqué Secure'}. Désactiver un compte ferme ses sessions.`,
      },
      { title: 'Formulaires', detail: 'Jeton anti-CSRF sur chaque envoi ; aucune modification par un simple lien.' },
      {
        title: 'En-têtes de sécurité',
        detail: 'Politique de sécurité du contenu stricte (aucun script, pas de plugin, pas d’intégration dans une autre page), pages jamais mises en cache, échappement de toutes les données affichées.',
      },
      {
        title: 'Limites de débit',
        detail: `${facts.config.rateLimitPerMinute} requêtes par minute et par adresse ; ${plural(config.publicFormLimitPerHour, 'envoi', 'envois')} du formulaire public par heure et par adresse.`,
      },
      {
        title: 'Journal d’audit',
        detail: 'Chaque consultation, modification et export d’un dossier est tracé (nom de l’auteur·rice, action, date) et visible sur la page du dossier par celles et ceux qui peuvent le voir.',
      },
      facts.database.secureDelete
        ? { title: 'Effacement sécurisé', detail: 'Les données effacées sont écrasées dans le fichier de la base (secure_delete actif).' }
        : { title: 'Effacement sécurisé', detail: 'Inactif : les données effacées peuvent subsister dans le fichier de la base (secure_delete désactivé).', pending: true },
      {
        title: 'Intégrité de la base',
        detail: `Journal ${facts.database.journalMode.toUpperCase()}${facts.database.foreignKeys ? ', clés étrangères vérifiées' : ''}.`,
      },
      facts.backupCommand
        ? { title: 'Sauvegardes', detail: 'Copie cohérente de la base par la ligne de commande (npm run cli -- backup), même pendant les écritures ; la restauration vérifie l’intégrité de la copie avant de remplacer la base (voir le README).' }
        : { title: 'Sauvegardes', detail: 'La commande de sauvegarde est en cours de développement : d’ici là, sauvegardez le dossier de données du serveur.', pending: true },
    ],

    references: CITED.map((id) => verified(id))
      .filter((ref): ref is LegalReference => ref !== undefined)
      .map((ref) => ({ label: ref.label.charAt(0).toUpperCase() + ref.label.slice(1), summary: ref.summary })),
  };
}

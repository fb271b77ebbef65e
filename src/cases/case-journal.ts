import type { CaseJournalRow } from '../audit/audit.repository';

/**
 * How a case's access log reads on its pages: who, did what, to which part of the case. Built from
 * audit entries that carry no content, so nothing here can leak what the case says.
 */

export type { CaseJournalRow };

export interface CaseJournalEntry {
  id: number;
  at: string;
  /** The user's name, or who acted when no account did. */
  actor: string;
  /** What was done, in French: « Consultation du dossier », « Téléchargement de l’argumentaire v2 »… */
  what: string;
  kind: 'view' | 'change' | 'export';
  /** Whether the entry is about the case itself or one of its brief versions. */
  about: 'case' | 'brief';
}

/** Actors without an account (or whose account was deleted), by the label the audit log keeps. */
const ACTOR_LABELS: Record<string, string> = {
  system: 'Vigie (tâche automatique)',
  cli: 'ligne de commande',
  public: 'l’agent, par son lien de suivi',
  user: 'compte supprimé',
};

const CASE_ACTIONS: Record<string, string> = {
  view: 'Consultation du dossier',
  create: 'Création du dossier',
  update: 'Modification du dossier',
  delete: 'Suppression du dossier',
  export: 'Export du dossier',
};

const BRIEF_ACTIONS: Record<string, string> = {
  view: 'Consultation de l’argumentaire',
  create: 'Génération de l’argumentaire',
  update: 'Modification de l’argumentaire',
  delete: 'Suppression de l’argumentaire',
  export: 'Téléchargement de l’argumentaire',
};

function kindOf(action: string): CaseJournalEntry['kind'] {
  if (action === 'view') return 'view';
  return action === 'export' ? 'export' : 'change';
}

export function describeJournalEntry(row: CaseJournalRow): CaseJournalEntry {
  const actor = row.actorName ?? ACTOR_LABELS[row.actorLabel] ?? row.actorLabel;
  let what: string;
  if (row.entityType === 'brief') {
    const base = BRIEF_ACTIONS[row.action] ?? `${row.action} (argumentaire)`;
    what = row.briefNumber === null ? base : `${base} v${row.briefNumber}`;
  } else {
    what = CASE_ACTIONS[row.action] ?? row.action;
  }
  return { id: row.id, at: row.at, actor, what, kind: kindOf(row.action), about: row.entityType === 'brief' ? 'brief' : 'case' };
}

export function describeJournal(rows: readonly CaseJournalRow[]): CaseJournalEntry[] {
  return rows.map(describeJournalEntry);
}

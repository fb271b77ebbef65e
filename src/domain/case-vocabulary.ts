/**
 * The closed lists a case is described with: codes stored in the database, labels in French.
 */
function labelled<const T extends readonly { code: string; label: string }[]>(list: T) {
  type Code = T[number]['code'];
  return {
    list,
    codes: list.map((x) => x.code) as [Code, ...Code[]],
    label: (code: string | null | undefined): string => list.find((x) => x.code === code)?.label ?? '',
  };
}

/** How an agent is addressed, to agree letters; 'not stated' is no code (null in the database). */
export const CIVILITIES = labelled([
  { code: 'madame', label: 'Madame' },
  { code: 'monsieur', label: 'Monsieur' },
] as const);

/** What the forms, pages and exports say of a civility nobody stated. */
export const CIVILITY_NOT_STATED = 'Non précisée';

export const EMPLOYMENT_STATUSES = labelled([
  { code: 'private', label: 'Salarié·e de droit privé (CCN)' },
  { code: 'public', label: 'Agent de droit public (décret 2003-1370)' },
  { code: 'unknown', label: 'Non renseigné' },
] as const);

export const CONTACT_CHANNELS = labelled([
  { code: 'pro_email', label: 'E-mail professionnel' },
  { code: 'personal_email', label: 'E-mail personnel' },
  { code: 'phone', label: 'Téléphone' },
] as const);

export const CONSULTATION_ACTIONS = labelled([
  { code: 'consulted', label: 'Consultation seule, sans intervention' },
  { code: 'modified', label: 'Modification du dossier' },
  { code: 'acted', label: 'Acte de gestion sur le dossier' },
] as const);

export const CONSULTATION_EXPLANATIONS = labelled([
  { code: 'answering_user', label: 'Pour répondre à un usager' },
  { code: 'service_task', label: 'Pour une tâche du service' },
  { code: 'colleague_asked', label: 'À la demande d’un·e collègue' },
  { code: 'own_file', label: 'Son propre dossier' },
  { code: 'relative', label: 'Dossier d’un·e proche' },
  { code: 'other', label: 'Autre explication' },
  { code: 'unknown', label: 'Non précisé' },
] as const);

export const CONVOCATION_FORMS = labelled([
  { code: 'letter', label: 'Courrier' },
  { code: 'email', label: 'E-mail' },
  { code: 'meeting_invite', label: 'Invitation d’agenda' },
  { code: 'oral', label: 'Oralement' },
  { code: 'other', label: 'Autre' },
] as const);

export const REPORT_OUTCOMES = labelled([
  { code: 'legitimate', label: 'Consultation légitime' },
  { code: 'illegitimate', label: 'Consultation illégitime' },
  { code: 'not_stated', label: 'Conclusion non précisée' },
  { code: 'none_given', label: 'Aucun compte rendu remis' },
] as const);

export const INTERVIEW_TONES = labelled([
  { code: 'kind', label: 'Rappel bienveillant' },
  { code: 'neutral', label: 'Neutre' },
  { code: 'pressure', label: 'Pressions ou menaces' },
] as const);

export const TRAINING_ANSWERS = labelled([
  { code: 'yes', label: 'Oui' },
  { code: 'no', label: 'Non, aucune formation reçue' },
  { code: 'unknown', label: 'Non renseigné' },
] as const);

export const HIERARCHY_INFORMED = labelled([
  { code: 'yes', label: 'Oui' },
  { code: 'no', label: 'Non' },
  { code: 'unknown', label: 'Non renseigné' },
] as const);

export const WEEKDAYS = [
  { day: 1, label: 'lundi' },
  { day: 2, label: 'mardi' },
  { day: 3, label: 'mercredi' },
  { day: 4, label: 'jeudi' },
  { day: 5, label: 'vendredi' },
  { day: 6, label: 'samedi' },
  { day: 7, label: 'dimanche' },
] as const;

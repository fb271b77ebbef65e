/** An expected failure with the status and the French message the visitor should see. */
export class HttpError extends Error {
  constructor(
    public readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = () => new HttpError(404, 'Cette page n’existe pas, ou vous n’y avez pas accès.');
export const forbidden = () => new HttpError(403, 'Vous n’avez pas accès à cette page.');

/** French titles and explanations for the statuses the app answers with. */
export const STATUS_MESSAGES: Record<number, { title: string; text: string }> = {
  400: { title: 'Demande invalide', text: 'La demande n’a pas pu être comprise.' },
  403: {
    title: 'Action refusée',
    text: 'Le formulaire a expiré ou ne provient pas de Vigie. Rechargez la page et recommencez.',
  },
  404: { title: 'Page introuvable', text: 'Cette page n’existe pas, ou vous n’y avez pas accès.' },
  405: { title: 'Méthode non permise', text: 'Cette action n’est pas possible ici.' },
  413: {
    title: 'Envoi trop volumineux',
    text: 'Le texte envoyé dépasse la taille autorisée. Raccourcissez-le et recommencez.',
  },
  415: { title: 'Format non pris en charge', text: 'Ce format d’envoi n’est pas accepté.' },
  429: {
    title: 'Trop de demandes',
    text: 'Vous avez fait trop de demandes en peu de temps. Patientez quelques minutes puis recommencez.',
  },
  500: {
    title: 'Erreur inattendue',
    text: 'Une erreur s’est produite de notre côté. Elle a été enregistrée ; réessayez dans un moment.',
  },
};

import type { RequestHandler } from 'express';

const SECTIONS: Array<[string, string]> = [
  ['/dossiers', 'dossiers'],
  ['/demandes', 'demandes'],
  ['/declarations', 'declarations'],
  ['/campagnes', 'campagnes'],
  ['/admin', 'admin'],
];

/** Tells the layout which navigation entry is the current section (aria-current). */
export const navSection: RequestHandler = (req, res, next) => {
  res.locals.navSection = req.path === '/' ? 'accueil' : SECTIONS.find(([prefix]) => req.path.startsWith(prefix))?.[1];
  next();
};

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import { create } from 'express-handlebars';
import { helpers } from './helpers/index';

export const VIEWS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../views');

export function configureViews(app: Express, options: { cache: boolean }): void {
  const hbs = create({
    extname: '.hbs',
    defaultLayout: 'main',
    layoutsDir: path.join(VIEWS_DIR, 'layouts'),
    partialsDir: path.join(VIEWS_DIR, 'partials'),
    helpers,
    // Partials called on an indented line must not indent the user's multi-line text in textareas.
    compilerOptions: { preventIndent: true },
  });
  app.engine('.hbs', hbs.engine);
  app.set('view engine', '.hbs');
  app.set('views', VIEWS_DIR);
  if (options.cache) app.enable('view cache');
}

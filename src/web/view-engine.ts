import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import Handlebars from 'handlebars';
import { helpers } from './helpers/index';

export const VIEWS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../views');
const LAYOUT = path.join(VIEWS_DIR, 'layouts', 'main.hbs');
const PARTIALS_DIR = path.join(VIEWS_DIR, 'partials');
const EXTNAME = '.hbs';

type Template = Handlebars.TemplateDelegate;
type CompileOptions = NonNullable<Parameters<typeof Handlebars.compile>[1]>;

/**
 * Every helper the views may call, told to the compiler: a `{{name}}` that is none of them is then
 * compiled as a plain read of the data, not as « a helper, if one is registered at render time,
 * else the data », and a call with arguments to a helper nobody registered fails at compile time
 * instead of printing nothing.
 */
export const compileOptions: CompileOptions = {
  // Partials called on an indented line must not indent the user's multi-line text in textareas.
  preventIndent: true,
  knownHelpers: Object.fromEntries(Object.keys(helpers).map((name) => [name, true])),
  knownHelpersOnly: true,
};

/**
 * Handlebars views in the layout, as express-handlebars rendered them (same helpers, partials by
 * file name, sources and output trimmed, the page's HTML given to the layout as `body`), without
 * its cost: it gathered every partial through a chain of promises three times per page, a tenth of
 * a bare signed-in page's time by the bench's profile. Here templates are compiled once and a page
 * renders synchronously; without the cache (development) every file is read again at each page.
 */
export function createViewEngine(options: { cache: boolean }) {
  const compiled = new Map<string, Template>();
  const compile = (file: string): Template =>
    Handlebars.compile(readFileSync(file, 'utf8').trim(), compileOptions);
  const template = (file: string): Template => {
    if (!options.cache) return compile(file);
    let found = compiled.get(file);
    if (!found) {
      found = compile(file);
      compiled.set(file, found);
    }
    return found;
  };
  let cachedPartials: Record<string, Template> | undefined;
  const partials = (): Record<string, Template> => {
    if (cachedPartials) return cachedPartials;
    const all: Record<string, Template> = {};
    for (const name of readdirSync(PARTIALS_DIR, { recursive: true, encoding: 'utf8' })) {
      if (name.endsWith(EXTNAME)) all[name.slice(0, -EXTNAME.length).split(path.sep).join('/')] = template(path.join(PARTIALS_DIR, name));
    }
    if (options.cache) cachedPartials = all;
    return all;
  };

  return function render(file: string, context: object, callback: (err: unknown, html?: string) => void): void {
    let html: string;
    try {
      const runtime = { helpers, partials: partials() };
      const body = template(file)(context, runtime).trim();
      html = template(LAYOUT)({ ...context, body }, runtime).trim();
    } catch (err) {
      return callback(err);
    }
    callback(null, html);
  };
}

export function configureViews(app: Express, options: { cache: boolean }): void {
  app.engine(EXTNAME, createViewEngine(options));
  app.set('view engine', EXTNAME);
  app.set('views', VIEWS_DIR);
  if (options.cache) app.enable('view cache');
}

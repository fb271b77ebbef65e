/**
 * Posting forms over HTTP as a browser would, for the supertest suites under test/http.
 */
import { type Agent, csrfFrom } from './context';

/** A form's fields: an array repeats its key (checkbox groups), undefined leaves the field out. */
export type Fields = Record<string, string | string[] | undefined>;

/** Form bodies as a browser sends them: repeated keys for checkbox groups (never regions[0]=…). */
export function encode(fields: Fields): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, item);
  }
  return params.toString();
}

/** Posts a form as is, no token added: for the CSRF refusals and forms whose token a test reads itself. */
export function postForm(agent: Agent, url: string, fields: Fields) {
  return agent.post(url).type('form').send(encode(fields));
}

const tokens = new WeakMap<Agent, string>();

/** The session's CSRF token, read once per agent: it stays the same for the session's life, so one page load is enough. */
export async function csrfOf(agent: Agent): Promise<string> {
  let token = tokens.get(agent);
  if (!token) {
    token = await csrfFrom(agent, '/dossiers/nouveau');
    tokens.set(agent, token);
  }
  return token;
}

/** Posts a form with the session's (cached) CSRF token, as a signed-in page would. */
export async function post(who: { agent: Agent }, url: string, fields: Fields) {
  return postForm(who.agent, url, { _csrf: await csrfOf(who.agent), ...fields });
}

/** A token read afresh from a signed-in page on every call: that page load gives the session a token, which the CSRF refusal tests rely on. */
export function freshCsrfOf(agent: Agent): Promise<string> {
  return csrfFrom(agent, '/campagnes');
}

/** Posts a form with a token read just before (see freshCsrfOf), never a cached one. */
export async function postWithFreshCsrf(agent: Agent, url: string, fields: Fields) {
  return postForm(agent, url, { _csrf: await freshCsrfOf(agent), ...fields });
}

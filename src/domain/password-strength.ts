/**
 * Whether a new password is strong enough, from a strength estimate (zxcvbn's: a score from 0 to 4
 * and the patterns it recognised), and if not, why in plain French and what works better.
 * The estimate is made elsewhere (src/auth/password-strength.ts): this is the rule only.
 */

/** zxcvbn's 3: "safely unguessable", about 10^10 guesses, beyond an offline attack on a slow hash. */
export const MIN_PASSWORD_SCORE = 3;

/** The lists of passwords people actually use: a password found whole in one is refused, whatever its score. */
export const COMMON_PASSWORD_LISTS: readonly string[] = ['passwords-common'];

/** The user's own words (name, email), given to the estimate so a password made of them scores low. */
export const PERSONAL_LIST = 'userInputs';

export interface RecognisedPattern {
  /** zxcvbn's pattern: dictionary, repeat, sequence, spatial, date, regex, bruteforce… */
  pattern: string;
  dictionaryName?: string;
  /** First and last character covered, both included. */
  start: number;
  end: number;
}

export interface StrengthEstimate {
  score: number;
  /** Characters the estimate looked at. */
  length: number;
  patterns: readonly RecognisedPattern[];
}

export type Weakness = 'common' | 'personal' | 'repeated' | 'sequence' | 'keyboard' | 'date' | 'word' | 'guessable';

export type PasswordVerdict = { ok: true } | { ok: false; weakness: Weakness; message: string };

const WHY: Record<Weakness, string> = {
  common: 'Ce mot de passe fait partie des plus utilisés : il serait parmi les premiers essayés.',
  personal: 'Ce mot de passe reprend votre nom ou votre adresse e-mail, que d’autres connaissent.',
  repeated: 'Ce mot de passe répète les mêmes caractères (comme « aaaa » ou « abcabc »).',
  sequence: 'Ce mot de passe suit une suite évidente (comme « 1234 » ou « abcd »).',
  keyboard: 'Ce mot de passe suit des touches voisines du clavier (comme « azerty »).',
  date: 'Ce mot de passe repose sur une date ou une année, faciles à deviner.',
  word: 'Ce mot de passe est fait de mots ou de noms courants, vite essayés.',
  guessable: 'Ce mot de passe serait deviné trop vite.',
};

export const BETTER_PASSWORD =
  'Choisissez plutôt une phrase de quatre mots ou plus, sans lien entre eux, séparés par des espaces : facile à retenir, elle est bien plus difficile à deviner.';

export function weaknessMessage(weakness: Weakness): string {
  return `${WHY[weakness]} ${BETTER_PASSWORD}`;
}

/** What each pattern says of a weak password. Personal and common ones are named first, whatever their length. */
const FIRST_NAMED: readonly [Weakness, (p: RecognisedPattern) => boolean][] = [
  ['personal', (p) => p.pattern === 'dictionary' && p.dictionaryName === PERSONAL_LIST],
  ['common', (p) => p.pattern === 'dictionary' && COMMON_PASSWORD_LISTS.includes(p.dictionaryName ?? '')],
];
const BY_PATTERN: Record<string, Weakness> = {
  repeat: 'repeated',
  sequence: 'sequence',
  spatial: 'keyboard',
  date: 'date',
  regex: 'date',
  dictionary: 'word',
  wordSequence: 'word',
};

/** Why a weak password is weak: its personal or common part, else the pattern covering most of it. */
function weaknessOf(patterns: readonly RecognisedPattern[]): Weakness {
  for (const [weakness, applies] of FIRST_NAMED) {
    if (patterns.some(applies)) return weakness;
  }
  const widest = patterns
    .filter((p) => BY_PATTERN[p.pattern])
    .reduce<RecognisedPattern | undefined>((best, p) => (!best || p.end - p.start > best.end - best.start ? p : best), undefined);
  return widest ? BY_PATTERN[widest.pattern]! : 'guessable';
}

function refuse(weakness: Weakness): PasswordVerdict {
  return { ok: false, weakness, message: weaknessMessage(weakness) };
}

export function judgePassword(estimate: StrengthEstimate): PasswordVerdict {
  const whole = estimate.patterns.find((p) => p.start === 0 && p.end === estimate.length - 1);
  if (whole?.pattern === 'dictionary' && whole.dictionaryName === PERSONAL_LIST) return refuse('personal');
  if (whole?.pattern === 'dictionary' && COMMON_PASSWORD_LISTS.includes(whole.dictionaryName ?? '')) return refuse('common');
  if (estimate.score >= MIN_PASSWORD_SCORE) return { ok: true };
  return refuse(weaknessOf(estimate.patterns));
}

/**
 * The user's words a password should not be made of: the email, its name part and that part's
 * pieces, the name and each of its words. Short pieces are left out: as user inputs they would
 * make any password holding those letters look weak.
 */
export function personalWords(person: { email?: string; name?: string }): string[] {
  const email = (person.email ?? '').trim().toLowerCase();
  const local = email.split('@')[0] ?? '';
  const name = (person.name ?? '').trim().toLowerCase();
  const words = [email, local, ...local.split(/[._+-]+/), name, ...name.split(/[\s'’-]+/), name.replace(/[\s'’-]+/g, '')];
  return [...new Set(words.filter((word) => word.length >= 3))];
}

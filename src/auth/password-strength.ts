import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { type PasswordVerdict, judgePassword, personalWords } from '../domain/password-strength';

/**
 * zxcvbn's work grows much faster than the length, mostly in trying look-alike substitutions
 * (4 for a, 0 for o…) on every substring: with its defaults a 100-character password took 3 to 7 s
 * of CPU here, blocking every other request. A longer password is judged on its first 64
 * characters, and at most 12 substitutions are tried: worst cases then take a few hundred ms at
 * most under load, and a password with more than that is no dictionary word anyway.
 */
const CHECKED_LENGTH = 64;
const MAX_LOOKALIKE_SUBSTITUTIONS = 12;

let estimator: Promise<ZxcvbnFactory> | undefined;
let loads = 0;

/** How many times this process loaded the dictionaries: tests hold it to once, and to none before a password is chosen. */
export function dictionaryLoads(): number {
  return loads;
}

/**
 * The dictionaries (136 000 words and passwords, about half a second of CPU to load and index) are
 * loaded on the first password chosen, once per process: starting the app, and every test that
 * never chooses a password, pay nothing for them.
 */
function loadEstimator(): Promise<ZxcvbnFactory> {
  if (!estimator) {
    loads += 1;
    estimator = buildEstimator();
    // A failed load is tried again at the next password rather than failing every one after it.
    estimator.catch(() => {
      estimator = undefined;
    });
  }
  return estimator;
}

async function buildEstimator(): Promise<ZxcvbnFactory> {
  const [{ ZxcvbnFactory }, common, french] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-fr'),
  ]);
  return new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...french.dictionary },
    graphs: common.adjacencyGraphs,
    maxLength: CHECKED_LENGTH,
    l33tMaxSubstitutions: MAX_LOOKALIKE_SUBSTITUTIONS,
  });
}

/** Judges a new password for this person; their email and name count as easy guesses. */
export async function checkNewPassword(password: string, person: { email?: string; name?: string }): Promise<PasswordVerdict> {
  const result = (await loadEstimator()).check(password, personalWords(person));
  return judgePassword({
    score: result.score,
    length: Math.min(password.length, CHECKED_LENGTH),
    patterns: result.sequence.map((match) => ({
      pattern: match.pattern,
      dictionaryName: typeof match.dictionaryName === 'string' ? match.dictionaryName : undefined,
      start: match.i,
      end: match.j,
    })),
  });
}

/**
 * A data-care command declined to act (a file already there, a bad backup, the app still running).
 * Its message is French and complete: the command line prints it as is and exits non-zero.
 */
export class Refusal extends Error {
  override name = 'Refusal';
}

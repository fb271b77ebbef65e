/** A command used the wrong way: the CLI prints the message and exits 2, as for an unknown option. */
export class UsageError extends Error {}

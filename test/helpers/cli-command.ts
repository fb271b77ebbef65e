/**
 * The arguments to node that start the command line as `npm run cli` does (tsx, src/cli.ts), run
 * from the project's root, with the test runner's preload first (preload-packages.mjs): a command
 * that opens the database loads the query builder, which through tsx costs some 0.6 s more CPU
 * than preloaded, and the integration suites start dozens of commands.
 */
export const CLI = ['--import', './test/helpers/preload-packages.mjs', '--import', 'tsx', 'src/cli.ts'];

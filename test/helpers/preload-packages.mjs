/**
 * Loaded by test/run.sh before tsx, in every test process: node --import ./test/helpers/preload-packages.mjs --import tsx.
 *
 * Once tsx is registered, Node 20 runs its loader hooks on a separate thread, and every module then
 * costs a round trip to that thread (over 2 ms here), whatever the hooks do with it: the query
 * builder alone is some 260 modules, zod 95, so a test file spent about 3 s of CPU loading the app
 * before its first test. The app's largest ES-module packages are loaded here first, by Node's own
 * loader in a fraction of that; the app's imports then find these very modules (the same files,
 * the same instances) in the module cache. Nothing of the project's own code is loaded here.
 *
 * Unit tests load little of the app: loading these for them would cost more than it saves.
 */
const testFile = process.argv[1] ?? '';
if (!/[\\/]test[\\/]unit[\\/]/.test(testFile)) {
  await Promise.all(['kysely', 'zod', 'nodemailer', 'csv-parse/sync', 'csv-stringify/sync', 'pdfkit'].map((name) => import(name)));
}

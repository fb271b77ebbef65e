import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * The arguments to node that start the command line as `npm run cli` does (tsx, src/cli.ts), run
 * from the project's root, with the test runner's preload first (preload-packages.mjs): a command
 * that opens the database loads the query builder, which through tsx costs some 0.6 s more CPU
 * than preloaded, and the integration suites start dozens of commands.
 */
export const CLI = ['--import', './test/helpers/preload-packages.mjs', '--import', 'tsx', 'src/cli.ts'];

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the command line as a child process without blocking this one (a writer or a server of the
 * test goes on meanwhile), from the project's root, with exactly the environment given.
 */
export function runCli(args: string[], options: { env: NodeJS.ProcessEnv; stdin?: string }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, env: options.env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

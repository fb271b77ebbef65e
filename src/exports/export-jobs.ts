/**
 * Exports that take a while run in this process as background jobs, each writing its file under
 * DATA_DIR/exports with a random name; pages poll the job for its progress. Only the user who
 * started a job ever sees it or its file. A finished file is deleted once downloaded, or an hour
 * after it was finished; files left by a previous process (a restart mid-job) go the same way.
 *
 * Jobs live in memory: after a restart, a page asking for one answers 404 and the rep starts again.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';

export type ExportJobState = 'running' | 'ready' | 'failed';

export interface ExportJob {
  /** Random and unguessable, but a job is still only shown to its owner. */
  readonly id: string;
  readonly userId: number;
  readonly total: number;
  done: number;
  state: ExportJobState;
  /** Where the file is written; another random name. */
  readonly file: string;
  /** The name the browser saves it under. */
  readonly downloadName: string;
  /** The page the export was started from, to go back to. */
  readonly returnHref: string;
  readonly startedAt: Date;
  finishedAt: Date | null;
  /** Bytes, once ready. */
  size: number;
  /** Why it failed (never shown: the work logs it). */
  error?: unknown;
}

/** The work of a job: write the file into `out`, report progress, stop when `signal` aborts. */
export type ExportWork = (out: Writable, progress: (done: number) => void, signal: AbortSignal) => Promise<void>;

export interface ExportJobsOptions {
  dir: string;
  now: () => Date;
  /** How long a finished file (or a failed job's page) is kept. */
  ttlMs?: number;
  /** Jobs running at once in the whole process: each takes CPU from the pages. */
  maxRunning?: number;
}

const HOUR = 60 * 60 * 1000;

export function createExportJobs(options: ExportJobsOptions) {
  const { dir, now } = options;
  const ttlMs = options.ttlMs ?? HOUR;
  const maxRunning = options.maxRunning ?? 2;
  const jobs = new Map<string, ExportJob>();
  const controllers = new Map<string, AbortController>();
  let timer: NodeJS.Timeout | undefined;

  const randomName = () => randomBytes(16).toString('hex');
  const running = () => [...jobs.values()].filter((j) => j.state === 'running');

  async function remove(job: ExportJob): Promise<void> {
    jobs.delete(job.id);
    controllers.get(job.id)?.abort();
    controllers.delete(job.id);
    await rm(job.file, { force: true });
  }

  /**
   * Drops jobs finished more than the keeping time ago with their files, and any file in the
   * folder no job of this process knows that has not been written to for as long.
   */
  async function sweep(): Promise<void> {
    const limit = now().getTime() - ttlMs;
    for (const job of [...jobs.values()]) {
      if (job.finishedAt && job.finishedAt.getTime() <= limit) await remove(job);
    }
    const known = new Set([...jobs.values()].map((j) => path.basename(j.file)));
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return; // no export yet
    }
    for (const name of names) {
      if (known.has(name)) continue;
      const file = path.join(dir, name);
      const info = await stat(file).catch(() => undefined);
      if (info?.isFile() && info.mtime.getTime() <= limit) await rm(file, { force: true });
    }
  }

  function schedule() {
    if (timer) return;
    // Unref'd: a sweep never keeps the process alive.
    timer = setInterval(() => void sweep().catch(() => undefined), Math.min(ttlMs, 5 * 60 * 1000));
    timer.unref();
  }

  void sweep().catch(() => undefined);

  return {
    /**
     * Starts a job for the user, or says why not: they already have one running (they should wait
     * for it), or the process runs as many as it allows.
     */
    start(
      input: { userId: number; total: number; downloadName: string; returnHref: string },
      work: ExportWork,
    ): { job: ExportJob } | { busy: 'user'; job: ExportJob } | { busy: 'server' } {
      const mine = running().find((j) => j.userId === input.userId);
      if (mine) return { busy: 'user', job: mine };
      if (running().length >= maxRunning) return { busy: 'server' };
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const job: ExportJob = {
        id: randomName(),
        userId: input.userId,
        total: input.total,
        done: 0,
        state: 'running',
        file: path.join(dir, `${randomName()}.zip`),
        downloadName: input.downloadName,
        returnHref: input.returnHref,
        startedAt: now(),
        finishedAt: null,
        size: 0,
      };
      jobs.set(job.id, job);
      const controller = new AbortController();
      controllers.set(job.id, controller);
      schedule();
      // 'wx': never overwrite a file; 0600: only the app's user reads what the ZIP holds.
      const out = createWriteStream(job.file, { flags: 'wx', mode: 0o600 });
      const progress = (done: number) => {
        job.done = done;
      };
      void work(out, progress, controller.signal)
        .then(async () => {
          job.size = (await stat(job.file)).size;
          job.finishedAt = now();
          job.state = 'ready';
        })
        .catch(async (err: unknown) => {
          job.finishedAt = now();
          job.state = 'failed';
          job.error = err;
          await rm(job.file, { force: true }).catch(() => undefined);
        })
        .finally(() => controllers.delete(job.id));
      return { job };
    },

    /** The job if it exists and this user started it; undefined otherwise, whichever the reason. */
    find(id: string, userId: number): ExportJob | undefined {
      const job = jobs.get(id);
      return job && job.userId === userId ? job : undefined;
    },

    /** When a ready file will be deleted if nobody downloads it. */
    expiresAt(job: ExportJob): Date | null {
      return job.finishedAt ? new Date(job.finishedAt.getTime() + ttlMs) : null;
    },

    /** Forgets the job and deletes its file (after a download), stopping it if it still runs. */
    remove,
    sweep,

    /** Stops every job and the sweeps (tests, shutdown); files are left for the next sweep. */
    close(): void {
      for (const controller of controllers.values()) controller.abort();
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

export type ExportJobs = ReturnType<typeof createExportJobs>;

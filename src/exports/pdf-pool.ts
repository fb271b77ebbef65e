/**
 * PDF rendering in worker threads, for batch exports: laying out a brief takes some 40 ms of CPU,
 * which would otherwise hold the event loop (and every other user's page) for the length of the
 * batch, and would use one core only. Up to two workers (never more than the machine's cores),
 * started on first use and stopped after a minute without work; an idle one never keeps the process
 * alive.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DocumentModel } from '../documents/model';

const IDLE_MS = 60_000;
const ENTRY = new URL('./pdf-worker.mjs', import.meta.url);
/**
 * A worker's heap maximum, far above what rendering needs (a brief: a few MB; the caches shared
 * across documents: some 40 MB). It is there for V8's heap sizing: left to its default (a quarter
 * of the machine's memory, up to 4 GB), a heap may grow to about four times what it holds before a
 * full collection, and each worker rendering a batch went up to some 130 MB, the process's peak
 * some 150 MB higher; with 1 GB, the same work stays under 80 MB a worker, for a few percent more
 * time collecting.
 */
const WORKER_HEAP_MB = 1024;

interface Task {
  id: number;
  model: DocumentModel;
  resolve: (pdf: Buffer) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
}

export function createPdfPool(size = Math.max(1, Math.min(2, availableParallelism()))) {
  const slots: Slot[] = [];
  const queue: Task[] = [];
  let nextId = 0;
  let idleTimer: NodeJS.Timeout | undefined;

  function startWorker(): Slot {
    const slot: Slot = { worker: new Worker(ENTRY, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } }), task: null };
    slot.worker.on('message', (message: { id: number; pdf?: ArrayBuffer; error?: string }) => {
      const task = slot.task;
      slot.task = null;
      slot.worker.unref();
      if (task && task.id === message.id) {
        if (message.pdf) task.resolve(Buffer.from(message.pdf));
        else task.reject(new Error(`PDF rendering failed: ${message.error ?? 'unknown error'}`));
      }
      pump();
    });
    // A worker that dies takes its task with it; the others carry on, and a new one is started.
    const fail = (err: Error) => {
      const index = slots.indexOf(slot);
      if (index >= 0) slots.splice(index, 1);
      slot.task?.reject(err);
      slot.task = null;
      pump();
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => fail(new Error(`PDF worker stopped (${code})`)));
    slots.push(slot);
    return slot;
  }

  function pump() {
    clearTimeout(idleTimer);
    while (queue.length > 0) {
      const slot = slots.find((s) => s.task === null) ?? (slots.length < size ? startWorker() : undefined);
      if (!slot) return;
      const task = queue.shift()!;
      slot.task = task;
      // Referenced while it works, so the process waits for the PDF; unreferenced when idle, so an
      // idle worker never keeps the process alive.
      slot.worker.ref();
      slot.worker.postMessage({ id: task.id, model: task.model });
    }
    if (slots.every((s) => s.task === null)) {
      idleTimer = setTimeout(close, IDLE_MS);
      idleTimer.unref();
    }
  }

  /** Stops the workers; a later render starts them again. */
  function close(): void {
    clearTimeout(idleTimer);
    for (const slot of slots.splice(0)) {
      slot.worker.removeAllListeners('exit');
      void slot.worker.terminate();
    }
  }

  return {
    size,
    render(model: DocumentModel): Promise<Buffer> {
      return new Promise((resolve, reject) => {
        queue.push({ id: (nextId += 1), model, resolve, reject });
        pump();
      });
    },
    close,
  };
}

export type PdfPool = ReturnType<typeof createPdfPool>;

let shared: PdfPool | undefined;

/** The process's pool, created on first use. */
export function sharedPdfPool(): PdfPool {
  shared ??= createPdfPool();
  return shared;
}

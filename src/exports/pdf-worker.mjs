// Entry of a PDF rendering worker thread (see pdf-pool.ts): worker threads do not inherit the
// TypeScript loader the app runs under, so this plain module registers it, then loads the worker.
import { register } from 'tsx/esm/api';

register();
await import('./pdf-worker.ts');

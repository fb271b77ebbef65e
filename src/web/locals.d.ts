import type { User } from '../access/user';
import type { LazyToken } from './csrf';

declare global {
  namespace Express {
    interface Locals {
      currentUser?: User;
      /** Printed by views/partials/csrf.hbs; generated only when a page prints it. */
      csrfToken?: LazyToken;
      flash?: Array<{ kind: 'success' | 'info' | 'error'; text: string }>;
    }
  }
}

export {};

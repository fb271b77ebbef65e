import type { User } from '../access/user';

declare global {
  namespace Express {
    interface Locals {
      currentUser?: User;
      csrfToken?: string;
      flash?: Array<{ kind: 'success' | 'info' | 'error'; text: string }>;
    }
  }
}

export {};

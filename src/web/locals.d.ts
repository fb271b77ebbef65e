import type { User } from '../users/users.repository';

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

import type { Role, UserStatus } from '../db/schema';

/** A signed-in account as every feature sees it: no secret, its regions resolved. */
export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  status: UserStatus;
  regions: string[];
  createdAt: string;
  lastLoginAt: string | null;
}

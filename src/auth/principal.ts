import type { ApiRole } from '../config/auth.config.js';

/** Who is calling: the key's id and role, never the key itself. */
export interface Principal {
  id: string;
  role: ApiRole;
}

import { FRONTLINE_JOB_ROLES } from './frontline-job-roles.data.js';
import type { JobRole } from './job-role.model.js';
import { OFFICE_JOB_ROLES } from './office-job-roles.data.js';
import { TECH_JOB_ROLES } from './tech-job-roles.data.js';

/** Every role the built-in dataset is generated from, in a fixed order the generator cycles through. */
export const JOB_ROLES: readonly JobRole[] = [...TECH_JOB_ROLES, ...OFFICE_JOB_ROLES, ...FRONTLINE_JOB_ROLES];

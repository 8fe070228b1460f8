import { SetMetadata } from '@nestjs/common';

export const RATE_LIMIT_FEATURE = 'strata:rate-limit-feature';

/**
 * The costly feature a route spends, besides `default`: `@RateLimited('taxonomy:write')`, or with a route
 * parameter in braces, `@RateLimited('tasks:{type}')`. Its limits come from RATE_LIMITS.
 */
export const RateLimited = (feature: string) => SetMetadata(RATE_LIMIT_FEATURE, feature);

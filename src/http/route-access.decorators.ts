import { SetMetadata } from '@nestjs/common';

/**
 * Who may call a route, as metadata any room can set on its controllers; the edge (src/edge/) and the
 * API key guard (src/auth/) read it. Kept here, below both, so that marking a route needs neither.
 */
export const IS_PUBLIC = 'strata:public';
export const REQUIRES_ADMIN = 'strata:admin';

/** The route needs no API key (health probes, metrics behind their own token). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only `admin` keys may call the route; a `client` key gets 403. */
export const AdminOnly = () => SetMetadata(REQUIRES_ADMIN, true);

import { isHeaderSafe } from '../../config/header-value.util.js';
import { UnsafeHeaderError } from './unsafe-header.error.js';

/** Throws UnsafeHeaderError naming `field` unless `value` can go into a header as it is. */
export function assertHeaderSafe(value: string, field: string): void {
  if (!isHeaderSafe(value)) throw new UnsafeHeaderError(field);
}

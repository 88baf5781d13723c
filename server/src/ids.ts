/** Time-ordered unique ids (ULID), so ids sort like creation time and make stable cursors. */
import { monotonicFactory } from 'ulid';

const next = monotonicFactory();

export function newId(): string {
  return next();
}

/**
 * An agent's location as ConnectDesk stores it (type `location`, the readable summary inbound
 * locations get, Meta's `location` object as content) and as the Cloud API sends it.
 */
import type { SharedLocation } from '../contract/location.ts';
import { locationSummary } from './inbound-summary.ts';
import type { SendMessage } from './send.ts';

/** Meta's `location` object: only the fields that were given. */
function metaLocation(l: SharedLocation): { latitude: number; longitude: number; name?: string; address?: string } {
  return { latitude: l.latitude, longitude: l.longitude, ...(l.name ? { name: l.name } : {}), ...(l.address ? { address: l.address } : {}) };
}

export function locationMessage(l: SharedLocation): { type: 'location'; body: string; content: { location: ReturnType<typeof metaLocation> } } {
  const location = metaLocation(l);
  return { type: 'location', body: locationSummary(location), content: { location } };
}

export function locationPayload(to: string, l: SharedLocation): SendMessage {
  return { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'location', location: metaLocation(l) };
}

/**
 * A place the agent shared: its name, address and a link that opens it on OpenStreetMap. Nothing
 * is fetched from a map service unless the visitor taps the link. Loaded with its styles and words
 * only when a location arrives.
 */
import type { ChatLocation } from '../chat/chat-items.ts';

const CSS = '.lc{display:flex;flex-direction:column;gap:2px}.lc b{font-weight:600}.lc small{font-size:12px;opacity:.85}';

/** "Open in map" in the widget's languages (English for any other). */
const OPEN: Record<string, string> = {
  en: 'Open in map',
  es: 'Abrir en el mapa',
  pt: 'Abrir no mapa',
  bn: 'মানচিত্রে খুলুন',
  ar: 'افتح في الخريطة',
};

/** Degrees with at most 6 decimals (about 10 cm), no trailing zeros. */
const deg = (n: number) => String(Number(n.toFixed(6)));

/** The OpenStreetMap link for a place, or null for coordinates that are not a place on Earth. */
export function mapHref(loc: ChatLocation): string | null {
  const { latitude: la, longitude: lo } = loc;
  if (!Number.isFinite(la) || !Number.isFinite(lo) || Math.abs(la) > 90 || Math.abs(lo) > 180) return null;
  return `https://www.openstreetmap.org/?mlat=${deg(la)}&mlon=${deg(lo)}#map=16/${deg(la)}/${deg(lo)}`;
}

export function LocationCard({ loc, lang }: { loc: ChatLocation; lang: string }) {
  const href = mapHref(loc);
  const coords = href ? `${deg(loc.latitude)}, ${deg(loc.longitude)}` : '';
  return (
    <span class="lc">
      <style>{CSS}</style>
      <b>📍 {loc.name || coords}</b>
      {loc.address && <span>{loc.address}</span>}
      {loc.name && <small>{coords}</small>}
      {href && (
        <a href={href} target="_blank" rel="noopener noreferrer">
          {OPEN[lang] ?? OPEN.en}
        </a>
      )}
    </span>
  );
}

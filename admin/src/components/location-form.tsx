/**
 * The composer's "Location" action: latitude and longitude (typed, pasted as "38.72, -9.14", or
 * taken from this device with "Use my location"), an optional name and address, and Send. Sent as
 * `message_type: "location"`; the server's refusal (a closed window, bad values) shows here.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiError } from '../api/client.ts';
import type { MessageJson } from '../api/types.ts';
import { useApp } from '../context.ts';
import { WINDOW_CLOSED_TEXT } from '../lib/window-view.ts';
import { FormError } from './form-error.tsx';
import './location-form.css';

const MAX_LABEL = 1000;

/** "38.72" → 38.72; a number in range, or null. */
function degrees(raw: string, limit: number): number | null {
  const n = Number(raw.trim().replace(',', '.'));
  return raw.trim() !== '' && Number.isFinite(n) && Math.abs(n) <= limit ? n : null;
}

export function LocationForm({ conversationId, onSent, onClose }: { conversationId: string; onSent: (m: MessageJson) => void; onClose: () => void }) {
  const { api } = useApp();
  const [lat, setLat] = useState('');
  const [lng, setLng] = useState('');
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [busy, setBusy] = useState(false);
  const [locating, setLocating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);
  const canLocate = typeof navigator !== 'undefined' && 'geolocation' in navigator;

  useEffect(() => first.current?.focus(), []);

  /** A pasted pair ("38.7223, -9.1393") fills both fields. */
  function onLatitude(value: string) {
    const pair = /^\s*(-?\d+(?:\.\d+)?)\s*[,;\s]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(value);
    if (pair) {
      setLat(pair[1]!);
      setLng(pair[2]!);
    } else setLat(value);
  }

  function useMyLocation() {
    setLocating(true);
    setError(null);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setLat(String(Number(p.coords.latitude.toFixed(6))));
        setLng(String(Number(p.coords.longitude.toFixed(6))));
        setLocating(false);
      },
      (err) => {
        setError(err.code === err.PERMISSION_DENIED ? 'This browser was not allowed to share your location.' : 'Your location could not be found.');
        setLocating(false);
      },
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  }

  async function send(e: Event) {
    e.preventDefault();
    const latitude = degrees(lat, 90);
    const longitude = degrees(lng, 180);
    if (latitude === null) return setError('Latitude must be a number between -90 and 90.');
    if (longitude === null) return setError('Longitude must be a number between -180 and 180.');
    if (name.length > MAX_LABEL || address.length > MAX_LABEL) return setError(`Name and address can be at most ${MAX_LABEL} characters.`);
    setBusy(true);
    setError(null);
    try {
      const location = { latitude, longitude, ...(name.trim() ? { name: name.trim() } : {}), ...(address.trim() ? { address: address.trim() } : {}) };
      const { message } = await api.sendMessage(conversationId, { message_type: 'location', location });
      onSent(message);
      onClose();
    } catch (err) {
      const apiErr = err as ApiError;
      setError(apiErr.code === 'window_closed' ? `${WINDOW_CLOSED_TEXT}.` : apiErr.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      class="location-form"
      aria-label="Share a location"
      onSubmit={send}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div class="location-coords">
        <label class="field">
          <span>Latitude</span>
          <input ref={first} inputMode="decimal" placeholder="38.7223" value={lat} onInput={(e) => onLatitude(e.currentTarget.value)} required />
        </label>
        <label class="field">
          <span>Longitude</span>
          <input inputMode="decimal" placeholder="-9.1393" value={lng} onInput={(e) => setLng(e.currentTarget.value)} required />
        </label>
      </div>
      <label class="field">
        <span>Name (optional)</span>
        <input maxLength={MAX_LABEL} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label class="field">
        <span>Address (optional)</span>
        <input maxLength={MAX_LABEL} value={address} onInput={(e) => setAddress(e.currentTarget.value)} />
      </label>
      <FormError error={error} />
      <div class="form-actions">
        {canLocate && (
          <button type="button" class="btn btn-ghost" onClick={useMyLocation} disabled={locating}>
            {locating ? 'Locating…' : 'Use my location'}
          </button>
        )}
        <button type="button" class="btn btn-ghost" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? 'Sending…' : 'Send location'}
        </button>
      </div>
    </form>
  );
}

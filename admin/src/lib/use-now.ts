/** The current time, refreshed every `intervalMs` (for countdowns and relative times). */
import { useEffect, useState } from 'preact/hooks';

export function useNow(intervalMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

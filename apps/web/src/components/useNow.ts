import { useEffect, useState } from 'react';

/**
 * The time to show relative times against ("5 minutes ago"), kept current. Reading the clock
 * while rendering would make what React renders depend on when it happens to render.
 */
export function useNow(refreshMs = 30_000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), refreshMs);
    return () => window.clearInterval(timer);
  }, [refreshMs]);
  return now;
}

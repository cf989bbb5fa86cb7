// Read by tracing.ts before the app loads and by loadConfig: no imports, no side effects.

/** The traces URL for an OTLP/HTTP base endpoint, or null when it is not a usable http(s) URL. */
export function tracesUrl(endpoint: string | undefined): string | null {
  if (!endpoint) return null;
  try {
    const url = new URL(endpoint);
    if (!/^https?:$/.test(url.protocol) || url.username || url.password) return null;
    return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
  } catch {
    return null;
  }
}

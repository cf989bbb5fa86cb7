import Bowser from 'bowser';

export interface DeviceDescription {
  /** Words for a person: "Chrome 131 on macOS", "Safari on iOS 17.5", "curl/8.5.0" or "Unknown device". */
  label: string;
  kind: 'desktop' | 'mobile' | 'tablet' | 'other';
}

const KINDS = new Set(['desktop', 'mobile', 'tablet']);

/** What a session's User-Agent says about its device, for the sessions list. Never throws. */
export function describeDevice(userAgent: string | null): DeviceDescription {
  const ua = userAgent?.trim() ?? '';
  if (!ua) return { label: 'Unknown device', kind: 'other' };
  try {
    const { browser, os, platform } = Bowser.parse(ua);
    const major = browser.version?.split('.')[0];
    const name = browser.name ? `${browser.name}${major ? ` ${major}` : ''}` : null;
    const system = os.name
      ? `${os.name}${os.name === 'iOS' || os.name === 'Android' ? ` ${os.version ?? ''}` : ''}`.trim()
      : null;
    const kind = platform.type && KINDS.has(platform.type) ? (platform.type as DeviceDescription['kind']) : 'other';
    if (name && system) return { label: `${name} on ${system}`, kind };
    if (name || system) return { label: (name ?? system)!, kind };
  } catch {
    // A User-Agent the parser can't read is shown as sent, shortened.
  }
  return { label: ua.slice(0, 60), kind: 'other' };
}

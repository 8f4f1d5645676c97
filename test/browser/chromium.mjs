// The system Chromium for browser tests: CHROMIUM_PATH, else the usual Debian/Ubuntu paths. Never
// downloads a browser.
import { existsSync } from 'node:fs';

/** Path of a Chromium executable, or undefined when none is installed. */
export function chromiumPath() {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/lib/chromium/chromium',
  ];
  return candidates.find((p) => p && existsSync(p));
}

/** Flags for a headless Chromium on a machine without network access (and as root in CI). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// The three browser engines the tests run in, all from Debian, never downloaded:
// - chromium: /usr/bin/chromium through playwright-core;
// - firefox:  /usr/bin/firefox-esr over WebDriver BiDi through puppeteer-core (no geckodriver needed);
// - webkit:   WebKitGTK's MiniBrowser (Safari's engine) through /usr/bin/WebKitWebDriver (webkit2gtk-driver),
//             spoken to over plain W3C WebDriver HTTP, in an Xvfb display started here when none is set.
// Each `launch(name)` resolves to { name, version, open(url), close() }: enough for vitest's browser mode
// (vitest-providers.mjs) and for the packaging test, whose pages report back to their server themselves.
// A missing browser throws BrowserMissingError; callers decide whether that skips or fails (CI: fails).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from './chromium.mjs';

export const BROWSERS = ['chromium', 'firefox', 'webkit'];

export class BrowserMissingError extends Error {}

const firstExisting = (...paths) => paths.find((p) => p && existsSync(p));

/** Executables per engine (env overrides: CHROMIUM_PATH, FIREFOX_PATH, WEBKIT_DRIVER_PATH, MINIBROWSER_PATH). */
export function browserPaths(name) {
  if (name === 'chromium') return { exe: chromiumPath(), install: 'chromium' };
  if (name === 'firefox')
    return {
      exe: firstExisting(process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'),
      install: 'firefox-esr',
    };
  if (name === 'webkit') {
    const driver = firstExisting(process.env.WEBKIT_DRIVER_PATH, '/usr/bin/WebKitWebDriver');
    const mini = firstExisting(
      process.env.MINIBROWSER_PATH,
      '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
      '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
      '/usr/libexec/webkit2gtk-4.1/MiniBrowser',
    );
    const xvfb = process.env.DISPLAY ? 'display' : firstExisting('/usr/bin/Xvfb');
    return { exe: driver && mini && xvfb ? driver : undefined, mini, xvfb, install: 'webkit2gtk-driver xvfb' };
  }
  throw new Error(`unknown browser ${name}`);
}

/** Whether `name` can be launched here. */
export const browserAvailable = (name) => browserPaths(name).exe !== undefined;

function missing(name) {
  return new BrowserMissingError(
    `no ${name} found (apt-get install -y ${browserPaths(name).install}); never downloaded`,
  );
}

/** Launch a browser engine. */
export async function launch(name) {
  if (!browserAvailable(name)) throw missing(name);
  if (name === 'chromium') return launchChromium();
  if (name === 'firefox') return launchFirefox();
  return launchWebKit();
}

async function launchChromium() {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: browserPaths('chromium').exe,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const page = await (await browser.newContext()).newPage();
  return {
    name: 'chromium',
    version: browser.version(),
    async open(url) {
      await page.goto(url, { timeout: 0 });
    },
    async close() {
      await browser.close().catch(() => {});
    },
  };
}

async function launchFirefox() {
  const puppeteer = (await import('puppeteer-core')).default;
  const profile = mkdtempSync(join(tmpdir(), 'lowrank-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: browserPaths('firefox').exe,
    headless: true,
    userDataDir: profile,
    // Nothing reaches out: no updates, telemetry or remote settings on a machine without network.
    extraPrefsFirefox: {
      'app.update.enabled': false,
      'browser.shell.checkDefaultBrowser': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
    },
  });
  const version = await browser.version();
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  return {
    name: 'firefox',
    version,
    async open(url) {
      await page.goto(url, { timeout: 0, waitUntil: 'load' });
    },
    async close() {
      await browser.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Start Xvfb on a display it picks itself (-displayfd); resolves to { display, stop }. */
function startXvfb() {
  return new Promise((resolve, reject) => {
    const x = spawn(
      browserPaths('webkit').xvfb,
      ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'],
      { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    x.stderr.on('data', (d) => (err += d));
    x.on('error', reject);
    x.on('exit', (code) =>
      reject(new Error(`Xvfb exited with code ${code}: ${err.trim().split('\n').slice(-3).join(' ')}`)),
    );
    x.stdio[3].on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve({ display: `:${out.trim()}`, stop: () => x.kill() });
    });
  });
}

async function launchWebKit() {
  const paths = browserPaths('webkit');
  let xvfb;
  // WebKitGTK leaves SharedArrayBuffer off even on cross-origin isolated pages (a JavaScriptCore option);
  // Safari turns it on for them. Turn it on too, so the threads tests run on Safari's engine as Safari
  // users get it. (Unlike Safari, the option also shows it on pages that are not isolated; lowrank checks
  // crossOriginIsolated itself, so its fallback behaves the same.)
  const env = { JSC_useSharedArrayBuffer: 'true', ...process.env };
  if (!env.DISPLAY) {
    xvfb = await startXvfb();
    env.DISPLAY = xvfb.display;
  }
  const port = await freePort();
  const driver = spawn(paths.exe, [`--port=${port}`], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let driverErr = '';
  driver.stderr.on('data', (d) => (driverErr += d));
  const base = `http://127.0.0.1:${port}`;
  const call = async (method, path, body) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const j = await r.json().catch(() => ({}));
    if (!r.ok)
      throw new Error(`WebKitWebDriver ${method} ${path}: ${j.value?.error ?? r.status} ${j.value?.message ?? ''}`);
    return j.value;
  };
  const stop = () => {
    driver.kill();
    xvfb?.stop();
  };
  try {
    // The driver takes a moment to listen.
    for (let i = 0; ; i++) {
      try {
        await call('GET', '/status');
        break;
      } catch (e) {
        if (i > 100 || driver.exitCode !== null)
          throw new Error(`WebKitWebDriver did not start: ${driverErr.trim() || e.message}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const session = await call('POST', '/session', {
      capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary: paths.mini, args: ['--automation'] } } },
    });
    const id = session.sessionId;
    return {
      name: 'webkit',
      version: session.capabilities?.browserVersion ?? '',
      async open(url) {
        await call('POST', `/session/${id}/url`, { url });
      },
      async close() {
        await call('DELETE', `/session/${id}`).catch(() => {});
        stop();
      },
    };
  } catch (e) {
    stop();
    throw e;
  }
}

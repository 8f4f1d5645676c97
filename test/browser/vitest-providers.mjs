// vitest browser-mode providers for Firefox and WebKit on the Debian browsers (browsers.mjs). A provider
// only has to open vitest's orchestrator page; the tests then talk to vitest over its own WebSocket. No
// userEvent/locator commands or module mocking: the browser suite needs none (Chromium keeps vitest's
// Playwright provider).
import { defineBrowserProvider } from '@vitest/browser';
import { launch } from './browsers.mjs';

class EngineProvider {
  supportsParallelism = false;

  constructor(project, name) {
    this.project = project;
    this.name = `lowrank-${name}`;
    this.browserName = name;
    this.browser = undefined;
  }

  getCommandsContext() {
    return {};
  }

  async openPage(_sessionId, url) {
    this.browser ??= launch(this.browserName);
    const b = await this.browser;
    await b.open(url);
  }

  async close() {
    const b = await this.browser?.catch(() => undefined);
    this.browser = undefined;
    await b?.close();
  }
}

/** A vitest browser provider driving `name` ('firefox' or 'webkit') through browsers.mjs. */
export function engine(name) {
  return defineBrowserProvider({
    name: `lowrank-${name}`,
    supportedBrowser: [name],
    options: {},
    providerFactory: (project) => new EngineProvider(project, name),
  });
}

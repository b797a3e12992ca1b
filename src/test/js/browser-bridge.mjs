// Headless Chromium for the Java tests (support/Chromium.java): Debian's chromium, driven
// by playwright-core. One JSON request per line on stdin, one JSON answer per line on
// stdout: {"id", "op": "open"|"eval"|"fill"|"click"|"screenshot"|"closePage", ...}.
// Each page has a browser context of its own (its own cookies).
import { createRequire } from "node:module";
import readline from "node:readline";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const playwrightVersion = require("playwright-core/package.json").version;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
const pages = new Map();
let nextPage = 1;

function reply(message) {
  process.stdout.write(JSON.stringify(message) + "\n");
}

const ops = {
  async open({ url, cookies }) {
    const context = await browser.newContext();
    if (cookies && cookies.length) {
      await context.addCookies(cookies);
    }
    const page = await context.newPage();
    const console = [];
    page.on("console", (m) => console.push(m.type() + ": " + m.text()));
    page.on("pageerror", (e) => console.push("pageerror: " + e.message));
    await page.goto(url);
    const id = nextPage++;
    pages.set(id, { page, context, console });
    return { page: id };
  },
  async eval({ page, js }) {
    return { value: await pages.get(page).page.evaluate(js) };
  },
  async fill({ page, selector, value }) {
    await pages.get(page).page.fill(selector, value);
    return {};
  },
  async click({ page, selector }) {
    await pages.get(page).page.click(selector);
    return {};
  },
  async screenshot({ page, path }) {
    await pages.get(page).page.screenshot({ path, fullPage: true });
    return {};
  },
  async console({ page }) {
    return { value: pages.get(page).console };
  },
  async closePage({ page }) {
    await pages.get(page).context.close();
    pages.delete(page);
    return {};
  },
};

reply({ ready: true, playwright: playwrightVersion, chromium: browser.version() });

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", async (line) => {
  const request = JSON.parse(line);
  try {
    reply({ id: request.id, ok: true, ...(await ops[request.op](request)) });
  } catch (error) {
    reply({ id: request.id, ok: false, error: String(error && error.stack || error) });
  }
});
lines.on("close", async () => {
  await browser.close();
  process.exit(0);
});

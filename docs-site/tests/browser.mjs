// Browser test of the built site (run `npm run build` first).
//
// Serves build/ on 127.0.0.1 with a small static server, drives Debian's Chromium
// (/usr/bin/chromium; never a downloaded browser) through playwright-core, and checks:
// - the landing page and every service index load cleanly and link where they should;
// - every resource page (docs/<provider>/<service>/<page>.mdx, not index.mdx, not
//   operations/) loads with no console error, page error or failed local request;
//   its Fields table has one data row per `<tr><td><CopyableCode` row of the Fields
//   table in the page's MDX source; each INSERT tab shows its own code block; and a
//   copy button copies its text;
// - a sample of up to 10 operation pages (docs/*/*/operations/*.mdx; BROWSER_TEST_OPERATIONS=all
//   for every one) loads cleanly;
// - the docs home, each provider index and the guides load cleanly;
// - search (built with the site, offline): a resource, an operation and a field typed into the
//   navbar's search box land, with Enter, on the page that documents them;
// - layout, on every page of the site at 1280 px and at 390 px: the page never scrolls
//   sideways, no table or code block is wider than the text column (a wide one scrolls inside
//   itself), at 1280 px no table needs to scroll at all, and no identifier, link or column
//   heading in a table breaks between two letters or digits (but before a camelCase part).
// Screenshots go to ../target/screenshots/. The last line is `browser: N passed, M failed`.
import { mkdtemp, readdir, readFile, rm, stat, mkdir } from 'node:fs/promises';
import { createReadStream, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const SITE = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BUILD = join(SITE, 'build');
const DOCS = join(SITE, 'docs');
const SHOTS = resolve(SITE, '../target/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const DOCS_ROUTE = '/docs';
const OVERALL_TIMEOUT_MS = 10 * 60 * 1000;
// The widths every page is laid out at: a laptop, and a phone.
const WIDTHS = [1280, 390];
const PAGE_TIMEOUT_MS = 30 * 1000;
const ACTION_TIMEOUT_MS = 10 * 1000;
// How many operation pages to open: BROWSER_TEST_OPERATIONS=<n> or =all (default 10).
const OPERATION_SAMPLE = process.env.BROWSER_TEST_OPERATIONS === 'all' ? Infinity : Number(process.env.BROWSER_TEST_OPERATIONS) || 10;

let passed = 0;
let failed = 0;

function pass(name) {
  passed += 1;
  console.log(`ok   ${name}`);
}

function fail(name, detail) {
  failed += 1;
  console.log(`FAIL ${name}: ${detail}`);
}

function summary() {
  console.log(`browser: ${passed} passed, ${failed} failed`);
}

// ---------------------------------------------------------------------------
// Pages and what their MDX source says to expect.

async function listDir(dir) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

// docs/<provider>/<service>/{index.mdx, <resource>.mdx, operations/<op>.mdx}
async function discoverPages() {
  const services = [];
  const resources = [];
  const operations = [];
  for (const provider of await listDir(DOCS)) {
    if (!provider.isDirectory()) continue;
    for (const service of await listDir(join(DOCS, provider.name))) {
      if (!service.isDirectory()) continue;
      const serviceDir = join(DOCS, provider.name, service.name);
      for (const entry of await listDir(serviceDir)) {
        const file = join(serviceDir, entry.name);
        if (entry.isFile() && entry.name === 'index.mdx') services.push(file);
        else if (entry.isFile() && entry.name.endsWith('.mdx')) resources.push(file);
        else if (entry.isDirectory() && entry.name === 'operations') {
          for (const op of await listDir(file)) {
            if (op.isFile() && op.name.endsWith('.mdx') && op.name !== 'index.mdx') operations.push(join(file, op.name));
          }
        }
      }
    }
  }
  const byName = (a, b) => a.localeCompare(b);
  const all = (await allPages(DOCS)).sort(byName);
  const known = new Set([...services, ...resources, ...operations]);
  // The docs home, provider indexes, guides and shared types pages.
  const others = all.filter((file) => !known.has(file));
  return { services: services.sort(byName), resources: resources.sort(byName), operations: operations.sort(byName), others, all };
}

// Every .md/.mdx file below `dir`.
async function allPages(dir) {
  const files = [];
  for (const entry of await listDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await allPages(path)));
    else if (/\.mdx?$/.test(entry.name)) files.push(path);
  }
  return files;
}

// The route Docusaurus gives a docs file (no slug/id overrides are used by the generator).
function routeOf(file) {
  let path = relative(DOCS, file).split(sep).join('/').replace(/\.mdx?$/, '');
  if (path === 'index') path = '';
  if (path.endsWith('/index')) path = path.slice(0, -'/index'.length);
  return path ? `${DOCS_ROUTE}/${path}` : DOCS_ROUTE;
}

function frontmatterTitle(source) {
  const fm = source.match(/^---\n([\s\S]*?)\n---/);
  const title = fm?.[1].match(/^title:\s*(.+)$/m)?.[1].trim();
  return title?.replace(/^['"]|['"]$/g, '');
}

// The body of a `## Heading` section: up to the next level-2 heading.
function section(source, heading) {
  const lines = source.split('\n');
  const start = lines.findIndex((line) => line.trim() === `## ${heading}`);
  if (start < 0) return undefined;
  let end = lines.findIndex((line, i) => i > start && /^## /.test(line));
  if (end < 0) end = lines.length;
  return lines.slice(start + 1, end).join('\n');
}

// Expected data rows of the Fields table: its `<tr><td><CopyableCode` rows.
function expectedFieldRows(source) {
  const body = section(source, 'Fields');
  if (body === undefined) return undefined;
  const table = body.match(/<table[\s\S]*?<\/table>/);
  if (!table) return undefined;
  return table[0].split('\n').filter((line) => line.trimStart().startsWith('<tr><td><CopyableCode')).length;
}

// The INSERT tabs: [{ label, value, code }] in source order.
function insertTabs(source) {
  const body = section(source, '`INSERT` example') ?? section(source, '`INSERT` examples');
  if (!body || !body.includes('<Tabs')) return [];
  const labels = new Map();
  for (const m of body.matchAll(/label:\s*'([^']*)',\s*value:\s*'([^']*)'/g)) labels.set(m[2], m[1]);
  const tabs = [];
  for (const m of body.matchAll(/<TabItem\s+value="([^"]*)"[^>]*>([\s\S]*?)<\/TabItem>/g)) {
    const code = m[2].match(/```[^\n]*\n([\s\S]*?)\n```/)?.[1] ?? '';
    tabs.push({ value: m[1], label: labels.get(m[1]) ?? m[1], code });
  }
  return tabs;
}

const squash = (text) => text.replace(/\s+/g, ' ').trim();

// ---------------------------------------------------------------------------
// A static server for build/: /a/b serves a/b, a/b.html or a/b/index.html.

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
};

async function isFile(path) {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function resolveFile(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const base = normalize(join(BUILD, decoded));
  if (base !== BUILD && !base.startsWith(BUILD + sep)) return undefined;
  for (const candidate of [base, `${base}.html`, join(base, 'index.html')]) {
    if (await isFile(candidate)) return candidate;
  }
  return undefined;
}

function startServer() {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const file = await resolveFile(url.pathname);
    const status = file ? 200 : 404;
    const path = file ?? join(BUILD, '404.html');
    res.writeHead(status, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    if (req.method === 'HEAD') return res.end();
    createReadStream(path).on('error', () => res.end()).pipe(res);
  });
  return new Promise((resolveStart, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveStart(server));
  });
}

// ---------------------------------------------------------------------------
// Browser helpers.

// Opens a page and records everything that went wrong while it was open.
async function openPage(context, origin, route) {
  const page = await context.newPage();
  page.setDefaultTimeout(ACTION_TIMEOUT_MS);
  page.setDefaultNavigationTimeout(PAGE_TIMEOUT_MS);
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text().split('\n')[0]}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message.split('\n')[0]}`));
  page.on('requestfailed', (request) => {
    const error = request.failure()?.errorText ?? 'failed';
    problems.push(`request failed: ${request.url()} (${error})`);
  });
  page.on('response', (response) => {
    if (response.url().startsWith(origin) && response.status() >= 400) {
      problems.push(`HTTP ${response.status()}: ${response.url()}`);
    }
  });
  const response = await page.goto(origin + route, { waitUntil: 'load' });
  if (!response || response.status() !== 200) problems.push(`HTTP ${response?.status()} for ${route}`);
  // Static site on localhost: once the network is quiet, React has hydrated.
  await page.waitForLoadState('networkidle', { timeout: PAGE_TIMEOUT_MS }).catch(() => {});
  return { page, problems };
}

async function check(name, fn) {
  try {
    const detail = await fn();
    if (detail) fail(name, detail);
    else pass(name);
  } catch (error) {
    fail(name, String(error?.message ?? error).split('\n')[0]);
  }
}

async function screenshot(page, file) {
  await mkdir(SHOTS, { recursive: true });
  const path = join(SHOTS, file);
  await page.screenshot({ path, fullPage: true });
  console.log(`     screenshot ${relative(process.cwd(), path)}`);
}

// The first table after the h2 "Fields": [data rows, a handle to it].
async function fieldsTable(page) {
  return page.evaluateHandle(() => {
    const heading = [...document.querySelectorAll('article h2')].find((h) => h.id === 'fields' || h.textContent.trim().replace(/#$/, '').trim() === 'Fields');
    if (!heading) return null;
    for (let el = heading.nextElementSibling; el && el.tagName !== 'H2'; el = el.nextElementSibling) {
      if (el.tagName === 'TABLE') return el;
      const inner = el.querySelector('table');
      if (inner) return inner;
    }
    return null;
  });
}

// ---------------------------------------------------------------------------
// The checks.

async function checkResource(context, origin, file, screenshotName) {
  const source = await readFile(file, 'utf8');
  const route = routeOf(file);
  const name = relative(DOCS, file);
  const { page, problems } = await openPage(context, origin, route);
  try {
    await check(`${name}: loads`, async () => {
      const h1 = (await page.locator('article h1').first().textContent())?.trim();
      const title = frontmatterTitle(source);
      if (title && h1 !== title) return `h1 is ${JSON.stringify(h1)}, expected ${JSON.stringify(title)}`;
      return undefined;
    });

    const expected = expectedFieldRows(source);
    if (expected === undefined) {
      console.log(`     note: ${name} has no Fields table in its MDX`);
    } else {
      await check(`${name}: Fields table has ${expected} rows`, async () => {
        const table = await fieldsTable(page);
        const rows = await table.evaluate((t) => (t ? [...t.querySelectorAll('tr')].filter((tr) => tr.querySelector('td')).length : -1));
        if (rows < 0) return 'no table after the Fields heading';
        return rows === expected ? undefined : `${rows} data rows, MDX has ${expected}`;
      });
    }

    const tabs = insertTabs(source);
    if (tabs.length === 0) {
      console.log(`     note: ${name} has no INSERT tabs`);
    } else {
      // Mark the first Tabs block after the INSERT heading (other sections have tabs too).
      const marked = await page.evaluate(() => {
        const heading = [...document.querySelectorAll('article h2')].find((h) => /\bINSERT\b/.test(h.textContent));
        for (let el = heading?.nextElementSibling; el && el.tagName !== 'H2'; el = el.nextElementSibling) {
          const tabs = el.matches('.tabs-container') ? el : el.querySelector('.tabs-container');
          if (tabs) {
            tabs.setAttribute('data-test-insert-tabs', '');
            return true;
          }
        }
        return false;
      });
      if (!marked) fail(`${name}: INSERT tabs`, 'no tabs after the INSERT heading');
      for (const [index, tab] of marked ? tabs.entries() : []) {
        if (index === 0) continue;
        await check(`${name}: INSERT tab "${tab.label}" shows its code`, async () => {
          const want = squash(tab.code);
          if (!want) return `no code block in TabItem ${tab.value} of the MDX`;
          const button = page.locator('[data-test-insert-tabs]').getByRole('tab', { name: tab.label, exact: true }).first();
          // The tab panels of this Tabs block, in order: visible or not, and their text.
          const panels = () =>
            button.evaluate((el) => {
              const container = el.closest('.tabs-container') ?? el.parentElement.parentElement;
              return [...container.querySelectorAll('[role="tabpanel"]')].map((p) => ({
                visible: !p.hidden && p.offsetParent !== null,
                text: p.innerText,
              }));
            });
          const before = await panels();
          if (before.length !== tabs.length) return `${before.length} tab panels, MDX has ${tabs.length}`;
          if (before[index].visible) return `"${tab.label}" panel was visible before its tab was clicked`;
          await button.click();
          const deadline = Date.now() + ACTION_TIMEOUT_MS;
          for (;;) {
            const after = await panels();
            const selected = await button.getAttribute('aria-selected');
            const others = after.filter((p, i) => i !== index && p.visible).length;
            if (selected === 'true' && after[index].visible && others === 0) {
              return squash(after[index].text).includes(want) ? undefined : `"${tab.label}" panel does not show the MDX code block`;
            }
            if (Date.now() > deadline) {
              return `after clicking "${tab.label}": aria-selected=${selected}, its panel ${after[index].visible ? 'visible' : 'hidden'}, ${others} other panels visible`;
            }
            await page.waitForTimeout(100);
          }
        });
      }
      // Back to the first tab for the screenshot.
      await page.locator('[data-test-insert-tabs]').getByRole('tab', { name: tabs[0].label, exact: true }).first().click().catch(() => {});
    }

    await check(`${name}: copy button copies its text`, async () => {
      const wrapper = page.locator('article [data-copyable-code]').first();
      if ((await wrapper.count()) === 0) return 'no CopyableCode on the page';
      const text = await wrapper.locator('code').first().textContent();
      const button = wrapper.locator('button');
      const label = await button.getAttribute('aria-label');
      if (!label || !label.includes(text)) return `button's aria-label ${JSON.stringify(label)} does not name ${JSON.stringify(text)}`;
      await page.evaluate(() => navigator.clipboard.writeText('').catch(() => {}));
      await button.click();
      await page.waitForFunction(() => document.querySelector('article [data-copyable-code] button')?.textContent.includes('Copied'), null, {
        timeout: ACTION_TIMEOUT_MS,
      });
      let copied;
      try {
        copied = await page.evaluate(() => navigator.clipboard.readText());
      } catch (error) {
        copied = await page.evaluate(() => window.__copiedText);
        console.log(`     note: clipboard.readText failed (${String(error.message).split('\n')[0]}); used the intercepted writeText value`);
      }
      return copied === text ? undefined : `clipboard holds ${JSON.stringify(copied)}, expected ${JSON.stringify(text)}`;
    });

    if (screenshotName) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, `${screenshotName}.png`);
    }

    await check(`${name}: no console errors or failed requests`, async () => (problems.length ? problems.slice(0, 5).join('; ') : undefined));
  } finally {
    await page.close();
  }
}

async function checkPlainPage(context, origin, route, name, extra) {
  const { page, problems } = await openPage(context, origin, route);
  try {
    if (extra) await extra(page);
    await check(`${name}: loads with no console errors or failed requests`, async () => {
      if ((await page.locator('h1').count()) === 0) return 'no h1 on the page';
      return problems.length ? problems.slice(0, 5).join('; ') : undefined;
    });
  } finally {
    await page.close();
  }
}


// How one page is laid out at the current viewport width: what is wider than it should be.
async function layoutProblems(page, width) {
  return page.evaluate((width) => {
    const problems = [];
    const doc = document.documentElement.scrollWidth;
    if (doc > window.innerWidth + 1) problems.push(`the page is ${doc}px wide in a ${window.innerWidth}px window`);
    const column = document.querySelector('article') ?? document.querySelector('main');
    if (!column) return problems;
    const right = column.getBoundingClientRect().right;
    const label = (el) => {
      const heading = (() => {
        for (let e = el; e; e = e.previousElementSibling ?? e.parentElement) {
          if (/^H[1-3]$/.test(e.tagName)) return e.textContent.replace(/#$/, '').trim();
          if (e === column) break;
        }
        return '';
      })();
      return `${el.tagName.toLowerCase()}${heading ? ` under "${heading}"` : ''}`;
    };
    for (const el of column.querySelectorAll('table, pre')) {
      const box = el.getBoundingClientRect();
      if (box.right > right + 1) problems.push(`${label(el)} reaches ${Math.round(box.right - right)}px past the column`);
      if (el.tagName === 'TABLE' && width >= 1280 && el.scrollWidth > el.clientWidth + 1) {
        problems.push(`${label(el)} is ${el.scrollWidth}px wide in a ${el.clientWidth}px column`);
      }
    }
    // Where each identifier (code, a first-column link, a heading cell) in a table wraps: never
    // between two letters or digits, except where a camelCase part starts.
    for (const code of column.querySelectorAll('td code, td:first-child a, th')) {
      if (code.getClientRects().length < 2) continue;
      const text = code.textContent;
      const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      let top;
      let previous = '';
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.length; i += 1) {
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const rect = range.getClientRects()[0];
          const c = node.data[i];
          // A camelCase part may start a line (`integration` / `ResponseId`); nothing else may.
          const camel = /[a-z0-9]/.test(previous) && /[A-Z]/.test(c);
          if (rect && top !== undefined && rect.top > top + 2 && /[A-Za-z0-9]/.test(previous) && /[A-Za-z0-9]/.test(c) && !camel) {
            problems.push(`"${text}" breaks between "${previous}" and "${c}"`);
          }
          if (rect) top = rect.top;
          previous = c;
        }
      }
    }
    return problems;
  }, width);
}

// Every page at every width, one tab reused (a page is loaded once and resized).
async function checkLayout(context, origin, routes) {
  const { page } = await openPage(context, origin, '/');
  try {
    for (const route of routes) {
      await page.setViewportSize({ width: WIDTHS[0], height: 900 });
      await page.goto(origin + route, { waitUntil: 'load' });
      await page.waitForLoadState('networkidle', { timeout: PAGE_TIMEOUT_MS }).catch(() => {});
      for (const width of WIDTHS) {
        await check(`${route}: fits at ${width}px`, async () => {
          await page.setViewportSize({ width, height: 900 });
          await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
          const problems = await layoutProblems(page, width);
          return problems.length ? `${problems.length} problems: ${problems.slice(0, 4).join('; ')}` : undefined;
        });
      }
    }
  } finally {
    await page.close();
  }
}

// Types `query` into the navbar's search box and takes the first suggestion (Enter): the
// page it lands on must be `route`.
async function checkSearch(context, origin, what, query, route) {
  await check(`search: ${what} "${query}" lands on ${route}`, async () => {
    const { page, problems } = await openPage(context, origin, '/');
    try {
      const box = page.locator('input.navbar__search-input').first();
      if ((await box.count()) === 0) return 'no search box in the navbar';
      await box.click();
      await box.pressSequentially(query, { delay: 20 });
      const suggestion = page.locator('[role="listbox"] [role="option"]').first();
      await suggestion.waitFor({ timeout: ACTION_TIMEOUT_MS }).catch(() => {});
      if ((await suggestion.count()) === 0) return `no suggestions for "${query}"`;
      const first = (await suggestion.innerText()).replace(/\s+/g, ' ').trim();
      await box.press('Enter');
      await page.waitForURL((url) => url.pathname !== '/', { timeout: ACTION_TIMEOUT_MS }).catch(() => {});
      const landed = new URL(page.url()).pathname.replace(/\/$/, '');
      if (landed !== route) return `landed on ${landed} (first suggestion: "${first.slice(0, 80)}")`;
      await page.locator('article h1').first().waitFor({ timeout: ACTION_TIMEOUT_MS });
      return problems.length ? problems.slice(0, 3).join('; ') : undefined;
    } finally {
      await page.close();
    }
  });
}

// The field names of a resource page's Fields table.
function fieldNames(source) {
  const body = section(source, 'Fields') ?? '';
  return [...body.matchAll(/<tr><td><CopyableCode code="([^"]+)"/g)].map((m) => m[1]);
}

function sample(items, count) {
  if (items.length <= count) return items;
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)]);
}

async function run() {
  if (!existsSync(join(BUILD, 'index.html'))) {
    fail('build', `no ${relative(process.cwd(), BUILD)}/index.html: run \`npm run build\` first`);
    return;
  }
  if (!existsSync(CHROMIUM)) {
    fail('chromium', `${CHROMIUM} not found: apt-get install chromium`);
    return;
  }
  const pages = await discoverPages();
  if (pages.resources.length === 0) fail('pages', `no resource pages under ${relative(process.cwd(), DOCS)}`);

  const server = await startServer();
  const origin = `http://127.0.0.1:${server.address().port}`;
  const profile = await mkdtemp(join(tmpdir(), 'docs-site-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
      permissions: ['clipboard-read', 'clipboard-write'],
      timeout: PAGE_TIMEOUT_MS,
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    // Keep what the page copies, in case the clipboard cannot be read back.
    await context.addInitScript(() => {
      const clipboard = navigator.clipboard;
      if (!clipboard) return;
      const write = clipboard.writeText.bind(clipboard);
      clipboard.writeText = (text) => {
        window.__copiedText = text;
        return write(text);
      };
    });
    // Nothing leaves the machine: anything but the local server is refused (and reported).
    await context.route(
      (url) => url.origin !== origin && url.protocol !== 'data:' && url.protocol !== 'blob:',
      (route) => route.abort('blockedbyclient'),
    );

    const serviceRoutes = pages.services.map(routeOf);
    await checkPlainPage(context, origin, '/', 'landing page', async (page) => {
      await check('landing page links to every service index', async () => {
        const hrefs = await page.$$eval('main a[href]', (as) => as.map((a) => new URL(a.href).pathname.replace(/\/$/, '')));
        const missing = serviceRoutes.filter((route) => !hrefs.includes(route));
        return missing.length ? `no link to ${missing.join(', ')}` : undefined;
      });
    });

    for (const file of pages.services) {
      const name = relative(DOCS, file);
      const resourceTitles = await Promise.all(
        pages.resources.filter((r) => dirname(r) === dirname(file)).map(async (r) => frontmatterTitle(await readFile(r, 'utf8'))),
      );
      await checkPlainPage(context, origin, routeOf(file), name, async (page) => {
        await check(`${name}: sidebar lists the resources, then operations`, async () => {
          const labels = await page.$$eval('nav.menu a.menu__link', (as) => as.map((a) => a.textContent.trim()));
          const missing = resourceTitles.filter((t) => !labels.includes(t));
          if (missing.length) return `sidebar lacks ${missing.join(', ')}`;
          const ops = labels.indexOf('operations');
          if (ops >= 0 && resourceTitles.some((t) => labels.indexOf(t) > ops)) return 'a resource is listed after operations';
          return undefined;
        });
      });
    }

    for (const file of pages.resources) {
      const screenshotName = /\/route_responses\.mdx$/.test(file) ? 'route_responses' : undefined;
      await checkResource(context, origin, file, screenshotName);
    }
    // The mobile layout of one resource page, to see the tables scroll rather than overflow.
    const mobileFile = pages.resources.find((f) => f.endsWith('/route_responses.mdx')) ?? pages.resources[0];
    if (mobileFile) {
      const { page, problems } = await openPage(context, origin, routeOf(mobileFile));
      try {
        await page.setViewportSize({ width: 390, height: 844 });
        await check(`${relative(DOCS, mobileFile)}: no horizontal page overflow at 390px`, async () => {
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          return width > 390 + 1 ? `page is ${width}px wide` : problems.length ? problems.join('; ') : undefined;
        });
        await screenshot(page, `${relative(DOCS, mobileFile).split(sep).pop().replace(/\.mdx$/, '')}-mobile.png`);
      } finally {
        await page.close();
      }
    }

    for (const file of pages.others) {
      const name = relative(DOCS, file);
      const title = frontmatterTitle(await readFile(file, 'utf8'));
      const shot = /^guides\//.test(name) ? `guide-${name.split(sep).pop().replace(/\.mdx$/, '')}.png` : undefined;
      await checkPlainPage(context, origin, routeOf(file), name, async (page) => {
        await check(`${name}: title`, async () => {
          const h1 = (await page.locator('article h1').first().textContent())?.trim();
          const head = await page.title();
          if (title && h1 !== title) return `h1 is ${JSON.stringify(h1)}, expected ${JSON.stringify(title)}`;
          return title && !head.startsWith(title) ? `<title> is ${JSON.stringify(head)}` : undefined;
        });
        if (shot) await screenshot(page, shot);
      });
    }
    for (const file of pages.services) {
      const { page } = await openPage(context, origin, routeOf(file));
      await screenshot(page, `service-index-${relative(DOCS, file).split(sep).slice(-2, -1)[0]}-1280.png`);
      await page.close();
    }

    // Search: a resource by its name, an operation by its name, a field by its name (one that
    // only its own resource page has, so there is one right page).
    const sources = new Map(await Promise.all(pages.all.map(async (f) => [f, await readFile(f, 'utf8')])));
    const resourceFile = pages.resources.find((f) => f.endsWith('/route_responses.mdx')) ?? pages.resources[0];
    if (resourceFile) await checkSearch(context, origin, 'resource', frontmatterTitle(sources.get(resourceFile)), routeOf(resourceFile));
    const operationFile = pages.operations[Math.floor(pages.operations.length / 2)];
    if (operationFile) await checkSearch(context, origin, 'operation', frontmatterTitle(sources.get(operationFile)), routeOf(operationFile));
    const unique = pages.resources
      .flatMap((file) => fieldNames(sources.get(file)).map((field) => ({ file, field })))
      .filter(({ field }) => field.includes('_') && [...sources.values()].filter((text) => text.includes(field)).length === 1)
      .sort((a, b) => b.field.length - a.field.length);
    if (unique.length === 0) fail('search: field', 'no field name found on exactly one page');
    else await checkSearch(context, origin, 'field', unique[0].field, routeOf(unique[0].file));

    // Layout of every page (the landing page too), at both widths.
    await checkLayout(context, origin, ['/', ...pages.all.map(routeOf)]);

    if (pages.operations.length === 0) {
      console.log('     note: no operation pages (docs/*/*/operations/*.mdx) yet; skipped');
    } else {
      const picked = sample(pages.operations, OPERATION_SAMPLE);
      for (const [i, file] of picked.entries()) {
        const name = relative(DOCS, file);
        const title = frontmatterTitle(await readFile(file, 'utf8'));
        await checkPlainPage(context, origin, routeOf(file), name, async (page) => {
          await check(`${name}: title`, async () => {
            const h1 = (await page.locator('article h1').first().textContent())?.trim();
            return title && h1 !== title ? `h1 is ${JSON.stringify(h1)}, expected ${JSON.stringify(title)}` : undefined;
          });
          if (i === 0) await screenshot(page, `operation-${name.split(sep).pop().replace(/\.mdx$/, '')}.png`);
        });
      }
    }
  } finally {
    await context?.close().catch(() => {});
    await rm(profile, { recursive: true, force: true }).catch(() => {});
    server.close();
  }
}

const timer = setTimeout(() => {
  fail('overall', `did not finish within ${OVERALL_TIMEOUT_MS / 1000}s`);
  summary();
  process.exit(1);
}, OVERALL_TIMEOUT_MS);

try {
  await run();
} catch (error) {
  fail('run', String(error?.stack ?? error));
}
clearTimeout(timer);
summary();
process.exit(failed === 0 && passed > 0 ? 0 : 1);

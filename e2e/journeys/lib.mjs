// Shared helpers for the browser journeys. Each journey is a node script
// run by e2e_test.go: inputs come from the environment, progress goes to
// stderr, and the last stdout line is "RESULT <json>" for the Go test to
// assert on. Any failure exits 1 with a message naming the step, the URL
// and the visible text, plus a screenshot in the artifacts directory.
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Flags from issue 4: no sandbox (CI containers run as root), no GPU, and
// no background traffic to anything but the loopback servers under test.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

// Default time for any single wait; a journey step that needs longer is a bug.
const STEP_TIMEOUT_MS = 15000;

let currentStep = 'start';

/** env returns a required environment variable or fails the journey. */
export function env(name) {
  const v = process.env[name];
  if (v === undefined || v === '') throw new Error(`missing environment variable ${name}`);
  return v;
}

/** step names what the journey does next; failures report it. */
export function step(what) {
  currentStep = what;
  console.error(`[journey] ${what}`);
}

/** check fails the journey with msg unless cond holds. */
export function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

/** screenshot writes a PNG (the full page, or only the viewport with
 * { fullPage: false }) to the artifacts dir and, when E2E_SCREENSHOT_DIR
 * is set, a copy there. */
export async function screenshot(page, name, { fullPage = true } = {}) {
  const dir = env('E2E_ARTIFACTS');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  const extra = process.env.E2E_SCREENSHOT_DIR;
  if (extra) {
    mkdirSync(extra, { recursive: true });
    copyFileSync(file, join(extra, `${name}.png`));
  }
  console.error(`[journey] screenshot ${file}`);
}

/** run launches a fresh Chromium profile, runs fn(page, context) and
 * prints its return value as the RESULT line. */
export async function run(name, fn) {
  const profile = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-chromium-'));
  let context;
  let page;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1100, height: 800 },
    });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    page = context.pages()[0] || (await context.newPage());
    const result = await fn(page, context);
    console.log('RESULT ' + JSON.stringify(result ?? {}));
  } catch (err) {
    await reportFailure(name, page, err);
    process.exitCode = 1;
  } finally {
    if (context) await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

// reportFailure prints what a human needs to see first: the step, the
// error, the page's URL and the beginning of its visible text.
async function reportFailure(name, page, err) {
  console.error(`JOURNEY ${name} FAILED at step "${currentStep}": ${err && err.message ? err.message : err}`);
  if (!page) return;
  try {
    console.error(`  page URL: ${page.url()}`);
    const text = (await page.locator('body').innerText({ timeout: 2000 })).replace(/\s+/g, ' ').trim();
    console.error(`  page text: ${text.slice(0, 1500)}`);
    await screenshot(page, `${name}-FAILED`);
  } catch (e) {
    console.error(`  (could not inspect the page: ${e.message})`);
  }
}

/** idpLogin fills SimpleSAMLphp's username/password form and submits it;
 * the IdP then auto-posts the SAMLResponse to the service provider. */
export async function idpLogin(page, username, password) {
  step(`sign in at the IdP as ${username}`);
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: /login/i }).click();
}

/** capturePosts records the form bodies the browser POSTs to URLs
 * starting with prefix (e.g. the ACS), so a journey can replay one. */
export function capturePosts(page, prefix) {
  const bodies = [];
  page.on('request', (req) => {
    if (req.method() === 'POST' && req.url().startsWith(prefix)) bodies.push(req.postData() || '');
  });
  return bodies;
}

/** formField extracts one field of an application/x-www-form-urlencoded body. */
export function formField(body, name) {
  return new URLSearchParams(body).get(name);
}

/** passwordLogin signs in at /login/{slug} with the password form. */
export async function passwordLogin(page, base, slug, email, password) {
  step(`sign in with password as ${email}`);
  await page.goto(`${base}/login/${slug}`);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login/'));
}

/** samlSection is the SAML part of the Workspace login settings page (the
 * page has more than one "Save changes" button). */
export function samlSection(page) {
  return page.getByRole('region', { name: 'SAML', exact: true });
}

/** expectLanded checks the signed-in landing page of the workspace and
 * returns what it shows. */
export async function expectLanded(page, base, slug, email) {
  step(`expect to land signed in at /w/${slug} as ${email}`);
  await page.waitForURL((u) => u.href.startsWith(`${base}/w/${slug}`));
  await page.getByRole('heading', { name: 'You are signed in' }).waitFor();
  const shown = (await page.getByTestId('email').innerText()).trim();
  check(shown === email, `landing page shows email ${JSON.stringify(shown)}, want ${email}`);
  const role = (await page.getByTestId('role').innerText()).trim();
  const groups = await page.getByTestId('groups').locator('.tag').allInnerTexts();
  return { email: shown, role, groups: groups.map((g) => g.trim()) };
}

// Issue 12 journey: what a new admin meets on the settings pages.
// Signs in as the admin, then: invites a member (no SMTP: the link is
// shown once), opens the invitation as the invitee in a second browser
// context and joins with a password; archives a member through the
// confirmation page; creates an API token (shown once, gone on reload);
// edits two sections of Workspace login and is warned before one save
// drops the other's edits; checks that the audit log fits a 1,280 px
// window. Screenshots for the README.
// Env: GATEHOUSE_URL, SLUG, ADMIN_EMAIL, ADMIN_PASSWORD, MEMBER_EMAIL,
// E2E_ARTIFACTS. Result: { invitedRole, tokenShownOnce, auditFits, warned }.
import { run, env, step, check, screenshot, passwordLogin } from './lib.mjs';

await run('admin_safety', async (page, context) => {
  const base = env('GATEHOUSE_URL');
  const slug = env('SLUG');
  const member = env('MEMBER_EMAIL');
  await passwordLogin(page, base, slug, env('ADMIN_EMAIL'), env('ADMIN_PASSWORD'));

  step('invite a member from the members page');
  await page.goto(`${base}/settings/${slug}/members`);
  const invite = page.getByRole('form', { name: 'Invite a member' });
  if (!(await invite.isVisible())) await page.getByText('Invite a member', { exact: true }).click();
  await invite.getByLabel('Email', { exact: true }).fill('newcomer@acme.example');
  await invite.getByLabel('Role', { exact: true }).selectOption('builder');
  await invite.getByRole('button', { name: 'Invite' }).click();
  await page.getByText('No SMTP server is configured').first().waitFor();
  const link = await page.getByLabel('Link', { exact: true }).inputValue();
  check(link.startsWith(`${base}/invite?t=`), `invitation link ${JSON.stringify(link)}`);
  await screenshot(page, 'members-invite-link', { fullPage: false });
  await page.reload();
  check(!(await page.getByLabel('Link', { exact: true }).count()), 'the invitation link is shown again after a reload');

  step('the invitee opens the link in another browser and joins');
  // One persistent context shares its cookies: the invitee's page starts
  // without the admin's session.
  await context.clearCookies();
  const invitee = await context.newPage();
  await invitee.goto(link);
  await invitee.getByText('You are invited as builder').waitFor();
  await screenshot(invitee, 'invitation-page', { fullPage: false });
  await invitee.getByLabel('Choose a password', { exact: true }).fill('a long invitee password');
  await invitee.getByLabel('The same password again', { exact: true }).fill('a long invitee password');
  await invitee.getByRole('button', { name: 'Accept and sign in' }).click();
  await invitee.waitForURL(`${base}/w/${slug}`);
  const invitedRole = (await invitee.locator('main').innerText()).includes('builder') ? 'builder' : 'unknown';
  await invitee.close();

  step('sign the admin in again (the invitee took over the shared cookie jar)');
  await context.clearCookies();
  await passwordLogin(page, base, slug, env('ADMIN_EMAIL'), env('ADMIN_PASSWORD'));

  step('archive a member: the button leads to a confirmation page');
  await page.goto(`${base}/settings/${slug}/members`);
  check(!(await page.getByRole('button', { name: `Archive ${env('ADMIN_EMAIL')}` }).count()), 'the admin can archive themselves');
  await page.getByRole('button', { name: `Archive ${member}` }).click();
  await page.getByRole('heading', { name: `Archive ${member}?` }).waitFor();
  await screenshot(page, 'confirm-archive', { fullPage: false });
  await page.getByRole('button', { name: `Archive ${member}` }).click();
  await page.getByText('Member archived.').waitFor();
  await page.getByRole('button', { name: `Unarchive ${member}` }).waitFor();
  await screenshot(page, 'members', { fullPage: false });

  step('create an API token with an expiry: shown once');
  await page.goto(`${base}/settings/${slug}/api-tokens`);
  await page.getByLabel('Name', { exact: true }).fill('terraform');
  await page.getByLabel('Expires', { exact: true }).selectOption('30');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = await page.getByLabel('Token', { exact: true }).inputValue();
  check(token.startsWith('gth_'), `token ${JSON.stringify(token)}`);
  check(!page.url().includes(token), 'the token is in the URL');
  await screenshot(page, 'api-tokens', { fullPage: false });
  await page.reload();
  const tokenShownOnce = !(await page.getByLabel('Token', { exact: true }).count());

  step('edit two sections of Workspace login; saving one warns about the other');
  await page.goto(`${base}/settings/${slug}/workspace-login`);
  const login = page.getByRole('region', { name: 'Login settings', exact: true });
  const adminDomain = env('ADMIN_EMAIL').split('@')[1];
  await login.getByLabel('Allowed domains', { exact: true }).fill(`${adminDomain}, partner.example`);
  const mappings = page.getByRole('region', { name: 'Group mappings', exact: true });
  await mappings.getByLabel('New IdP group', { exact: true }).fill('engineering');
  await mappings.getByLabel('New workspace group', { exact: true }).fill('builder');
  await login.getByText('Unsaved changes').waitFor();
  let warned = '';
  page.once('dialog', async (d) => { warned = d.message(); await d.dismiss(); });
  await mappings.getByRole('button', { name: 'Save mappings' }).click();
  await page.waitForTimeout(300);
  check(warned.includes('Unsaved changes in Login settings'), `no warning before saving: ${JSON.stringify(warned)}`);
  check(page.url().endsWith('/workspace-login'), 'the page was submitted after "cancel"');
  await screenshot(page, 'workspace-login-unsaved', { fullPage: false });
  page.on('dialog', (d) => d.accept()); // from now on: "save anyway"
  await login.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('Login settings saved.').waitFor();

  step('the audit log fits a 1,280 px window');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${base}/settings/${slug}/audit`);
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  const auditFits = widths[0] <= widths[1];
  await screenshot(page, 'audit-log', { fullPage: false });
  return { invitedRole, tokenShownOnce, auditFits, warned };
});

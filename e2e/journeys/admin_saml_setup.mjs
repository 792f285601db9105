// Journey 1, the admin journey of docs/saml.md ("Setting up a workspace's SSO"): sign in as the workspace
// admin with a password, open Workspace login > SAML, paste the IdP's
// metadata XML (downloaded from the IdP), Save changes, read the Redirect
// URL off the page, sign out. The Go test then registers the URL at the IdP.
// Env: GATEHOUSE_URL, SLUG, ADMIN_EMAIL, ADMIN_PASSWORD, IDP_METADATA_URL,
// SSO_NAME, E2E_ARTIFACTS. Result: { redirectURL, entityID }.
import { run, env, step, check, screenshot, passwordLogin, samlSection } from './lib.mjs';

await run('admin_saml_setup', async (page) => {
  const base = env('GATEHOUSE_URL');
  const slug = env('SLUG');
  await passwordLogin(page, base, slug, env('ADMIN_EMAIL'), env('ADMIN_PASSWORD'));

  step('download the IdP metadata, as an admin saves it from the IdP');
  const md = await page.request.get(env('IDP_METADATA_URL'));
  check(md.ok(), `IdP metadata: HTTP ${md.status()}`);
  const xml = await md.text();

  step('open Workspace login settings from the landing page');
  await page.getByRole('link', { name: 'Workspace login', exact: true }).first().click();
  await page.waitForURL(`${base}/settings/${slug}/workspace-login`);
  const saml = samlSection(page);

  step('fill the SAML form and save');
  await saml.getByLabel('Enabled', { exact: true }).check();
  await saml.getByLabel('SSO name', { exact: true }).fill(env('SSO_NAME'));
  await saml.getByLabel('Identity provider metadata', { exact: true }).fill(xml);
  await saml.getByRole('button', { name: 'Save changes' }).click();

  step('read the preview and the Redirect URL');
  await page.getByText('SAML settings saved.').waitFor();
  const entityID = new URL(env('IDP_METADATA_URL')).href;
  await page.getByText(entityID, { exact: true }).first().waitFor();
  const redirectURL = await page.getByLabel('Redirect URL', { exact: true }).inputValue();
  check(redirectURL.startsWith(`${base}/api/sso/saml/`),
    `Redirect URL ${JSON.stringify(redirectURL)} is not ${base}/api/sso/saml/{configID}`);
  await screenshot(page, 'saml-settings');
  await screenshot(page, 'saml-settings-top', { fullPage: false }); // README-sized

  step('sign out');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/settings/'));
  const again = await page.goto(`${base}/settings/${slug}/workspace-login`);
  check(!(await page.getByLabel('Redirect URL', { exact: true }).count()),
    `after sign-out the settings page is still shown (HTTP ${again.status()})`);
  return { redirectURL, entityID };
});

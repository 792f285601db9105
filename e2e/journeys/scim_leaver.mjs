// Journey (issue 14): a user provisioned by SCIM signs in with SSO although
// "Enable signup" is off, lands with the role the directory's groups gave,
// and creates an API token; then the directory deactivates them (a SCIM
// PATCH, as Entra sends it) and, at once, the open browser session and the
// API token stop working.
// Env: GATEHOUSE_URL, SLUG, SSO_NAME, IDP_USER, IDP_PASSWORD, EMAIL,
// EXPECT_ROLE, SCIM_TOKEN, SCIM_USER_ID, E2E_ARTIFACTS.
// Result: { role, apiBefore, deactivate, apiAfter, signedInAfter }.
import { run, env, step, check, screenshot, idpLogin, expectLanded } from './lib.mjs';

await run('scim_leaver', async (page) => {
  const base = env('GATEHOUSE_URL');
  const slug = env('SLUG');

  step(`SSO sign-in of the provisioned user (signup is off)`);
  await page.goto(`${base}/login/${slug}`);
  await page.getByRole('button', { name: `Sign in with ${env('SSO_NAME')}`, exact: true }).click();
  await idpLogin(page, env('IDP_USER'), env('IDP_PASSWORD'));
  const landed = await expectLanded(page, base, slug, env('EMAIL'));
  check(landed.role === env('EXPECT_ROLE'), `landing page shows role ${landed.role}, want ${env('EXPECT_ROLE')}`);
  await screenshot(page, 'scim-provisioned-signed-in');

  step('create an API token');
  await page.goto(`${base}/settings/${slug}/api-tokens`);
  await page.getByLabel('Name', { exact: true }).fill('leaver script');
  await page.getByRole('button', { name: 'Create token', exact: true }).click();
  const apiToken = await page.locator('#new-token').inputValue();
  check(apiToken.startsWith('gth_'), 'no API token shown');
  const api = async () => (await fetch(`${base}/api/v1/workspaces/${slug}/members`, {
    headers: { Authorization: `Bearer ${apiToken}` },
  })).status;
  const apiBefore = await api();
  check(apiBefore === 200, `API token before deactivation answered ${apiBefore}`);

  step('the directory deactivates the user (SCIM PATCH active "False")');
  const res = await fetch(`${base}/scim/v2/${slug}/Users/${env('SCIM_USER_ID')}`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${env('SCIM_TOKEN')}`, 'Content-Type': 'application/scim+json' },
    body: JSON.stringify({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    }),
  });
  const deactivate = res.status;
  check(deactivate === 200, `SCIM PATCH answered ${deactivate}: ${await res.text()}`);

  step('the open session no longer works');
  await page.goto(`${base}/w/${slug}`);
  const signedInAfter = (await page.getByRole('heading', { name: 'You are signed in' }).count()) > 0;
  check(!signedInAfter, 'still signed in after active:false');
  await screenshot(page, 'scim-deactivated-session-ended');
  const apiAfter = await api();
  check(apiAfter === 401 || apiAfter === 403, `API token after deactivation answered ${apiAfter}`);
  return { role: landed.role, apiBefore, deactivate, apiAfter, signedInAfter };
});

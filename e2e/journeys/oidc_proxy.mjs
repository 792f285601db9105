// Issue 9: oauth2-proxy protects two sites with Gatehouse as its OpenID
// Connect provider. Open site A -> Gatehouse -> (automatic SSO) IdP ->
// back to site A's upstream, which shows the identity headers; open site
// B without signing in again; screenshot Workspace settings >
// Applications; sign out at Gatehouse (single logout at the IdP too);
// after the proxy's session refresh, site A asks for a sign-in again.
// Env: GATEHOUSE_URL, SLUG, SITE_A, SITE_B, IDP_USER, IDP_PASSWORD, EMAIL,
// REFRESH_WAIT_MS.
import { run, env, step, check, screenshot, idpLogin } from './lib.mjs';

await run('oidc_proxy', async (page) => {
  const base = env('GATEHOUSE_URL');
  const slug = env('SLUG');
  const siteA = env('SITE_A');
  const siteB = env('SITE_B');
  const email = env('EMAIL');

  step('open site A: oauth2-proxy sends the browser to Gatehouse, automatic SSO to the IdP');
  await page.goto(siteA + '/');
  await idpLogin(page, env('IDP_USER'), env('IDP_PASSWORD'));
  step('back at site A: the upstream shows the user');
  await page.waitForURL((u) => u.href.startsWith(siteA));
  await page.getByRole('heading', { name: 'Upstream app' }).waitFor();
  const shownEmail = (await page.getByTestId('X-Forwarded-Email').innerText()).trim();
  const shownGroups = (await page.getByTestId('X-Forwarded-Groups').innerText()).trim();
  check(shownEmail === email, `site A upstream got email ${JSON.stringify(shownEmail)}, want ${email}`);
  check(shownGroups.split(',').includes('eng'), `site A upstream got groups ${JSON.stringify(shownGroups)}, want eng`);
  await screenshot(page, 'oidc-upstream', { fullPage: false });

  step('open site B: no new sign-in');
  let siteBSignIn = false;
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame() && f.url().includes('/saml2/idp/') && f.url().includes('loginuserpass')) siteBSignIn = true;
  });
  await page.goto(siteB + '/');
  await page.waitForURL((u) => u.href.startsWith(siteB));
  await page.getByRole('heading', { name: 'Upstream app' }).waitFor();
  const emailB = (await page.getByTestId('X-Forwarded-Email').innerText()).trim();
  check(emailB === email, `site B upstream got email ${JSON.stringify(emailB)}`);
  check(!(await page.getByLabel('Password', { exact: true }).count()), 'site B showed a password form');

  step("control: after the proxy's session refresh (a refresh-token grant) site A still opens");
  await page.waitForTimeout(Number(env('REFRESH_WAIT_MS')));
  await page.goto(siteA + '/');
  await page.getByRole('heading', { name: 'Upstream app' }).waitFor();

  step('Workspace settings > Applications lists both sites');
  await page.goto(`${base}/settings/${slug}/applications`);
  await page.getByRole('heading', { name: 'Applications', exact: true }).waitFor();
  await page.getByRole('heading', { name: 'site_a' }).waitFor();
  await page.getByRole('heading', { name: 'site_b' }).waitFor();
  await screenshot(page, 'applications', { fullPage: false });

  step('sign out at Gatehouse (single logout at the IdP)');
  await page.goto(`${base}/w/${slug}`);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL((u) => u.href.startsWith(`${base}/login/${slug}`) || u.pathname.includes('/saml2/idp/'));

  step("wait for the proxy's session refresh, then open site A again");
  await page.waitForTimeout(Number(env('REFRESH_WAIT_MS')));
  await page.goto(siteA + '/');
  await page.waitForLoadState('load');
  let afterSignOut = 'other';
  if (await page.getByLabel('Password', { exact: true }).count()) afterSignOut = 'idp';
  else if (await page.getByRole('heading', { name: 'Upstream app' }).count()) afterSignOut = 'upstream';
  return { shownEmail, shownGroups, siteBSignIn, afterSignOut, afterSignOutURL: page.url() };
});

// Journey 10: a site behind a reverse proxy (nginx auth_request or Caddy
// forward_auth) protected by the workspace. The user opens the site, lands
// on the workspace's sign-in page, signs in with SAML at the IdP and comes
// back to the original URL, where the upstream either answers with the
// request headers it received (EXPECT=allowed) or the proxy answers 403
// (EXPECT=forbidden: a member outside the site's required group).
// SIGN_OUT=1 then uses the sign-out link a site shows: Gatehouse's sign-out
// page (a form), single logout at the IdP, back to the site, which asks
// for sign-in again.
// Env: SITE_URL, GATEHOUSE_URL, SLUG, SSO_NAME, IDP_USER, IDP_PASSWORD,
// EXPECT, [SIGN_OUT=1], E2E_ARTIFACTS. Result: { status, echo?, cookie,
// signedOutAt? } (cookie: the workspace forward-auth cookie's value, for the
// Go test's own requests to the site).
import { run, env, step, check, idpLogin } from './lib.mjs';

await run('forward_site', async (page, context) => {
  const site = env('SITE_URL');
  const base = env('GATEHOUSE_URL');
  const slug = env('SLUG');
  const target = `${site}/reports?q=forward&x=1`;

  step(`open the protected site at ${target}`);
  await page.goto(target);
  step('land on the workspace sign-in page');
  await page.waitForURL((u) => u.href.startsWith(`${base}/login/${slug}`));
  await page.getByRole('button', { name: `Sign in with ${env('SSO_NAME')}`, exact: true }).click();
  await idpLogin(page, env('IDP_USER'), env('IDP_PASSWORD'));

  step(`come back to the original URL ${target}`);
  await page.waitForURL(target);
  const response = await page.reload();
  const status = response.status();
  const result = { status };
  if (env('EXPECT') === 'allowed') {
    check(status === 200, `the site answered ${status}, want 200`);
    result.echo = JSON.parse(await page.locator('body').innerText());
  } else {
    check(status === 403, `the site answered ${status}, want 403 for a member outside the group`);
  }
  const cookie = (await context.cookies(base)).find((c) => c.name === `gatehouse_forward_${slug}`);
  check(cookie, `no gatehouse_forward_${slug} cookie after sign-in`);
  result.cookie = cookie.value;

  if (process.env.SIGN_OUT === '1') {
    step('sign out through the link the site shows');
    await page.goto(`${base}/logout/${slug}?rd=${encodeURIComponent(site + '/')}`);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    step('back at the site, which asks for sign-in again');
    await page.waitForURL((u) => u.href.startsWith(`${base}/login/${slug}`));
    const back = new URL(page.url()).searchParams.get('redirect_to') || '';
    check(back.includes(encodeURIComponent(site + '/')), `the sign-in page does not return to the site: ${page.url()}`);
    result.signedOutAt = page.url();
  }
  return result;
});

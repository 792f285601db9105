// Journey 2: a user opens /login/{slug}, clicks "Sign in with {SSO name}",
// signs in at the IdP and either lands in the workspace (EXPECT=landed;
// result: what the landing page shows) or sees an error message
// (EXPECT=error, EXPECT_MESSAGE, e.g. "User does not exist in the
// workspace"). Env: GATEHOUSE_URL, SLUG, SSO_NAME, IDP_USER, IDP_PASSWORD,
// EMAIL, EXPECT, [EXPECT_MESSAGE], [SCREENSHOTS=1], E2E_ARTIFACTS.
// SIGN_OUT=1 (with EXPECT=landed) then signs out: single logout at the IdP
// and back to the sign-in page, after which the IdP asks for the password
// again.
import { run, env, step, check, screenshot, idpLogin, expectLanded } from './lib.mjs';

await run('sso_signin', async (page) => {
  const base = env('GATEHOUSE_URL');
  const slug = env('SLUG');
  const shots = process.env.SCREENSHOTS === '1';

  step(`open /login/${slug}`);
  await page.goto(`${base}/login/${slug}`);
  const button = page.getByRole('button', { name: `Sign in with ${env('SSO_NAME')}`, exact: true });
  await button.waitFor();
  if (shots) await screenshot(page, 'sign-in');

  step(`click "Sign in with ${env('SSO_NAME')}"`);
  await button.click();
  await idpLogin(page, env('IDP_USER'), env('IDP_PASSWORD'));

  if (env('EXPECT') === 'landed') {
    const shown = await expectLanded(page, base, slug, env('EMAIL'));
    if (shots) await screenshot(page, 'signed-in');
    if (process.env.SIGN_OUT === '1') await signOut(page, base, slug);
    return shown;
  }
  const message = env('EXPECT_MESSAGE');
  step(`expect the message "${message}"`);
  await page.waitForURL((u) => u.href.startsWith(base));
  await page.getByText(message).first().waitFor();
  check(!(await page.getByRole('heading', { name: 'You are signed in' }).count()), 'signed in despite the error');
  return { url: page.url() };
});

// signOut clicks "Sign out" and expects the round trip through the IdP's
// single logout to end on the sign-in page, signed out here and there.
async function signOut(page, base, slug) {
  step('sign out (single logout at the IdP)');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL((u) => u.href.startsWith(`${base}/login/${slug}`));
  await page.goto(`${base}/w/${slug}`);
  check(!(await page.getByRole('heading', { name: 'You are signed in' }).count()), 'still signed in after sign-out');
  step('the IdP session is gone too: the IdP asks for the password again');
  await page.goto(`${base}/login/${slug}`);
  await page.getByRole('button', { name: `Sign in with ${env('SSO_NAME')}`, exact: true }).click();
  await page.getByLabel('Password', { exact: true }).waitFor();
}

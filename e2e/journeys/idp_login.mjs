// Harness journey: start an IdP-initiated sign-in at SimpleSAMLphp, log in
// at its form and let the browser post the response to the SP's ACS.
// Proves the IdP, Chromium and playwright-core work together, without
// Gatehouse. Env: IDP_START_URL, ACS_URL, IDP_USER, IDP_PASSWORD, E2E_ARTIFACTS.
import { run, env, step, check, idpLogin, capturePosts, formField } from './lib.mjs';

await run('idp_login', async (page) => {
  const acs = env('ACS_URL');
  const posts = capturePosts(page, acs);
  step('open the IdP-initiated start URL');
  await page.goto(env('IDP_START_URL'));
  await idpLogin(page, env('IDP_USER'), env('IDP_PASSWORD'));
  step('wait for the browser to post to the ACS');
  await page.waitForURL((u) => u.href.startsWith(acs));
  await page.getByText('captured').waitFor();
  check(posts.length === 1, `want exactly one POST to ${acs}, saw ${posts.length}`);
  const response = formField(posts[0], 'SAMLResponse');
  check(response, 'the POST to the ACS carries no SAMLResponse');
  return { samlResponse: response, relayState: formField(posts[0], 'RelayState') };
});

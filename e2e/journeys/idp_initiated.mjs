// Journey 3: IdP-initiated sign-in (the IdP's own start URL, like Entra's
// My Apps tile) in the config's mode (docs/saml.md, validation rule 5):
// - bounce: the unsolicited response signs nobody in; Gatehouse starts a
//   fresh SP-initiated round trip, which the IdP answers at once, and the
//   user lands signed in (two POSTs to the ACS);
// - accept: one POST signs the user in; the same SAMLResponse posted again
//   (captured from the browser, re-posted from a browser without cookies)
//   is rejected;
// - reject: the error page with a trace ID.
// Env: GATEHOUSE_URL, SLUG, ACS_URL, IDP_START_URL, IDP_USER, IDP_PASSWORD,
// EMAIL, MODE, E2E_ARTIFACTS; for reject and replay the workspace admin
// (ADMIN_EMAIL, ADMIN_PASSWORD) then finds the reason code (EXPECT_REASON)
// in the Audit log. Result: { posts, replayStatus? }.
import { run, env, step, check, idpLogin, capturePosts, formField, expectLanded, passwordLogin } from './lib.mjs';

await run('idp_initiated', async (page, context) => {
  const base = env('GATEHOUSE_URL');
  const slug = env('SLUG');
  const acs = env('ACS_URL');
  const mode = env('MODE');
  const posts = capturePosts(page, acs);

  step(`open the IdP's start URL (mode ${mode})`);
  await page.goto(env('IDP_START_URL'));
  await idpLogin(page, env('IDP_USER'), env('IDP_PASSWORD'));

  if (mode === 'reject') {
    await expectErrorPage(page, base);
    check(posts.length === 1, `want one POST to the ACS, saw ${posts.length}`);
    await expectAuditReason(page, context, base, slug);
    return { posts: posts.length };
  }
  await expectLanded(page, base, slug, env('EMAIL'));
  if (mode === 'bounce') {
    check(posts.length === 2, `bounce: want 2 POSTs to the ACS (unsolicited, then solicited), saw ${posts.length}`);
    return { posts: posts.length };
  }
  check(posts.length === 1, `accept: want 1 POST to the ACS, saw ${posts.length}`);

  step('replay the captured SAMLResponse from a browser without cookies');
  const accepted = posts.length; // the replay below adds one
  const captured = posts[0];
  check(formField(captured, 'SAMLResponse'), 'captured POST has no SAMLResponse');
  await context.clearCookies();
  const replayStatus = await repost(page, acs, captured);
  await expectErrorPage(page, base);
  await page.goto(`${base}/w/${slug}`);
  check(!(await page.getByRole('heading', { name: 'You are signed in' }).count()),
    'the replayed response opened a session');
  await expectAuditReason(page, context, base, slug);
  return { posts: accepted, replayStatus };
});

// repost submits a captured form body to url as a browser form would, and
// returns the HTTP status of the page it leads to.
async function repost(page, url, body) {
  await page.goto('about:blank');
  const fields = [...new URLSearchParams(body).entries()];
  const navigation = page.waitForNavigation();
  await page.evaluate(({ url, fields }) => {
    const form = document.createElement('form');
    form.method = 'POST';
    form.action = url;
    for (const [name, value] of fields) {
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = value;
      form.appendChild(input);
    }
    document.body.appendChild(form);
    form.submit();
  }, { url, fields });
  const response = await navigation;
  return response ? response.status() : 0;
}

// expectErrorPage checks Gatehouse's generic SAML error page: a trace ID,
// nobody signed in.
async function expectErrorPage(page, base) {
  step('expect the sign-in error page with a trace ID');
  await page.waitForURL((u) => u.href.startsWith(base));
  await page.getByText(/Trace ID: \S+/).waitFor();
  check(!(await page.getByRole('heading', { name: 'You are signed in' }).count()), 'signed in on the error page');
}

// expectAuditReason signs in as the workspace admin and finds a
// login.failure with the EXPECT_REASON code in the Audit log.
async function expectAuditReason(page, context, base, slug) {
  const reason = env('EXPECT_REASON');
  await context.clearCookies();
  await passwordLogin(page, base, slug, env('ADMIN_EMAIL'), env('ADMIN_PASSWORD'));
  step(`the Audit log records ${reason}`);
  await page.goto(`${base}/settings/${slug}/audit?kind=login.failure`);
  const rows = page.getByRole('row').filter({ hasText: 'login.failure' }).filter({ hasText: reason });
  check(await rows.count() >= 1, `no login.failure with reason ${reason} in the Audit log`);
}

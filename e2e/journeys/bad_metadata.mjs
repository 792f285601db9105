// Journey 4: a bad metadata paste shows a precise error and changes
// nothing (docs/saml.md, "Setting up a workspace's SSO", step 2). Two pastes: the IdP's metadata cut in half
// (malformed: the message names a line) and the metadata without its
// KeyDescriptor (no signing certificate). Each time the SSO name is changed
// too; after a reload the stored name, metadata and Redirect URL are the
// old ones, and the sign-in page still shows the old button.
// Env: GATEHOUSE_URL, SLUG, ADMIN_EMAIL, ADMIN_PASSWORD, IDP_METADATA_URL,
// SSO_NAME, E2E_ARTIFACTS. Result: { errors: [messages] }.
import { run, env, step, check, screenshot, passwordLogin, samlSection } from './lib.mjs';

await run('bad_metadata', async (page, context) => {
  const base = env('GATEHOUSE_URL');
  const slug = env('SLUG');
  const settings = `${base}/settings/${slug}/workspace-login`;
  await passwordLogin(page, base, slug, env('ADMIN_EMAIL'), env('ADMIN_PASSWORD'));
  const good = await (await page.request.get(env('IDP_METADATA_URL'))).text();

  step('note the saved SAML settings');
  await page.goto(settings);
  const before = await snapshot(page);
  check(before.name === env('SSO_NAME'), `SSO name before is ${JSON.stringify(before.name)}, want ${env('SSO_NAME')}`);
  check(before.redirectURL, 'no Redirect URL before the bad paste');

  const pastes = [
    { what: 'malformed XML (cut in half)', xml: good.slice(0, Math.floor(good.length / 2)), want: /line \d+/i },
    { what: 'no signing certificate', xml: good.replace(/<(\w+:)?KeyDescriptor[\s\S]*?<\/(\w+:)?KeyDescriptor>/g, ''), want: /certificate/i },
  ];
  const errors = [];
  for (const [i, paste] of pastes.entries()) {
    check(paste.xml !== good, `could not build the "${paste.what}" paste from the IdP metadata`);
    step(`paste ${paste.what} and save`);
    await page.goto(settings);
    const saml = samlSection(page);
    await saml.getByLabel('SSO name', { exact: true }).fill(`Broken ${i}`);
    await saml.getByLabel('Identity provider metadata', { exact: true }).fill(paste.xml);
    await saml.getByRole('button', { name: 'Save changes' }).click();
    const alert = saml.getByRole('alert').filter({ hasText: 'Nothing was saved.' });
    await alert.waitFor();
    const message = (await alert.innerText()).trim();
    check(paste.want.test(message), `error for ${paste.what} is ${JSON.stringify(message)}, want ${paste.want}`);
    errors.push(message);
    if (i === 0) await screenshot(page, 'saml-settings-bad-metadata');

    step('reload: nothing changed');
    await page.goto(settings);
    const after = await snapshot(page);
    for (const k of Object.keys(before)) {
      check(after[k] === before[k], `after the bad paste ${k} changed: ${JSON.stringify(after[k]).slice(0, 200)}`);
    }
  }

  step('the sign-in page (signed out) still offers the old button');
  await context.clearCookies();
  await page.goto(`${base}/login/${slug}`);
  await page.getByRole('button', { name: `Sign in with ${env('SSO_NAME')}`, exact: true }).waitFor();
  return { errors };
});

// snapshot reads the stored SAML settings off the page.
async function snapshot(page) {
  const saml = samlSection(page);
  const redirect = page.getByLabel('Redirect URL', { exact: true });
  return {
    name: await saml.getByLabel('SSO name', { exact: true }).inputValue(),
    metadata: await saml.getByLabel('Identity provider metadata', { exact: true }).inputValue(),
    redirectURL: (await redirect.count()) ? await redirect.inputValue() : '',
  };
}

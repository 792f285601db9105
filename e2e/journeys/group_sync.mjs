// Journey 5 (issue 5): group sync from IdP groups holding Entra-style
// Object IDs, mapped by TJ_SAML_GROUP_MAPPINGS__<slug>.
// PHASE=first: the user signs in with SSO and lands with the mapped role
//   and custom group; the workspace admin's Members page shows the same.
// PHASE=second (after the test changed the user's groups at the IdP): the
//   next SSO sign-in shows the new role and no custom group; the Members
//   page agrees; the Audit log shows both sync changes.
// PHASE=overage (the IdP sends Entra's groups.link instead of the groups):
//   role and groups stay as they were, and Workspace login shows the
//   banner telling the admin how to fix it.
// Env: GATEHOUSE_URL, SLUG, SSO_NAME, IDP_USER, IDP_PASSWORD, EMAIL,
// ADMIN_EMAIL, ADMIN_PASSWORD, EXPECT_ROLE, EXPECT_GROUPS (comma-separated),
// PHASE, E2E_ARTIFACTS. Result: { landed, members, audit? }.
import { run, env, step, check, screenshot, idpLogin, expectLanded, passwordLogin } from './lib.mjs';

await run('group_sync', async (page, context) => {
  const base = env('GATEHOUSE_URL');
  const slug = env('SLUG');
  const email = env('EMAIL');
  const role = env('EXPECT_ROLE');
  const groups = (process.env.EXPECT_GROUPS || '').split(',').filter(Boolean).sort();
  const phase = env('PHASE');

  step(`SSO sign-in (${phase})`);
  await page.goto(`${base}/login/${slug}`);
  await page.getByRole('button', { name: `Sign in with ${env('SSO_NAME')}`, exact: true }).click();
  await idpLogin(page, env('IDP_USER'), env('IDP_PASSWORD'));
  const landed = await expectLanded(page, base, slug, email);
  check(landed.role === role, `landing page shows role ${landed.role}, want ${role}`);
  check(same(landed.groups, groups), `landing page shows groups [${landed.groups}], want [${groups}]`);
  if (phase === 'first') await screenshot(page, 'signed-in-group-sync');

  step('the workspace admin opens Members');
  await context.clearCookies();
  await passwordLogin(page, base, slug, env('ADMIN_EMAIL'), env('ADMIN_PASSWORD'));
  await page.goto(`${base}/settings/${slug}/members`);
  const shownRole = await page.getByLabel(`Role of ${email}`, { exact: true }).inputValue();
  check(shownRole === role, `Members page: role of ${email} is ${shownRole}, want ${role}`);
  const removeButtons = await page.getByRole('button', { name: `Remove ${email} from `, exact: false }).all();
  const prefix = `Remove ${email} from `;
  const memberGroups = [];
  for (const b of removeButtons) {
    const label = (await b.getAttribute('aria-label')) || '';
    if (label.startsWith(prefix)) memberGroups.push(label.slice(prefix.length));
  }
  memberGroups.sort();
  check(same(memberGroups, groups), `Members page: groups of ${email} are [${memberGroups}], want [${groups}]`);
  if (phase === 'first') return { landed, members: { role: shownRole, groups: memberGroups } };
  if (phase === 'overage') {
    step('Workspace login shows the group overage banner');
    await page.goto(`${base}/settings/${slug}/workspace-login`);
    await page.getByRole('alert').filter({ hasText: 'The identity provider left out the groups' }).waitFor();
    await screenshot(page, 'group-overage-banner', { fullPage: false });
    return { landed, members: { role: shownRole, groups: memberGroups } };
  }

  step(`the Audit log, filtered by ${email}`);
  await page.goto(`${base}/settings/${slug}/audit`);
  await page.getByLabel('User (email)', { exact: true }).fill(email);
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL((u) => u.searchParams.get('user') === email);
  const rows = (await page.getByRole('row').allInnerTexts()).map((r) => r.replace(/\s+/g, ' '));
  await screenshot(page, 'audit-group-sync');
  return { landed, members: { role: shownRole, groups: memberGroups }, audit: rows };
});

function same(a, b) {
  return a.length === b.length && [...a].sort().every((v, i) => v === [...b].sort()[i]);
}

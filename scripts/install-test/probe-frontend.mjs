// Opens the freshly installed app's built frontend (served by its backend) in Debian's
// Chromium, signs in as guest the way the new app offers it, and checks that the annotated
// entity's page shows the NthLayer SLO card and both NthLayer tabs — i.e. the frontend
// plugin installed with the README's lines is really in the app.
// Env: NTHLAYER_APP_URL (e.g. http://localhost:7007), CHROMIUM_PATH (default /usr/bin/chromium),
// NTHLAYER_SCREENSHOT (optional PNG path).
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';

const { chromiumLaunchOptions } = createRequire(import.meta.url)('../../e2e-tests/chromium.cjs');

const base = process.env.NTHLAYER_APP_URL;
const browser = await chromium.launch(chromiumLaunchOptions);
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(60_000);
  await page.goto(`${base}/catalog/default/component/install-check-api`);
  // A new app shows a sign-in card; its guest provider has an "Enter" button.
  const enter = page.getByRole('button', { name: /enter/i });
  const card = page.getByText('NthLayer SLOs');
  await Promise.race([enter.waitFor(), card.waitFor()]);
  if (await enter.isVisible()) await enter.click();
  await card.waitFor();
  console.log('  ok: the entity page shows the NthLayer SLOs card');
  await page.getByTestId('nthlayer-slo-availability').waitFor();
  console.log('  ok: with the availability SLO of the annotated entity');
  await page.getByText('Reliability', { exact: true }).first().click();
  await page.getByTestId('nthlayer-section-availability').waitFor();
  console.log('  ok: its Reliability tab opens with a section per SLO');
  await page.getByText('Generated configs', { exact: true }).first().click();
  await page.getByTestId('nthlayer-artifact-prometheus-slo-rules').waitFor();
  console.log('  ok: its Generated configs tab lists the generated rule file');
  if (process.env.NTHLAYER_SCREENSHOT) {
    await page.screenshot({ path: process.env.NTHLAYER_SCREENSHOT, fullPage: true });
  }
} catch (error) {
  const page = browser.contexts()[0]?.pages()[0];
  if (page) {
    const shot = process.env.NTHLAYER_SCREENSHOT ?? 'install-frontend-failure.png';
    await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
    console.error(`frontend probe failed at ${page.url()}; screenshot: ${shot}`);
    console.error((await page.locator('body').innerText().catch(() => '')).slice(0, 1500));
  }
  throw error;
} finally {
  await browser.close();
}

import { APIRequestContext, expect, test } from '@playwright/test';

const BACKEND = process.env.NTHLAYER_BACKEND_URL ?? 'http://localhost:7007';
const PORTFOLIO_PATH = '/api/nthlayer/v1/portfolio';
/** The demo's teams (catalog-info/groups.yaml). */
const TEAMS = ['team-payments', 'team-platform', 'team-growth', 'team-data'];

async function guestHeaders(request: APIRequestContext) {
  const res = await request.get(`${BACKEND}/api/auth/guest/refresh?env=development`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(res.ok()).toBeTruthy();
  return { Authorization: `Bearer ${(await res.json()).backstageIdentity.token}` };
}

/** The score as the page shows it: at most one decimal. */
const shown = (score: number) => String(Math.round(score * 10) / 10);

/**
 * The portfolio once every demo team has a score: on a fresh start the budgets are measured
 * by the first refresh (202; 409/429 when one is running or was just asked for).
 */
async function scoredPortfolio(request: APIRequestContext) {
  const headers = await guestHeaders(request);
  const refresh = await request.post(`${BACKEND}/api/nthlayer/v1/refresh`, { headers });
  expect([202, 409, 429]).toContain(refresh.status());
  let portfolio: any;
  await expect
    .poll(
      async () => {
        const res = await request.get(`${BACKEND}${PORTFOLIO_PATH}`, { headers });
        expect(res.status()).toBe(200);
        portfolio = await res.json();
        return TEAMS.every(team =>
          portfolio.teams.some((t: any) => t.ref === `group:default/${team}` && typeof t.score === 'number'),
        );
      },
      { timeout: 120_000, intervals: [3_000] },
    )
    .toBe(true);
  return portfolio;
}

test('the scorecard page at /nthlayer lists the four demo teams, each with a numeric score', async ({ page, request }) => {
  test.setTimeout(180_000);
  const portfolio = await scoredPortfolio(request);

  const portfolioResponse = page.waitForResponse(
    r => new URL(r.url()).pathname === PORTFOLIO_PATH && r.request().method() === 'GET',
  );
  await page.goto('/nthlayer');
  expect((await portfolioResponse).status(), `GET ${PORTFOLIO_PATH}`).toBe(200);

  // The page is in the navigation as "Scorecards" ("Reliability" is the entity tab).
  await expect(page.getByRole('link', { name: 'Scorecards' }).first()).toBeVisible();

  const teams = page.getByTestId('nthlayer-teams');
  await expect(teams).toBeVisible({ timeout: 30_000 });
  await expect(teams.getByTestId('nthlayer-team')).toHaveCount(portfolio.teams.length);
  for (const team of TEAMS) {
    const ref = `group:default/${team}`;
    const row = teams.locator(`[data-testid="nthlayer-team"][data-ref="${ref}"]`);
    await expect(row, team).toBeVisible();
    await expect(row.getByTestId('nthlayer-team-name')).toHaveText(team);
    const score = row.getByTestId('nthlayer-team-score');
    await expect(score, `${team}'s score`).toHaveText(/^\d+(\.\d)?$/);
    const expected = portfolio.teams.find((t: any) => t.ref === ref).score;
    expect(Number(await score.textContent())).toBeCloseTo(Number(shown(expected)), 1);
  }

  // The organisation's score and the services table come from the same response.
  const orgScore = page.getByTestId('nthlayer-org-score');
  await expect(orgScore).toHaveText(portfolio.org.score === null ? 'no data' : shown(portfolio.org.score));
  const rows = page.getByTestId('nthlayer-services-table').getByTestId('nthlayer-service-name');
  await expect(rows).toHaveCount(Math.min(20, portfolio.services.length));

  // Filtering by team leaves only that team's services.
  const payments = portfolio.services.filter((s: any) => s.owner === 'group:default/team-payments');
  await page.getByLabel('Team', { exact: true }).selectOption('group:default/team-payments');
  await expect(rows).toHaveCount(payments.length);
  const refs = await rows.evaluateAll(els => els.map(e => e.getAttribute('data-entity-ref')));
  expect(refs.sort()).toEqual(payments.map((s: any) => s.entityRef).sort());

  // The CSV is fetched with the user's token and saved as a file.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('nthlayer-portfolio-csv').click(),
  ]);
  expect(download.suggestedFilename()).toBe('nthlayer-portfolio.csv');
});

import { parse } from 'csv-parse/sync';
import { PortfolioResponse } from './api';
import { PORTFOLIO_CSV_COLUMNS, PORTFOLIO_FORMATS, formatPortfolio } from './format';
import { PortfolioServiceInput, buildPortfolio } from './portfolio';

const NOW = '2026-03-01T00:00:00.000Z';

const input = (name: string, over: Partial<PortfolioServiceInput>, remainingRatio: number | null, deployments = { succeeded: 1, failed: 0, rolledBack: 0 }): PortfolioServiceInput => ({
  entityRef: `component:default/${name}`,
  name,
  tier: 2,
  owner: 'group:default/team-payments',
  system: 'system:default/shop',
  gateVerdict: 'allow',
  driftCritical: 0,
  ...over,
  scoreInput: {
    tier: over.tier ?? 2,
    slos: [
      {
        name: 'availability',
        kind: 'availability',
        targetPercent: 99,
        sli: 99.5,
        status: remainingRatio !== null && remainingRatio < 0 ? 'exhausted' : 'healthy',
        remainingRatio,
        goodEvents: 9950,
        totalEvents: 10000,
      },
    ],
    incidents: null,
    deployments,
    dependencies: [],
  },
});

/**
 * - checkout: remaining −0.2 (exhausted → critical); SLO met 30, budget 0, deploy 20 → 50/65 = 76.9
 * - weird: title with a comma, quotes and a newline; remaining 0.5 → 30 + 7.5 + 20 = 57.5/65 = 88.5
 * - formula: name, title, owner and system starting with = + - @; no deployments,
 *   remaining 0.25 → 30 + 3.75 = 33.75/45 = 75
 */
const portfolio = (): PortfolioResponse =>
  buildPortfolio({
    generatedAt: NOW,
    services: [
      input('checkout', { tier: 1, title: 'Checkout API' }, -0.2),
      input('weird', { title: 'Pay, "the" API\nsecond line', system: null, gateVerdict: 'block', driftCritical: 2 }, 0.5),
      input(
        'formula',
        { title: '=HYPERLINK("http://evil","x")', owner: '+group:default/x', system: '-1+1', gateVerdict: null, driftCritical: null },
        0.25,
        { succeeded: 0, failed: 0, rolledBack: 0 },
      ),
    ],
  });

describe('formatPortfolio', () => {
  it('knows three formats', () => {
    expect(PORTFOLIO_FORMATS).toEqual(['json', 'csv', 'markdown']);
  });

  it('json is the response, indented', () => {
    const p = portfolio();
    const text = formatPortfolio(p, 'json');
    expect(JSON.parse(text)).toEqual(p);
    expect(text).toBe(JSON.stringify(p, null, 2));
  });

  describe('csv', () => {
    const rows = (): Array<Record<string, string>> => parse(formatPortfolio(portfolio(), 'csv'), { columns: true });

    it('has the header and one row per service, in the portfolio order', () => {
      const text = formatPortfolio(portfolio(), 'csv');
      expect(text.split('\n')[0]).toBe(
        'entityRef,name,title,owner,system,tier,status,budgetStatus,minRemainingRatio,worstSlo,slosBelowTarget,sloCount,gateVerdict,driftCritical,score',
      );
      expect(PORTFOLIO_CSV_COLUMNS.join(',')).toBe(text.split('\n')[0]);
      // checkout and weird are critical (76.9 < 88.5), formula is healthy
      expect(rows().map(r => r.name)).toEqual(['checkout', 'weird', 'formula']);
    });

    it('parses back, with commas, quotes and newlines intact and null as an empty cell', () => {
      const [checkout, weird] = rows();
      expect(checkout).toEqual({
        entityRef: 'component:default/checkout',
        name: 'checkout',
        title: 'Checkout API',
        owner: 'group:default/team-payments',
        system: 'system:default/shop',
        tier: '1',
        status: 'critical',
        budgetStatus: 'exhausted',
        minRemainingRatio: '-0.2', // a number: never prefixed
        worstSlo: 'availability',
        slosBelowTarget: '0',
        sloCount: '1',
        gateVerdict: 'allow',
        driftCritical: '0',
        score: '76.9',
      });
      expect(weird.title).toBe('Pay, "the" API\nsecond line');
      expect(weird.system).toBe('');
      expect(weird.gateVerdict).toBe('block');
      expect(weird.driftCritical).toBe('2');
      expect(weird.score).toBe('88.5');
    });

    it('guards text cells against formula injection with a leading apostrophe', () => {
      const formula = rows()[2];
      expect(formula.title).toBe('\'=HYPERLINK("http://evil","x")');
      expect(formula.owner).toBe("'+group:default/x");
      expect(formula.system).toBe("'-1+1");
      expect(formula.gateVerdict).toBe('');
      expect(formula.driftCritical).toBe('');
      expect(formula.score).toBe('75');
      const p = portfolio();
      p.services[0].name = '@SUM(A1)';
      p.services[0].worstSlo = '\tcmd';
      const [row] = parse(formatPortfolio(p, 'csv'), { columns: true }) as Array<Record<string, string>>;
      expect(row.name).toBe("'@SUM(A1)");
      expect(row.worstSlo).toBe("'\tcmd");
    });

    it('is only the header without services', () => {
      const p = buildPortfolio({ generatedAt: NOW, services: [] });
      expect(formatPortfolio(p, 'csv')).toBe(`${PORTFOLIO_CSV_COLUMNS.join(',')}\n`);
    });
  });

  describe('markdown', () => {
    it('has a heading with the status and org score, teams, services and insights', () => {
      const md = formatPortfolio(portfolio(), 'markdown');
      const lines = md.split('\n');
      // org: (3 × 76.9 + 2 × 88.5 + 2 × 75) / 7 = 557.7 / 7 = 79.67 → 79.7
      expect(lines[0]).toBe('# Reliability portfolio: critical (org score 79.7)');
      expect(md).toContain('| Team | Score | Status | Services | Tier-1 below target |');
      // team-payments: checkout and weird, (3 × 76.9 + 2 × 88.5) / 5 = 407.7 / 5 = 81.54 → 81.5
      expect(md).toContain('| team-payments | 81.5 | critical | 2 | 0 |');
      expect(md).toContain('| x | 75 | healthy | 1 | 0 |');
      expect(md).toContain('| Service | Team | Tier | Status | Budget remaining | Score |');
      expect(md).toContain('| Checkout API | team-payments | 1 | critical | -20 % | 76.9 |');
      expect(md).toContain('- **critical**: checkout overspent its budget by 20 %');
      expect(md).toContain('- **warning**: formula burned 75 % of its budget');
      expect(md).toContain('- **warning**: 1 service would be blocked from deploying');
    });

    it('escapes pipes and line breaks in cells', () => {
      const p = portfolio();
      p.services[1].title = 'a | b\nc\r\nd \\| e';
      p.services[1].owner = 'group:default/x|y';
      const md = formatPortfolio(p, 'markdown');
      expect(md).toContain('| a \\| b c d \\\\\\| e | x\\|y | 2 | critical | 50 % | 88.5 |');
      // the row still has exactly 7 unescaped pipes (6 cells): 8 parts once escapes are removed
      const row = md.split('\n').find(l => l.startsWith('| a '))!;
      expect(row.replace(/\\\\/g, '').replace(/\\\|/g, '').split('|')).toHaveLength(8);
      expect(md).not.toContain('\r');
    });

    it('shows a dash for unknown scores and budgets', () => {
      const p = buildPortfolio({
        generatedAt: NOW,
        services: [input('new', { owner: null }, null, { succeeded: 0, failed: 0, rolledBack: 0 })],
      });
      p.services[0].score = null;
      p.org.score = null;
      const md = formatPortfolio(p, 'markdown');
      expect(md.split('\n')[0]).toBe('# Reliability portfolio: healthy (org score —)');
      expect(md).toContain('| new | — | 2 | healthy | — | — |');
    });
  });
});

import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { BudgetTooltip } from './BudgetTooltip';
import { formatTooltipTime } from './chartData';

const time = Date.parse('2026-01-20T10:00:00Z');

describe('BudgetTooltip', () => {
  it('shows time, remaining percent and minutes, and the SLI of the hovered point', async () => {
    await renderInTestApp(
      <BudgetTooltip
        active
        payload={[
          {
            payload: {
              time,
              remainingPercent: 15,
              remainingMinutes: 6.48,
              sli: 99.985,
            },
          },
        ]}
      />,
    );
    const tooltip = screen.getByTestId('nthlayer-budget-tooltip');
    expect(tooltip).toHaveTextContent(formatTooltipTime(time));
    expect(tooltip).toHaveTextContent('Budget remaining: 15.0 % (6.48 min)');
    expect(tooltip).toHaveTextContent('SLI: 99.985 %');
  });

  it('keeps the sign of an overspent budget and says no data for gaps', async () => {
    await renderInTestApp(
      <BudgetTooltip
        active
        payload={[
          {
            payload: {
              time,
              remainingPercent: -30,
              remainingMinutes: -12.96,
              sli: null,
            },
          },
        ]}
      />,
    );
    const tooltip = screen.getByTestId('nthlayer-budget-tooltip');
    expect(tooltip).toHaveTextContent('Budget remaining: -30.0 % (-12.96 min)');
    expect(tooltip).toHaveTextContent('SLI: no data');
  });

  it('renders nothing when not hovering', async () => {
    await renderInTestApp(<BudgetTooltip active={false} payload={[]} />);
    expect(
      screen.queryByTestId('nthlayer-budget-tooltip'),
    ).not.toBeInTheDocument();
  });
});

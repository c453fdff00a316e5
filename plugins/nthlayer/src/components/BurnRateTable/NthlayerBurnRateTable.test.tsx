import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { availability, burnRates } from '../EntityNthlayerSloCard/testData';
import { NthlayerBurnRateTable } from './NthlayerBurnRateTable';

const table = () =>
  within(screen.getByTestId('nthlayer-burn-table-availability'));
const alertRow = (long: string, short: string) =>
  screen.getByTestId(`nthlayer-burn-alert-${long}-${short}`);

describe('NthlayerBurnRateTable', () => {
  it('lists the burn rate of every window', async () => {
    await renderInTestApp(<NthlayerBurnRateTable report={availability()} />);
    expect(table().getByTestId('burn-rate-5m')).toHaveTextContent('0.40×');
    expect(table().getByTestId('burn-rate-1h')).toHaveTextContent('0.50×');
    expect(table().getByTestId('burn-rate-3d')).toHaveTextContent('0.00×');
    expect(table().getByTestId('burn-rate-1h')).toHaveAttribute(
      'data-level',
      'ok',
    );
    expect(screen.queryByText('firing')).not.toBeInTheDocument();
  });

  it('highlights the pair whose two windows both exceed the factor', async () => {
    const report = availability({
      // 1h/5m above 14.4: the fast page fires; 6h/30m: only 30m is above 6
      burnRates: burnRates({
        '5m': 20,
        '30m': 16,
        '1h': 15,
        '2h': 1.5,
        '6h': 0.8,
      }),
    });
    await renderInTestApp(<NthlayerBurnRateTable report={report} />);
    expect(alertRow('1h', '5m')).toHaveAttribute('data-firing', 'true');
    expect(
      within(alertRow('1h', '5m')).getByText('firing'),
    ).toBeInTheDocument();
    expect(alertRow('6h', '30m')).toHaveAttribute('data-firing', 'false');
    expect(
      within(alertRow('6h', '30m')).queryByText('firing'),
    ).not.toBeInTheDocument();
    expect(screen.getAllByText('firing')).toHaveLength(1);
    expect(table().getByTestId('burn-rate-5m')).toHaveAttribute(
      'data-level',
      'firing',
    );
    expect(table().getByTestId('burn-rate-2h')).toHaveAttribute(
      'data-level',
      'elevated',
    );
    expect(table().getByTestId('burn-rate-6h')).toHaveAttribute(
      'data-level',
      'ok',
    );
  });

  it('shows the pairs with their windows, factor and budget spent', async () => {
    await renderInTestApp(<NthlayerBurnRateTable report={availability()} />);
    const slow = within(alertRow('3d', '6h'));
    expect(slow.getByText('ticket')).toBeInTheDocument();
    expect(slow.getByText('1×')).toBeInTheDocument();
    expect(slow.getByText('10 %')).toBeInTheDocument();
    expect(within(alertRow('1h', '5m')).getByText('14.4×')).toBeInTheDocument();
  });

  it('shows no traffic in a window as a dash', async () => {
    const report = availability({ burnRates: burnRates({ '5m': null }) });
    await renderInTestApp(<NthlayerBurnRateTable report={report} />);
    expect(table().getByTestId('burn-rate-5m')).toHaveTextContent('—');
    expect(table().getByTestId('burn-rate-5m')).toHaveAttribute(
      'data-level',
      'none',
    );
  });

  it('notes low traffic instead of highlighting', async () => {
    const report = availability({
      lowTraffic: true,
      burnRates: burnRates({ '5m': 50, '1h': 40 }),
    });
    await renderInTestApp(<NthlayerBurnRateTable report={report} />);
    expect(
      table().getByText(
        'Low traffic — burn rates are not meaningful and never page.',
      ),
    ).toBeInTheDocument();
    expect(alertRow('1h', '5m')).toHaveAttribute('data-firing', 'false');
    expect(screen.queryByText('firing')).not.toBeInTheDocument();
    expect(table().getByTestId('burn-rate-5m')).toHaveAttribute(
      'data-level',
      'none',
    );
    expect(table().getByTestId('burn-rate-5m')).toHaveTextContent('50.0×');
  });

  it('has no low-traffic note for normal traffic', async () => {
    await renderInTestApp(<NthlayerBurnRateTable report={availability()} />);
    expect(table().queryByText(/Low traffic/)).not.toBeInTheDocument();
  });
});

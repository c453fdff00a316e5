import * as common from '@grafana/grafana-foundation-sdk/common';
import {
  ThresholdsConfigBuilder,
  ThresholdsMode,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

/** Name of the dashboard's Prometheus data source variable. */
export const DATASOURCE_VARIABLE = 'datasource';

/** Every panel and query reads from the data source the viewer picked. */
export const DATASOURCE = {
  type: 'prometheus',
  uid: `\${${DATASOURCE_VARIABLE}}`,
};

/** One PromQL query of a panel, with its legend. */
export interface PanelQuery {
  expr: string;
  legend: string;
}

/** What a panel shows; turned into a builder by {@link timeseries} or {@link stat}. */
export interface PanelSpec {
  title: string;
  description: string;
  unit: string;
  queries: PanelQuery[];
  /** Threshold steps above the base colour, drawn as lines on time series. */
  thresholds?: Array<{ value: number; color: string }>;
  baseColor?: string;
  width?: number;
  min?: number;
}

function targets(queries: PanelQuery[]) {
  return queries.map((q, i) =>
    new DataqueryBuilder()
      .datasource(DATASOURCE)
      .expr(q.expr)
      .legendFormat(q.legend)
      .refId(String.fromCharCode(65 + i)),
  );
}

function thresholds(spec: PanelSpec) {
  return new ThresholdsConfigBuilder()
    .mode(ThresholdsMode.Absolute)
    .steps([
      { value: null, color: spec.baseColor ?? 'green' },
      ...(spec.thresholds ?? []),
    ]);
}

/** A time series panel. */
export function timeseries(spec: PanelSpec): TimeseriesPanelBuilder {
  const panel = new TimeseriesPanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .targets(targets(spec.queries))
    .height(8)
    .span(spec.width ?? 8)
    .fillOpacity(10)
    .thresholds(thresholds(spec));
  if (spec.min !== undefined) panel.min(spec.min);
  if (spec.thresholds?.length) {
    panel.thresholdsStyle(
      new common.GraphThresholdsStyleConfigBuilder().mode(
        common.GraphThresholdsStyleMode.Dashed,
      ),
    );
  }
  return panel;
}

/** A single-value panel showing the last value. */
export function stat(spec: PanelSpec): StatPanelBuilder {
  return new StatPanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .targets(targets(spec.queries))
    .height(8)
    .span(spec.width ?? 6)
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.Area)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']))
    .thresholds(thresholds(spec));
}

/** One query of a normalised panel. @public */
export interface NormalisedTarget {
  refId?: string;
  expr: string;
}

/** One panel of a normalised dashboard (rows are not panels here: they are `row`). @public */
export interface NormalisedPanel {
  title: string;
  type: string;
  /** Title of the row the panel is in; undefined above the first row. */
  row?: string;
  /** The panel's PromQL queries (targets with an `expr`), in order. */
  targets: NormalisedTarget[];
}

/** What a dashboard means for drift, without what Grafana rewrites on save. @public */
export interface NormalisedDashboard {
  uid: string;
  title: string;
  /** Sorted. */
  tags: string[];
  /** In document order; panels of collapsed rows where their row stands. */
  panels: NormalisedPanel[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function targets(value: Json): NormalisedTarget[] {
  const out: NormalisedTarget[] = [];
  for (const target of list(value.targets)) {
    if (!isObject(target) || typeof target.expr !== 'string') continue;
    out.push(
      typeof target.refId === 'string' && target.refId
        ? { refId: target.refId, expr: target.expr }
        : { expr: target.expr },
    );
  }
  return out;
}

function toPanel(value: Json, row: string | undefined): NormalisedPanel {
  const out: NormalisedPanel = {
    title: text(value.title),
    type: text(value.type),
    targets: targets(value),
  };
  if (row !== undefined) out.row = row;
  return out;
}

/**
 * Panels of a `panels` list: flat with `type: 'row'` separators (panels after a row belong
 * to it) and rows holding their panels in `panels` (collapsed), in any mix.
 */
function panelsOf(values: unknown[], initialRow?: string): NormalisedPanel[] {
  const out: NormalisedPanel[] = [];
  let row = initialRow;
  for (const value of values) {
    if (!isObject(value)) continue;
    if (value.type === 'row') {
      row = text(value.title);
      out.push(...panelsOf(list(value.panels), row));
      continue;
    }
    out.push(toPanel(value, row));
  }
  return out;
}

/**
 * Reduces a dashboard model — as NthLayer generates it, as Grafana returns it after a save,
 * or a whole `GET /api/dashboards/uid/:uid` answer (`{dashboard, meta}`) — to what drift
 * compares: uid, title, sorted tags and, per panel, title, type, row and the `refId` and
 * `expr` of its queries. Panels may follow `type: 'row'` panels (expanded rows), sit in a
 * collapsed row's `panels`, or in the `rows[].panels` of the pre-5.0 schema. Everything
 * Grafana rewrites on save is dropped: `id`, `version`, `schemaVersion`, `iteration`,
 * `gridPos`, panel ids, `pluginVersion`, data source references, `fieldConfig` defaults
 * and `meta`.
 *
 * @public
 */
export function normaliseDashboard(json: unknown): NormalisedDashboard {
  let model: Json = isObject(json) ? json : {};
  if (isObject(model.dashboard) && ('meta' in model || !('panels' in model))) {
    model = model.dashboard;
  }
  const tags = list(model.tags)
    .filter((t): t is string => typeof t === 'string')
    .sort();
  const panels = panelsOf(list(model.panels));
  // The pre-5.0 schema: `rows: [{title, panels}]`, each row a block of panels.
  for (const row of list(model.rows)) {
    if (!isObject(row)) continue;
    const title = typeof row.title === 'string' ? row.title : undefined;
    panels.push(...panelsOf(list(row.panels), title));
  }
  return { uid: text(model.uid), title: text(model.title), tags, panels };
}

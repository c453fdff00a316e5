/* A loopback fake of Grafana's HTTP API for the dashboard drift tests (not exported by the package). */
import { IncomingMessage, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/** Options of {@link startGrafanaFake}. @public */
export interface GrafanaFakeOptions {
  /** The service account token the fake accepts; default `glsa_fake_token`. */
  token?: string;
  /** A token the fake knows but that lacks `dashboards:read`: answered 403. */
  forbiddenToken?: string;
  /** Answers after this many ms (for timeouts). */
  delayMs?: number;
  /** The clock of `created` / `updated`; default the real one. */
  now?: () => Date;
}

/** Options of {@link GrafanaFake.save}. @public */
export interface GrafanaFakeSaveOptions {
  folderUid?: string;
  folderTitle?: string;
  /** Collapses every row first, nesting the panels that follow it in its `panels`, as a user collapsing rows before saving does. */
  collapseRows?: boolean;
}

/** One request the fake received. @public */
export interface GrafanaFakeRequest {
  method: string;
  /** Path and query string. */
  url: string;
  authorization?: string;
  accept?: string;
}

/** A running fake Grafana. @public */
export interface GrafanaFake {
  /** `http://127.0.0.1:<port>`. */
  baseUrl: string;
  token: string;
  requests: GrafanaFakeRequest[];
  /**
   * Stores `dashboard` as Grafana does after a save through the UI or
   * `POST /api/dashboards/db`, and answers like that endpoint.
   */
  save(
    dashboard: Record<string, any>,
    options?: GrafanaFakeSaveOptions,
  ): { id: number; uid: string; url: string; status: 'success'; version: number; slug: string };
  /** A copy of the stored model of `uid`. */
  stored(uid: string): Record<string, any> | undefined;
  close(): Promise<void>;
}

/** The Grafana version the fake pretends to be (panels' `pluginVersion`). @public */
export const FAKE_GRAFANA_VERSION = '11.2.0';
/** The schema version Grafana 11.2 writes. @public */
export const FAKE_SCHEMA_VERSION = 39;

interface Entry {
  dashboard: Record<string, any>;
  created: string;
  updated: string;
  folderUid?: string;
  folderTitle?: string;
  folderId?: number;
}

/** Grafana's slug of a title: lower case, runs of other characters as one `-`. */
export function slugify(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

/** Nests the top-level panels after each row in the row's `panels` and collapses it. */
function collapseRows(panels: any[]): any[] {
  const out: any[] = [];
  let row: any;
  for (const panel of panels) {
    if (panel.type === 'row') {
      row = { ...panel, collapsed: true, panels: [...(panel.panels ?? [])] };
      out.push(row);
    } else if (row) {
      row.panels.push(panel);
    } else {
      out.push(panel);
    }
  }
  return out;
}

/** Field defaults Grafana's panel plugins fill in when a panel is saved. */
function fillFieldConfig(panel: any): void {
  const fieldConfig = panel.fieldConfig ?? {};
  const defaults = fieldConfig.defaults ?? {};
  const custom =
    panel.type === 'timeseries'
      ? {
          drawStyle: 'line',
          lineInterpolation: 'linear',
          lineWidth: 1,
          pointSize: 5,
          showPoints: 'auto',
          spanNulls: false,
          stacking: { group: 'A', mode: 'none' },
          axisPlacement: 'auto',
          axisBorderShow: false,
          barAlignment: 0,
          gradientMode: 'none',
          hideFrom: { legend: false, tooltip: false, viz: false },
          scaleDistribution: { type: 'linear' },
          thresholdsStyle: { mode: 'off' },
          ...defaults.custom,
        }
      : defaults.custom;
  panel.fieldConfig = {
    ...fieldConfig,
    defaults: {
      color: { mode: panel.type === 'stat' ? 'thresholds' : 'palette-classic' },
      mappings: [],
      thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'red', value: 80 }] },
      ...defaults,
      ...(custom ? { custom } : {}),
    },
    overrides: fieldConfig.overrides ?? [],
  };
}

/**
 * What Grafana does to a dashboard model it saves: keeps the id of a known uid or assigns
 * the next, increments `version`, migrates to its `schemaVersion`, sets `iteration`,
 * numbers panels anew (top level first, then panels of collapsed rows), lays them out
 * again (a collapsed row takes one grid unit, its panels are placed under it), and adds
 * `pluginVersion` and filled `fieldConfig.defaults` to every panel.
 */
function asSaved(input: Record<string, any>, id: number, version: number, iteration: number): Record<string, any> {
  const dashboard = clone(input);
  dashboard.id = id;
  dashboard.version = version;
  dashboard.schemaVersion = FAKE_SCHEMA_VERSION;
  dashboard.iteration = iteration;
  const panels: any[] = dashboard.panels ?? [];
  let next = 1;
  for (const panel of panels) panel.id = next++;
  for (const panel of panels) for (const child of panel.panels ?? []) child.id = next++;

  const place = (list: any[], top: number): number => {
    let x = 0;
    let y = top;
    let rowHeight = 0;
    for (const panel of list) {
      const w = Math.min(24, panel.gridPos?.w ?? 12);
      const h = panel.gridPos?.h ?? 8;
      if (x + w > 24) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      panel.gridPos = { h, w, x, y };
      x += w;
      rowHeight = Math.max(rowHeight, h);
    }
    return y + rowHeight;
  };
  let y = 0;
  let block: any[] = [];
  const flush = () => {
    y = place(block, y);
    block = [];
  };
  for (const panel of panels) {
    if (panel.type !== 'row') {
      block.push(panel);
      continue;
    }
    flush();
    panel.gridPos = { h: 1, w: 24, x: 0, y };
    y += 1;
    if (panel.collapsed) place(panel.panels ?? [], y);
  }
  flush();

  const visit = (panel: any) => {
    if (panel.type === 'row') {
      panel.panels = panel.panels ?? [];
      panel.panels.forEach(visit);
      return;
    }
    panel.pluginVersion = FAKE_GRAFANA_VERSION;
    fillFieldConfig(panel);
  };
  panels.forEach(visit);
  return dashboard;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
}

/**
 * Starts a fake Grafana on 127.0.0.1 (a free port), answering with the documented fields
 * of Grafana's HTTP API (Dashboard HTTP API; Folder/Dashboard Search HTTP API):
 *
 * - `GET /api/dashboards/uid/:uid` answers the stored model (with `id`, `uid`, `title`,
 *   `tags`, `version`, `schemaVersion`, `panels`) and its `meta` (`type: 'db'`, the `can*`
 *   flags, `slug`, `url`, `expires`, `created`, `updated`, `version`, the folder fields,
 *   `provisioned`); 404 with a message for an unknown uid.
 * - `GET /api/search` answers hits (`id`, `uid`, `orgId`, `title`, `uri`, `url`, `type`,
 *   `tags`, the folder fields) sorted by title, filtered by `query` (a case-insensitive
 *   substring of the title), every `tag`, `type` (`dash-db`, `dash-folder`),
 *   `dashboardUIDs` and `limit`.
 * - 401 without `Authorization: Bearer <token>`, 403 for the `forbiddenToken`, 404 for
 *   other routes.
 *
 * {@link GrafanaFake.save} stores a dashboard as Grafana rewrites it on save.
 *
 * @public
 */
export async function startGrafanaFake(options: GrafanaFakeOptions = {}): Promise<GrafanaFake> {
  const token = options.token ?? 'glsa_fake_token';
  const now = options.now ?? (() => new Date());
  const store = new Map<string, Entry>();
  const folders = new Map<string, { id: number; title: string }>();
  const requests: GrafanaFakeRequest[] = [];
  let nextId = 17;
  let iteration = 1_700_000_000_000;
  const timers = new Set<NodeJS.Timeout>();

  const meta = (entry: Entry) => {
    const { dashboard } = entry;
    const slug = slugify(dashboard.title ?? '');
    return {
      type: 'db',
      canSave: true,
      canEdit: true,
      canAdmin: true,
      canStar: true,
      canDelete: true,
      slug,
      url: `/d/${dashboard.uid}/${slug}`,
      expires: '0001-01-01T00:00:00Z',
      created: entry.created,
      updated: entry.updated,
      updatedBy: 'admin',
      createdBy: 'admin',
      version: dashboard.version,
      hasAcl: false,
      isFolder: false,
      folderId: entry.folderId ?? 0,
      folderUid: entry.folderUid ?? '',
      folderTitle: entry.folderTitle ?? 'General',
      folderUrl: entry.folderUid ? `/dashboards/f/${entry.folderUid}/${slugify(entry.folderTitle ?? '')}` : '',
      provisioned: false,
      provisionedExternalId: '',
    };
  };

  const search = (params: URLSearchParams) => {
    const query = (params.get('query') ?? '').toLowerCase();
    const tags = params.getAll('tag');
    const type = params.get('type');
    const uids = params.getAll('dashboardUIDs').flatMap(u => u.split(','));
    const limit = Number(params.get('limit')) || 1000;
    const hits: any[] = [];
    if (type !== 'dash-db') {
      for (const [uid, folder] of folders) {
        if (!folder.title.toLowerCase().includes(query) || tags.length) continue;
        const slug = slugify(folder.title);
        hits.push({
          id: folder.id,
          uid,
          orgId: 1,
          title: folder.title,
          uri: `db/${slug}`,
          url: `/dashboards/f/${uid}/${slug}`,
          slug: '',
          type: 'dash-folder',
          tags: [],
          isStarred: false,
          sortMeta: 0,
        });
      }
    }
    if (type !== 'dash-folder') {
      for (const entry of store.values()) {
        const { dashboard } = entry;
        const title: string = dashboard.title ?? '';
        const own: string[] = dashboard.tags ?? [];
        if (!title.toLowerCase().includes(query)) continue;
        if (!tags.every(t => own.includes(t))) continue;
        if (uids.length && !uids.includes(dashboard.uid)) continue;
        const slug = slugify(title);
        hits.push({
          id: dashboard.id,
          uid: dashboard.uid,
          orgId: 1,
          title,
          uri: `db/${slug}`,
          url: `/d/${dashboard.uid}/${slug}`,
          slug: '',
          type: 'dash-db',
          tags: own,
          isStarred: false,
          sortMeta: 0,
          ...(entry.folderUid
            ? {
                folderId: entry.folderId,
                folderUid: entry.folderUid,
                folderTitle: entry.folderTitle,
                folderUrl: `/dashboards/f/${entry.folderUid}/${slugify(entry.folderTitle ?? '')}`,
              }
            : {}),
        });
      }
    }
    hits.sort((a, b) => a.title.toLowerCase().localeCompare(b.title.toLowerCase()));
    return hits.slice(0, limit);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const authorization = req.headers.authorization;
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization,
      accept: req.headers.accept,
    });
    const url = new URL(req.url ?? '/', 'http://fake');
    if (options.forbiddenToken && authorization === `Bearer ${options.forbiddenToken}`) {
      send(res, 403, {
        accessErrorId: 'ACE0000000001',
        message: "You'll need additional permissions to perform this action. Permissions needed: dashboards:read",
        title: 'Access denied',
      });
      return;
    }
    if (authorization !== `Bearer ${token}`) {
      send(res, 401, { message: 'invalid API key' });
      return;
    }
    const byUid = /^\/api\/dashboards\/uid\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && byUid) {
      const entry = store.get(decodeURIComponent(byUid[1]));
      if (!entry) send(res, 404, { message: 'Dashboard not found' });
      else send(res, 200, { dashboard: entry.dashboard, meta: meta(entry) });
      return;
    }
    if (req.method === 'GET' && /^\/api\/search\/?$/.test(url.pathname)) {
      send(res, 200, search(url.searchParams));
      return;
    }
    send(res, 404, { message: 'Not found' });
  };

  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (!options.delayMs) {
        handle(req, res);
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        handle(req, res);
      }, options.delayMs);
      timers.add(timer);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    token,
    requests,
    save(dashboard, saveOptions = {}) {
      const uid: string = dashboard.uid ?? `fake${nextId}`;
      const previous = store.get(uid);
      const id = previous?.dashboard.id ?? nextId++;
      const version = (previous?.dashboard.version ?? 0) + 1;
      const input = saveOptions.collapseRows
        ? { ...dashboard, panels: collapseRows(dashboard.panels ?? []) }
        : dashboard;
      const saved = asSaved({ ...input, uid }, id, version, iteration++);
      let folderId: number | undefined;
      if (saveOptions.folderUid) {
        const folder = folders.get(saveOptions.folderUid) ?? {
          id: nextId++,
          title: saveOptions.folderTitle ?? saveOptions.folderUid,
        };
        folders.set(saveOptions.folderUid, folder);
        folderId = folder.id;
      }
      const time = now().toISOString();
      store.set(uid, {
        dashboard: saved,
        created: previous?.created ?? time,
        updated: time,
        folderUid: saveOptions.folderUid,
        folderTitle: saveOptions.folderUid ? folders.get(saveOptions.folderUid)!.title : undefined,
        folderId,
      });
      const slug = slugify(saved.title ?? '');
      return { id, uid, url: `/d/${uid}/${slug}`, status: 'success', version, slug };
    },
    stored(uid) {
      const entry = store.get(uid);
      return entry && clone(entry.dashboard);
    },
    close: () =>
      new Promise<void>(resolve => {
        timers.forEach(clearTimeout);
        timers.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

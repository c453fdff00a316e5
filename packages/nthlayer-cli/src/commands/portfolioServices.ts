import {
  NthlayerService,
  PortfolioServiceInput,
  SloDefinition,
  SloMeasurement,
  SloReport,
  SloStatus,
  buildSloReport,
  mapLimit,
  serviceSliQueries,
  windowKey,
  worstBudgetStatus,
} from '@nthlayer/backstage-plugin-common';
import { GeneratorInput, PrometheusClient, VectorSample } from '@nthlayer/backstage-plugin-generators';
import { formatFinding } from '../findings';
import { isUnusable, loadServiceArtifacts } from '../serviceArtifacts';
import { Log } from './backendApi';

/** How many SLOs are measured at the same time (two instant queries each). */
const CONCURRENCY = 4;

/** What {@link measureServiceFiles} found. */
export interface MeasuredServices {
  /** One per usable service file, ready for `buildPortfolio`. */
  services: PortfolioServiceInput[];
  /** Service files left out (unreadable, not a service file, a duplicate name). */
  unusable: number;
  /** SLOs measured, and how many of them Prometheus could not be asked for. */
  slos: number;
  failed: number;
  /** The first Prometheus error, for the message when every SLO failed. */
  firstError?: string;
}

/**
 * The PromQL range an SLO's window is read over: the rolling window as written (`30d`), or,
 * for a calendar window, its nominal length as a rolling range (`1M` → `43200m`).
 */
export function measuredRange(slo: SloDefinition): string {
  return slo.window.calendar ? `${Math.round(slo.window.minutes)}m` : slo.window.text;
}

/** The sum of an instant vector's finite values; 0 for an empty vector (no series, no events). */
function sumOf(samples: VectorSample[]): number {
  return samples.reduce((sum, s) => (Number.isFinite(s.value) ? sum + s.value : sum), 0);
}

/**
 * Measures one SLO as the backend's budget engine does: good and total events over the SLO
 * window, two instant queries at `now`, summed; then the backend's {@link buildSloReport}.
 * No burn-rate windows are read (the portfolio does not use them). A failed query gives a
 * measurement without counts and with the error: status `no-data`.
 */
async function measureSlo(
  client: PrometheusClient,
  service: NthlayerService,
  slo: SloDefinition,
  now: Date,
): Promise<{ report: SloReport; error?: string }> {
  const base = {
    sloName: slo.name,
    window: windowKey(slo.window),
    windowMinutes: slo.window.minutes,
    thresholdMs: slo.latency?.thresholdMs ?? null,
    shortWindows: [],
  };
  const { good, total } = serviceSliQueries(service, slo, measuredRange(slo));
  let measurement: SloMeasurement;
  let error: string | undefined;
  try {
    const [goodSamples, totalSamples] = await Promise.all([client.queryVector(good, now), client.queryVector(total, now)]);
    measurement = {
      ...base,
      goodEvents: sumOf(goodSamples),
      totalEvents: sumOf(totalSamples),
      measuredAt: now.toISOString(),
      stale: false,
      error: null,
    };
  } catch (e) {
    error = (e as Error).message;
    measurement = { ...base, goodEvents: null, totalEvents: null, measuredAt: null, stale: false, error };
  }
  return { report: buildSloReport(slo, measurement), ...(error ? { error } : {}) };
}

interface LoadedService {
  file: string;
  input: GeneratorInput;
  reports: SloReport[];
}

/**
 * Reads every service file, measures each SLO on Prometheus and turns the services into the
 * portfolio's input as the backend would, with what a directory of files cannot know left
 * out: no system, no gate verdict, no drift check, no incidents (null: not scored), no
 * recorded deployments (zeros: not scored). A service's dependencies are those of its file
 * that are other services of the directory (matched by name), with their worst SLO status.
 * Unusable files and failed queries are said on stderr; calendar windows get a note.
 */
export async function measureServiceFiles(
  files: string[],
  client: PrometheusClient,
  now: Date,
  log: Log,
): Promise<MeasuredServices> {
  const loaded: Array<Omit<LoadedService, 'reports'>> = [];
  const names = new Map<string, string>();
  let unusable = 0;
  for (const file of files) {
    // No artifact is generated: only the service, its SLOs and its dependencies are needed.
    const result = await loadServiceArtifacts(file, { kinds: [] });
    result.findings.forEach(f => log.err(`${file}: ${formatFinding(f)}`));
    if (isUnusable(result)) {
      log.err(`${result.reason}: left out of the portfolio`);
      unusable++;
      continue;
    }
    const key = result.entityRef.toLowerCase();
    const first = names.get(key);
    if (first !== undefined) {
      log.err(`${file}: ${result.name} is already defined by ${first}: left out of the portfolio`);
      unusable++;
      continue;
    }
    names.set(key, file);
    loaded.push({ file, input: result.input });
    for (const slo of result.input.service.slos) {
      if (slo.window.calendar) {
        log.err(
          `note: ${result.name}/${slo.name}: the calendar window ${slo.window.text} is measured as the rolling ${measuredRange(slo)} ending now (the backend measures the ${slo.window.calendar.unit} to date)`,
        );
      }
    }
  }

  const jobs = loaded.flatMap((s, index) => s.input.service.slos.map(slo => ({ index, slo })));
  const measured = await mapLimit(jobs, CONCURRENCY, job => measureSlo(client, loaded[job.index].input.service, job.slo, now));
  const services: LoadedService[] = loaded.map(s => ({ ...s, reports: [] }));
  let failed = 0;
  let firstError: string | undefined;
  measured.forEach((m, i) => {
    const service = services[jobs[i].index];
    service.reports.push(m.report);
    if (m.error) {
      failed++;
      firstError ??= m.error;
      log.err(`${service.file}: ${service.input.service.name}/${m.report.name} not measured: ${m.error}`);
    }
  });

  const statusByName = new Map<string, { ref: string; status: SloStatus }>();
  for (const s of services) {
    statusByName.set(s.input.service.name.toLowerCase(), {
      ref: s.input.service.entityRef,
      status: worstBudgetStatus(s.reports.map(r => r.status)),
    });
  }
  return {
    services: services.map(s => portfolioInput(s, statusByName)),
    unusable,
    slos: jobs.length,
    failed,
    ...(firstError !== undefined ? { firstError } : {}),
  };
}

function portfolioInput(
  s: LoadedService,
  statusByName: Map<string, { ref: string; status: SloStatus }>,
): PortfolioServiceInput {
  const { service } = s.input;
  const dependencies: Array<{ ref: string; status: SloStatus | null }> = [];
  for (const d of s.input.dependencies) {
    if (d.kind !== 'component') continue;
    const other = statusByName.get(d.name.toLowerCase());
    if (!other || other.ref === service.entityRef || dependencies.some(x => x.ref === other.ref)) continue;
    dependencies.push({ ref: other.ref, status: other.status });
  }
  return {
    entityRef: service.entityRef,
    name: service.name,
    tier: service.tier,
    // The file's team, as the catalog's owner ref `group:default/<team>`; null without one.
    owner: service.owner ?? null,
    system: null,
    gateVerdict: null,
    driftCritical: null,
    scoreInput: {
      tier: service.tier,
      slos: s.reports.map(r => ({
        name: r.name,
        kind: r.kind,
        targetPercent: r.targetPercent,
        sli: r.sli,
        status: r.status,
        remainingRatio: r.errorBudget?.remainingRatio ?? null,
        goodEvents: r.goodEvents,
        totalEvents: r.totalEvents,
      })),
      incidents: null,
      deployments: { succeeded: 0, failed: 0, rolledBack: 0 },
      dependencies,
    },
  };
}

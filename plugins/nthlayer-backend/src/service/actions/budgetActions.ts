import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { NotFoundError } from '@backstage/errors';
import { EntitySloReport, EntitySlosResponse } from '@nthlayer/backstage-plugin-common';
import {
  ActionZod,
  NthlayerActionServices,
  SchemaOutput,
  actionEntityRef,
  entityRefField,
  passthroughOutput,
  percent,
} from './common';

const STATUSES = 'healthy, warning, critical, exhausted (no budget left), no-data (no events in the window) or pending (not measured yet)';

const slosInput = (z: ActionZod) => z.object({ entityRef: entityRefField(z) }).strict();

const burnRates = (z: ActionZod) =>
  z
    .array(
      z.object({
        window: z.string().describe('The burn-rate window, from 5m to 3d.'),
        burnRate: z
          .number()
          .nullable()
          .describe('How fast the budget burns over that window: 1 spends it exactly over the SLO window, 10 ten times as fast; null without traffic.'),
      }),
    )
    .describe('Burn rates over the standard windows.');

const slosOutput = (z: ActionZod) =>
  z
    .object({
      entityRef: z.string().describe('The entity, as kind:namespace/name.'),
      service: z
        .object({
          tier: z.number().describe('Service tier: 1 (most critical), 2 or 3.'),
          type: z.string().describe('Service type, e.g. api, worker, database.'),
        })
        .passthrough()
        .nullable()
        .describe('The NthLayer service model (tier, type, owner, Prometheus selector, SLO definitions); null when the entity is not managed by NthLayer (no usable nthlayer.dev/tier annotation).'),
      findings: z
        .array(
          z
            .object({
              severity: z.string().describe('error or warning.'),
              message: z.string().describe('What is wrong with the entity\'s NthLayer annotations or configuration, and what is accepted.'),
            })
            .passthrough(),
        )
        .describe('Configuration findings about the entity (bad annotations, unresolved SLI metrics).'),
      slos: z
        .array(
          z
            .object({
              name: z.string().describe('The SLO name, e.g. availability or latency.'),
              kind: z.string().describe('availability or latency.'),
              targetPercent: z.number().describe('The objective in percent, e.g. 99.9.'),
              window: z.string().describe('The SLO window, e.g. 30d or 1M (calendar month).'),
              sli: z.number().nullable().describe('The measured SLI in percent over the window; null without data.'),
              errorBudget: z
                .object({
                  totalMinutes: z.number(),
                  consumedMinutes: z.number(),
                  remainingMinutes: z.number(),
                  remainingRatio: z.number().describe('Budget left, 0–1 (negative when overspent).'),
                })
                .nullable()
                .describe('The error budget over the window in minutes; null without data.'),
              status: z.string().describe(`The budget status: ${STATUSES}.`),
              updatedAt: z.string().nullable().describe('When the numbers were measured (ISO 8601); null if never.'),
              stale: z.boolean().describe('True when the last refresh failed and these numbers are older.'),
              burnRates: burnRates(z),
              timeToExhaustionMinutes: z.number().nullable().describe('Minutes until the budget is spent at the 1 h burn rate; null when not burning or without data.'),
              lowTraffic: z.boolean().describe('Traffic too low for burn rates to mean much (they never page).'),
              explanation: z.string().describe('One or two sentences explaining the status, for humans.'),
            })
            .passthrough(),
        )
        .describe('Each SLO with its error budget; also a sparkline of the budget and the metric it is measured from.'),
    })
    .passthrough();

const explainInput = (z: ActionZod) =>
  z
    .object({
      entityRef: entityRefField(z),
      slo: z
        .string()
        .min(1)
        .max(128)
        .optional()
        .describe('Only this SLO, by name (e.g. availability or latency); every SLO of the entity when left out.'),
    })
    .strict();

const explainOutput = (z: ActionZod) =>
  z.object({
    entityRef: z.string().describe('The entity, as kind:namespace/name.'),
    managed: z.boolean().describe('False when NthLayer does not manage the entity (no usable nthlayer.dev/tier annotation): then there are no SLOs.'),
    summary: z.string().describe('One line over all SLOs returned: each SLO\'s status and budget left.'),
    slos: z.array(
      z.object({
        name: z.string().describe('The SLO name.'),
        kind: z.string().describe('availability or latency.'),
        status: z.string().describe(`The budget status: ${STATUSES}.`),
        explanation: z.string().describe('The plain-language explanation: what was spent, out of what, and where the current burn leads.'),
        targetPercent: z.number().describe('The objective in percent, e.g. 99.9.'),
        window: z.string().describe('The SLO window, e.g. 30d.'),
        sliPercent: z.number().nullable().describe('The measured SLI in percent; null without data.'),
        remainingPercent: z.number().nullable().describe('Error budget left in percent (two decimals; negative when overspent); null without data.'),
        remainingMinutes: z.number().nullable().describe('Error budget left in minutes of the window; null without data.'),
        burnRates: burnRates(z),
        timeToExhaustionMinutes: z.number().nullable().describe('Minutes until the budget is spent at the 1 h burn rate; null when not burning or without data.'),
        lowTraffic: z.boolean().describe('Traffic too low for burn rates to mean much.'),
        stale: z.boolean().describe('True when the last refresh failed and these numbers are older.'),
        updatedAt: z.string().nullable().describe('When the numbers were measured (ISO 8601); null if never.'),
        error: z.string().optional().describe('Why the numbers are stale or missing.'),
      }),
    ),
    findings: z.array(z.string()).describe('Configuration findings about the entity, as messages.'),
  });

type SlosOutput = SchemaOutput<typeof slosOutput>;
type ExplainOutput = SchemaOutput<typeof explainOutput>;

/**
 * Registers `get-slos` and `explain-budget`: an entity's SLOs and budgets, read by
 * EntitySloService with the caller's credentials (the route `GET .../slos`).
 *
 * @param registry - The plugin's actions registry.
 * @param services - The plugin's services.
 */
export function registerBudgetActions(registry: ActionsRegistryService, services: NthlayerActionServices): void {
  registry.register({
    name: 'get-slos',
    title: 'Get the SLOs and error budgets of a service',
    description: `The SLOs NthLayer measures for a catalog entity, each with its error budget: target, window, measured SLI, budget left, burn rates, time to exhaustion, status (${STATUSES}), staleness and a plain-language explanation; also the service model (tier, type, owner) and configuration findings. The same answer as GET /api/nthlayer/v1/entities/{kind}/{namespace}/{name}/slos. An entity NthLayer does not manage has service null and no SLOs; an entity the caller may not see in the catalog is not found. Use explain-budget for a shorter answer.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: { input: slosInput, output: slosOutput },
    examples: [
      { title: 'SLOs of a service', input: { entityRef: 'component:default/payment-api' } },
      { title: 'A bare name means a component in the default namespace', input: { entityRef: 'payment-api' } },
    ],
    action: async ({ input, credentials }) => {
      const answer = await services.entitySlos.getEntitySlos(actionEntityRef(input.entityRef), credentials);
      return { output: passthroughOutput<SlosOutput>(answer) };
    },
  });

  registry.register({
    name: 'explain-budget',
    title: 'Explain the error budget of a service',
    description: `Explains in plain language why each SLO of a catalog entity has its status (what was spent, out of what, and where the current burn leads), with the numbers behind it: target, window, measured SLI, budget left in percent and minutes, burn rates, time to exhaustion, status (${STATUSES}). Optionally one SLO by name. Read with the caller's catalog permissions; an entity the caller may not see, or an SLO the entity does not have, is not found.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: { input: explainInput, output: explainOutput },
    examples: [
      { title: 'Why is the budget of payment-api low?', input: { entityRef: 'component:default/payment-api' } },
      { title: 'Only the latency SLO', input: { entityRef: 'payment-api', slo: 'latency' } },
    ],
    action: async ({ input, credentials }) => {
      const answer = await services.entitySlos.getEntitySlos(actionEntityRef(input.entityRef), credentials);
      return { output: explain(answer, input.slo) };
    },
  });
}

/** The explanation of each SLO (or the one named), with its numbers. */
function explain(answer: EntitySlosResponse, sloName?: string): ExplainOutput {
  const findings = answer.findings.map(f => f.message);
  if (!answer.service) {
    if (sloName) throw new NotFoundError(`${answer.entityRef} is not managed by NthLayer (no usable nthlayer.dev/tier): it has no SLO "${sloName}"`);
    const why = findings.length ? ` ${findings.join(' ')}` : '';
    return {
      entityRef: answer.entityRef,
      managed: false,
      summary: `${answer.entityRef} is not managed by NthLayer (no usable nthlayer.dev/tier annotation), so it has no SLOs.${why}`,
      slos: [],
      findings,
    };
  }
  const reports = sloName ? answer.slos.filter(s => s.name.toLocaleLowerCase('en-US') === sloName.toLocaleLowerCase('en-US')) : answer.slos;
  if (sloName && !reports.length) {
    const names = answer.slos.map(s => s.name).join(', ') || 'none';
    throw new NotFoundError(`${answer.entityRef} has no SLO "${sloName}"; its SLOs: ${names}`);
  }
  const slos = reports.map(explainSlo);
  const summary = slos.length
    ? `${answer.entityRef}: ${slos.map(s => `${s.name} ${s.status}${s.remainingPercent === null ? '' : ` (${s.remainingPercent} % of the error budget left)`}`).join(', ')}.`
    : `${answer.entityRef} has no SLOs.`;
  return { entityRef: answer.entityRef, managed: true, summary, slos, findings };
}

function explainSlo(report: EntitySloReport): ExplainOutput['slos'][number] {
  return {
    name: report.name,
    kind: report.kind,
    status: report.status,
    explanation: report.explanation,
    targetPercent: report.targetPercent,
    window: report.window,
    sliPercent: report.sli,
    remainingPercent: percent(report.errorBudget?.remainingRatio),
    remainingMinutes: report.errorBudget?.remainingMinutes ?? null,
    burnRates: report.burnRates.map(r => ({ window: r.window, burnRate: r.burnRate })),
    timeToExhaustionMinutes: report.timeToExhaustionMinutes,
    lowTraffic: report.lowTraffic,
    stale: report.stale,
    updatedAt: report.updatedAt,
    ...(report.error ? { error: report.error } : {}),
  };
}

import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { ActionZod, NthlayerActionServices, SchemaOutput, actionEntityRef, bounded, entityRefField } from './common';

/** Most entries an answer lists by default, and at most, when the caller gives a limit. */
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const DEFAULT_BLAST_LIMIT = 100;
const MAX_BLAST_LIMIT = 1000;

const entityInput = (z: ActionZod) => z.object({ entityRef: entityRefField(z) }).strict();

const driftOutput = (z: ActionZod) =>
  z.object({
    entityRef: z.string().describe('The entity, as kind:namespace/name.'),
    report: z
      .object({
        entityRef: z.string(),
        checkedAt: z.string().describe('When the drift task checked the entity (ISO 8601).'),
        targets: z
          .array(
            z.object({
              target: z.string().describe('rules, dashboard, pagerduty or budget-trend.'),
              state: z.string().describe('checked, unreachable or not-configured: an unreachable target is never "no drift".'),
              instance: z.string().optional().describe('The configured instance read (Prometheus, Grafana), by name.'),
              detail: z.string().optional().describe('Why it could not be read, or why it is not configured.'),
            }),
          )
          .describe('What was checked.'),
        findings: z
          .array(
            z.object({
              target: z.string().describe('rules, dashboard, pagerduty, slo-threshold or budget-trend.'),
              severity: z.string().describe('info, warning or critical (CI fails on critical).'),
              kind: z.string().describe('missing, extra, changed, error, not-evaluated or trend.'),
              object: z.string().describe('The rule, dashboard panel, PagerDuty field or SLO concerned.'),
              field: z.string().optional().describe('The field that differs.'),
              expected: z.string().optional().describe('What NthLayer generates.'),
              actual: z.string().optional().describe('What runs.'),
              message: z.string().describe('One sentence a reader can act on.'),
            }),
          )
          .describe('Differences between what NthLayer generates and what runs.'),
        summary: z.object({ critical: z.number(), warning: z.number(), info: z.number() }).describe('Findings by severity.'),
      })
      .nullable()
      .describe('The latest drift report; null before the drift task first checked the entity.'),
    history: z
      .array(z.object({ checkedAt: z.string(), critical: z.number(), warning: z.number(), info: z.number() }))
      .describe('Changes of the finding counts, newest first (at most 100).'),
  });

const blastInput = (z: ActionZod) =>
  z
    .object({
      entityRef: entityRefField(z),
      limit: z
        .number()
        .int()
        .min(1)
        .max(MAX_BLAST_LIMIT)
        .optional()
        .describe(`The most affected entities listed (counts always cover all), nearest first; default ${DEFAULT_BLAST_LIMIT}, at most ${MAX_BLAST_LIMIT}.`),
    })
    .strict();

const blastOutput = (z: ActionZod) =>
  z.object({
    entityRef: z.string().describe('The entity asked about.'),
    severity: z.string().describe('low, medium, high or critical: how much breaks if this entity fails.'),
    reason: z.string().describe('Why this severity, with the counts.'),
    affected: z.number().describe('How many entities depend on it, directly or transitively.'),
    tier1Affected: z.number().describe('How many of them are tier-1 services.'),
    owners: z.array(z.object({ owner: z.string(), count: z.number() })).describe('Owners of the affected entities, each with how many of theirs are affected.'),
    byDepth: z
      .array(
        z.object({
          depth: z.number().describe('1 for direct dependents.'),
          entities: z.array(
            z.object({
              entityRef: z.string(),
              name: z.string(),
              kind: z.string(),
              depth: z.number(),
              tier: z.number().nullable(),
              owner: z.string().nullable(),
              status: z.string().nullable().describe('Worst SLO budget status.'),
              via: z.string().describe('The entity one step closer, through which this one is affected.'),
            }),
          ),
        }),
      )
      .describe('The affected entities the caller may see, by depth.'),
    builtAt: z.string().nullable().describe('When the dependency graph was built; null before the first build.'),
    leftOff: z.number().describe('Affected entities not listed because of the limit.'),
  });

const portfolioInput = (z: ActionZod) =>
  z
    .object({
      group: z
        .string()
        .min(1)
        .max(300)
        .optional()
        .describe('Only services owned by this group: group:default/team-a, or a bare name (team-a).'),
      system: z
        .string()
        .min(1)
        .max(300)
        .optional()
        .describe('Only services of this system: system:default/shop, or a bare name (shop).'),
      tier: z.number().int().min(1).max(3).optional().describe('Only services of this tier: 1, 2 or 3.'),
      limit: z
        .number()
        .int()
        .min(1)
        .max(MAX_LIMIT)
        .optional()
        .describe(`The most services (worst first), teams, systems and insights listed; default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}. The roll-ups always cover every service.`),
    })
    .strict();

const rollup = (z: ActionZod) =>
  z.object({
    ref: z.string().describe('Group or System entity ref; org for the organisation.'),
    score: z.number().nullable().describe('Tier-weighted mean score (0–100) of its services; null when none has one.'),
    status: z.string().describe('healthy, warning or critical.'),
    services: z.number().describe('How many services.'),
    byStatus: z.record(z.number()).describe('Services by status.'),
    tier1BelowTarget: z.number().describe('Tier-1 services with an SLO below target.'),
    compositeRemainingRatio: z.number().nullable().describe('Events-weighted error budget left (0–1) of its availability SLOs.'),
    score7dAgo: z.number().nullable(),
    score30dAgo: z.number().nullable(),
  });

const portfolioOutput = (z: ActionZod) =>
  z.object({
    generatedAt: z.string().describe('When the scores were built (ISO 8601).'),
    filters: z
      .object({ group: z.string().optional(), system: z.string().optional(), tier: z.number().optional() })
      .describe('The filters applied.'),
    status: z.string().describe('healthy, warning or critical: the worst service status.'),
    exitCode: z.number().describe('0 healthy, 1 warning, 2 critical.'),
    org: rollup(z).describe('The roll-up over every service selected.'),
    teams: z.array(rollup(z)).describe('Roll-ups by owning team, worst score first.'),
    systems: z.array(rollup(z)).describe('Roll-ups by system.'),
    services: z
      .array(
        z.object({
          entityRef: z.string(),
          name: z.string(),
          title: z.string().optional(),
          tier: z.number(),
          owner: z.string().nullable(),
          system: z.string().nullable(),
          status: z.string().describe('healthy, warning or critical.'),
          budgetStatus: z.string().describe('The worst SLO status.'),
          minRemainingRatio: z.number().nullable().describe('Lowest budget left (0–1) of its SLOs.'),
          worstSlo: z.string().nullable(),
          slosBelowTarget: z.number(),
          sloCount: z.number(),
          gateVerdict: z.string().nullable().describe('The verdict a deploy would get now.'),
          driftCritical: z.number().nullable().describe('Critical drift findings of the latest check.'),
          score: z.number().nullable().describe('Reliability score 0–100.'),
          components: z
            .array(
              z.object({
                id: z.string(),
                maxPoints: z.number(),
                points: z.number().nullable(),
                numbers: z.record(z.number().nullable()),
                detail: z.string().describe('How the points came about, or which data is missing.'),
              }),
            )
            .describe('The score\'s components: SLO compliance, incidents, deployments, error budget, dependencies.'),
        }),
      )
      .describe('Services, critical first, then by score.'),
    insights: z
      .array(z.object({ severity: z.string(), message: z.string(), refs: z.array(z.string()) }))
      .describe('Sentences about the portfolio worth reading first.'),
    total: z
      .object({ services: z.number(), teams: z.number(), systems: z.number(), insights: z.number() })
      .describe('How many there are in all.'),
    leftOff: z
      .object({ services: z.number(), teams: z.number(), systems: z.number(), insights: z.number() })
      .describe('How many were not listed because of the limit.'),
  });

type BlastOutput = SchemaOutput<typeof blastOutput>;

/**
 * Registers `get-drift`, `get-blast-radius` and `get-portfolio`: DriftService.entityDrift and
 * ReliabilityService.blastRadius and portfolio, as their routes call them, with the caller's
 * credentials (the catalog's permissions decide what is seen).
 *
 * @param registry - The plugin's actions registry.
 * @param services - The plugin's services.
 */
export function registerReliabilityActions(registry: ActionsRegistryService, services: NthlayerActionServices): void {
  registry.register({
    name: 'get-drift',
    title: 'Get the configuration drift of a service',
    description:
      'Whether what runs matches what NthLayer generates for a catalog entity: the latest drift report (alert and recording rules in Prometheus, Grafana dashboards, PagerDuty setup, SLO thresholds, budget trend), each difference with its severity and a message, what could not be checked, and the history of changes. The same answer as GET /api/nthlayer/v1/entities/{kind}/{namespace}/{name}/drift. An entity NthLayer does not manage, or the caller may not see, is not found.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: { input: entityInput, output: driftOutput },
    examples: [{ title: 'Has payment-api drifted?', input: { entityRef: 'component:default/payment-api' } }],
    action: async ({ input, credentials }) => ({
      output: await services.drift.entityDrift(actionEntityRef(input.entityRef), credentials),
    }),
  });

  registry.register({
    name: 'get-blast-radius',
    title: 'Get the blast radius of a service',
    description:
      'What breaks if a catalog entity (a service, database or other resource) fails: the severity (low, medium, high, critical) with its reason, how many entities depend on it directly or transitively and how many are tier 1, their owners, and the dependents by depth with the path through which each is affected, from the dependency graph (catalog dependsOn relations plus discovered traffic). The same as GET /api/nthlayer/v1/entities/{kind}/{namespace}/{name}/blast-radius, listing at most `limit` entities. Counts cover all dependents; the list only those the caller may see.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: { input: blastInput, output: blastOutput },
    examples: [
      { title: 'What depends on the orders database?', input: { entityRef: 'resource:default/orders-db' } },
      { title: 'The 20 nearest dependents of payment-api', input: { entityRef: 'payment-api', limit: 20 } },
    ],
    action: async ({ input, credentials }) => {
      const blast = await services.reliability.blastRadius(actionEntityRef(input.entityRef), credentials);
      let room = input.limit ?? DEFAULT_BLAST_LIMIT;
      let leftOff = 0;
      const byDepth: BlastOutput['byDepth'] = [];
      for (const level of blast.byDepth) {
        const { items, leftOff: cut } = bounded(level.entities, room);
        room -= items.length;
        leftOff += cut;
        if (items.length) byDepth.push({ depth: level.depth, entities: items });
      }
      return { output: { ...blast, byDepth, leftOff } };
    },
  });

  registry.register({
    name: 'get-portfolio',
    title: 'Get the reliability portfolio',
    description: `Reliability scores and budget status across the services the caller may see: the organisation's roll-up, roll-ups by team and by system (score 0–100, status, tier-1 services below target, composite error budget, scores 7 and 30 days ago), the services worst first with their score components, and insights worth reading first. Optionally filtered by owning group, system or tier. The JSON of GET /api/nthlayer/v1/portfolio, bounded: at most \`limit\` (default ${DEFAULT_LIMIT}) services, teams, systems and insights are listed, and \`leftOff\` says how many were not.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: { input: portfolioInput, output: portfolioOutput },
    examples: [
      { title: 'The whole portfolio, worst 50 services', input: {} },
      { title: 'Tier-1 services of team-payments', input: { group: 'group:default/team-payments', tier: 1, limit: 20 } },
    ],
    action: async ({ input, credentials }) => {
      const { portfolio } = await services.reliability.portfolio(
        { group: input.group, system: input.system, tier: input.tier === undefined ? undefined : String(input.tier) },
        credentials,
      );
      const limit = input.limit ?? DEFAULT_LIMIT;
      const teams = bounded(portfolio.teams, limit);
      const systems = bounded(portfolio.systems, limit);
      const listed = bounded(portfolio.services, limit);
      const insights = bounded(portfolio.insights, limit);
      return {
        output: {
          generatedAt: portfolio.generatedAt,
          filters: portfolio.filters,
          status: portfolio.status,
          exitCode: portfolio.exitCode,
          org: portfolio.org,
          teams: teams.items,
          systems: systems.items,
          services: listed.items,
          insights: insights.items,
          total: {
            services: portfolio.services.length,
            teams: portfolio.teams.length,
            systems: portfolio.systems.length,
            insights: portfolio.insights.length,
          },
          leftOff: { services: listed.leftOff, teams: teams.leftOff, systems: systems.leftOff, insights: insights.leftOff },
        },
      };
    },
  });
}

import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { Finding, ServiceModelOptions, parseNthlayerService } from '@nthlayer/backstage-plugin-common';
import {
  AlertCatalogue,
  GeneratorInput,
  generateArtifacts,
  generatorInputFromEntity,
  parseServiceFile,
  serviceInputFromFile,
} from '@nthlayer/backstage-plugin-generators';
import fs from 'node:fs/promises';
import path from 'node:path';
import { findingLines } from './findings';
import { ENTITY_NAME, ServiceValues, entityFromValues } from './serviceValues';

/** The largest service file read from the workspace (the backend's default cap). */
const MAX_SERVICE_FILE_BYTES = 256 * 1024;

/** What `nthlayer:generate` needs from its host backend. @public */
export interface GenerateActionOptions {
  /** Reads the dependencies' entities, with the credentials of the user running the template. */
  catalog: CatalogService;
  /** The service model options the NthLayer backend uses (`readServiceModelOptions(config)`). */
  model: ServiceModelOptions;
  /** The awesome-prometheus-alerts catalogue, loaded on first use. */
  catalogue: () => AlertCatalogue;
}

/** The ceiling inputs `nthlayer:validate` checks: the target and each dependency's availability. */
interface CeilingInput {
  targetPercent: number | null;
  dependencies: Array<{ ref: string; availabilityPercent: number | null; critical: boolean }>;
}

/**
 * `nthlayer:generate`: every artifact NthLayer generates for a new service — SLO recording
 * rules and burn-rate alerts, technology alerts for its dependencies, OpenSLO, the Grafana
 * dashboard and the PagerDuty desired state — written into the workspace with the generators
 * the NthLayer backend uses, from the template's form values or a service file in the
 * workspace (or both: the file then adds to what the form declares, as it does for an
 * entity's `nthlayer.dev/service-file`).
 *
 * @public
 */
export function createNthlayerGenerateAction(options: GenerateActionOptions) {
  return createTemplateAction({
    id: 'nthlayer:generate',
    description:
      "Generates a service's SLOs, Prometheus rules and alerts, technology alerts, OpenSLO, Grafana dashboard and PagerDuty config into the workspace, as the NthLayer backend generates them.",
    supportsDryRun: true,
    examples: [
      {
        description: 'From the form of the "Reliable service" template',
        example: [
          '- id: generate',
          '  action: nthlayer:generate',
          '  input:',
          '    name: ${{ parameters.name }}',
          '    owner: ${{ parameters.owner }}',
          '    tier: ${{ parameters.tier }}',
          '    type: api',
          '    dependencies: ["resource:default/orders-db"]',
          '    availability: 99.9',
          '    latency: p95<300ms',
          '    targetPath: reliability',
        ].join('\n'),
      },
      {
        description: 'From a service file the skeleton wrote',
        example: ['- id: generate', '  action: nthlayer:generate', '  input:', '    serviceFile: service.yaml'].join('\n'),
      },
    ],
    schema: {
      input: {
        name: z =>
          z
            .string()
            .max(63)
            .regex(ENTITY_NAME, 'a catalog name: letters, digits and - _ . between them')
            .optional()
            .describe('Name of the new service (its catalog entity name); with it, owner and tier are required'),
        owner: z => z.string().min(1).optional().describe('Owner entity ref, e.g. group:default/team-payments'),
        tier: z =>
          z
            .union([z.number().int().min(1).max(3), z.enum(['1', '2', '3', 'critical', 'standard', 'low'])])
            .optional()
            .describe('Tier 1 (critical), 2 (standard) or 3 (low): the default SLOs, alert routing and gate'),
        type: z => z.enum(['api', 'worker', 'stream']).optional().describe('Service type'),
        description: z => z.string().max(500).optional().describe('One-line description'),
        system: z => z.string().optional().describe('System entity ref'),
        lifecycle: z => z.string().optional().describe('Catalog lifecycle, production by default'),
        dependencies: z =>
          z
            .array(z.string().min(1))
            .max(100)
            .optional()
            .describe('Entity refs of the Components and Resources it depends on'),
        availability: z =>
          z.number().gt(0).lt(100).optional().describe('Availability SLO target in percent, instead of the tier default'),
        latency: z => z.string().max(40).optional().describe('Latency objective instead of the tier default, e.g. p95<300ms'),
        serviceFile: z =>
          z.string().optional().describe('Path of an NthLayer service file (legacy or OpenSRM) in the workspace'),
        targetPath: z =>
          z.string().default('reliability').describe('Workspace directory the artifacts are written under'),
      },
      output: {
        entityRef: z => z.string().describe('The service the artifacts are for'),
        directory: z => z.string().describe('The workspace directory written to'),
        files: z => z.array(z.string()).describe('Workspace-relative paths of the generated files'),
        slos: z =>
          z
            .array(z.object({ name: z.string(), kind: z.string(), target: z.number(), window: z.string() }))
            .describe('The SLOs generated for'),
        findings: z => z.array(z.string()).describe('Warnings found on the way, one readable line each'),
        ceiling: z =>
          z
            .object({
              targetPercent: z.number().nullable(),
              dependencies: z.array(
                z.object({ ref: z.string(), availabilityPercent: z.number().nullable(), critical: z.boolean() }),
              ),
            })
            .describe('The availability target and its dependencies, for nthlayer:validate'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const targetPath = input.targetPath ?? 'reliability';
      const outDir = resolveSafeChildPath(ctx.workspacePath, targetPath);
      const file = input.serviceFile ? await readServiceFile(ctx.workspacePath, input.serviceFile) : undefined;

      let built: { input: GeneratorInput | null; findings: Finding[] };
      const findings: Finding[] = [];
      if (input.name) {
        if (!input.owner || input.tier === undefined) {
          throw new InputError('nthlayer:generate: with name, owner and tier are required too');
        }
        const entity = entityFromValues({ ...input, name: input.name, owner: input.owner, tier: String(input.tier) } as ServiceValues);
        const dependsOn = parseNthlayerService(entity, options.model).service?.dependsOn ?? [];
        const credentials = await ctx.getInitiatorCredentials();
        const { items } = dependsOn.length
          ? await options.catalog.getEntitiesByRefs({ entityRefs: dependsOn }, { credentials })
          : { items: [] };
        dependsOn.forEach((ref, i) => {
          if (!items[i]) {
            findings.push({
              severity: 'warning',
              annotation: 'spec.dependsOn',
              value: ref,
              accepted: 'an entity in the catalog',
              message: `${ref} is not in the catalog (or not visible to you): generated without its technology or SLO target.`,
            });
          }
        });
        built = generatorInputFromEntity(entity, {
          model: options.model,
          dependencyEntities: items,
          ...(file ? { serviceFile: file } : {}),
        });
      } else if (file?.file) {
        const fromFile = serviceInputFromFile(file.file, options.model);
        built = { input: fromFile.input, findings: [...file.findings, ...fromFile.findings] };
      } else if (file) {
        built = { input: null, findings: file.findings };
      } else {
        throw new InputError('nthlayer:generate needs name, owner and tier, or serviceFile');
      }
      findings.push(...built.findings);
      const generatorInput = built.input;
      if (!generatorInput) {
        throw new InputError(`nthlayer:generate: nothing can be generated.\n${findingLines(findings).join('\n')}`);
      }
      const result = generateArtifacts(generatorInput, { catalogue: options.catalogue() });
      findings.push(...result.findings);
      const errors = findings.filter(f => f.severity === 'error');
      if (errors.length) {
        throw new InputError(`nthlayer:generate found ${errors.length} error(s):\n${findingLines(errors).join('\n')}`);
      }

      const files = result.artifacts.map(a => path.posix.join(targetPath.split(path.sep).join('/'), a.filename));
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would write ${files.length} files under ${targetPath}`);
      } else {
        for (const artifact of result.artifacts) {
          const target = resolveSafeChildPath(outDir, artifact.filename);
          await fs.mkdir(path.dirname(target), { recursive: true });
          await fs.writeFile(target, artifact.content, 'utf8');
          ctx.logger.info(`Wrote ${path.relative(ctx.workspacePath, target)} (${artifact.description})`);
        }
      }
      for (const line of findingLines(findings)) ctx.logger.warn(line);

      const service = generatorInput.service;
      ctx.output('entityRef', service.entityRef);
      ctx.output('directory', targetPath);
      ctx.output('files', files);
      ctx.output(
        'slos',
        service.slos.map(s => ({ name: s.name, kind: s.kind, target: s.targetPercent, window: s.window.text })),
      );
      ctx.output('findings', findingLines(findings));
      ctx.output('ceiling', ceilingInput(generatorInput));
    },
  });
}

/** A service file of the workspace, read with the backend's size cap and parsed. */
async function readServiceFile(workspace: string, relative: string) {
  const filePath = resolveSafeChildPath(workspace, relative);
  let stat;
  try {
    stat = await fs.stat(filePath);
  } catch {
    throw new InputError(`nthlayer:generate: serviceFile ${relative} does not exist in the workspace`);
  }
  if (stat.size > MAX_SERVICE_FILE_BYTES) {
    throw new InputError(
      `nthlayer:generate: serviceFile ${relative} is ${stat.size} bytes; at most ${MAX_SERVICE_FILE_BYTES} are read`,
    );
  }
  return parseServiceFile(await fs.readFile(filePath, 'utf8'));
}

/** The availability target and what DESIGN §2's ceiling multiplies: critical unless marked otherwise. */
function ceilingInput(input: GeneratorInput): CeilingInput {
  const availability = input.service.slos.find(s => s.kind === 'availability');
  return {
    targetPercent: availability?.targetPercent ?? null,
    dependencies: input.dependencies.map(d => ({
      ref: d.ref,
      availabilityPercent: d.availabilityPercent ?? null,
      critical: d.critical ?? true,
    })),
  };
}

import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { dependencyCeiling, formatPercent } from '@nthlayer/backstage-plugin-common';
import { LintFinding, findYamlFiles, isRuleFile, lintRuleFile, promtoolCheck } from '@nthlayer/backstage-plugin-generators';
import fs from 'node:fs/promises';
import path from 'node:path';

/** One problem `nthlayer:validate` found: where, which rule, what, and how to fix it. @public */
export interface ValidationFinding {
  severity: 'error' | 'warning';
  /** Workspace-relative file, with `:line` where known. */
  file: string;
  /** `group/rule` of a rule file, or `dependency-ceiling`. */
  rule?: string;
  check: string;
  message: string;
  fix?: string;
}

/** A readable line: `file:line: error [check] group/rule message — fix: …`. @public */
export function formatValidationFinding(f: ValidationFinding): string {
  const rule = f.rule ? ` ${f.rule}` : '';
  const fix = f.fix ? ` — fix: ${f.fix}` : '';
  return `${f.file}: ${f.severity} [${f.check}]${rule} ${f.message}${fix}`;
}

/** Options of {@link createNthlayerValidateAction}. @public */
export interface ValidateActionOptions {
  /** Run `promtool check rules` where it is installed (`PROMTOOL` or the PATH). Default true. */
  promtool?: boolean;
}

/**
 * `nthlayer:validate`: lints the Prometheus rule files under a workspace directory (the
 * PromQL parser and type checks promtool applies, and pint-style checks), runs promtool itself
 * where installed, and checks the availability target against its critical dependencies'
 * ceiling (DESIGN §2). Fails the step with one readable finding per problem.
 *
 * @public
 */
export function createNthlayerValidateAction(options: ValidateActionOptions = {}) {
  return createTemplateAction({
    id: 'nthlayer:validate',
    description:
      'Validates the generated rule files (PromQL syntax and types, durations, labels, burn-rate windows; promtool where installed) and the dependency ceiling; fails on errors.',
    supportsDryRun: true,
    examples: [
      {
        description: 'After nthlayer:generate',
        example: [
          '- id: validate',
          '  action: nthlayer:validate',
          '  input:',
          '    directory: ${{ steps.generate.output.directory }}',
          '    ceiling: ${{ steps.generate.output.ceiling }}',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        directory: z => z.string().default('reliability').describe('Workspace directory with the rule files'),
        ceiling: z =>
          z
            .object({
              targetPercent: z.number().nullable(),
              dependencies: z.array(
                z.object({ ref: z.string(), availabilityPercent: z.number().nullable(), critical: z.boolean() }),
              ),
            })
            .optional()
            .describe('The ceiling input nthlayer:generate outputs; without it the ceiling is not checked'),
        ceilingSeverity: z =>
          z
            .enum(['error', 'warning', 'off'])
            .default('error')
            .describe('How a target above the dependency ceiling counts; error fails the step'),
        failOnWarnings: z => z.boolean().default(false).describe('Fail on warnings too'),
        scrapeInterval: z => z.string().default('30s').describe('Scrape interval rate windows are checked against'),
      },
      output: {
        checked: z => z.array(z.string()).describe('Rule files checked (workspace-relative)'),
        findings: z =>
          z
            .array(
              z.object({
                severity: z.enum(['error', 'warning']),
                file: z.string(),
                rule: z.string().optional(),
                check: z.string(),
                message: z.string(),
                fix: z.string().optional(),
              }),
            )
            .describe('Everything found, errors and warnings'),
        ceilingPercent: z => z.number().nullable().describe('The dependency ceiling, in percent; null when unknown'),
        promtool: z => z.enum(['passed', 'failed', 'unavailable', 'skipped']).describe('What promtool said'),
      },
    },
    async handler(ctx) {
      const directory = ctx.input.directory ?? 'reliability';
      const root = resolveSafeChildPath(ctx.workspacePath, directory);
      let files: string[];
      try {
        files = await findYamlFiles(root);
      } catch {
        if (ctx.isDryRun) files = [];
        else throw new InputError(`nthlayer:validate: ${directory} does not exist in the workspace`);
      }
      const findings: ValidationFinding[] = [];
      const checked: string[] = [];
      let promtool: 'passed' | 'failed' | 'unavailable' | 'skipped' = options.promtool === false ? 'skipped' : 'passed';
      for (const file of files) {
        const text = await fs.readFile(file, 'utf8');
        if (!isRuleFile(file, text)) continue;
        const relative = path.relative(ctx.workspacePath, file);
        checked.push(relative);
        for (const f of lintRuleFile(text, { scrapeInterval: ctx.input.scrapeInterval })) {
          findings.push(fromLint(relative, f));
        }
        if (promtool === 'passed') {
          const verdict = promtoolCheck(file);
          if (verdict.status === 'unavailable') {
            promtool = 'unavailable';
            ctx.logger.warn(`promtool not run: ${verdict.output}`);
          } else if (verdict.status === 'failed') {
            promtool = 'failed';
            findings.push({ severity: 'error', file: relative, check: 'promtool', message: verdict.output.slice(0, 2000) });
          }
        }
      }
      if (!checked.length && !ctx.isDryRun) {
        throw new InputError(`nthlayer:validate: no Prometheus rule files under ${directory}`);
      }
      const ceilingPercent = ceilingFinding(ctx.input, findings);
      for (const f of findings) {
        const line = formatValidationFinding(f);
        if (f.severity === 'error') ctx.logger.error(line);
        else ctx.logger.warn(line);
      }
      ctx.output('checked', checked);
      ctx.output('findings', findings);
      ctx.output('ceilingPercent', ceilingPercent);
      ctx.output('promtool', promtool);
      const failing = findings.filter(f => f.severity === 'error' || ctx.input.failOnWarnings);
      if (failing.length) {
        throw new InputError(
          `nthlayer:validate found ${failing.length} problem(s):\n${failing.map(formatValidationFinding).join('\n')}`,
        );
      }
      ctx.logger.info(`nthlayer:validate: ${checked.length} rule file(s) valid`);
    },
  });
}

function fromLint(file: string, f: LintFinding): ValidationFinding {
  return {
    severity: f.severity,
    file: f.line ? `${file}:${f.line}` : file,
    ...(f.rule ? { rule: `${f.group ?? ''}/${f.rule}` } : {}),
    check: f.check,
    message: f.message,
    ...(f.fix ? { fix: f.fix } : {}),
  };
}

/** Adds the ceiling finding when the target is above it; returns the ceiling. */
function ceilingFinding(
  input: {
    ceiling?: { targetPercent: number | null; dependencies: Array<{ ref: string; availabilityPercent: number | null; critical: boolean }> };
    ceilingSeverity?: 'error' | 'warning' | 'off';
  },
  findings: ValidationFinding[],
): number | null {
  const severity = input.ceilingSeverity ?? 'error';
  if (!input.ceiling || input.ceiling.targetPercent === null) return null;
  const target = input.ceiling.targetPercent;
  const ceiling = dependencyCeiling(target, input.ceiling.dependencies);
  if (ceiling.exceeded && ceiling.ceilingPercent !== null && severity !== 'off') {
    const product = ceiling.counted.map(c => `${c.ref} ${formatPercent(c.availabilityPercent)}`).join(' × ');
    findings.push({
      severity,
      file: 'catalog-info.yaml',
      rule: 'dependency-ceiling',
      check: 'dependency-ceiling',
      message: `availability target ${formatPercent(target)} is above what its critical dependencies allow: ${product} ≈ ${formatPercent(ceiling.ceilingPercent)}`,
      fix: `lower the target to at most ${formatPercent(Math.floor(ceiling.ceilingPercent * 100) / 100)}, raise the dependencies' targets, or mark a dependency non-critical in a service file`,
    });
  }
  return ceiling.ceilingPercent;
}

import { Environment } from '@marcbachmann/cel-js';
import { cutForMessage } from '../text';

/** Longest condition accepted; longer is a load error, never parsed. @public */
export const MAX_CONDITION_LENGTH = 4_000;
/** Parser limits: a condition is a few comparisons, never thousands of nodes deep. */
const LIMITS = { maxAstNodes: 1_000, maxDepth: 32, maxListElements: 200, maxMapEntries: 200, maxCallArguments: 16 };

/**
 * The variables a policy condition may read, as the gate fills them (DESIGN §4): ratios are
 * fractions of the budget (0.25 = 25 % left, negative when overspent), burn rates are
 * multiples of the sustainable rate, times are in the policy's time zone.
 *
 * @public
 */
export const GATE_VARIABLES = {
  'budget.remaining': 'double — the worst SLO’s remaining budget ratio',
  'slos.<name>.remaining': 'double — each SLO’s remaining budget ratio',
  "burn['5m'] … burn['3d']": 'double — burn rate of the worst SLO over 5m, 30m, 1h, 2h, 6h, 1d, 3d',
  'time.weekday / time.hour / time.date': 'int 1 (Monday) … 7, int 0 … 23, string YYYY-MM-DD',
  'deploy.labels / deploy.version / deploy.environment': 'list<string>, string, string',
  'deploy.recentHighImpact':
    'bool — a deploy of this service burned budget with high confidence (> 0.8) in the last nthlayer.ledger.recentHighImpactDays days (not evaluable before the first ledger run)',
  'ledger.unattributedRatio':
    'double — share of the window’s burn-episode minutes the ledger could not attribute, 0 … 1 (not evaluable when nothing burned)',
  'service.tier / service.type / service.owner / service.name': 'int, string, string, string',
  dependencies: 'list of {ref, name, tier, remaining}',
  'drift.critical / drift.warning': 'int — findings of the latest drift check (not evaluable before the first)',
  'incidents.count7d / incidents.open': 'int — PagerDuty incidents created in the last 7 days, not resolved (not evaluable without PagerDuty)',
  'blast.severity / blast.affected / blast.tier1': "string 'low' | 'medium' | 'high' | 'critical', int, int — what depends on the service, transitively (not evaluable before the first graph build)",
} as const;

let environment: Environment | undefined;

/** The declared CEL environment every condition is type-checked against. @internal */
export function gateEnvironment(): Environment {
  environment ??= new Environment({ limits: LIMITS })
    .registerType({ name: 'Dependency', schema: { ref: 'string', name: 'string', tier: 'int', remaining: 'double' } })
    .registerVariable({ name: 'budget', schema: { remaining: 'double' } })
    .registerVariable('slos', 'map<string, map<string, double>>')
    .registerVariable('burn', 'map<string, double>')
    .registerVariable({ name: 'time', schema: { weekday: 'int', hour: 'int', date: 'string' } })
    .registerVariable({
      name: 'deploy',
      schema: { labels: 'list<string>', version: 'string', environment: 'string', recentHighImpact: 'bool' },
    })
    .registerVariable({ name: 'ledger', schema: { unattributedRatio: 'double' } })
    .registerVariable({ name: 'service', schema: { name: 'string', tier: 'int', type: 'string', owner: 'string' } })
    .registerVariable('dependencies', 'list<Dependency>')
    .registerVariable({ name: 'drift', schema: { critical: 'int', warning: 'int' } })
    .registerVariable({ name: 'incidents', schema: { count7d: 'int', open: 'int' } })
    .registerVariable({ name: 'blast', schema: { severity: 'string', affected: 'int', tier1: 'int' } });
  return environment;
}

/** A type-checked condition, ready to evaluate. @public */
export interface CompiledCondition {
  expression: string;
  /** Top-level variables it reads (budget, burn, …), to report their values. */
  reads: string[];
  evaluate(context: Record<string, unknown>): unknown;
}

/** Where in the expression a problem is (0-based offset) and what it is. @public */
export interface ConditionError {
  offset: number;
  reason: string;
}

/** Parses and type-checks a condition; it must be a bool. Never evaluates anything. @public */
export function compileCondition(expression: string): CompiledCondition | ConditionError {
  if (expression.length > MAX_CONDITION_LENGTH) {
    return { offset: 0, reason: `the condition is ${expression.length} characters long; at most ${MAX_CONDITION_LENGTH} are accepted` };
  }
  if (!expression.trim()) return { offset: 0, reason: 'the condition is empty' };
  const env = gateEnvironment();
  let checked;
  try {
    checked = env.check(expression);
  } catch (error) {
    return { offset: 0, reason: cutForMessage(firstLine(error)) };
  }
  if (!checked.valid) {
    const err = checked.error as { range?: { start: number }; node?: { start?: number }; message?: string } | undefined;
    return {
      offset: err?.range?.start ?? err?.node?.start ?? 0,
      reason: cutForMessage(firstLine(err), 300),
    };
  }
  if (checked.type !== 'bool') {
    return { offset: 0, reason: `the condition must be true or false (a bool), but it is a ${checked.type}` };
  }
  const program = env.parse(expression);
  return { expression, reads: topLevelVariables(expression), evaluate: context => program(context) };
}

/** True when {@link compileCondition} rejected the condition. @public */
export function isConditionError(value: CompiledCondition | ConditionError): value is ConditionError {
  return (value as ConditionError).reason !== undefined;
}

function firstLine(error: unknown): string {
  const message = (error as { message?: unknown })?.message;
  return String(message ?? error).split('\n')[0];
}

const VARIABLES = ['budget', 'slos', 'burn', 'time', 'deploy', 'service', 'dependencies', 'drift', 'incidents', 'blast', 'ledger'];

/** The declared variables an expression mentions (outside string literals). */
function topLevelVariables(expression: string): string[] {
  const code = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  return VARIABLES.filter(v => new RegExp(`(^|[^.\\w])${v}\\b`).test(code));
}

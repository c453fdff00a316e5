/**
 * The NthLayer CLI: generate reliability configs from a service.yaml in Git and lint rule
 * files, without Backstage; check drift and apply PagerDuty from CI; ask the deploy gate
 * from a pipeline; show the reliability portfolio.
 *
 * @packageDocumentation
 */
import { Command, CommanderError } from 'commander';
import { applyPagerDutyCommand } from './commands/applyPagerDuty';
import { checkDeployCommand } from './commands/checkDeploy';
import { driftCommand } from './commands/drift';
import { generateCommand } from './commands/generate';
import { portfolioCommand } from './commands/portfolio';
import { recordDeployCommand } from './commands/recordDeploy';
import { lintCommand } from './commands/lint';
import { correlateCommand, ledgerCommand } from './commands/ledger';

const log = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
};

/**
 * Runs the CLI on `argv` (as `process.argv`) and resolves to the exit code.
 *
 * @public
 */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = new Command()
    .name('nthlayer')
    .description('NthLayer: SLO rules, alerts, OpenSLO, dashboards and PagerDuty config from a service.yaml')
    .exitOverride();
  program
    .command('generate')
    .description('generate the artifacts of one service file (legacy or OpenSRM format)')
    .argument('<service-file>', 'an NthLayer service.yaml')
    .requiredOption('--out <dir>', 'where to write the artifacts')
    .option('--format <list>', 'comma-separated: openslo,prometheus,technology,grafana,pagerduty (default: all)')
    .option('--runbook-url <url>', 'runbook base URL when the file names none')
    .option('--catalogue <file>', 'an awesome-prometheus-alerts catalogue (default: the shipped copy)')
    .action(async (file: string, opts) => {
      code = await generateCommand(file, opts, log);
    });
  program
    .command('lint')
    .description('lint every Prometheus rule file in a directory; exit 0 clean, 1 warnings, 2 errors')
    .argument('<dir>', 'directory with rule files, e.g. the output of generate')
    .option('--no-promtool', 'do not run promtool check rules even when it is installed')
    .option('--scrape-interval <duration>', 'scrape interval rate ranges are checked against', '30s')
    .option('--prometheus <url>', 'also check that the series the rules select exist on this Prometheus (promql/series)')
    .option('--lookback <duration>', 'with --prometheus: how far back a series counts as existing', '1d')
    .option(
      '--header <header>',
      "with --prometheus: an extra request header 'Name: value', e.g. X-Scope-OrgID (repeatable)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action(async (dir: string, opts) => {
      code = await lintCommand(dir, opts, log);
    });
  const repeatable = (value: string, previous: string[] = []) => [...previous, value];
  program
    .command('drift')
    .description(
      'compare what NthLayer generates with what runs; exit 0 no drift, 1 warnings, 2 critical, 3 could not check',
    )
    .argument('<service-file|dir>', 'an NthLayer service.yaml, or a directory of them (*.yaml, *.yml; not recursive)')
    .option('--prometheus <url>', 'check the rules this Prometheus (or Thanos/Mimir/Cortex ruler) has loaded')
    .option('--prometheus-header <header>', "with --prometheus: an extra request header 'Name: value' (repeatable)", repeatable)
    .option('--grafana <url>', 'check the dashboards on this Grafana')
    .option('--grafana-token <token>', 'with --grafana: a service account token with dashboards:read (or GRAFANA_TOKEN)')
    .option('--pagerduty', 'check PagerDuty with the REST API key of PAGERDUTY_TOKEN')
    .option('--pagerduty-token <token>', 'check PagerDuty with this REST API key')
    .option('--pagerduty-url <url>', 'PagerDuty\'s REST API (default https://api.pagerduty.com); implies --pagerduty')
    .option('--format <format>', 'text, json or markdown', 'text')
    .option('--runbook-url <url>', 'runbook base URL when a file names none (as given to generate)')
    .option('--catalogue <file>', 'an awesome-prometheus-alerts catalogue (as given to generate)')
    .option('--timeout <ms>', 'how long to wait for each request', '30000')
    .action(async (target: string, opts) => {
      code = await driftCommand(target, opts, log);
    });
  program
    .command('apply')
    .description('apply a generated desired state')
    .command('pagerduty')
    .description(
      'plan, then create or update the team, schedules, escalation policy and service in PagerDuty; exit 0 done, 1 pending (--dry-run), 2 invalid, 3 PagerDuty failed',
    )
    .argument('<service-file>', 'an NthLayer service.yaml')
    .option('--pagerduty-token <token>', 'a PagerDuty REST API key (or PAGERDUTY_TOKEN)')
    .option('--pagerduty-url <url>', "PagerDuty's REST API", 'https://api.pagerduty.com')
    .option('--from <email>', 'the e-mail of a PagerDuty user, sent as the From header of writes')
    .option('--user-id <id>', 'PagerDuty user id of the next on-call member, or PLACEHOLDER=ID (repeatable)', repeatable)
    .option('--dry-run', 'show the plan only; write nothing')
    .option('--format <format>', 'text or json', 'text')
    .option('--runbook-url <url>', 'runbook base URL when the file names none')
    .option('--timeout <ms>', 'how long to wait for each request', '30000')
    .action(async (file: string, opts) => {
      code = await applyPagerDutyCommand(file, opts, log);
    });
  program
    .command('check-deploy')
    .description('ask the NthLayer deploy gate; exit 0 allow, 1 warn, 2 block, 3 no verdict (unreachable, 401, 403, …)')
    .requiredOption('--entity <ref>', 'the catalog entity, e.g. component:default/payment-api')
    .requiredOption('--version <version>', 'the version being deployed')
    .option('--backend-url <url>', 'the Backstage backend, e.g. https://backstage.example.com (or NTHLAYER_BACKEND_URL)')
    .option('--token <token>', 'a static external access token restricted to nthlayer.gate.check (or NTHLAYER_TOKEN)')
    .option('--commit <sha>', 'the commit being deployed')
    .option('--label <label>', 'a deploy label such as hotfix or rollback (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--environment <name>', 'the target environment, e.g. production')
    .option('--format <format>', 'text, json or markdown', 'text')
    .option('--timeout <ms>', 'how long to wait for the backend', '30000')
    .action(async opts => {
      code = await checkDeployCommand(opts, log);
    });
  program
    .command('record-deploy')
    .description('report a deployment to NthLayer (a marker on the budget chart); exit 0 recorded, 3 not')
    .requiredOption('--entity <ref>', 'the catalog entity, e.g. component:default/payment-api')
    .requiredOption('--version <version>', 'the version deployed')
    .option('--started-at <time>', 'ISO 8601 start of the deploy (default: now)')
    .option('--finished-at <time>', 'ISO 8601 end of the deploy')
    .option('--status <status>', 'started, succeeded, failed or rolled_back', 'succeeded')
    .option('--source <name>', 'what reports it, e.g. github-actions or argocd', 'nthlayer-cli')
    .option('--commit <sha>', 'the commit deployed')
    .option('--author <name>', 'who deployed it')
    .option('--url <url>', 'a link to the pipeline run or release')
    .option('--label <label>', 'a deploy label such as hotfix or rollback (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--backend-url <url>', 'the Backstage backend (or NTHLAYER_BACKEND_URL)')
    .option('--token <token>', 'a static external access token restricted to nthlayer.deployment.create (or NTHLAYER_TOKEN)')
    .option('--timeout <ms>', 'how long to wait for the backend', '30000')
    .action(async opts => {
      code = await recordDeployCommand(opts, log);
    });
  program
    .command('ledger')
    .description('the error-budget ledger of a service: total, burned, remaining, forecast and what burned it; exit 0 shown, 3 no ledger')
    .argument('<entity>', 'the catalog entity, e.g. component:default/payment-api (a bare name is a Component in default)')
    .option('--window <duration>', 'a slice of the SLO window, e.g. 7d (default: the SLO window)')
    .option('--backend-url <url>', 'the Backstage backend (or NTHLAYER_BACKEND_URL)')
    .option('--token <token>', 'a static external access token the backend accepts for the nthlayer plugin (or NTHLAYER_TOKEN)')
    .option('--format <format>', 'text, json or markdown', 'text')
    .option('--timeout <ms>', 'how long to wait for the backend', '30000')
    .action(async (entity: string, opts) => {
      code = await ledgerCommand(entity, opts, log);
    });
  program
    .command('correlate')
    .description('the deploys of a service with their budget impact; exit 0 none burned, 1 a medium-confidence one, 2 a high-confidence one, 3 no answer')
    .argument('<entity>', 'the catalog entity, e.g. component:default/checkout-api')
    .option('--last <duration>', 'how far back, e.g. 7d or 30d', '7d')
    .option('--backend-url <url>', 'the Backstage backend (or NTHLAYER_BACKEND_URL)')
    .option('--token <token>', 'a static external access token the backend accepts for the nthlayer plugin (or NTHLAYER_TOKEN)')
    .option('--format <format>', 'text, json or markdown', 'text')
    .option('--timeout <ms>', 'how long to wait for the backend', '30000')
    .action(async (entity: string, opts) => {
      code = await correlateCommand(entity, opts, log);
    });
  program
    .command('portfolio')
    .description(
      'scores and status per service and team, from the NthLayer backend or from service files and Prometheus; exit 0 healthy, 1 warning, 2 critical, 3 no portfolio (unreachable, 401, 403, …)',
    )
    .option('--backend-url <url>', 'ask this Backstage backend (or NTHLAYER_BACKEND_URL)')
    .option('--token <token>', 'with --backend-url: a static external access token the backend accepts (or NTHLAYER_TOKEN)')
    .option('--services <dir>', 'stateless: measure the service files of this directory (*.yaml, *.yml; not recursive); not with --backend-url')
    .option('--prometheus <url>', 'with --services: the Prometheus the SLOs are measured on')
    .option('--prometheus-header <header>', "with --prometheus: an extra request header 'Name: value' (repeatable)", repeatable)
    .option('--format <format>', 'table, json, csv or markdown', 'table')
    .option('--group <ref>', 'only the services of this team, e.g. group:default/team-a (with --services also team-a)')
    .option('--system <ref>', 'with --backend-url: only the services of this system, e.g. system:default/payments')
    .option('--tier <n>', 'only the services of this tier: 1, 2 or 3')
    .option('--timeout <ms>', 'how long to wait for the backend, or for each Prometheus query', '30000')
    .action(async opts => {
      code = await portfolioCommand(opts, log);
    });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    // A usage error is "no verdict" for check-deploy (3), never a block (2); for drift it is
    // "could not check" (3), never critical drift (2); for portfolio "no portfolio" (3),
    // never critical (2).
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      const command = argv.slice(2).find(arg => !arg.startsWith('-'));
      return ['check-deploy', 'record-deploy', 'drift', 'portfolio', 'ledger', 'correlate'].includes(command ?? '') ? 3 : 2;
    }
    throw error;
  }
  return code;
}

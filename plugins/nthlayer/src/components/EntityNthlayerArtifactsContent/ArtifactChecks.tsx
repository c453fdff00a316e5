import { Progress } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckCircleOutline from '@material-ui/icons/CheckCircleOutline';
import ErrorOutline from '@material-ui/icons/ErrorOutline';
import ReportProblemOutlined from '@material-ui/icons/ReportProblemOutlined';
import { EntityArtifactsValidationResponse } from '@nthlayer/backstage-plugin-common';
import { useState } from 'react';

/** Findings shown before "Show all": the file's content stays in view. */
const FIRST_FINDINGS = 5;

const useStyles = makeStyles(theme => ({
  root: { marginBottom: theme.spacing(2) },
  list: { listStyle: 'none', margin: theme.spacing(1, 0, 0, 0), padding: 0 },
  item: {
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'flex-start',
    padding: theme.spacing(0.5, 1),
    wordBreak: 'break-word',
  },
  error: { color: '#c62828' },
  warning: { color: '#ff8f00' },
  ok: { color: '#2e7d32' },
  summary: { display: 'flex', gap: theme.spacing(1), alignItems: 'center' },
}));

/**
 * What the checks found in one generated rule file: the offline lint and, on the entity's
 * Prometheus, whether the selected series exist. Nothing for artifacts that are not rule
 * files.
 */
export function ArtifactChecks(props: {
  artifactId: string;
  loading: boolean;
  error?: Error;
  validation?: EntityArtifactsValidationResponse;
}) {
  const classes = useStyles();
  const [showAll, setShowAll] = useState(false);
  const { artifactId, loading, error, validation } = props;
  if (loading) {
    return (
      <div className={classes.root} data-testid="nthlayer-artifact-checks" data-state="loading">
        <Typography variant="body2">Checking the rules against Prometheus…</Typography>
        <Progress />
      </div>
    );
  }
  if (error) {
    return (
      <Typography variant="body2" color="error" role="alert" className={classes.root}>
        The checks could not run: {error.message}
      </Typography>
    );
  }
  const entry = validation?.artifacts.find(a => a.id === artifactId);
  if (!validation || !entry) return null;
  const { prometheus } = validation;
  const errors = entry.findings.filter(f => f.severity === 'error').length;
  const warnings = entry.findings.length - errors;
  const where =
    prometheus.status === 'checked'
      ? `series looked up on Prometheus "${prometheus.instance}" (last ${prometheus.lookback})`
      : `Prometheus "${prometheus.instance}" unreachable, series not checked: ${prometheus.error ?? 'no answer'}`;
  let summary = `Lint clean; ${where}.`;
  if (entry.findings.length) {
    summary = `${errors} error(s), ${warnings} warning(s); ${where}.`;
  }
  const sorted = [...entry.findings].sort(
    (a, b) => Number(b.severity === 'error') - Number(a.severity === 'error'),
  );
  const shown = showAll ? sorted : sorted.slice(0, FIRST_FINDINGS);
  return (
    <div
      className={classes.root}
      data-testid="nthlayer-artifact-checks"
      data-state={prometheus.status}
      data-errors={errors}
      data-warnings={warnings}
    >
      <div className={classes.summary}>
        {entry.findings.length === 0 && prometheus.status === 'checked' && (
          <CheckCircleOutline className={classes.ok} titleAccess="Clean" />
        )}
        <Typography variant="body2">{summary}</Typography>
      </div>
      {sorted.length > 0 && (
        <ul className={classes.list} aria-label="Checks of this file">
          {shown.map((f, i) => (
            <li
              key={`${f.check}-${f.rule}-${i}`}
              className={classes.item}
              data-testid="nthlayer-artifact-check"
              data-severity={f.severity}
              data-check={f.check}
            >
              {f.severity === 'error' ? (
                <ErrorOutline className={classes.error} titleAccess="Error" />
              ) : (
                <ReportProblemOutlined className={classes.warning} titleAccess="Warning" />
              )}
              <Typography variant="body2">
                <strong>{f.check}</strong>
                {f.rule ? ` · ${f.rule}` : ''}
                {f.line ? ` (line ${f.line})` : ''}: {f.message}
              </Typography>
            </li>
          ))}
        </ul>
      )}
      {shown.length < sorted.length && (
        <Button size="small" onClick={() => setShowAll(true)} data-testid="nthlayer-artifact-checks-all">
          Show all {sorted.length} findings
        </Button>
      )}
    </div>
  );
}

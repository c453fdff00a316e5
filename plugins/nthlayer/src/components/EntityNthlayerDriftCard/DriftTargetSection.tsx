import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckCircleOutline from '@material-ui/icons/CheckCircleOutline';
import ReportProblemOutlined from '@material-ui/icons/ReportProblemOutlined';
import { useState } from 'react';
import { DriftFindingItem } from './DriftFindingItem';
import { DriftSection } from './format';

/** How many findings a section shows before "Show N more". */
export const COLLAPSED_FINDINGS = 10;

const useStyles = makeStyles(theme => ({
  section: { marginTop: theme.spacing(2) },
  heading: {
    display: 'flex',
    alignItems: 'baseline',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  list: { margin: theme.spacing(1, 0, 0), padding: 0 },
  state: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    padding: theme.spacing(1, 1.5),
    marginTop: theme.spacing(0.5),
    borderRadius: theme.shape.borderRadius,
    wordBreak: 'break-word',
  },
  unreachable: {
    borderLeft: '4px solid #ffb300',
    backgroundColor: 'rgba(255, 179, 0, 0.10)',
  },
  unreachableIcon: { color: '#ff8f00' },
  okIcon: { color: '#2e7d32' },
}));

/** `data-state` of a section: the status of its check, `unknown` without one. */
export type SectionState =
  | 'checked'
  | 'unreachable'
  | 'not-configured'
  | 'unknown';

function CheckState(props: { section: DriftSection }) {
  const classes = useStyles();
  const { status, findings } = props.section;
  if (status?.state === 'unreachable') {
    return (
      <div
        className={`${classes.state} ${classes.unreachable}`}
        role="alert"
        data-testid="nthlayer-drift-unreachable"
      >
        <ReportProblemOutlined
          className={classes.unreachableIcon}
          titleAccess="Warning"
        />
        <Typography variant="body2">
          Could not check: {status.detail ?? 'the target could not be read.'}
        </Typography>
      </div>
    );
  }
  if (status?.state === 'not-configured') {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="nthlayer-drift-not-configured"
      >
        Not configured: {status.detail ?? 'nothing to compare with.'}
      </Typography>
    );
  }
  if (status?.state === 'checked' && findings.length === 0) {
    return (
      <div className={classes.state} data-testid="nthlayer-drift-none">
        <CheckCircleOutline className={classes.okIcon} titleAccess="OK" />
        <Typography variant="body2">No drift</Typography>
      </div>
    );
  }
  return null;
}

/**
 * One target: its heading (with the instance read), how the check went — "Could not check:
 * …" (a warning, never "No drift"), "Not configured: …", "No drift" — and its findings,
 * critical first, the first {@link COLLAPSED_FINDINGS} shown until "Show N more".
 */
export function DriftTargetSection(props: { section: DriftSection }) {
  const classes = useStyles();
  const { section } = props;
  const [expanded, setExpanded] = useState(false);
  const state: SectionState = section.status?.state ?? 'unknown';
  const { findings } = section;
  const shown = expanded ? findings : findings.slice(0, COLLAPSED_FINDINGS);
  const hidden = findings.length - shown.length;
  return (
    <section
      className={classes.section}
      data-testid={`nthlayer-drift-target-${section.target}`}
      data-state={state}
      data-findings={findings.length}
      aria-label={section.title}
    >
      <div className={classes.heading}>
        <Typography variant="subtitle2" component="h3">
          {section.title}
        </Typography>
        {section.status?.instance && (
          <Typography variant="caption" color="textSecondary" component="span">
            instance {section.status.instance}
          </Typography>
        )}
        {findings.length > 0 && (
          <Typography variant="caption" color="textSecondary" component="span">
            {findings.length} finding{findings.length === 1 ? '' : 's'}
          </Typography>
        )}
      </div>
      <CheckState section={section} />
      {shown.length > 0 && (
        <ul className={classes.list} aria-label={`${section.title} findings`}>
          {shown.map((finding, index) => (
            <DriftFindingItem
              key={`${finding.object}/${finding.field ?? ''}/${index}`}
              finding={finding}
            />
          ))}
        </ul>
      )}
      {hidden > 0 && (
        <Button size="small" onClick={() => setExpanded(true)}>
          Show {hidden} more
        </Button>
      )}
      {expanded && findings.length > COLLAPSED_FINDINGS && (
        <Button size="small" onClick={() => setExpanded(false)}>
          Show fewer
        </Button>
      )}
    </section>
  );
}

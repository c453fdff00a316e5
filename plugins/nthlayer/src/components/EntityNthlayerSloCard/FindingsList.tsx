import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ErrorOutline from '@material-ui/icons/ErrorOutline';
import ReportProblemOutlined from '@material-ui/icons/ReportProblemOutlined';
import { Finding } from '@nthlayer/backstage-plugin-common';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: theme.spacing(0, 0, 2, 0), padding: 0 },
  item: {
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'flex-start',
    padding: theme.spacing(1, 1.5),
    marginBottom: theme.spacing(1),
    borderRadius: theme.shape.borderRadius,
    borderLeft: '4px solid',
  },
  error: {
    borderLeftColor: '#c62828',
    backgroundColor: 'rgba(198, 40, 40, 0.08)',
  },
  warning: {
    borderLeftColor: '#ffb300',
    backgroundColor: 'rgba(255, 179, 0, 0.10)',
  },
  errorIcon: { color: '#c62828' },
  warningIcon: { color: '#ff8f00' },
  detail: { wordBreak: 'break-word' },
}));

/** The entity's declaration problems, errors first. */
export function FindingsList(props: { findings: Finding[] }) {
  const classes = useStyles();
  if (props.findings.length === 0) return null;
  const sorted = [...props.findings].sort(
    (a, b) => Number(b.severity === 'error') - Number(a.severity === 'error'),
  );
  return (
    <ul className={classes.list} aria-label="NthLayer findings">
      {sorted.map((finding, index) => {
        const isError = finding.severity === 'error';
        return (
          <li
            key={`${finding.annotation}-${index}`}
            role="alert"
            data-testid="nthlayer-finding"
            data-severity={finding.severity}
            className={`${classes.item} ${
              isError ? classes.error : classes.warning
            }`}
          >
            {isError ? (
              <ErrorOutline className={classes.errorIcon} titleAccess="Error" />
            ) : (
              <ReportProblemOutlined
                className={classes.warningIcon}
                titleAccess="Warning"
              />
            )}
            <div>
              <Typography variant="body2">{finding.message}</Typography>
              <Typography
                variant="caption"
                color="textSecondary"
                className={classes.detail}
              >
                {finding.annotation}: “{finding.value}” — accepted:{' '}
                {finding.accepted}
              </Typography>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

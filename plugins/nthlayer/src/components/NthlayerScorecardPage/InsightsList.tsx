import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { PortfolioInsight } from '@nthlayer/backstage-plugin-common';
import { Fragment } from 'react';
import { SEVERITY_COLOURS, SeverityChip } from '../EntityNthlayerDriftCard/SeverityChip';
import { EntityNameLink } from '../shared/EntityNameLink';

const RANK = { critical: 0, warning: 1, info: 2 } as const;

const useStyles = makeStyles(theme => ({
  list: { margin: 0, padding: 0 },
  insight: {
    listStyle: 'none',
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    padding: theme.spacing(1, 1.5),
    marginBottom: theme.spacing(1),
    borderLeft: `4px solid ${theme.palette.divider}`,
    background: theme.palette.background.default,
  },
  refs: { marginTop: theme.spacing(0.5) },
}));

/** The insights of the portfolio, critical first, each with the entities it is about. */
export function InsightsList(props: { insights: PortfolioInsight[] }) {
  const classes = useStyles();
  const insights = [...props.insights].sort(
    (a, b) => (RANK[a.severity] ?? 3) - (RANK[b.severity] ?? 3),
  );
  if (insights.length === 0) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="nthlayer-insights-none"
      >
        Nothing stands out.
      </Typography>
    );
  }
  return (
    <ul className={classes.list} data-testid="nthlayer-insights">
      {insights.map((insight, index) => (
        <li
          key={index}
          className={classes.insight}
          style={{ borderLeftColor: SEVERITY_COLOURS[insight.severity]?.background }}
          data-testid="nthlayer-insight"
          data-severity={insight.severity}
        >
          <SeverityChip severity={insight.severity} />
          <div>
            <Typography variant="body2" data-testid="nthlayer-insight-message">
              {insight.message}
            </Typography>
            {insight.refs.length > 0 && (
              <Typography
                variant="caption"
                color="textSecondary"
                component="div"
                className={classes.refs}
              >
                {insight.refs.map((ref, i) => (
                  <Fragment key={ref}>
                    {i > 0 && ', '}
                    <EntityNameLink entityRef={ref} />
                  </Fragment>
                ))}
              </Typography>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}

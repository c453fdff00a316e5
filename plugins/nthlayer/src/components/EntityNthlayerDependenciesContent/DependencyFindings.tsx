import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  DependencyGraphFinding,
  DriftSeverity,
} from '@nthlayer/backstage-plugin-common';
import { useState } from 'react';
import { SEVERITY_COLOURS, SeverityChip } from '../EntityNthlayerDriftCard/SeverityChip';
import { FINDING_TYPE_LABELS } from './graphModel';

/** How many findings are listed before "Show N more". */
export const COLLAPSED_GRAPH_FINDINGS = 10;

const SEVERITY_RANK: Record<DriftSeverity, number> = {
  critical: 0,
  warning: 1,
  info: 2,
};

const useStyles = makeStyles(theme => ({
  list: { margin: 0, padding: 0 },
  finding: {
    listStyle: 'none',
    padding: theme.spacing(1, 1.5),
    marginBottom: theme.spacing(1),
    borderLeft: `4px solid ${theme.palette.divider}`,
    background: theme.palette.background.default,
  },
  head: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  message: { marginTop: theme.spacing(0.5), wordBreak: 'break-word' },
}));

/**
 * The findings about the nodes shown — cycles, refs the catalog lacks, undeclared and stale
 * dependencies, dependency ceilings — critical first, the first
 * {@link COLLAPSED_GRAPH_FINDINGS} until "Show N more".
 */
export function DependencyFindings(props: {
  findings: DependencyGraphFinding[];
}) {
  const classes = useStyles();
  const [expanded, setExpanded] = useState(false);
  const sorted = [...props.findings].sort(
    (a, b) =>
      (SEVERITY_RANK[a.severity] ?? 3) - (SEVERITY_RANK[b.severity] ?? 3) ||
      a.type.localeCompare(b.type),
  );
  if (sorted.length === 0) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="nthlayer-dependency-findings-none"
      >
        No findings about the entities shown.
      </Typography>
    );
  }
  const shown = expanded ? sorted : sorted.slice(0, COLLAPSED_GRAPH_FINDINGS);
  const hidden = sorted.length - shown.length;
  return (
    <div data-testid="nthlayer-dependency-findings">
      <ul className={classes.list}>
        {shown.map((finding, index) => (
          <li
            key={`${finding.type}/${finding.entityRef}/${index}`}
            className={classes.finding}
            style={{
              borderLeftColor: SEVERITY_COLOURS[finding.severity]?.background,
            }}
            data-testid="nthlayer-dependency-finding"
            data-type={finding.type}
            data-severity={finding.severity}
            data-entity-ref={finding.entityRef}
          >
            <div className={classes.head}>
              <SeverityChip severity={finding.severity} />
              <Typography variant="subtitle2" component="span">
                {FINDING_TYPE_LABELS[finding.type] ?? finding.type}
              </Typography>
            </div>
            <Typography variant="body2" className={classes.message}>
              {finding.message}
            </Typography>
          </li>
        ))}
      </ul>
      {hidden > 0 && (
        <Button size="small" onClick={() => setExpanded(true)}>
          Show {hidden} more
        </Button>
      )}
      {expanded && sorted.length > COLLAPSED_GRAPH_FINDINGS && (
        <Button size="small" onClick={() => setExpanded(false)}>
          Show fewer
        </Button>
      )}
    </div>
  );
}

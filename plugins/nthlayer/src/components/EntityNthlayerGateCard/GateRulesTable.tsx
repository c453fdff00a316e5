import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { GateRuleResult } from '@nthlayer/backstage-plugin-common';
import { formatValue, resultLabel, sortRules } from './format';
import { VERDICT_COLOURS } from './VerdictChip';

const useStyles = makeStyles(theme => ({
  code: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    wordBreak: 'break-word',
  },
  values: { margin: 0, padding: 0, listStyle: 'none' },
  condition: { display: 'block', color: theme.palette.text.secondary },
}));

/**
 * Every rule the gate evaluated, those that asked for block or warn first. Each row is
 * `data-testid="nthlayer-gate-rule"` with `data-rule` (`policy/rule`), `data-verdict` and
 * `data-result` (the API's `true|false|exempt|error`).
 */
export function GateRulesTable(props: { rules: GateRuleResult[] }) {
  const classes = useStyles();
  if (props.rules.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No rule was evaluated.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Gate rules">
      <TableHead>
        <TableRow>
          <TableCell>Policy</TableCell>
          <TableCell>Rule</TableCell>
          <TableCell>Action</TableCell>
          <TableCell>Result</TableCell>
          <TableCell>Values</TableCell>
          <TableCell>Message</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {sortRules(props.rules).map((rule, index) => {
          const deciding = rule.verdict !== 'allow';
          const values = Object.entries(rule.values ?? {});
          return (
            <TableRow
              key={`${rule.policy}/${rule.rule}/${index}`}
              data-testid="nthlayer-gate-rule"
              data-rule={`${rule.policy}/${rule.rule}`}
              data-verdict={rule.verdict}
              data-result={rule.result}
              style={
                deciding
                  ? {
                      boxShadow: `inset 4px 0 0 ${
                        VERDICT_COLOURS[rule.verdict].background
                      }`,
                    }
                  : undefined
              }
            >
              <TableCell>{rule.policy}</TableCell>
              <TableCell>
                {rule.rule}
                <span className={`${classes.code} ${classes.condition}`}>
                  {rule.condition}
                </span>
              </TableCell>
              <TableCell>{rule.action}</TableCell>
              <TableCell>
                {deciding ? (
                  <strong>
                    {resultLabel(rule.result)} → {rule.verdict}
                  </strong>
                ) : (
                  resultLabel(rule.result)
                )}
              </TableCell>
              <TableCell>
                {values.length === 0 ? (
                  '—'
                ) : (
                  <ul className={classes.values}>
                    {values.map(([name, value]) => (
                      <li
                        key={name}
                        className={classes.code}
                        data-testid="nthlayer-gate-rule-value"
                      >
                        {name} = {formatValue(name, value)}
                      </li>
                    ))}
                  </ul>
                )}
              </TableCell>
              <TableCell>{rule.message}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

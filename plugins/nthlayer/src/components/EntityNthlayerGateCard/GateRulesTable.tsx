import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { GateRuleResult } from '@nthlayer/backstage-plugin-common';
import { useState } from 'react';
import { flattenValues, resultLabel, sortRules } from './format';
import { VERDICT_COLOURS } from './VerdictChip';

const useStyles = makeStyles(theme => ({
  rule: {
    padding: theme.spacing(1, 1.5),
    marginBottom: theme.spacing(1),
    borderLeft: `4px solid ${theme.palette.divider}`,
    background: theme.palette.background.default,
  },
  head: { display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: theme.spacing(1) },
  code: { fontFamily: 'monospace', fontSize: '0.8rem', wordBreak: 'break-word' },
  values: { margin: theme.spacing(0.5, 0, 0), padding: 0, listStyle: 'none' },
}));

/**
 * The rules the gate evaluated, those that asked for block or warn first; the ones that passed
 * are folded behind a button. Each rule is `data-testid="nthlayer-gate-rule"` with `data-rule`
 * (`policy/rule`), `data-verdict` and `data-result` (the API's `true|false|exempt|error`).
 */
export function GateRulesTable(props: { rules: GateRuleResult[] }) {
  const classes = useStyles();
  const [showAll, setShowAll] = useState(false);
  if (props.rules.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No rule was evaluated.
      </Typography>
    );
  }
  const sorted = sortRules(props.rules);
  const deciding = sorted.filter(r => r.verdict !== 'allow');
  // With nothing deciding (allow), every rule is shown: they are the reason for the verdict.
  const shown = showAll || deciding.length === 0 ? sorted : deciding;
  const hidden = sorted.length - shown.length;
  return (
    <Box aria-label="Gate rules" role="list">
      {shown.map((rule, index) => {
        const decides = rule.verdict !== 'allow';
        return (
          <Box
            key={`${rule.policy}/${rule.rule}/${index}`}
            role="listitem"
            className={classes.rule}
            data-testid="nthlayer-gate-rule"
            data-rule={`${rule.policy}/${rule.rule}`}
            data-verdict={rule.verdict}
            data-result={rule.result}
            style={decides ? { borderLeftColor: VERDICT_COLOURS[rule.verdict].background } : undefined}
          >
            <div className={classes.head}>
              <Typography variant="subtitle2" component="span">
                {rule.rule}
              </Typography>
              <Typography variant="caption" color="textSecondary" component="span">
                {rule.policy}
              </Typography>
              <Typography variant="caption" component="span">
                {rule.action} ·{' '}
                {decides ? (
                  <strong>
                    {resultLabel(rule.result)} → {rule.verdict}
                  </strong>
                ) : (
                  resultLabel(rule.result)
                )}
              </Typography>
            </div>
            <Typography variant="body2" className={classes.code} color="textSecondary">
              {rule.condition}
            </Typography>
            <ul className={classes.values}>
              {flattenValues(rule.values ?? {}).map(([name, value]) => (
                <li key={name} className={classes.code} data-testid="nthlayer-gate-rule-value">
                  {name} = {value}
                </li>
              ))}
            </ul>
            {rule.message && (
              <Typography variant="body2">{rule.message}</Typography>
            )}
          </Box>
        );
      })}
      {(hidden > 0 || showAll) && deciding.length > 0 && (
        <Button size="small" onClick={() => setShowAll(!showAll)}>
          {showAll ? 'Hide the rules that passed' : `Show ${hidden} more rule${hidden === 1 ? '' : 's'} that passed`}
        </Button>
      )}
    </Box>
  );
}

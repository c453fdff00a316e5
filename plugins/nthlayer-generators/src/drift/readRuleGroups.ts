import { ObservedRuleGroup, mergeRuleTypeAnswers, normaliseRuleGroups } from './observedRules';

/** What {@link readRuleGroups} needs of a client (a `PrometheusClient`). @public */
export interface RuleGroupsSource {
  ruleGroups(type?: 'alert' | 'record'): Promise<unknown[]>;
}

/**
 * Every rule group a ruler has loaded, read as two requests at once: its alerting and its
 * recording rules (`/api/v1/rules?type=alert|record`). The ruler marshals the two halves of
 * what can be a 150 MB answer in parallel; together they take less time than one request for
 * all. Two requests per instance whatever the number of services; a failure of either fails
 * the read.
 *
 * @public
 */
export async function readRuleGroups(source: RuleGroupsSource): Promise<ObservedRuleGroup[]> {
  const [alerting, recording] = await Promise.all([source.ruleGroups('alert'), source.ruleGroups('record')]);
  return mergeRuleTypeAnswers(normaliseRuleGroups(alerting), normaliseRuleGroups(recording));
}

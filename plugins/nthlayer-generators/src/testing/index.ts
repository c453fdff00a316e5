/**
 * Loopback fakes of the APIs drift and apply talk to, for the tests of the packages that use
 * the generators (the `nthlayer` CLI): PagerDuty's REST API v2, its requests and responses
 * checked against the contract, and Grafana's dashboard and search routes.
 *
 * @packageDocumentation
 */
export { PagerDutyFake } from '../pagerduty/testing/pagerDutyFake';
export type {
  PagerDutyFakeCollection,
  PagerDutyFakeIncidentInput,
  PagerDutyFakeObject,
  PagerDutyFakeRequest,
} from '../pagerduty/testing/pagerDutyFake';
export { FAKE_GRAFANA_VERSION, FAKE_SCHEMA_VERSION, startGrafanaFake } from '../grafana/drift/testing/grafanaFake';
export type {
  GrafanaFake,
  GrafanaFakeOptions,
  GrafanaFakeRequest,
  GrafanaFakeSaveOptions,
} from '../grafana/drift/testing/grafanaFake';

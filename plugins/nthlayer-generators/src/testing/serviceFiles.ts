// Sample service.yaml files, legacy and OpenSRM, for the import tests (not exported by the package).

export const LEGACY = `
service:
  name: checkout-api
  team: team-payments
  tier: critical
  type: api
  language: go
resources:
  - kind: SLO
    name: availability
    spec:
      objective: 99.95
      window: 28d
  - kind: SLO
    name: latency-p99
    spec:
      objective: 99.0
      window: 28d
      indicator:
        type: latency
        percentile: 99
        threshold_ms: 300
  - kind: Dependencies
    name: upstream
    spec:
      databases:
        - { name: orders-db, type: postgres, criticality: high, sla: 99.95 }
      caches:
        - { name: session-cache, type: redis, criticality: low }
      services:
        - { name: payment-api, criticality: critical, sla: 99.9 }
      external_apis:
        - { name: stripe, sla: 99.9 }
  - kind: DeploymentGate
    name: gate
    spec:
      thresholds: { warning: 30, blocking: 5 }
  - kind: PagerDuty
    name: pagerduty
    spec: { service_id: PABC123, urgency: high }
  - kind: Observability
    name: observability
    spec: { metrics: [checkout_started_total] }
`;

export const OPENSRM = `
apiVersion: srm/v1
kind: ServiceReliabilityManifest
metadata:
  name: checkout-api
  team: team-payments
  tier: tier-1
spec:
  type: api
  slos:
    availability: { target: 99.95, window: 30d }
    latency: { target: 250, unit: ms, percentile: p99, window: 30d }
  dependencies:
    - { name: orders-db, type: database, database_type: postgresql, critical: true, slo: { availability: 99.99 } }
    - { name: events-bus, type: queue, technology: kafka, critical: false }
    - { name: stripe, type: api, critical: true, sla: 99.9 }
  ownership:
    team: team-payments
    runbook: https://runbooks.example.com/checkout-api
    pagerduty: { service_id: PABC123 }
  deployment:
    gates:
      error_budget: { enabled: true, threshold: 0.10 }
`;

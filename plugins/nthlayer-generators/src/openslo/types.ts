/**
 * One OpenSLO v1 document as generated: `SLO`, `AlertPolicy` or `AlertNotificationTarget`.
 *
 * @public
 */
export interface OpenSloDocument {
  apiVersion: 'openslo/v1';
  kind: 'SLO' | 'AlertPolicy' | 'AlertNotificationTarget';
  metadata: {
    name: string;
    displayName?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: Record<string, unknown>;
}

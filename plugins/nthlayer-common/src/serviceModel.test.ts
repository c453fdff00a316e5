import { Entity } from '@backstage/catalog-model';
import { parseNthlayerService } from './serviceModel';

function entity(annotations: Record<string, string>, extra: Partial<Entity> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout-api', namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-payments', dependsOn: ['component:auth-api', 'resource:orders-db'] },
    ...extra,
  };
}

describe('parseNthlayerService', () => {
  it('ignores entities without nthlayer.dev/tier', () => {
    expect(parseNthlayerService(entity({}))).toEqual({ service: null, findings: [] });
  });

  it('applies tier defaults (DESIGN §2)', () => {
    const { service, findings } = parseNthlayerService(entity({ 'nthlayer.dev/tier': '1' }));
    expect(findings).toEqual([]);
    expect(service).toMatchObject({
      entityRef: 'component:default/checkout-api',
      tier: 1,
      type: 'api',
      owner: 'group:default/team-payments',
      dependsOn: ['component:default/auth-api', 'resource:default/orders-db'],
      selector: 'service="checkout-api"',
      defaultSelector: true,
    });
    expect(service!.slos).toEqual([
      { name: 'availability', kind: 'availability', targetPercent: 99.9, window: { text: '30d', minutes: 43200 }, source: 'tier-default' },
      {
        name: 'latency',
        kind: 'latency',
        targetPercent: 95,
        window: { text: '30d', minutes: 43200 },
        latency: { percentile: 95, thresholdMs: 500 },
        source: 'tier-default',
      },
    ]);
  });

  it.each([
    ['2', 99.5, 1000],
    ['3', 99, 2000],
    ['critical', 99.9, 500],
    ['standard', 99.5, 1000],
    ['low', 99, 2000],
    ['tier-2', 99.5, 1000],
  ])('tier %s → %s %% and p95<%s ms', (tier, availability, thresholdMs) => {
    const { service } = parseNthlayerService(entity({ 'nthlayer.dev/tier': tier }));
    expect(service!.slos[0].targetPercent).toBe(availability);
    expect(service!.slos[1].latency!.thresholdMs).toBe(thresholdMs);
  });

  it('prefers relations from the catalog over spec fields', () => {
    const { service } = parseNthlayerService(
      entity({ 'nthlayer.dev/tier': '2' }, {
        relations: [
          { type: 'dependsOn', targetRef: 'component:default/payment-api' },
          { type: 'ownedBy', targetRef: 'group:default/team-x' },
        ],
      }),
    );
    expect(service!.dependsOn).toEqual(['component:default/payment-api']);
    expect(service!.owner).toBe('group:default/team-x');
  });

  it('reads annotation overrides', () => {
    const { service, findings } = parseNthlayerService(
      entity({
        'nthlayer.dev/tier': '2',
        'nthlayer.dev/slo-availability': '99.95',
        'nthlayer.dev/slo-latency': 'p99<300ms',
        'nthlayer.dev/slo-window': '28d',
        'nthlayer.dev/prometheus-selector': '{job="checkout", env=~"prod|live"}',
      }),
    );
    expect(findings).toEqual([]);
    expect(service!.slos[0]).toMatchObject({ targetPercent: 99.95, source: 'annotation', window: { text: '28d', minutes: 40320 } });
    expect(service!.slos[1]).toMatchObject({ targetPercent: 99, latency: { percentile: 99, thresholdMs: 300 } });
    expect(service!.selector).toBe('job="checkout",env=~"prod|live"');
    expect(service!.defaultSelector).toBe(false);
  });

  it('accepts seconds in latency objectives', () => {
    const { service } = parseNthlayerService(entity({ 'nthlayer.dev/tier': '1', 'nthlayer.dev/slo-latency': 'p99.9 < 1.5s' }));
    expect(service!.slos[1].latency).toEqual({ percentile: 99.9, thresholdMs: 1500 });
  });

  it('has no latency SLO for workers and streams', () => {
    const { service } = parseNthlayerService(entity({ 'nthlayer.dev/tier': '1', 'nthlayer.dev/type': 'stream' }));
    expect(service!.slos.map(s => s.kind)).toEqual(['availability']);
  });

  describe('bad input becomes a finding, never an exception', () => {
    it.each([['gold'], ['0'], ['4'], [''], ['tier1']])('tier %j', value => {
      const { service, findings } = parseNthlayerService(entity({ 'nthlayer.dev/tier': value }));
      expect(service).toBeNull();
      expect(findings).toEqual([
        expect.objectContaining({ severity: 'error', annotation: 'nthlayer.dev/tier', value, accepted: '1, 2, 3 (or critical, standard, low)' }),
      ]);
      expect(findings[0].message).toContain(`"${value}"`);
    });

    it.each([['100'], ['100.5'], ['0'], ['-5'], ['abc'], ['99.9.9'], ['']])(
      'availability %j falls back to the tier default',
      value => {
        const { service, findings } = parseNthlayerService(
          entity({ 'nthlayer.dev/tier': '1', 'nthlayer.dev/slo-availability': value }),
        );
        expect(service!.slos[0]).toMatchObject({ targetPercent: 99.9, source: 'tier-default' });
        expect(findings).toHaveLength(1);
        expect(findings[0]).toMatchObject({ annotation: 'nthlayer.dev/slo-availability', value });
        expect(findings[0].accepted).toMatch(/greater than 0 and less than 100/);
      },
    );

    it.each([['p95'], ['500ms'], ['p95>500ms'], ['p100<5ms'], ['p40<5ms'], ['p95<0ms'], ['p95<fast']])(
      'latency %j falls back to the tier default',
      value => {
        const { service, findings } = parseNthlayerService(
          entity({ 'nthlayer.dev/tier': '2', 'nthlayer.dev/slo-latency': value }),
        );
        expect(service!.slos[1].latency).toEqual({ percentile: 95, thresholdMs: 1000 });
        expect(findings).toEqual([expect.objectContaining({ annotation: 'nthlayer.dev/slo-latency', value })]);
        expect(findings[0].accepted).toMatch(/p95<500ms/);
      },
    );

    it.each([['30'], ['30 days'], ['0d'], ['1y'], ['91d'], ['30m'], ['2M'], ['1m']])('window %j falls back to 30d', value => {
      const { service, findings } = parseNthlayerService(
        entity({ 'nthlayer.dev/tier': '3', 'nthlayer.dev/slo-window': value }),
      );
      expect(service!.slos[0].window).toEqual({ text: '30d', minutes: 43200 });
      expect(findings).toEqual([expect.objectContaining({ annotation: 'nthlayer.dev/slo-window', value })]);
    });

    it('unknown type falls back to api', () => {
      const { service, findings } = parseNthlayerService(
        entity({ 'nthlayer.dev/tier': '3', 'nthlayer.dev/type': 'batch' }),
      );
      expect(service!.type).toBe('api');
      expect(findings).toEqual([
        expect.objectContaining({ annotation: 'nthlayer.dev/type', value: 'batch', accepted: 'api, worker, stream' }),
      ]);
    });

    it.each([['job=checkout'], ['{}'], ['job="a" env="b"'], ['1abc="x"'], ['job=="x"']])(
      'selector %j falls back to the default',
      value => {
        const { service, findings } = parseNthlayerService(
          entity({ 'nthlayer.dev/tier': '3', 'nthlayer.dev/prometheus-selector': value }),
        );
        expect(service!.selector).toBe('service="checkout-api"');
        expect(findings).toEqual([
          expect.objectContaining({ annotation: 'nthlayer.dev/prometheus-selector', value }),
        ]);
      },
    );

    it('latency on a worker is a warning, and ignored', () => {
      const { service, findings } = parseNthlayerService(
        entity({ 'nthlayer.dev/tier': '1', 'nthlayer.dev/type': 'worker', 'nthlayer.dev/slo-latency': 'p95<1s' }),
      );
      expect(service!.slos).toHaveLength(1);
      expect(findings).toEqual([expect.objectContaining({ severity: 'warning', annotation: 'nthlayer.dev/slo-latency' })]);
    });

    it('reports several bad annotations at once', () => {
      const { service, findings } = parseNthlayerService(
        entity({
          'nthlayer.dev/tier': '1',
          'nthlayer.dev/type': 'cron',
          'nthlayer.dev/slo-availability': '101',
          'nthlayer.dev/slo-window': 'forever',
        }),
      );
      expect(service).not.toBeNull();
      expect(findings.map(f => f.annotation).sort()).toEqual([
        'nthlayer.dev/slo-availability',
        'nthlayer.dev/slo-window',
        'nthlayer.dev/type',
      ]);
    });
  });

  it('uses tier overrides from config', () => {
    const { service } = parseNthlayerService(entity({ 'nthlayer.dev/tier': '1' }), {
      tiers: {
        1: { availabilityPercent: 99.99, latency: 'p99<250ms', window: '7d' },
        2: { availabilityPercent: 99.5, latency: 'p95<1000ms', window: '30d' },
        3: { availabilityPercent: 99, latency: 'p95<2000ms', window: '30d' },
      },
    });
    expect(service!.slos[0]).toMatchObject({ targetPercent: 99.99, window: { text: '7d', minutes: 10080 } });
    expect(service!.slos[1].latency).toEqual({ percentile: 99, thresholdMs: 250 });
  });
});

describe('hostile annotation values', () => {
  it('uses a valid http(s) runbook URL, trimmed', () => {
    const { service, findings } = parseNthlayerService(
      entity({ 'nthlayer.dev/tier': '1', 'nthlayer.dev/runbook-url': ' https://runbooks.example.com/checkout ' }),
    );
    expect(findings).toEqual([]);
    expect(service!.runbookUrl).toBe('https://runbooks.example.com/checkout');
  });

  it.each([
    ['30k newlines', `https://runbooks.example.com/x${'\n'.repeat(30000)}x`],
    ['an embedded newline', 'https://runbooks.example.com/a\nb'],
    ['two URLs', 'https://a.example.com https://b.example.com'],
    // eslint-disable-next-line no-script-url -- a hostile value that must be rejected
    ['javascript:', 'javascript:alert(1)'],
    ['a relative path', '/runbooks/checkout'],
    ['a 2,049-character URL', `https://runbooks.example.com/${'a'.repeat(2049 - 29)}`],
  ])('rejects %s as nthlayer.dev/runbook-url', (_, value) => {
    const { service, findings } = parseNthlayerService(
      entity({ 'nthlayer.dev/tier': '1', 'nthlayer.dev/runbook-url': value }),
    );
    expect(service!.runbookUrl).toBeUndefined();
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      annotation: 'nthlayer.dev/runbook-url',
      accepted: expect.stringContaining('http(s) URL of at most 2048 characters'),
    });
    expect(findings[0].value.length).toBeLessThanOrEqual(150);
  });

  it('accepts a runbook URL of exactly 2,048 characters', () => {
    const url = `https://runbooks.example.com/${'a'.repeat(2048 - 29)}`;
    expect(url).toHaveLength(2048);
    const { service } = parseNthlayerService(entity({ 'nthlayer.dev/tier': '1', 'nthlayer.dev/runbook-url': url }));
    expect(service!.runbookUrl).toBe(url);
  });

  it('cuts a 5,000-character value in the finding and says how long it was', () => {
    const { findings } = parseNthlayerService(
      entity({ 'nthlayer.dev/tier': '1', 'nthlayer.dev/type': 'x'.repeat(5000) }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0].value).toBe(`${'x'.repeat(120)}… (5000 characters)`);
    expect(findings[0].message.length).toBeLessThan(300);
    expect(JSON.stringify(findings).length).toBeLessThan(1000);
  });
});

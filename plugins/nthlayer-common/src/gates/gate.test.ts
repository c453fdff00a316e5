import { compileCondition, isConditionError, MAX_CONDITION_LENGTH } from './celEnvironment';
import { GateInput, GatePolicy, GateRule, evaluateGate, policyMatches, thresholdPolicy } from './gate';

function rule(name: string, condition: string, action: GateRule['action'], extra: Partial<GateRule> = {}): GateRule {
  const compiled = compileCondition(condition);
  if (isConditionError(compiled)) throw new Error(compiled.reason);
  return { name, condition, action, exceptions: [], compiled, ...extra };
}

function policy(extra: Partial<GatePolicy> = {}): GatePolicy {
  return { name: 'p', source: 'test', hash: 'h', selector: {}, timeZone: 'UTC', failClosed: false, rules: [], freezeWindows: [], ...extra };
}

function input(extra: Partial<GateInput> = {}): GateInput {
  return {
    service: { entityRef: 'component:default/checkout-api', name: 'checkout-api', tier: 1, type: 'api', owner: 'group:default/team-payments' },
    slos: { availability: 0.5, latency: 0.9 },
    burn: { '1h': 1.2, '6h': 0.8 },
    dependencies: [],
    deploy: { version: 'v1', labels: [] },
    budgetsAsOf: '2026-12-01T10:00:00.000Z',
    stale: false,
    now: new Date('2026-12-01T10:05:00Z'),
    ...extra,
  };
}

describe('tier defaults (DESIGN §4) where no policy matches', () => {
  // tier 1: block < 10 %, warn < 20 %; tier 2: block < 5 %, warn < 20 %; tier 3: warn < 30 %.
  it.each([
    [1, 0.25, 'allow', 0], [1, 0.15, 'warn', 1], [1, 0.09, 'block', 2], [1, -0.5, 'block', 2],
    [2, 0.19, 'warn', 1], [2, 0.06, 'warn', 1], [2, 0.04, 'block', 2],
    [3, 0.31, 'allow', 0], [3, 0.29, 'warn', 1], [3, -1, 'warn', 1],
  ] as const)('tier %d at %d remaining → %s (exit %d)', (tier, remaining, verdict, exitCode) => {
    const d = evaluateGate([], input({ service: { ...input().service, tier }, slos: { availability: remaining, latency: 0.99 } }));
    expect(d.verdict).toBe(verdict);
    expect(d.exitCode).toBe(exitCode);
    expect(d.policies).toEqual([expect.objectContaining({ name: `tier-${tier}-default`, source: 'tier-default' })]);
  });

  it('reads the worst SLO and reports the value each rule read', () => {
    const d = evaluateGate([], input({ slos: { availability: 0.9, latency: 0.08 } }));
    expect(d.verdict).toBe('block');
    const fired = d.rules.find(r => r.result === 'true' && r.action === 'block')!;
    expect(fired.values).toEqual({ budget: { remaining: 0.08 } });
    expect(fired.condition).toBe('budget.remaining < 0.1');
  });

  it('does not apply the default once a policy matches', () => {
    const lenient = policy({ rules: [rule('never', 'budget.remaining < -10.0', 'block')] });
    expect(evaluateGate([lenient], input({ slos: { availability: 0.01 } })).verdict).toBe('allow');
  });
});

describe('stale and unknown budgets', () => {
  it('warns on stale budgets, and blocks when a matching policy fails closed', () => {
    const ok = policy({ rules: [rule('low', 'budget.remaining < 0.1', 'block')] });
    expect(evaluateGate([ok], input({ stale: true })).verdict).toBe('warn');
    expect(evaluateGate([{ ...ok, failClosed: true }], input({ stale: true })).verdict).toBe('block');
    const never = evaluateGate([ok], input({ budgetsAsOf: null, slos: { availability: null } }));
    expect(never.verdict).toBe('warn');
    expect(never.reasons.join(' ')).toMatch(/no budget has been measured/);
    // The rule itself could not read budget.remaining: an error result, not a silent false.
    expect(never.rules[0].result).toBe('error');
  });

  it('treats a dependency with an unknown budget as unknown, not healthy', () => {
    const deps = policy({ rules: [rule('deps', '!dependencies.all(d, d.remaining >= 0.25)', 'warn')] });
    const unknown = evaluateGate([deps], input({ dependencies: [{ ref: 'component:default/db', name: 'db', tier: 1, remaining: null }] }));
    expect(unknown.rules[0].result).toBe('error');
    expect(unknown.verdict).toBe('warn');
    const low = evaluateGate([deps], input({ dependencies: [{ ref: 'component:default/db', name: 'db', tier: 1, remaining: 0.2 }] }));
    expect(low.rules[0].result).toBe('true');
    const healthy = evaluateGate([deps], input({ dependencies: [{ ref: 'component:default/db', name: 'db', tier: 1, remaining: 0.3 }] }));
    expect(healthy.verdict).toBe('allow');
  });
});

describe('actions and exceptions', () => {
  it('maps actions to verdicts', () => {
    const fire = (action: GateRule['action']) => evaluateGate([policy({ rules: [rule('r', 'true', action)] })], input());
    expect(fire('block').verdict).toBe('block');
    expect(fire('warn').verdict).toBe('warn');
    expect(fire('require_approval').verdict).toBe('block');
    expect(fire('require_approval').reasons[0]).toMatch(/approved override/);
    const notify = fire('notify');
    expect(notify.verdict).toBe('allow');
    expect(notify.notify).toHaveLength(1);
  });

  it('skips a rule for a deploy carrying one of its exception labels (case-insensitive)', () => {
    const p = policy({ rules: [rule('low', 'budget.remaining < 0.9', 'block', { exceptions: ['hotfix', 'rollback'] })] });
    expect(evaluateGate([p], input()).verdict).toBe('block');
    const hotfix = evaluateGate([p], input({ deploy: { version: 'v2', labels: ['HotFix'] } }));
    expect(hotfix.verdict).toBe('allow');
    expect(hotfix.rules[0].result).toBe('exempt');
  });

  it('lets conditions read the deploy, the service and the burn rates', () => {
    const p = policy({
      rules: [
        rule('prod-fast-burn', "deploy.environment == 'production' && burn['1h'] > 10.0", 'block'),
        rule('tier1-api', "service.tier == 1 && service.type == 'api' && 'canary' in deploy.labels", 'warn'),
      ],
    });
    expect(evaluateGate([p], input({ burn: { '1h': 14.4 }, deploy: { version: 'v', environment: 'production', labels: [] } })).verdict).toBe('block');
    expect(evaluateGate([p], input({ burn: { '1h': 14.4 }, deploy: { version: 'v', environment: 'staging', labels: ['canary'] } })).verdict).toBe('warn');
  });
});

describe('time in the policy zone', () => {
  const businessHours = (timeZone: string) =>
    policy({ timeZone, rules: [rule('outside-business-hours', '!(time.weekday <= 5 && time.hour >= 9 && time.hour < 17)', 'warn')] });
  it.each([
    // Berlin is UTC+1 until 2026-03-29 02:00, then UTC+2.
    ['2026-03-27T08:30:00Z', 'Europe/Berlin', 'allow'], // Fri 09:30 CET
    ['2026-03-23T07:30:00Z', 'Europe/Berlin', 'warn'], // Mon 08:30 CET
    ['2026-03-30T07:30:00Z', 'Europe/Berlin', 'allow'], // Mon 09:30 CEST (after the change)
    ['2026-03-30T15:30:00Z', 'Europe/Berlin', 'warn'], // Mon 17:30 CEST
    ['2026-03-28T10:00:00Z', 'Europe/Berlin', 'warn'], // Saturday
    ['2026-03-30T13:30:00Z', 'America/New_York', 'allow'], // Mon 09:30 EDT
    ['2026-03-30T12:30:00Z', 'America/New_York', 'warn'], // Mon 08:30 EDT
  ] as const)('%s in %s → %s', (now, zone, verdict) => {
    expect(evaluateGate([businessHours(zone)], input({ now: new Date(now) })).verdict).toBe(verdict);
  });

  it('blocks inside a freeze window (end exclusive) unless the deploy is exempt', () => {
    const p = policy({
      freezeWindows: [{ name: 'year-end', start: '2026-12-20T00:00', end: '2027-01-04T00:00', timeZone: 'Europe/Berlin', exceptions: ['hotfix'] }],
    });
    expect(evaluateGate([p], input({ now: new Date('2026-12-19T22:59:59Z') })).verdict).toBe('allow');
    expect(evaluateGate([p], input({ now: new Date('2026-12-19T23:00:00Z') })).verdict).toBe('block');
    expect(evaluateGate([p], input({ now: new Date('2027-01-03T22:59:59Z') })).verdict).toBe('block');
    expect(evaluateGate([p], input({ now: new Date('2027-01-03T23:00:00Z') })).verdict).toBe('allow');
    expect(evaluateGate([p], input({ now: new Date('2026-12-24T12:00:00Z'), deploy: { version: 'v', labels: ['hotfix'] } })).verdict).toBe('allow');
  });
});

describe('selectors', () => {
  const svc = input().service;
  it.each([
    [{}, true],
    [{ tiers: [1] }, true],
    [{ tiers: [2, 3] }, false],
    [{ types: ['api'] }, true],
    [{ owners: ['group:default/TEAM-payments'] }, true],
    [{ owners: ['group:default/other'] }, false],
    [{ systems: ['payments'] }, false],
    [{ entityRefs: ['Component:default/checkout-api'] }, true],
    [{ tiers: [1], types: ['worker'] }, false],
  ])('%j matches: %s', (selector, expected) => {
    expect(policyMatches(policy({ selector }), svc)).toBe(expected);
  });

  it('turns DeploymentGate thresholds into a policy for that entity', () => {
    const p = thresholdPolicy({ name: 'service-file', source: 'service-file', entityRef: svc.entityRef, thresholds: { blockingPercent: 25, warningPercent: 50 } });
    expect(evaluateGate([p], input({ slos: { availability: 0.3 } })).verdict).toBe('warn');
    expect(evaluateGate([p], input({ slos: { availability: 0.2 } })).verdict).toBe('block');
    expect(policyMatches(p, { ...svc, entityRef: 'component:default/other' })).toBe(false);
  });
});

describe('condition checking', () => {
  it('reports unknown variables and fields, type errors and non-bool results with an offset', () => {
    const unknown = compileCondition('budgte.remaining < 0.1');
    expect(unknown).toEqual({ offset: 0, reason: expect.stringMatching(/Unknown variable: budgte/) });
    const field = compileCondition('budget.remainin < 0.1');
    expect(field).toEqual({ offset: 7, reason: expect.stringMatching(/remainin/) });
    expect(compileCondition('budget.remaining + "x" > 1')).toEqual({ offset: expect.any(Number), reason: expect.stringMatching(/overload/) });
    expect(compileCondition('budget.remaining')).toEqual({ offset: 0, reason: expect.stringMatching(/must be true or false.*double/) });
    expect(compileCondition('budget.remaining <')).toEqual({ offset: expect.any(Number), reason: expect.any(String) });
  });

  it('rejects hostile input quickly with a bounded message', () => {
    const started = Date.now();
    const long = compileCondition('a'.repeat(100_000));
    expect(long).toEqual({ offset: 0, reason: expect.stringContaining(`at most ${MAX_CONDITION_LENGTH}`) });
    const deep = compileCondition(`${'('.repeat(200)}true${')'.repeat(200)}`);
    expect(deep).toEqual({ offset: expect.any(Number), reason: expect.stringMatching(/depth/i) });
    const wide = compileCondition(Array.from({ length: 1500 }, () => 'true').join(' && ').slice(0, MAX_CONDITION_LENGTH));
    expect(isConditionError(wide)).toBe(true);
    for (const r of [long, deep, wide]) expect((r as { reason: string }).reason.length).toBeLessThan(400);
    // A budget, not a benchmark: all three are refused long before a user would notice.
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('blast.* in conditions', () => {
  const wide = policy({ rules: [rule('wide', "blast.severity in ['high', 'critical'] && service.tier == 1", 'block')] });

  it('blocks a tier-1 deploy with a critical blast radius and reads the values', () => {
    const d = evaluateGate([wide], input({ blast: { severity: 'critical', affected: 12, tier1: 3 } }));
    expect(d.verdict).toBe('block');
    expect(d.rules[0].values).toMatchObject({ blast: { severity: 'critical' } });
    expect(evaluateGate([wide], input({ blast: { severity: 'medium', affected: 3, tier1: 0 } })).verdict).toBe('allow');
  });

  it('counts affected services as ints and cannot evaluate blast before the first graph build', () => {
    const many = policy({ rules: [rule('many', 'blast.affected >= 10', 'warn')] });
    expect(evaluateGate([many], input({ blast: { severity: 'critical', affected: 10, tier1: 0 } })).verdict).toBe('warn');
    const unknown = evaluateGate([many], input({ blast: null }));
    expect(unknown.rules[0].result).toBe('error');
  });
});

describe('the ledger in conditions', () => {
  it('blocks after a high-confidence burning deploy and reads the value', () => {
    const again = policy({ rules: [rule('again', 'deploy.recentHighImpact && service.tier == 1', 'block')] });
    const d = evaluateGate([again], input({ ledger: { unattributedRatio: 0.1, recentHighImpact: true } }));
    expect(d.verdict).toBe('block');
    expect(d.rules[0].values).toMatchObject({ deploy: { recentHighImpact: true } });
    expect(evaluateGate([again], input({ ledger: { unattributedRatio: 0.1, recentHighImpact: false } })).verdict).toBe('allow');
    // Before the ledger first ran: not evaluable, never "no impact".
    expect(evaluateGate([again], input({ ledger: null })).rules[0].result).toBe('error');
  });

  it('warns when most of the burn is unexplained, and cannot evaluate it when nothing burned', () => {
    const unexplained = policy({ rules: [rule('unexplained', 'ledger.unattributedRatio > 0.5', 'warn')] });
    expect(evaluateGate([unexplained], input({ ledger: { unattributedRatio: 0.75, recentHighImpact: false } })).verdict).toBe('warn');
    expect(evaluateGate([unexplained], input({ ledger: { unattributedRatio: 0.25, recentHighImpact: false } })).verdict).toBe('allow');
    expect(evaluateGate([unexplained], input({ ledger: { unattributedRatio: null, recentHighImpact: false } })).rules[0].result).toBe('error');
  });

  it('with has(), as the demo policy writes it, allows before the ledger first ran', () => {
    const guarded = policy({ rules: [rule('guarded', 'has(deploy.recentHighImpact) && deploy.recentHighImpact', 'warn')] });
    const before = evaluateGate([guarded], input({ ledger: null }));
    expect(before.rules[0].result).toBe('false');
    expect(before.verdict).toBe('allow');
    expect(evaluateGate([guarded], input({ ledger: { unattributedRatio: null, recentHighImpact: true } })).verdict).toBe('warn');
  });

  it('type-checks the new variables at load', () => {
    expect(() => policy({ rules: [rule('typo', 'deploy.recentHighImpact > 1', 'warn')] })).toThrow();
  });
});

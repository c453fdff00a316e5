import { budgetCrossing, budgetLevel } from './budgetLevels';

describe('budgetLevel', () => {
  it.each([
    [1, 100],
    [0.5001, 100],
    [0.5, 50],
    [0.26, 50],
    [0.25, 25],
    [0.1, 10],
    [0.0999, 10],
    [0.0001, 10],
    [0, 0],
    [-0.4, 0],
  ])('%p remaining is level %p', (ratio, level) => {
    expect(budgetLevel(ratio)).toBe(level);
  });

  it('has no level without data', () => {
    expect(budgetLevel(null)).toBeNull();
    expect(budgetLevel(Number.NaN)).toBeNull();
  });
});

describe('budgetCrossing', () => {
  it('notifies once per level crossed downwards, and again after a recovery', () => {
    const seen: string[] = [];
    let notified = 100;
    for (const ratio of [0.9, 0.45, 0.4, 0.3, 0.2, 0.22, 0.6, 0.49, 0.05, -0.1, -0.2, null, 0.8]) {
      const { action, level } = budgetCrossing(notified, ratio);
      if (action === 'notify') seen.push(`${ratio}→${level}`);
      notified = level;
    }
    // 0.45 crosses 50; 0.2 crosses 25; 0.6 recovers (reset to 100); 0.49 crosses 50 again;
    // 0.05 jumps straight to 10 (one notification, not two); -0.1 exhausts; null keeps 0.
    expect(seen).toEqual(['0.45→50', '0.2→25', '0.49→50', '0.05→10', '-0.1→0']);
    expect(notified).toBe(100);
  });
});

import { generateArtifacts } from '../generateArtifacts';
import { loadAlertCatalogue } from '../technology';
import { sampleInput } from '../testing/sampleInput';
import { expectedRuleGroups } from './expectedRules';

const catalogue = loadAlertCatalogue();

function generated() {
  return generateArtifacts(
    sampleInput({}, [
      { ref: 'resource:default/orders-db', name: 'orders-db', kind: 'resource', technology: 'postgresql' },
      { ref: 'resource:default/events', name: 'events', kind: 'resource', technology: 'kafka' },
    ]),
    { catalogue },
  ).artifacts;
}

describe('expectedRuleGroups', () => {
  it('reads the same groups from the document a file was written from as from its text', () => {
    const fresh = generated();
    // Copies carry no kept document: their rule files are read from the YAML text.
    const copies = generated().map(a => ({ ...a }));
    const fromDocuments = expectedRuleGroups(fresh);
    const fromText = expectedRuleGroups(copies);
    expect(fromDocuments.length).toBeGreaterThanOrEqual(3);
    expect(fromDocuments.some(g => g.rules.some(r => r.type === 'alerting' && r.for))).toBe(true);
    expect(fromDocuments.some(g => g.rules.some(r => r.type === 'recording'))).toBe(true);
    expect(fromDocuments).toEqual(fromText);
    // Both files: the SLO rules and the technology alerts.
    expect(new Set(fromDocuments.map(g => g.filename))).toEqual(new Set(fresh.filter(a => a.kind.endsWith('rules') || a.kind === 'technology-alerts').map(a => a.filename)));
  });

  it('reads each file once: the same artifact gives the same groups again', () => {
    const fresh = generated();
    const first = expectedRuleGroups(fresh);
    const again = expectedRuleGroups(fresh);
    expect(again).toHaveLength(first.length);
    again.forEach((group, i) => expect(group).toBe(first[i]));
  });
});

import { Artifact } from '../types';
import { toYaml } from '../yamlOutput';
import { generateArtifacts } from '../generateArtifacts';
import { loadAlertCatalogue } from '../technology';
import { sampleInput } from '../testing/sampleInput';
import { expectedRuleGroups } from './expectedRules';
import { ruleFileArtifact, takeRuleDocument } from './ruleDocuments';

const meta: Omit<Artifact, 'content'> = { id: 'x-rules', kind: 'prometheus-rules', filename: 'prometheus/x.rules.yaml', mediaType: 'application/yaml', description: 'x' };
const document = () => ({ groups: [{ name: 'nthlayer-x', rules: [{ record: 'r', expr: 'sum(rate(a[5m]))', labels: { service: 'x' } }] }] });

const written = (artifact: object) => 'value' in Object.getOwnPropertyDescriptor(artifact, 'content')!;

describe('ruleFileArtifact', () => {
  it('writes the text when it is first read: the YAML of the document with its header, the same string after', () => {
    const doc = document();
    const artifact = ruleFileArtifact(meta, doc, 'header line\nsecond');
    expect(written(artifact)).toBe(false);
    const text = artifact.content;
    expect(text).toBe(toYaml(document(), 'header line\nsecond'));
    expect(text.startsWith('# header line\n# second\n')).toBe(true);
    expect(written(artifact)).toBe(true);
    expect(artifact.content).toBe(text);
  });

  it('is a plain artifact to every reader: keys, spread, JSON and assignment see the text', () => {
    const artifact = ruleFileArtifact(meta, document(), 'h');
    expect(Object.keys(artifact)).toEqual(['id', 'kind', 'filename', 'mediaType', 'description', 'content']);
    expect(JSON.parse(JSON.stringify(ruleFileArtifact(meta, document(), 'h'))).content).toBe(toYaml(document(), 'h'));
    expect({ ...ruleFileArtifact(meta, document(), 'h') }.content).toBe(toYaml(document(), 'h'));
    artifact.content = 'replaced';
    expect(artifact.content).toBe('replaced');
  });

  it('hands its document out once', () => {
    const doc = document();
    const artifact = ruleFileArtifact(meta, doc, 'h');
    expect(takeRuleDocument(artifact)).toBe(doc);
    expect(takeRuleDocument(artifact)).toBeUndefined();
    // The text is still the document's (the getter holds it until written).
    expect(artifact.content).toBe(toYaml(document(), 'h'));
  });

  it('drift reads the generated rule groups without writing any rule file', () => {
    const artifacts = generateArtifacts(
      sampleInput({}, [{ ref: 'resource:default/orders-db', name: 'orders-db', kind: 'resource', technology: 'postgresql' }]),
      { catalogue: loadAlertCatalogue() },
    ).artifacts;
    const ruleFiles = artifacts.filter(a => a.kind === 'prometheus-rules' || a.kind === 'technology-alerts');
    expect(ruleFiles).toHaveLength(2);
    const groups = expectedRuleGroups(artifacts);
    expect(groups.flatMap(g => g.rules).length).toBeGreaterThan(10);
    expect(ruleFiles.map(written)).toEqual([false, false]);
  });
});

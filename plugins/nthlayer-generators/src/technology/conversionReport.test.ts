import fs from 'fs';
import path from 'path';
import { stringify } from 'yaml';
import { mustRunPromtool, tempDir } from '../prometheus/testServices';
import { loadAlertCatalogue } from './catalogue';
import { PROMTOOL_REJECTED } from './convertRule';
import {
  ConversionEntry,
  SUPPORTED_SERVICES,
  conversionMarkdown,
  convertCatalogue,
} from './conversionReport';

// Runs the real promtool over every converted catalogue rule, checks that the rules the
// generator leaves out for promtool's sake are exactly those promtool rejects, and keeps
// data/awesome-prometheus-alerts/CONVERSION.md up to date.

const catalogue = loadAlertCatalogue();
const dir = tempDir('catalogue');
const REPORT = path.resolve(
  __dirname,
  '../../data/awesome-prometheus-alerts/CONVERSION.md',
);

function check(name: string, entries: ConversionEntry[]) {
  const file = path.join(
    dir,
    `${name.replace(/[^A-Za-z0-9]+/g, '_')}.rules.yaml`,
  );
  fs.writeFileSync(
    file,
    stringify(
      { groups: [{ name, rules: entries.map(e => e.converted) }] },
      { lineWidth: 0 },
    ),
  );
  return mustRunPromtool(['check', 'rules', file]);
}

/** Rules promtool rejects: one file per exporter, then one per rule where an exporter fails. */
function promtoolRejections(
  entries: ConversionEntry[],
): Record<string, string> {
  const rejected: Record<string, string> = {};
  const exporters = [
    ...new Set(entries.map(e => `${e.service}|${e.exporter}`)),
  ];
  for (const key of exporters) {
    const converted = entries.filter(
      e => e.converted && `${e.service}|${e.exporter}` === key,
    );
    if (!converted.length || check(key, converted).status === 'passed')
      continue;
    for (const entry of converted) {
      const verdict = check(`${key}|${entry.rule.name}`, [entry]);
      if (verdict.status === 'failed') {
        const reason =
          verdict.output
            .split('\n')
            .find(l => /error|could not|parse/i.test(l)) ?? verdict.output;
        rejected[`${entry.service}/${entry.rule.name}`] = reason
          .replace(/^.*?rule \d+, "[^"]*": /, '')
          .trim();
      }
    }
  }
  return rejected;
}

describe('awesome-prometheus-alerts conversion', () => {
  const supported = convertCatalogue(catalogue, SUPPORTED_SERVICES);
  const all = convertCatalogue(catalogue);

  it('converts most rules of the supported technologies; the rest need site-specific values', () => {
    const converted = supported.filter(e => e.converted);
    expect(SUPPORTED_SERVICES).toHaveLength(8);
    expect(supported.length).toBeGreaterThan(140);
    expect(converted.length / supported.length).toBeGreaterThan(0.9);
    for (const entry of supported.filter(e => !e.converted)) {
      expect(entry.reason).toMatch(/site-specific|promtool|syntax/);
    }
  });

  it('passes promtool check rules for every converted rule of the whole catalogue', () => {
    const rejected = promtoolRejections(all);
    expect(rejected).toEqual({});
    expect(all.filter(e => e.converted).length).toBeGreaterThan(1000);
  });

  it('leaves out exactly the rules promtool rejects', () => {
    // Convert the left-out rules anyway and let promtool confirm each is still rejected.
    const leftOut = all
      .filter(e => e.reason?.startsWith('rejected by promtool'))
      .map(e => ({
        ...e,
        converted: { alert: 'Rejected', expr: String(e.rule.query).trim() },
        reason: undefined,
      }));
    expect(leftOut.map(e => `${e.service}/${e.rule.name}`).sort()).toEqual(
      Object.keys(PROMTOOL_REJECTED).sort(),
    );
    for (const entry of leftOut)
      expect(check(`rejected|${entry.rule.name}`, [entry]).status).toBe(
        'failed',
      );
  });

  it('keeps CONVERSION.md up to date', () => {
    const version = mustRunPromtool(['--version']).output.split('\n')[0];
    const expected = conversionMarkdown(
      catalogue,
      version.replace(/\s*\(.*$/, ''),
    );
    if (process.env.UPDATE_CONVERSION) fs.writeFileSync(REPORT, expected);
    const actual = fs.existsSync(REPORT) ? fs.readFileSync(REPORT, 'utf8') : '';
    const state = actual === expected ? 'up to date' : 'out of date';
    // Out of date: run UPDATE_CONVERSION=1 yarn backstage-cli package test src/technology
    expect(`CONVERSION.md is ${state}`).toBe('CONVERSION.md is up to date');
  });
});

// Applies the README's "Install into your Backstage app" section to a freshly created app:
// runs its `yarn ... add` lines (each package taken from its packed tarball instead of the
// registry) and inserts its TypeScript lines into the files the blocks name. Fails loudly
// when the README or the app does not look as expected, so the README cannot drift from
// what this test proves.
//
// usage: node apply-readme.mjs <README.md> <appDir> <packsDir>
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [readmePath, appDir, packsDir] = process.argv.slice(2);
if (!readmePath || !appDir || !packsDir) {
  throw new Error('usage: apply-readme.mjs <README.md> <appDir> <packsDir>');
}

const HEADING = '## Install into your Backstage app';

/** Code blocks of the install section up to the legacy-system paragraph. */
export function installBlocks(readme) {
  const start = readme.indexOf(HEADING);
  if (start < 0) throw new Error(`README has no "${HEADING}" section`);
  const rest = readme.slice(start + HEADING.length);
  const end = rest.search(/^## /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  const legacy = section.indexOf('Legacy frontend system');
  const modern = legacy < 0 ? section : section.slice(0, legacy);
  return [...modern.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(m => ({
    lang: m[1],
    lines: m[2].split('\n').filter(l => l.trim() !== ''),
  }));
}

/** The tarball packed for `name`, e.g. `@nthlayer/cli` → `@nthlayer-cli-0.0.0.tgz`. */
function tarballFor(name) {
  const prefix = `${name.replace('/', '-')}-`;
  const match = fs
    .readdirSync(packsDir)
    .filter(f => f.startsWith(prefix) && /^\d/.test(f.slice(prefix.length)));
  if (match.length !== 1) throw new Error(`no single tarball for ${name} in ${packsDir}`);
  return path.join(packsDir, match[0]);
}

function runYarnAdd(line) {
  const m = line.match(/^yarn --cwd (\S+) add (@nthlayer\/\S+)$/);
  if (!m) throw new Error(`unexpected install line in README: ${line}`);
  const [, cwd, name] = m;
  const spec = `${name}@file:${tarballFor(name)}`;
  console.log(`+ yarn --cwd ${cwd} add ${spec}`);
  execFileSync('yarn', ['--cwd', cwd, 'add', spec], { cwd: appDir, stdio: 'inherit' });
}

function addImports(source, imports) {
  const lines = source.split('\n');
  let last = -1;
  lines.forEach((l, i) => {
    if (/^import .* from .*;$/.test(l) || /^} from .*;$/.test(l)) last = i;
  });
  if (last < 0) throw new Error('no import statements to add to');
  lines.splice(last + 1, 0, ...imports);
  return lines.join('\n');
}

function applyBackend(file, lines) {
  let source = fs.readFileSync(file, 'utf8');
  for (const line of lines) {
    if (!line.startsWith('backend.add(')) throw new Error(`unexpected backend line: ${line}`);
    if (!source.includes('backend.start();')) throw new Error(`${file} has no backend.start()`);
    source = source.replace('backend.start();', `${line}\n\nbackend.start();`);
  }
  fs.writeFileSync(file, source);
}

function applyApp(file, lines) {
  let source = fs.readFileSync(file, 'utf8');
  const imports = lines.filter(l => l.startsWith('import '));
  const body = lines.filter(l => !l.startsWith('import ')).join('\n');
  const features = body
    .match(/features:\s*\[([\s\S]*?)\]/)?.[1]
    .split('\n')
    .map(l => l.replace(/\/\/.*$/, '').trim().replace(/,$/, ''))
    .filter(Boolean);
  if (!features?.length) throw new Error('README app block lists no features');
  source = addImports(source, imports);
  const appFeatures = source.match(/features:\s*\[([^\]]*)\]/);
  if (!appFeatures) throw new Error(`${file} has no createApp({ features: [...] })`);
  const merged = [...appFeatures[1].split(',').map(s => s.trim()).filter(Boolean), ...features];
  source = source.replace(appFeatures[0], `features: [${merged.join(', ')}]`);
  fs.writeFileSync(file, source);
}

const blocks = installBlocks(fs.readFileSync(readmePath, 'utf8'));
const applied = [];
for (const block of blocks) {
  if (block.lang === 'bash') {
    block.lines.forEach(runYarnAdd);
    applied.push(...block.lines);
    continue;
  }
  if (block.lang === 'yaml') continue; // config: the test writes its own with a real Prometheus
  const target = block.lines[0].match(/^\/\/ (\S+)/)?.[1];
  if (!target) throw new Error(`a ${block.lang} block must start with "// <file>"`);
  const file = path.join(appDir, target);
  const code = block.lines.slice(1);
  if (target.endsWith('backend/src/index.ts')) applyBackend(file, code);
  else if (target.endsWith('app/src/App.tsx')) applyApp(file, code);
  else throw new Error(`README names a file this test does not know: ${target}`);
  applied.push(`${target}: ${code.length} lines`);
}
if (applied.length < 4) throw new Error(`README install section too short: ${applied.join('; ')}`);
console.log(`applied from README: ${applied.join(' | ')}`);

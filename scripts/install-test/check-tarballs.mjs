// Checks packed tarballs the way a consumer's resolver sees them: every entry point
// (main, types, module, bin, each `exports` target and `typesVersions` path) exists in the
// tarball and points at built output, never at src/; no `workspace:` ranges are left;
// the package is public. usage: node check-tarballs.mjs <packsDir>
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const packsDir = process.argv[2];
const problems = [];
const rows = [];

function targets(value) {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(targets);
  if (value && typeof value === 'object') {
    // `backstage` conditions name a feature type, not a file.
    return Object.entries(value)
      .filter(([k]) => k !== 'backstage')
      .flatMap(([, v]) => targets(v));
  }
  return [];
}

for (const tgz of fs.readdirSync(packsDir).filter(f => f.endsWith('.tgz')).sort()) {
  const file = path.join(packsDir, tgz);
  const files = new Set(
    execFileSync('tar', ['tzf', file], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(f => f.replace(/^package\//, '')),
  );
  const pkg = JSON.parse(
    execFileSync('tar', ['xzf', file, '-O', 'package/package.json'], { encoding: 'utf8' }),
  );
  const where = `${pkg.name} (${tgz})`;
  if (pkg.private) problems.push(`${where}: private`);
  const entries = [
    ...targets(pkg.main),
    ...targets(pkg.types),
    ...targets(pkg.module),
    ...targets(pkg.bin),
    ...targets(pkg.exports),
    ...targets(pkg.typesVersions),
  ];
  for (const entry of entries) {
    const rel = path.posix.normalize(entry.replace(/^\.\//, ''));
    if (rel.startsWith('src/')) problems.push(`${where}: entry point ${entry} is in src/`);
    if (!files.has(rel)) problems.push(`${where}: entry point ${entry} is not in the tarball`);
  }
  if ([...files].some(f => f.startsWith('src/'))) problems.push(`${where}: ships src/`);
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dep, range] of Object.entries(pkg[field] ?? {})) {
      if (String(range).startsWith('workspace:')) {
        problems.push(`${where}: ${field} ${dep}@${range}`);
      }
    }
  }
  for (const key of ['license', 'repository', 'version']) {
    if (!pkg[key]) problems.push(`${where}: no ${key}`);
  }
  rows.push(`${pkg.name}@${pkg.version}: ${files.size} files, ${entries.length} entry points`);
}

if (rows.length === 0) problems.push(`no tarballs in ${packsDir}`);
rows.forEach(r => console.log(`  ${r}`));
if (problems.length) {
  console.error(problems.map(p => `tarball problem: ${p}`).join('\n'));
  process.exit(1);
}

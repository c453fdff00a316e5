// Prepares a freshly created app's root package.json for an install on these machines:
//  - the root `resolutions` of this repository (platform binaries pinned to versions the
//    registry has; MACHINE-FACTS);
//  - every @backstage package pinned to its version in the Backstage release of
//    backstage.json, as create-app's seed lockfile would (the seed cannot be fetched here):
//    the versions of this repository's yarn.lock (installed for that release), and for the
//    packages only the new app uses, the version its template names (`^0.3.19` → 0.3.19).
//    Without this a caret resolves to patches built for the next release (seen: signals-
//    backend 0.3.21 needs backend-defaults 0.19 and the app fails to start);
//  - each NthLayer package resolved to its packed tarball.
// usage: node pin-release.mjs <repoRoot> <appDir> <packsDir>
import fs from 'node:fs';
import path from 'node:path';

const [root, appDir, packsDir] = process.argv.slice(2);
const readJson = file => JSON.parse(fs.readFileSync(file, 'utf8'));

const pins = new Map();
const lock = fs.readFileSync(path.join(root, 'yarn.lock'), 'utf8');
for (const block of lock.split('\n\n')) {
  const name = block.match(/^"(@backstage\/[^@"]+)@npm:/m)?.[1];
  const version = block.match(/^ {2}version: (\S+)/m)?.[1];
  if (!name || !version) continue;
  if (pins.has(name) && pins.get(name) !== version) pins.set(name, null); // several: leave it
  else pins.set(name, version);
}
const manifests = [path.join(appDir, 'package.json')];
for (const dir of ['packages', 'plugins']) {
  const parent = path.join(appDir, dir);
  if (!fs.existsSync(parent)) continue;
  for (const ws of fs.readdirSync(parent)) {
    const file = path.join(parent, ws, 'package.json');
    if (fs.existsSync(file)) manifests.push(file);
  }
}
for (const file of manifests) {
  const pkg = readJson(file);
  for (const deps of [pkg.dependencies, pkg.devDependencies]) {
    for (const [name, range] of Object.entries(deps ?? {})) {
      const exact = String(range).match(/^[\^~]?(\d+\.\d+\.\d+)$/)?.[1];
      if (name.startsWith('@backstage/') && exact && !pins.has(name)) pins.set(name, exact);
    }
  }
}

const appFile = path.join(appDir, 'package.json');
const app = readJson(appFile);
const resolutions = { ...readJson(path.join(root, 'package.json')).resolutions, ...app.resolutions };
for (const [name, version] of [...pins].sort()) if (version) resolutions[name] = version;
for (const tgz of fs.readdirSync(packsDir).filter(f => f.endsWith('.tgz'))) {
  const name = tgz.replace(/-\d+\.\d+\.\d+[^/]*\.tgz$/, '').replace(/^@nthlayer-/, '@nthlayer/');
  resolutions[name] = `file:${path.join(packsDir, tgz)}`;
}
app.resolutions = resolutions;
fs.writeFileSync(appFile, `${JSON.stringify(app, null, 2)}\n`);
console.log(`pinned ${[...pins.values()].filter(Boolean).length} @backstage packages to the release`);

#!/usr/bin/env node
// Every package.json script that runs a file of this repository (`node <file>`,
// `bash <file>`, `node --require … <file>`) must name a file that exists: a script a newcomer
// types must not fail with "Cannot find module". Checks the root and every workspace.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const manifests = [path.join(root, 'package.json')];
for (const dir of ['packages', 'plugins', 'e2e-tests']) {
  const parent = path.join(root, dir);
  if (fs.existsSync(path.join(parent, 'package.json'))) manifests.push(path.join(parent, 'package.json'));
  else if (fs.existsSync(parent)) {
    for (const ws of fs.readdirSync(parent)) {
      const file = path.join(parent, ws, 'package.json');
      if (fs.existsSync(file)) manifests.push(file);
    }
  }
}
const problems = [];
let checked = 0;
for (const manifest of manifests) {
  const dir = path.dirname(manifest);
  const { scripts = {} } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  for (const [name, command] of Object.entries(scripts)) {
    for (const part of command.split(/&&|\|\||;/)) {
      const words = part.trim().split(/\s+/);
      if (!['node', 'bash', 'sh'].includes(words[0])) continue;
      const file = words.slice(1).find(w => /\.(m?js|cjs|ts|sh)$/.test(w) && !w.startsWith('@'));
      if (!file) continue;
      checked++;
      if (!fs.existsSync(path.resolve(dir, file))) {
        problems.push(`${path.relative(root, manifest)}: "${name}" runs ${file}, which does not exist`);
      }
    }
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`package.json scripts: ${checked} files named, all exist`);

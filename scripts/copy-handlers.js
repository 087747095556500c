// Copies every custom-resource handler directory (`lib/**/handler`, plain JavaScript that jsii does
// not compile) next to the compiled library, where the providers find them: `dist` for
// `npm run build`, or the directory given (`.bench-out/lib` for `npm run bench`).
'use strict';
const fs = require('fs');
const path = require('path');

function handlerDirs(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) { continue; }
    const full = path.join(dir, entry.name);
    if (entry.name === 'handler') { found.push(full); } else { found.push(...handlerDirs(full)); }
  }
  return found;
}

const outRoot = process.argv[2] || 'dist';
for (const dir of handlerDirs('lib')) {
  const target = path.join(outRoot, path.relative('lib', dir));
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(dir, target, { recursive: true, filter: (src) => !src.endsWith('.ts') });
  console.log(`copied ${dir} to ${target}`);
}

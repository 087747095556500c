#!/usr/bin/env node
// The `cdk-vpc-connect` executable (package.json `bin`): `npx cdk-vpc-connect analyze [cdk.out]`.
import * as fs from 'fs';
import { runAnalyzeCli } from './cli';

// `cdk-vpc-connect analyze | head`: the reader left, stop quietly instead of crashing on EPIPE.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') {
    throw e;
  }
  process.exit();
});

process.exitCode = runAnalyzeCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  writeFile: (file, text) => fs.writeFileSync(file, text),
});

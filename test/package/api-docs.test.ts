import * as fs from 'fs';
import * as path from 'path';
import { Documentation, Language } from 'jsii-docgen';

// API.md is generated from the jsii assembly (`npm run docgen`), in the format Construct Hub shows:
// when the API changes and API.md is not regenerated, this fails.

const ROOT = path.join(__dirname, '..', '..');

test('API.md is what jsii-docgen generates from the current assembly (run `npm run docgen`)', async () => {
  const docs = await Documentation.forProject(ROOT);
  const markdown = await docs.toMarkdown({ language: Language.TYPESCRIPT });
  const committed = fs.readFileSync(path.join(ROOT, 'API.md'), 'utf-8');
  // Compare line by line so a failure names the first stale line rather than two 300 kB strings.
  const expected = markdown.render().split('\n');
  const actual = committed.split('\n');
  const firstDifference = expected.findIndex((line, i) => line !== actual[i]);
  expect({ firstDifference, expected: expected[firstDifference], committed: actual[firstDifference], lines: actual.length })
    .toEqual({ firstDifference: -1, expected: undefined, committed: undefined, lines: expected.length });
});

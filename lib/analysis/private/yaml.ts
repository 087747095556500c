/**
 * CloudFormation templates written in YAML, short-form intrinsic tags included (`!Ref`,
 * `!GetAtt a.b`, `!Sub`, `!If`...): parsed into the JSON form the model reads (`{ Ref: ... }`,
 * `{ 'Fn::GetAtt': [a, b] }`). Uses the `yaml` package (eemeli/yaml), as aws-cdk-lib does.
 *
 * The short forms (`!GetAtt logicalName.attributeName` and the others): each function's page of
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getatt.html
 */
import { parseDocument, ScalarTag, CollectionTag, YAMLMap, YAMLSeq } from 'yaml';

/** Short tag → the long form's key. */
const SHORT_TAGS: { [tag: string]: string } = {
  Ref: 'Ref',
  Condition: 'Condition',
  GetAtt: 'Fn::GetAtt',
  Sub: 'Fn::Sub',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  If: 'Fn::If',
  Equals: 'Fn::Equals',
  Not: 'Fn::Not',
  And: 'Fn::And',
  Or: 'Fn::Or',
  FindInMap: 'Fn::FindInMap',
  GetAZs: 'Fn::GetAZs',
  Cidr: 'Fn::Cidr',
  ImportValue: 'Fn::ImportValue',
  Base64: 'Fn::Base64',
  Length: 'Fn::Length',
  ToJsonString: 'Fn::ToJsonString',
  Transform: 'Fn::Transform',
};

/** The custom tags for the yaml parser: each short tag on a scalar, a sequence or a mapping. */
function cloudFormationTags(): Array<ScalarTag | CollectionTag> {
  const tags: Array<ScalarTag | CollectionTag> = [];
  for (const [short, key] of Object.entries(SHORT_TAGS)) {
    tags.push({
      tag: `!${short}`,
      // `!GetAtt Resource.Attribute`: the long form's list (the attribute may itself hold dots).
      resolve: (text: string) => ({ [key]: short === 'GetAtt' && text.includes('.') ? [text.slice(0, text.indexOf('.')), text.slice(text.indexOf('.') + 1)] : text }),
    });
    for (const collection of ['seq', 'map'] as const) {
      tags.push({
        tag: `!${short}`,
        collection,
        resolve: (node: YAMLMap.Parsed | YAMLSeq.Parsed) => ({ [key]: node.toJSON() }),
      } as CollectionTag);
    }
  }
  return tags;
}

let tags: Array<ScalarTag | CollectionTag> | undefined;

/**
 * Parse a template's text: JSON when it is JSON, else YAML with CloudFormation's short tags.
 *
 * @param text the template
 * @param where how to name the template in errors (its file, and the stack)
 * @throws an Error naming `where`, the line and column, when the text is neither
 */
export function parseTemplateText(text: string, where: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch {
      // YAML's flow style also starts with '{': let the YAML parser judge (and report).
    }
  }
  tags ??= cloudFormationTags();
  const document = parseDocument(text, { customTags: tags, prettyErrors: true, uniqueKeys: true });
  const problems = [...document.errors, ...document.warnings];
  if (problems.length > 0) {
    const first = problems[0];
    const position = first.linePos?.[0] ? ` at line ${first.linePos[0].line}, column ${first.linePos[0].col}` : '';
    const message = first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new Error(`${where} is neither JSON nor valid YAML${position}: ${message}.` +
      (/Unresolved tag/.test(message) ? ` The short forms CloudFormation knows are ${Object.keys(SHORT_TAGS).map((t) => `!${t}`).join(', ')}.` : ''));
  }
  return document.toJS({ maxAliasCount: 1000 });
}

/**
 * Checks schemas/ against the official Smithy model of SWF: for every schema shape whose name is
 * a model shape, the members, required members, length bounds, ranges and value sets must agree.
 *
 *   npx tsx scripts/check-model.ts [path/to/swf-2012-01-25.smithy.json]
 *
 * The model is reference data kept outside the project (../shared/aws-model by default), so this
 * runs in CI, where that folder exists, and never from the project's own tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadSchemaFiles, type JsonSchema } from '../src/contract/schema-files.ts';
import { deref } from '../src/contract/constraints.ts';
import { projectRoot } from '../src/contract/paths.ts';
import { JSON_CONTENT_TYPE, SIGNING_NAME, TARGET_PREFIX } from '../src/contract/protocol.ts';

interface ModelShape {
  type: string;
  members?: Record<string, { target: string; traits?: Record<string, unknown> }>;
  member?: { target: string };
  traits?: Record<string, unknown>;
}

const modelPath = resolve(process.argv[2] ?? resolve(projectRoot, '../shared/aws-model/swf-2012-01-25.smithy.json'));
if (!existsSync(modelPath)) {
  console.error(`check-model: no model at ${modelPath}; pass its path as the first argument`);
  process.exit(2);
}
const model = JSON.parse(readFileSync(modelPath, 'utf8')) as { shapes: Record<string, ModelShape> };
const NS = 'com.amazonaws.swf#';
interface ModelOperation {
  input?: { target: string };
  output?: { target: string };
  errors?: { target: string }[];
}
const modelOperation = (name: string) =>
  model.shapes[NS + name]?.type === 'operation' ? (model.shapes[NS + name] as unknown as ModelOperation) : undefined;
const shape = (name: string): ModelShape | undefined =>
  model.shapes[name.startsWith(NS) || name.startsWith('smithy.api#') ? name : NS + name];

/**
 * Where the schemas deliberately differ from the model, and why. Each entry silences exactly one
 * message of this check.
 */
const knownDifferences: Record<string, string> = {
  'DecisionTask.taskToken: required false, model says true': 'a long poll that ends with no task answers the shape with no taskToken',
  'DecisionTask.startedEventId: required false, model says true': 'same: empty poll answer',
  'DecisionTask.workflowExecution: required false, model says true': 'same: empty poll answer',
  'DecisionTask.workflowType: required false, model says true': 'same: empty poll answer',
  'DecisionTask.events: required false, model says true': 'same: empty poll answer',
  'ActivityTask.taskToken: required false, model says true': 'a long poll that ends with no task answers the shape with no taskToken',
  'ActivityTask.taskToken: minLength 0, model says 1': 'same: empty poll answer',
  'ActivityTask.activityId: required false, model says true': 'same: empty poll answer',
  'ActivityTask.workflowExecution: required false, model says true': 'same: empty poll answer',
  'ActivityTask.activityType: required false, model says true': 'same: empty poll answer',
  'DecisionTask.taskToken: minLength 0, model says 1':
    'the PollForDecisionTask page documents an empty poll as taskToken "", and emulators send exactly that',
};

const problems: string[] = [];
let compared = 0;

function lengthOf(s: ModelShape | undefined): { min?: number; max?: number } | undefined {
  return s?.traits?.['smithy.api#length'] as { min?: number; max?: number } | undefined;
}

function compareMember(where: string, file: string, schema: JsonSchema, target: string): void {
  const model = shape(target);
  const { schema: s } = deref(file, schema);
  compared += 1;
  if (!model) return;
  const kind = model.type;
  if (kind === 'string' || kind === 'enum') {
    if (s.type !== 'string') problems.push(`${where}: type ${s.type}, model says string`);
    const len = lengthOf(model);
    if ((len?.min ?? undefined) !== s.minLength && !(len?.min === undefined && s.minLength === undefined))
      problems.push(`${where}: minLength ${s.minLength}, model says ${len?.min}`);
    if ((len?.max ?? undefined) !== s.maxLength) problems.push(`${where}: maxLength ${s.maxLength}, model says ${len?.max}`);
    if (kind === 'enum') {
      const values = Object.entries(model.members ?? {}).map(([k, m]) => (m.traits?.['smithy.api#enumValue'] as string) ?? k);
      if (JSON.stringify([...(s.enum ?? [])].sort()) !== JSON.stringify([...values].sort()))
        problems.push(`${where}: enum ${JSON.stringify(s.enum)}, model says ${JSON.stringify(values)}`);
    }
  } else if (kind === 'integer' || kind === 'long') {
    if (s.type !== 'integer') problems.push(`${where}: type ${s.type}, model says ${kind}`);
    const range = model.traits?.['smithy.api#range'] as { min?: number; max?: number } | undefined;
    if (range?.min !== undefined && s.minimum !== range.min) problems.push(`${where}: minimum ${s.minimum}, model says ${range.min}`);
    if (range?.max !== undefined && s.maximum !== range.max) problems.push(`${where}: maximum ${s.maximum}, model says ${range.max}`);
  } else if (kind === 'boolean') {
    if (s.type !== 'boolean') problems.push(`${where}: type ${s.type}, model says boolean`);
  } else if (kind === 'timestamp') {
    if (s.type !== 'number') problems.push(`${where}: type ${s.type}, model timestamp is epoch seconds (number)`);
  } else if (kind === 'list') {
    if (s.type !== 'array') problems.push(`${where}: type ${s.type}, model says list`);
    const len = lengthOf(model);
    if (len?.max !== undefined && s.maxItems !== len.max) problems.push(`${where}: maxItems ${s.maxItems}, model says ${len.max}`);
  } else if (kind === 'structure') {
    compareStructure(where, file, s, target);
  }
}

function compareStructure(where: string, file: string, s: JsonSchema, target: string): void {
  const model = shape(target);
  if (!model?.members) return;
  const required = new Set(s.required ?? []);
  for (const [member, def] of Object.entries(model.members)) {
    const isRequired = def.traits?.['smithy.api#required'] !== undefined;
    const prop = s.properties?.[member];
    if (!prop) {
      if (isRequired) problems.push(`${where}: model member ${member} is required but the schema lacks it`);
      continue;
    }
    if (isRequired !== required.has(member))
      problems.push(`${where}.${member}: required ${required.has(member)}, model says ${isRequired}`);
    compareMember(`${where}.${member}`, file, prop, def.target);
  }
  for (const member of Object.keys(s.properties ?? {})) {
    if (!model.members[member]) problems.push(`${where}: schema member ${member} is not in the model's ${target}`);
  }
}

const files = loadSchemaFiles();
const modelNameOf = (title: string): string => (title === 'HistoryEvent' ? 'HistoryEvent' : title);
for (const [file, schema] of files) {
  if (schema.title && schema.type === 'object' && shape(modelNameOf(schema.title))) {
    compareStructure(schema.title, file, schema, modelNameOf(schema.title));
  }
  for (const [name, def] of Object.entries(schema.$defs ?? {})) {
    if (!shape(name)) continue;
    compareMember(name, file, def, name);
  }
}

// The operation map: each operation's input, output and modelled faults, as the model has them.
const operationMap = JSON.parse(readFileSync(resolve(projectRoot, 'schemas/operations.json'), 'utf8')) as {
  operations: Record<string, { input: string; output: string | null; errors: string[] }>;
};
const bare = (target: string | undefined) => (target === undefined || target === 'smithy.api#Unit' ? null : target.split('#').pop()!);
let operationsCompared = 0;
for (const [name, op] of Object.entries(operationMap.operations)) {
  const model = modelOperation(name);
  if (!model) {
    problems.push(`operations.json: ${name} is not an operation of the model`);
    continue;
  }
  operationsCompared += 1;
  if (bare(model.input?.target) !== op.input)
    problems.push(`operations.json: ${name} input ${op.input}, model says ${bare(model.input?.target)}`);
  if (bare(model.output?.target) !== op.output)
    problems.push(`operations.json: ${name} output ${op.output}, model says ${bare(model.output?.target)}`);
  const faults = (model.errors ?? []).map((e) => bare(e.target)).sort();
  if (JSON.stringify(faults) !== JSON.stringify([...op.errors].sort()))
    problems.push(`operations.json: ${name} errors ${op.errors.join(', ')}, model says ${faults.join(', ')}`);
}

// The protocol constants of src/contract/protocol.ts: the target prefix is the service shape's
// name, the signing name its sigv4 trait's, and the JSON 1.0 content type goes with awsJson1_0.
const [serviceId, service] = Object.entries(model.shapes).find(([, s]) => s.type === 'service') ?? [];
if (!serviceId || !service) problems.push('the model has no service shape');
else {
  if (TARGET_PREFIX !== `${serviceId.split('#').pop()}.`)
    problems.push(`protocol.ts: TARGET_PREFIX ${TARGET_PREFIX}, model's service is ${serviceId}`);
  const sigv4 = service.traits?.['aws.auth#sigv4'] as { name?: string } | undefined;
  if (SIGNING_NAME !== sigv4?.name) problems.push(`protocol.ts: SIGNING_NAME ${SIGNING_NAME}, model says ${String(sigv4?.name)}`);
  if (JSON_CONTENT_TYPE === 'application/x-amz-json-1.0' && !service.traits?.['aws.protocols#awsJson1_0'])
    problems.push(`protocol.ts: JSON_CONTENT_TYPE ${JSON_CONTENT_TYPE}, but the model's protocol is not awsJson1_0`);
}

for (const [i, p] of [...problems.entries()].reverse()) if (knownDifferences[p]) problems.splice(i, 1);
if (problems.length) {
  console.error(`schemas/ disagrees with the model in ${problems.length} place(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`schemas/ agrees with ${modelPath}: ${compared} member shapes and ${operationsCompared} operations compared`);

/**
 * An execution's configuration beyond its child policy: the task list, timeouts, priority and
 * role it is given, which default is missing, and why a start, a child start or a continuation
 * is refused. No clause of the two operations names them; the battery starts executions of types
 * registered with every default. The child policy's sources are the contract's (executions.ts).
 */
import type {
  ChildPolicy,
  ContinueAsNewWorkflowExecutionDecisionAttributes,
  Decision,
  StartWorkflowExecutionInput,
  TagList,
  WorkflowType,
} from '../../../src/generated/types.ts';
import { SwfFault } from '../../faults.ts';
import type { Histories } from '../history.ts';
import { defined, keys, type ConfigGiven, type Execution, type ExecutionConfig, type Store, type TypeRecord } from '../model.ts';

/** DecisionTaskScheduled's scheduleToStartTimeout: NONE unless a decider set one (recorded since 2023; older recordings predate the member). */
export const DECISION_SCHEDULE_TO_START = 'NONE';

/**
 * An execution's configuration: the values given over the type's defaults, then over the
 * fallback (ContinueAsNew keeps the current run's task list and timeouts). The first default
 * missing is named.
 */
export function configOf(
  rec: TypeRecord,
  given: ConfigGiven,
  childPolicy: ChildPolicy | undefined,
  fallback: Partial<ExecutionConfig> = {},
): ExecutionConfig | { undefinedDefault: string } {
  const taskList = given.taskList?.name ?? fallback.taskList ?? rec.defaults.taskList;
  const executionStartToCloseTimeout =
    given.executionStartToCloseTimeout ?? fallback.executionStartToCloseTimeout ?? rec.defaults.executionStartToCloseTimeout;
  const taskStartToCloseTimeout = given.taskStartToCloseTimeout ?? fallback.taskStartToCloseTimeout ?? rec.defaults.taskStartToCloseTimeout;
  if (!childPolicy) return { undefinedDefault: 'CHILD_POLICY' };
  if (!taskList) return { undefinedDefault: 'TASK_LIST' };
  if (!executionStartToCloseTimeout) return { undefinedDefault: 'EXECUTION_START_TO_CLOSE_TIMEOUT' };
  if (!taskStartToCloseTimeout) return { undefinedDefault: 'TASK_START_TO_CLOSE_TIMEOUT' };
  const taskPriority = given.taskPriority ?? rec.defaults.taskPriority;
  return defined({
    childPolicy,
    taskList,
    executionStartToCloseTimeout,
    taskStartToCloseTimeout,
    taskPriority,
    lambdaRole: given.lambdaRole ?? fallback.lambdaRole,
  });
}

/** Where an execution's child policy comes from: the contract's (executions.ts). */
export type PolicyOf = (given: ConfigGiven, rec: TypeRecord) => ChildPolicy | undefined;

/** StartWorkflowExecution's configuration, or its fault: a deprecated type, an execution already open, a missing default. */
export function startConfig(
  store: Store,
  rec: TypeRecord,
  input: StartWorkflowExecutionInput,
  childPolicy: ChildPolicy | undefined,
): ExecutionConfig {
  if (rec.status === 'DEPRECATED')
    throw new SwfFault('TypeDeprecatedFault', `WorkflowType=[name=${rec.type.name}, version=${rec.type.version}]`);
  if (store.openByWorkflowId.has(keys.workflow(input.domain, input.workflowId))) {
    throw new SwfFault('WorkflowExecutionAlreadyStartedFault', `Workflow execution already started: ${input.workflowId}`);
  }
  const config = configOf(rec, input, childPolicy);
  if ('undefinedDefault' in config) {
    throw new SwfFault(
      'DefaultUndefinedFault',
      `No default ${config.undefinedDefault.toLowerCase().replace(/_/g, ' ')} for the workflow type and none given`,
    );
  }
  return config;
}

/** The type a decision names, when it can be started: else the decision's failure cause. */
function startable(store: Store, domain: string, type: WorkflowType): TypeRecord | { cause: string } {
  const rec = store.types.get(keys.type(domain, type));
  if (!rec) return { cause: 'WORKFLOW_TYPE_DOES_NOT_EXIST' };
  if (rec.status === 'DEPRECATED') return { cause: 'WORKFLOW_TYPE_DEPRECATED' };
  return rec;
}

/**
 * A ContinueAsNewWorkflowExecution decision's next run: `go` is called with its type and
 * configuration (unset values come from the workflow type, as for StartWorkflowExecution; the task
 * list and timeouts default to the current run's), or ContinueAsNewWorkflowExecutionFailed is recorded.
 */
export function continuation(
  store: Store,
  events: Histories,
  e: Execution,
  d: Decision,
  completedId: number,
  policyOf: PolicyOf,
  go: (next: Continuation) => void,
): void {
  const a = d.continueAsNewWorkflowExecutionDecisionAttributes ?? {};
  const type = { name: e.type.name, version: a.workflowTypeVersion ?? e.type.version };
  const failed = (cause: string) =>
    events.add(e, 'ContinueAsNewWorkflowExecutionFailed', { cause, decisionTaskCompletedEventId: completedId });
  const rec = startable(store, e.domain, type);
  if ('cause' in rec) return void failed(rec.cause);
  const { taskList, executionStartToCloseTimeout, taskStartToCloseTimeout, lambdaRole } = e.config;
  const config = configOf(rec, a, policyOf(a, rec), {
    taskList,
    executionStartToCloseTimeout,
    taskStartToCloseTimeout,
    lambdaRole,
  });
  if ('undefinedDefault' in config) return void failed(`DEFAULT_${config.undefinedDefault}_UNDEFINED`);
  // The next run's tags: the decision's, else the current run's.
  go({ type, config, attributes: a, tagList: a.tagList ?? e.tagList });
}

/** What a ContinueAsNewWorkflowExecution decision's next run is started with. */
export interface Continuation {
  type: WorkflowType;
  config: ExecutionConfig;
  attributes: ContinueAsNewWorkflowExecutionDecisionAttributes;
  tagList: TagList;
}

/** The parent a run continued as new hands on to its next run. */
export const lineageOf = (e: Execution) => ({ parent: e.parent, parentStartedEventId: e.parentStartedEventId });

/** The next run takes the place of the run continued as new among its parent's children. */
export function handOn(store: Store, e: Execution, next: Execution, lineage: ReturnType<typeof lineageOf>): void {
  if (lineage.parentStartedEventId !== undefined) next.parentStartedEventId = lineage.parentStartedEventId;
  if (lineage.parent) store.execution(e.domain, lineage.parent)?.children.add(next.key);
}

/** A StartChildWorkflowExecution decision's child: `go` is called with its type's record and configuration, or StartChildWorkflowExecutionFailed is recorded. */
export function childStart(
  store: Store,
  events: Histories,
  parent: Execution,
  d: Decision,
  completedId: number,
  policyOf: PolicyOf,
  go: (rec: TypeRecord, config: ExecutionConfig) => void,
): void {
  const a = d.startChildWorkflowExecutionDecisionAttributes!;
  const rec = startable(store, parent.domain, a.workflowType);
  const config = 'cause' in rec ? rec : configOf(rec, a, policyOf(a, rec));
  if ('cause' in config || 'undefinedDefault' in config) {
    const cause = 'cause' in config ? config.cause : `DEFAULT_${config.undefinedDefault}_UNDEFINED`;
    return void childFailed(events, parent, d, completedId, cause);
  }
  go(rec as TypeRecord, config);
}

/** StartChildWorkflowExecutionFailed. */
export function childFailed(
  events: Histories,
  parent: Execution,
  d: Decision,
  completedId: number,
  cause: string,
  initiatedEventId = 0,
): void {
  const a = d.startChildWorkflowExecutionDecisionAttributes!;
  events.add(parent, 'StartChildWorkflowExecutionFailed', {
    workflowType: a.workflowType,
    cause,
    workflowId: a.workflowId,
    initiatedEventId,
    decisionTaskCompletedEventId: completedId,
    control: a.control,
  });
}

/** Starts the child unless its workflowId is already running in its domain: the child then fails to start (WORKFLOW_ALREADY_RUNNING). */
export function unlessRunning(
  store: Store,
  events: Histories,
  parent: Execution,
  d: Decision,
  completedId: number,
  initiatedEventId: number,
  start: () => void,
): void {
  const a = d.startChildWorkflowExecutionDecisionAttributes!;
  if (store.openByWorkflowId.has(keys.workflow(parent.domain, a.workflowId))) {
    childFailed(events, parent, d, completedId, 'WORKFLOW_ALREADY_RUNNING', initiatedEventId);
  } else start();
}

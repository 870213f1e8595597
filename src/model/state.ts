/**
 * The model of a differential run: what the reference showed after the last step, which the
 * commands read to choose what is meaningful next (a run to act on, a task to answer).
 */
import type { RunView } from './side.ts';

/** The root slots a sequence starts executions in; `z`'s workflowId is as long as the contract allows, in astral characters. */
export const ROOTS = ['a', 'b', 'z'] as const;
/** A slot no execution is ever started in: the unknown workflowId. */
export const GHOST = 'g';

export interface Model {
  /** The reference's runs after the last step. */
  runs: RunView[];
  /** Run keys whose decision task was taken (started) and is held unanswered. */
  held: Set<string>;
  /** How many children the sequence has started: the next child is slot `k<n>`. */
  children: number;
  /** Whether empty task lists may be polled: only where a poll with no task answers at once. */
  emptyPolls: boolean;
  /** Set once the sequence stopped being comparable: every later command is skipped. */
  diverged: boolean;
}

export const newModel = (emptyPolls: boolean): Model => ({ runs: [], held: new Set(), children: 0, emptyPolls, diverged: false });

/** The slots a command can pick among: the roots, the children started so far, and the unknown one. */
export function slots(model: Model): string[] {
  return [...ROOTS, ...Array.from({ length: model.children }, (_, i) => `k${i}`), GHOST];
}

export const runsOf = (model: Model, slot: string): RunView[] =>
  model.runs.filter((r) => r.slot === slot).sort((a, b) => ordinal(a) - ordinal(b));
export const openRun = (model: Model, slot: string): RunView | undefined => runsOf(model, slot).find((r) => r.status === 'OPEN');
export const latestRun = (model: Model, slot: string): RunView | undefined => runsOf(model, slot).at(-1);
export const byKey = (model: Model, key: string | undefined): RunView | undefined => model.runs.find((r) => r.key === key);
export const ordinal = (run: RunView): number => Number(run.key.slice(run.key.lastIndexOf('#') + 1));

/** The state of a run's decision task, from its history: scheduled, started (taken), or none. */
export function taskState(run: RunView | undefined): 'scheduled' | 'started' | 'none' {
  if (run?.status !== 'OPEN') return 'none';
  const last = [...run.events].reverse().find((e) => e.type.startsWith('DecisionTask'));
  return last?.type === 'DecisionTaskScheduled' ? 'scheduled' : last?.type === 'DecisionTaskStarted' ? 'started' : 'none';
}

/** The run's parent's key, from its WorkflowExecutionStarted event. */
export function parentOf(run: RunView): string | undefined {
  const parent = run.events[0]?.attrs?.parentWorkflowExecution as { runId?: string } | undefined;
  return parent?.runId;
}

/** How many generations below `ancestor` the run is: 1 for a child, 2 for a grandchild; 0 when it is not a descendant. */
export function depthBelow(model: Model, run: RunView, ancestor: string): number {
  let depth = 0;
  for (let at: RunView | undefined = run; at; at = byKey(model, parentOf(at))) {
    if (depth > 0 && at.key === ancestor) return depth;
    depth += 1;
    if (depth > 8) break;
  }
  return 0;
}

/** The child policy a run was started with, as its WorkflowExecutionStarted event records it. */
export const startedPolicy = (run: RunView | undefined): string | undefined => run?.events[0]?.attrs?.childPolicy as string | undefined;

/** How the run was made: by a start, by ContinueAsNew from the run before it, or by a parent. */
export function madeBy(model: Model, run: RunView): 'start' | 'continue' | 'child' {
  if (parentOf(run)) return 'child';
  const before = runsOf(model, run.slot).find((r) => ordinal(r) === ordinal(run) - 1);
  return before?.events.some((e) => e.type === 'WorkflowExecutionContinuedAsNew') ? 'continue' : 'start';
}

/** How a closed run closed, by its last event. */
export function closedBy(run: RunView): string | undefined {
  return run.status === 'OPEN'
    ? undefined
    : run.events.findLast(
        (e) =>
          e.type.startsWith('WorkflowExecution') && e.type !== 'WorkflowExecutionCancelRequested' && e.type !== 'WorkflowExecutionSignaled',
      )?.type;
}

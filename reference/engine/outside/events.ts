/** The events outside the contract that the engine's parts name: a closed child's, and those that wake the decider. */
import type { CloseStatus } from '../../../src/generated/types.ts';

/** A parent's event for a child that closed otherwise than by termination (which is the contract's, executions.ts). */
export const OTHER_CHILD_CLOSED_EVENTS: Partial<Record<CloseStatus, string>> = {
  COMPLETED: 'ChildWorkflowExecutionCompleted',
  FAILED: 'ChildWorkflowExecutionFailed',
  CANCELED: 'ChildWorkflowExecutionCanceled',
  TIMED_OUT: 'ChildWorkflowExecutionTimedOut',
};

/** The events besides the contract's that schedule a decision task. */
export const OTHER_EVENTS_WAKING_THE_DECIDER = [
  'ChildWorkflowExecutionCompleted',
  'ChildWorkflowExecutionFailed',
  'ChildWorkflowExecutionCanceled',
  'StartChildWorkflowExecutionFailed',
  'CompleteWorkflowExecutionFailed',
  'FailWorkflowExecutionFailed',
  'CancelWorkflowExecutionFailed',
  'ContinueAsNewWorkflowExecutionFailed',
  'WorkflowExecutionSignaled',
  'ActivityTaskCompleted',
  'ActivityTaskFailed',
  'ActivityTaskCanceled',
  'ActivityTaskTimedOut',
  'ScheduleActivityTaskFailed',
  'RequestCancelActivityTaskFailed',
  'TimerFired',
  'StartTimerFailed',
  'CancelTimerFailed',
  'ExternalWorkflowExecutionSignaled',
  'SignalExternalWorkflowExecutionFailed',
];

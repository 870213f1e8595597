/**
 * Replays a recording against a target: the plan's steps in order, ids mapped as the answers come
 * in, each answer compared with what the recording says it must be. The result lists every
 * difference, by step; a clean replay has none.
 */
import type { Har, HarEntry } from '../contract/recordings.ts';
import { header, requestBody, responseBody } from '../contract/recordings.ts';
import { JSON_CONTENT_TYPE, LEGACY_TARGET_PREFIX, TARGET_PREFIX } from '../contract/protocol.ts';
import type { RawClient, RawResponse } from '../clients/raw.ts';
import { AnswerChecks } from './answers.ts';
import { compare } from './compare.ts';
import { TransformContext } from './bindings.ts';
import type { Difference } from './difference.ts';
import { defined, EVENTUALLY_CONSISTENT_READS } from '../contract/protocol.ts';
import { planReplay, type Plan, type RunRef, type Step } from './plan.ts';

export interface ReplayResult {
  steps: number;
  differences: Difference[];
}

export interface ReplayOptions {
  /** The domain the replay registers (if need be) and runs in. */
  domain: string;
  /** A prefix for every workflowId and task list the replay makes, unique to the run. */
  prefix: string;
  /** Bound on waiting for an event the target makes by itself (a timer firing), in milliseconds. */
  waitMs?: number;
}

type Json = Record<string, unknown>;

/**
 * Members SWF has added to its answers since a recording was made: an answer may carry them where
 * a recording made before the year given lacks them. DecisionTaskScheduled carries
 * scheduleToStartTimeout (NONE by default) in the recordings made since 2023, not in older ones.
 */
const ADDED: [string, string][] = [['scheduleToStartTimeout', '2023']];

const PRINTED = { extra: new Set(['eventTimestamp']), extraZero: true };

export async function replay(har: Har, client: RawClient, options: ReplayOptions): Promise<ReplayResult> {
  const plan = planReplay(har);
  const recorded = har.log._provenance.recorded;
  const added = new Set(ADDED.filter(([, since]) => recorded < since).map(([member]) => member));
  const base = { extra: added };
  const printed = { ...PRINTED, extra: new Set([...PRINTED.extra, ...added]) };
  const bindings = new TransformContext();
  bindings.bind(plan.domain, options.domain);
  for (const p of Object.keys(har.log._placeholders)) {
    const [, kind, n] = /^<([a-z-]+):(\d+)>$/.exec(p) ?? [];
    if (kind === 'workflow-id') bindings.bind(p, `${options.prefix}-wf${n}`);
    if (kind === 'task-list') bindings.bind(p, `${options.prefix}-tl${n}`);
  }
  const differences: Difference[] = [];
  // What every answer must show, checked as it comes; charged to the step that sent it.
  const checks = new AnswerChecks();
  const since = Date.now();
  let fromAnswers: Difference[] = [];
  const send = async (operation: string, body: unknown, target?: string, contentType?: string): Promise<RawResponse> => {
    const headers: Record<string, string> = plan.legacy
      ? { 'content-type': contentType ?? 'application/json; charset=UTF-8', 'content-encoding': 'amz-1.0' }
      : { 'content-type': contentType ?? JSON_CONTENT_TYPE };
    const res = await client.send({
      operation,
      target: target ?? `${plan.legacy ? LEGACY_TARGET_PREFIX : TARGET_PREFIX}${operation}`,
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(bindings.fillValue(body)),
    });
    fromAnswers.push(...checks.check(res, { since, answeredAt: Date.now() }).map((d) => ({ ...d, at: `${operation} ${d.at}` })));
    return res;
  };
  /** The answer checks' differences since the last call, each kind once. */
  const answerDifferences = (): Difference[] => {
    const seen = new Set<string>();
    const list = fromAnswers.filter((d) => {
      const kind = `${d.at.replace(/\[\d+\]/g, '[]')}|${String(d.expected)}`;
      return !seen.has(kind) && seen.add(kind);
    });
    fromAnswers = [];
    return list;
  };
  try {
    await setUp(plan, send);
  } catch (error) {
    return {
      steps: plan.steps.length,
      differences: [{ step: '0 set-up', at: 'set-up', expected: 'the domain and types registered', actual: (error as Error).message }],
    };
  }
  differences.push(...answerDifferences().map((d) => ({ ...d, step: '0 set-up' })));
  /** Task tokens by run and started event: what the poll handed out, for the answer. */
  const tokens = new Map<string, string>();
  /** Decision tasks handed out for a run other than the one polled for, by workflowId placeholder. */
  const heldTasks = new Map<string, Json>();
  const startedActivities = new Set<string>();
  /** Recorded reads not yet matched: tried again after every step. */
  let pending: { attempt: () => Promise<Difference[]>; report: (list: Difference[]) => void }[] = [];
  const retryPending = async (final: boolean) => {
    const left: typeof pending = [];
    for (const read of pending) {
      const list = await read.attempt();
      if (list.length && final) read.report(list);
      else if (list.length) left.push(read);
    }
    pending = left;
  };
  /**
   * The order in which a task list hands out its activity tasks is not the contract's: when a
   * poll gets another of the run's scheduled tasks than the recorded one, that task takes the
   * recorded one's place (it is answered with the recorded one's answer), and the recorded events
   * of that place are compared with the scheduled event id of the task it got: by run, the
   * recorded place's scheduled event id → the target's.
   */
  const swapped = new Map<string, Map<number, number>>();
  const swap = (runKey: string, recorded: number, got: number) => {
    const map = swapped.get(runKey) ?? new Map<number, number>();
    swapped.set(runKey, map);
    map.set(recorded, got);
  };
  const ACTIVITY_CLOSED = [
    'activityTaskStartedEventAttributes',
    'activityTaskCompletedEventAttributes',
    'activityTaskFailedEventAttributes',
    'activityTaskCanceledEventAttributes',
  ];
  /** The recorded value, each recorded place's scheduled event id as the run's tasks were handed out. */
  const expectedOf = <T>(recorded: T, run: RunRef | undefined): T => {
    const map = run && swapped.get(`${run.workflowId}|${run.runId}`);
    if (!map?.size) return recorded;
    const walk = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(walk);
      if (!v || typeof v !== 'object') return v;
      const out: Json = {};
      for (const [k, x] of Object.entries(v)) {
        out[k] =
          ACTIVITY_CLOSED.includes(k) && x && typeof x === 'object'
            ? { ...(x as Json), scheduledEventId: map.get((x as Json).scheduledEventId as number) ?? (x as Json).scheduledEventId }
            : walk(x);
      }
      return out;
    };
    return walk(recorded) as T;
  };
  /** The run a recorded answer is about, as placeholders. */
  const runOf = (answer: unknown) => (answer as Json | undefined)?.workflowExecution as RunRef | undefined;
  /** The run a recorded exchange is about: its answer's, or the one its request names. */
  const runAbout = (entry: HarEntry) => runOf(responseBody(entry)) ?? ((requestBody(entry) as Json).execution as RunRef | undefined);
  /**
   * A poll that ends with no task ends the replay of the recording: every step after it answers
   * or reads what that task would have led to, and each further poll would wait out a long poll
   * (60 s) for nothing.
   */
  const NO_TASK = 'a long poll ended with no task; the steps after it depend on that task and were not run';
  let n = 0;
  for (const step of plan.steps) {
    n += 1;
    const name = `${n} ${describe(step)}`;
    const differ = (list: Difference[]) => differences.push(...list.map((d) => ({ ...d, step: name })));
    const ok = (res: RawResponse) => {
      if (res.status !== 200)
        differ([{ at: 'status', expected: 200, actual: `${res.status} ${res.error?.code ?? ''} ${res.error?.message ?? ''}`.trim() }]);
      return res.status === 200;
    };
    try {
      await runStep(step);
      differ(answerDifferences());
      if (pending.length) await retryPending(false);
      differ(answerDifferences());
    } catch (error) {
      differ(answerDifferences());
      differ([{ at: 'step', expected: 'the step runs', actual: (error as Error).message }]);
      break;
    }

    /**
     * The next decision task of the run. A run whose history is not recorded (a child) may share
     * the task list and be handed out first: the order in which a task list hands out its tasks is
     * not the contract's, so such a task is kept for that run's own step, and the poll repeated.
     */
    async function decisionTask(run: RunRef, taskList: string, identity?: string): Promise<Json | undefined> {
      const held = heldTasks.get(run.workflowId);
      if (held) {
        heldTasks.delete(run.workflowId);
        return held;
      }
      for (let polls = 0; polls < 8; polls += 1) {
        const res = await send('PollForDecisionTask', {
          domain: plan.domain,
          taskList: { name: taskList },
          ...(identity ? { identity } : {}),
        });
        if (!ok(res)) return undefined;
        const task = res.json as Json;
        if (typeof task.taskToken !== 'string' || !task.taskToken) return task;
        const workflowId = bindings.placeholderOf(String((task.workflowExecution as Json | undefined)?.workflowId));
        if (workflowId === run.workflowId || !workflowId || plan.recorded.has(workflowId)) return task;
        heldTasks.set(workflowId, task);
      }
      return undefined;
    }

    /** Sends a recorded exchange and compares its answer with the recorded one, binding into `into`. */
    async function exchange(entry: HarEntry, transcribed: boolean, into: TransformContext): Promise<Difference[]> {
      const res = await send(
        entry._operation,
        into.fill(entry.request.postData?.text ?? '{}'),
        header(entry.request.headers, 'X-Amz-Target'),
        header(entry.request.headers, 'Content-Type'),
      );
      if (transcribed) {
        // A printed history: no headers, no timestamps, and no member whose value is zero or empty.
        return res.status === 200
          ? compare(expectedOf(responseBody(entry), runAbout(entry)), res.json, into, '$', [], printed)
          : [{ at: 'status', expected: 200, actual: res.status }];
      }
      const list: Difference[] = [];
      if (res.status !== entry.response.status) list.push({ at: 'status', expected: entry.response.status, actual: res.status });
      const type = header(entry.response.headers, 'Content-Type');
      if (type !== undefined && res.headers['content-type'] !== type)
        list.push({ at: 'headers.content-type', expected: type, actual: res.headers['content-type'] });
      if (header(entry.response.headers, 'x-amzn-RequestId') !== undefined && !res.headers['x-amzn-requestid'])
        list.push({ at: 'headers.x-amzn-requestid', expected: 'a request id', actual: undefined });
      const recorded = responseBody(entry);
      if (recorded === undefined) {
        if (res.text !== '') list.push({ at: 'body', expected: '', actual: res.text });
      } else compare(expectedOf(recorded, runAbout(entry)), res.json, into, '$', list, base);
      return list;
    }

    async function runStep(step: Step): Promise<void> {
      switch (step.kind) {
        case 'exchange': {
          const { entry } = step;
          // A read the contract lets lag (whose place in time the recording knows to the second
          // only) is compared again until it matches, within the wait: what it must show may
          // still be on its way, a timer firing for instance.
          if (!EVENTUALLY_CONSISTENT_READS.has(entry._operation)) return void differ(await exchange(entry, step.transcribed, bindings));
          const attempt = async (): Promise<Difference[]> => {
            const trial = bindings.clone();
            const list = await exchange(entry, step.transcribed, trial);
            if (!list.length) for (const [p, v] of trial.all()) if (bindings.value(p) === undefined) bindings.bind(p, v);
            return list;
          };
          if (!(await attempt()).length) return;
          // Not yet: the read is tried again after each step that follows, as a read made at about
          // the recorded second may have been served after them, and then for the wait.
          pending.push({ attempt, report: differ });
          return;
        }
        case 'start': {
          const res = await send('StartWorkflowExecution', step.body);
          if (ok(res)) compare({ runId: step.run.runId }, res.json, bindings, '$', []);
          return;
        }
        case 'poll-decision': {
          const task = await decisionTask(step.run, step.taskList, step.identity);
          if (!task) return;
          if (typeof task.taskToken !== 'string' || !task.taskToken) {
            differ([{ at: 'taskToken', expected: `a task for ${step.run.workflowId}`, actual: 'no task' }]);
            throw new Error(NO_TASK);
          }
          tokens.set(`${step.run.workflowId}|${step.run.runId}|${step.startedEventId}`, task.taskToken);
          const list = compare(
            {
              workflowExecution: step.run,
              startedEventId: step.startedEventId,
              previousStartedEventId: step.previousStartedEventId,
              events: expectedOf(step.events, step.run),
            },
            {
              workflowExecution: task.workflowExecution,
              startedEventId: task.startedEventId,
              previousStartedEventId: task.previousStartedEventId,
              events: task.events,
            },
            bindings,
            '$',
            [],
            step.printed ? printed : base,
          );
          return void differ(list);
        }
        case 'respond-decision': {
          const taskToken = tokens.get(`${step.run.workflowId}|${step.run.runId}|${step.startedEventId}`);
          if (!taskToken)
            return void differ([{ at: 'taskToken', expected: 'the token of the task this answers', actual: 'none was handed out' }]);
          ok(
            await send(
              'RespondDecisionTaskCompleted',
              raw({
                taskToken,
                decisions: bindings.fillValue(step.decisions),
                ...(step.executionContext !== undefined ? { executionContext: step.executionContext } : {}),
              }),
            ),
          );
          return;
        }
        case 'poll-activity': {
          const res = await send('PollForActivityTask', {
            domain: plan.domain,
            taskList: { name: step.taskList },
            ...(step.identity ? { identity: step.identity } : {}),
          });
          if (!ok(res)) return;
          const task = res.json as Json;
          if (typeof task.taskToken !== 'string' || !task.taskToken) {
            differ([{ at: 'taskToken', expected: `the activity task ${step.activityId}`, actual: 'no task' }]);
            throw new Error(NO_TASK);
          }
          tokens.set(`${step.run.workflowId}|${step.run.runId}|activity|${step.activityId}`, task.taskToken);
          const scheduled = plan.activitiesScheduled.get(`${step.run.workflowId}|${step.run.runId}`);
          const got = scheduled?.get(String(task.activityId));
          const runKey = `${step.run.workflowId}|${step.run.runId}`;
          if (task.activityId !== step.activityId && got !== undefined && !startedActivities.has(`${runKey}|${String(task.activityId)}`))
            swap(runKey, step.scheduledEventId, got);
          startedActivities.add(`${runKey}|${String(task.activityId)}`);
          return void differ(
            compare(
              { startedEventId: step.startedEventId, workflowExecution: step.run },
              { startedEventId: task.startedEventId, workflowExecution: task.workflowExecution },
              bindings,
            ).concat(
              got === undefined
                ? [{ at: 'activityId', expected: `an activity task of ${step.run.workflowId}`, actual: task.activityId }]
                : [],
            ),
          );
        }
        case 'respond-activity': {
          const taskToken = tokens.get(`${step.run.workflowId}|${step.run.runId}|activity|${step.activityId}`);
          if (!taskToken)
            return void differ([{ at: 'taskToken', expected: `the token of activity ${step.activityId}`, actual: 'none was handed out' }]);
          ok(await send(step.operation, raw({ taskToken, ...step.body })));
          return;
        }
        case 'operation':
          ok(await send(step.operation, step.body));
          return;
        case 'close-child': {
          const task = await decisionTask(step.run, step.taskList);
          if (!task) return;
          if (typeof task.taskToken !== 'string' || !task.taskToken)
            return void differ([{ at: 'taskToken', expected: `a task for the child ${step.run.workflowId}`, actual: 'no task' }]);
          differ(compare({ workflowExecution: step.run }, { workflowExecution: task.workflowExecution }, bindings));
          ok(await send('RespondDecisionTaskCompleted', raw({ taskToken: task.taskToken, decisions: [step.decision] })));
          return;
        }
        case 'await-event': {
          // An event the target makes by itself, a timer firing: as long as the recorded timer, at most 30 s.
          const until = Date.now() + Math.max(options.waitMs ?? 0, 30_000);
          for (;;) {
            const res = await send('GetWorkflowExecutionHistory', { domain: plan.domain, execution: step.run });
            const events = ((res.json as Json | undefined)?.events ?? []) as { eventId: number; eventType: string }[];
            if (events.some((e) => e.eventId === step.eventId && e.eventType === step.eventType)) return;
            if (Date.now() > until)
              return void differ([
                {
                  at: `event ${step.eventId}`,
                  expected: step.eventType,
                  actual: events.find((e) => e.eventId === step.eventId)?.eventType ?? 'not recorded',
                },
              ]);
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      }
    }
  }
  // What a read still waits for may come by itself (a timer firing): tried until the wait ends.
  for (const until = Date.now() + (options.waitMs ?? 5_000); pending.length && Date.now() < until; ) {
    await new Promise((r) => setTimeout(r, 100));
    await retryPending(false);
  }
  await retryPending(true);
  differences.push(...answerDifferences().map((d) => ({ ...d, step: `${n} (reads retried at the end)` })));
  // Nothing is left open: each workflowId of the replay is terminated, whatever the target did.
  for (const [, workflowId] of bindings.of('workflow-id')) {
    await client
      .send({
        operation: 'TerminateWorkflowExecution',
        body: { domain: options.domain, workflowId, reason: 'swf-conformance replay cleanup' },
      })
      .catch(() => undefined);
  }
  return { steps: plan.steps.length, differences };
}

/** A body already holding the target's values: sent as it is. */
function raw(body: Json): string {
  return JSON.stringify(body);
}

function describe(step: Step): string {
  const run = 'run' in step ? ` (${(step.run as RunRef).workflowId} ${(step.run as RunRef).runId})` : '';
  switch (step.kind) {
    case 'exchange':
      return `recorded ${step.entry._operation} #${step.index + 1}`;
    case 'start':
      return `StartWorkflowExecution${run}`;
    case 'poll-decision':
      return `PollForDecisionTask, to start event ${step.startedEventId}${run}`;
    case 'respond-decision':
      return `RespondDecisionTaskCompleted [${step.decisions.map((d) => d.decisionType).join(', ')}]${run}`;
    case 'poll-activity':
      return `PollForActivityTask ${step.activityId}${run}`;
    case 'respond-activity':
      return `${step.operation} ${step.activityId}${run}`;
    case 'operation':
      return `${step.operation}${run}`;
    case 'close-child':
      return `the child closes: ${String(step.decision.decisionType)}${run}`;
    case 'await-event':
      return `${step.eventType} (event ${step.eventId})${run}`;
  }
}

/** Registers the domain and the types the recording needs; what exists already is kept. */
async function setUp(plan: Plan, send: (operation: string, body: unknown) => Promise<RawResponse>): Promise<void> {
  const expect = async (operation: string, body: unknown, tolerated: string[]) => {
    const res = await send(operation, body);
    if (res.status !== 200 && !tolerated.includes(res.error?.code ?? '')) {
      throw new Error(
        `replay set-up: ${operation} answered HTTP ${res.status} ${res.error?.code ?? ''}: ${res.error?.message ?? res.text.slice(0, 200)}`,
      );
    }
  };
  await expect('RegisterDomain', { name: plan.domain, workflowExecutionRetentionPeriodInDays: '1' }, ['DomainAlreadyExistsFault']);
  for (const t of plan.workflowTypes) {
    const d = t.defaults;
    await expect(
      'RegisterWorkflowType',
      defined({
        domain: plan.domain,
        name: t.name,
        version: t.version,
        defaultChildPolicy: d.defaultChildPolicy,
        defaultTaskList: d.defaultTaskList,
        defaultTaskPriority: d.defaultTaskPriority,
        defaultExecutionStartToCloseTimeout: d.defaultExecutionStartToCloseTimeout,
        defaultTaskStartToCloseTimeout: d.defaultTaskStartToCloseTimeout,
        defaultLambdaRole: d.defaultLambdaRole,
      }),
      ['TypeAlreadyExistsFault'],
    );
  }
  for (const t of plan.activityTypes) {
    const d = t.defaults;
    await expect(
      'RegisterActivityType',
      defined({
        domain: plan.domain,
        name: t.name,
        version: t.version,
        defaultTaskList: d.defaultTaskList,
        defaultTaskPriority: d.defaultTaskPriority,
        defaultTaskStartToCloseTimeout: d.defaultTaskStartToCloseTimeout,
        defaultTaskHeartbeatTimeout: d.defaultTaskHeartbeatTimeout,
        defaultTaskScheduleToStartTimeout: d.defaultTaskScheduleToStartTimeout,
        defaultTaskScheduleToCloseTimeout: d.defaultTaskScheduleToCloseTimeout,
      }),
      ['TypeAlreadyExistsFault'],
    );
  }
}

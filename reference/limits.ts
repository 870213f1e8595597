/**
 * Token-bucket sizes of SWF's per-account throttling quotas (bucket size, refill per second),
 * as the SWF developer guide's quota page gives them. Used only by the reference's throttling
 * test mode; APIs not listed are not throttled there.
 */
export const throttleBuckets: Record<string, { capacity: number; refillPerSecond: number }> = {
  RequestCancelWorkflowExecution: { capacity: 2000, refillPerSecond: 30 },
  TerminateWorkflowExecution: { capacity: 2000, refillPerSecond: 60 },
  StartWorkflowExecution: { capacity: 2000, refillPerSecond: 200 },
  DescribeWorkflowExecution: { capacity: 2000, refillPerSecond: 6 },
  GetWorkflowExecutionHistory: { capacity: 2000, refillPerSecond: 60 },
  RegisterDomain: { capacity: 100, refillPerSecond: 6 },
  RegisterWorkflowType: { capacity: 200, refillPerSecond: 60 },
  PollForDecisionTask: { capacity: 2000, refillPerSecond: 200 },
  RespondDecisionTaskCompleted: { capacity: 2000, refillPerSecond: 200 },
};

/** RequestCancelWorkflowExecution also has a bucket per execution. */
export const cancelPerExecutionBucket = { capacity: 200, refillPerSecond: 200 };

/** Largest request body SWF accepts. */
export const maxRequestBytes = 1024 * 1024;

export class TokenBuckets {
  private readonly state = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes one token from the named bucket; false when it is empty. */
  take(key: string, size: { capacity: number; refillPerSecond: number }): boolean {
    const t = this.now();
    const s = this.state.get(key) ?? { tokens: size.capacity, at: t };
    s.tokens = Math.min(size.capacity, s.tokens + ((t - s.at) / 1000) * size.refillPerSecond);
    s.at = t;
    this.state.set(key, s);
    if (s.tokens < 1) return false;
    s.tokens -= 1;
    return true;
  }
}

/**
 * The retention of closed executions: kept visible for their domain's retention period, then
 * forgotten, so that memory follows the executions a client can still see. No clause of the two
 * operations names it, and no run of the battery lasts as long as the shortest retention.
 */
import { fault } from '../../faults.ts';
import { keys, type Execution, type ExecutionRef, type RetentionPolicy, type Store } from '../model.ts';

export class Retention implements RetentionPolicy {
  /** Closed executions waiting out their retention, one queue per retention (each in close order). */
  private readonly retiring = new Map<number, { queue: Execution[]; head: number }>();

  constructor(private readonly store: Store) {}

  /** How long the domain keeps a closed execution visible. */
  private keepSeconds(domain: string): number {
    const days = this.store.domains.get(domain)?.retentionDays;
    return days && days !== 'NONE' ? Number(days) * 86_400 : 0;
  }

  /** Open, or closed and still within its domain's retention. */
  visible(e: Execution): boolean {
    if (e.status === 'OPEN') return true;
    return (e.closeTimestamp ?? 0) + this.keepSeconds(e.domain) > this.store.clock.seconds();
  }

  /** Any visible run, for the visibility operations. */
  run(domain: string, ref: ExecutionRef): Execution {
    this.store.domain(domain);
    const e = this.store.execution(domain, ref);
    if (!e || !this.visible(e)) throw fault.unknownExecutionWithRun(ref.workflowId, ref.runId);
    return e;
  }

  /** The execution closed: once its domain's retention has passed it is forgotten. */
  retire(e: Execution): void {
    const keep = this.keepSeconds(e.domain);
    let retiring = this.retiring.get(keep);
    if (!retiring) this.retiring.set(keep, (retiring = { queue: [], head: 0 }));
    retiring.queue.push(e);
    this.forgetExpired();
  }

  private forgetExpired(): void {
    const now = this.store.clock.seconds();
    for (const [keep, retiring] of this.retiring) {
      const { queue } = retiring;
      while (retiring.head < queue.length) {
        const e = queue[retiring.head]!;
        if (e.status === 'CLOSED' && (e.closeTimestamp ?? 0) + keep > now) break;
        if (e.status === 'CLOSED') this.forget(e);
        retiring.head += 1;
      }
      if (retiring.head > 1024 && retiring.head * 2 > queue.length) {
        queue.splice(0, retiring.head);
        retiring.head = 0;
      }
    }
  }

  private forget(e: Execution): void {
    this.store.executions.delete(e.key);
    const key = keys.workflow(e.domain, e.workflowId);
    const runs = this.store.runsByWorkflowId.get(key)?.filter((r) => r !== e);
    if (runs?.length) this.store.runsByWorkflowId.set(key, runs);
    else this.store.runsByWorkflowId.delete(key);
  }
}

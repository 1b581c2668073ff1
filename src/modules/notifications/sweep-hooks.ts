import { Injectable } from '@nestjs/common';

/**
 * What the periodic sweep catches up besides the outbox: modules above notifications (conventions) register
 * a sweep of their own work left pending while Redis was away; the mail processor runs them with its own.
 */
@Injectable()
export class SweepHooks {
  private readonly sweeps = new Map<string, () => Promise<number>>();

  register(name: string, sweep: () => Promise<number>): void {
    this.sweeps.set(name, sweep);
  }

  /** Runs each registered sweep, one after the other; what each re-enqueued, by name. */
  async run(): Promise<Record<string, number>> {
    const swept: Record<string, number> = {};
    for (const [name, sweep] of this.sweeps) swept[name] = await sweep();
    return swept;
  }
}

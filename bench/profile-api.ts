/**
 * Runs the built API under the V8 CPU profiler, driven by signals from `npm run bench -- --profile`:
 * the first SIGUSR2 starts profiling, the next one writes bench/profiles/<label>.cpuprofile (open it in Chrome
 * DevTools) and prints the heaviest functions by self time, and how long the event loop was held up (a tail made
 * of long synchronous tasks shows in its maximum, plain queueing behind many short ones does not).
 */
import { Session } from 'node:inspector/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function and per package (node_modules/<name>, or our own code), heaviest first. */
export function summarise(profile: Profile, top = 25): string {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfByFunction = new Map<string, number>();
  const selfByPackage = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const frame = byNode.get(id)!.callFrame;
    const where = frame.url.replace(/^file:\/\//, '');
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where)?.[1] ?? (where ? 'app' : frame.functionName);
    const key = `${frame.functionName || '(anonymous)'} ${where.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`;
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + delta);
    selfByPackage.set(pkg, (selfByPackage.get(pkg) ?? 0) + delta);
    total += delta;
  });
  const table = (entries: Map<string, number>) =>
    [...entries.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => `${((100 * micros) / total).toFixed(1).padStart(5)} %  ${name}`)
      .join('\n');
  return `by package:\n${table(selfByPackage)}\n\nby function:\n${table(selfByFunction)}`;
}

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
let running = false;
let label = 0;
process.on('SIGUSR2', () => {
  void (async () => {
    if (!running) {
      running = true;
      loopDelay.reset();
      loopDelay.enable();
      await session.post('Profiler.start');
      return;
    }
    running = false;
    loopDelay.disable();
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
    mkdirSync('bench/profiles', { recursive: true });
    label += 1;
    writeFileSync(`bench/profiles/api-${label}.cpuprofile`, JSON.stringify(profile));
    const ms = (nanoseconds: number) => (nanoseconds / 1e6).toFixed(1);
    process.stderr.write(
      `event loop delay: p50 ${ms(loopDelay.percentile(50))} ms, p99 ${ms(loopDelay.percentile(99))} ms, ` +
        `max ${ms(loopDelay.max)} ms\n${summarise(profile)}\n`,
    );
  })();
});
await import('../src/main.js');

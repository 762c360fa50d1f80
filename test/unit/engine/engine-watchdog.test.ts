// The engine watchdog's timing (main/engine/engine-watchdog.ts) on a fake clock: lost within 10 s of the
// last answer, at once when the socket is gone, back when the engine answers again, and a quick check on
// cancel.

import { describe, expect, it } from 'vitest';
import { EngineUnavailableError, type PingResult } from '../../../main/docker/engine-health.js';
import { startWatchdog, WATCHDOG_TIMING, type WatchdogPorts } from '../../../main/engine/engine-watchdog.js';

type Engine = 'answering' | 'frozen' | 'gone';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A simulated clock and engine: `ping` and `sleep` advance the clock instead of waiting. */
function simulation(script: (now: number) => Engine) {
  let now = 0;
  const lostAt: number[] = [];
  const answeredAt: number[] = [];
  const pings: { at: number; timeoutMs: number }[] = [];
  const ports: WatchdogPorts = {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
      await tick();
    },
    ping: async (timeoutMs, stop) => {
      pings.push({ at: now, timeoutMs });
      await tick();
      if (stop.aborted) return { ok: false, error: new EngineUnavailableError('stopped-answering', 'stopped') };
      const state = script(now);
      if (state === 'answering') {
        now += 5;
        return { ok: true };
      }
      if (state === 'gone') return { ok: false, error: new EngineUnavailableError('went-away', 'the Docker engine went away') } satisfies PingResult;
      now += timeoutMs;
      return { ok: false, error: new EngineUnavailableError('stopped-answering', 'timeout') };
    },
    lost: (error) => lostAt.push(now) && void error,
    answered: () => answeredAt.push(now) && undefined,
  };
  return {
    ports,
    lostAt,
    answeredAt,
    pings,
    now: () => now,
  };
}

async function runFor(sim: ReturnType<typeof simulation>, untilMs: number): Promise<void> {
  const watchdog = startWatchdog(sim.ports);
  while (sim.now() < untilMs) await tick();
  watchdog.stop();
}

describe('engine watchdog', () => {
  it('declares a frozen engine lost within 10 s of its last answer, whenever the freeze comes', async () => {
    for (const freezeAt of [0, 1, 1000, 2004, 2006, 3500, 4010]) {
      const sim = simulation((now) => (now < freezeAt ? 'answering' : 'frozen'));
      await runFor(sim, freezeAt + 20_000);
      expect(sim.lostAt.length).toBe(1);
      const lastAnswer = Math.max(0, ...sim.pings.filter((p) => p.at < freezeAt).map((p) => p.at + 5));
      expect(sim.lostAt[0]! - lastAnswer).toBeLessThanOrEqual(10_000);
      expect(sim.lostAt[0]! - lastAnswer).toBeGreaterThanOrEqual(WATCHDOG_TIMING.lostAfterMs);
    }
  });

  it('never declares an engine lost that keeps answering', async () => {
    const sim = simulation(() => 'answering');
    await runFor(sim, 120_000);
    expect(sim.lostAt).toEqual([]);
  });

  it('declares a gone engine lost at the first failed ping', async () => {
    const sim = simulation((now) => (now < 3000 ? 'answering' : 'gone'));
    await runFor(sim, 10_000);
    expect(sim.lostAt[0]).toBeLessThanOrEqual(3000 + WATCHDOG_TIMING.everyMs);
  });

  it('tells when the engine answers again after it counted as lost', async () => {
    const sim = simulation((now) => (now < 1000 || now > 30_000 ? 'answering' : 'frozen'));
    await runFor(sim, 40_000);
    expect(sim.lostAt.length).toBe(1);
    expect(sim.answeredAt.length).toBe(1);
    expect(sim.answeredAt[0]).toBeGreaterThan(30_000);
  });

  it('checks at once on cancel and counts a missing answer as lost', async () => {
    let frozen = false;
    const lost: string[] = [];
    const watchdog = startWatchdog({
      now: () => Date.now(),
      sleep: () => new Promise((resolve) => setTimeout(resolve, 50)),
      ping: async (timeoutMs) => (frozen ? { ok: false, error: new EngineUnavailableError('stopped-answering', `no answer within ${timeoutMs} ms`) } : { ok: true }),
      lost: (error) => lost.push(error.message),
      answered: () => undefined,
    });
    frozen = true;
    watchdog.checkNow();
    await new Promise((resolve) => setTimeout(resolve, 20));
    watchdog.stop();
    expect(lost).toEqual([`no answer within ${WATCHDOG_TIMING.onStopMs} ms`]);
  });
});

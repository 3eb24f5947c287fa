import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { availableParallelism } from "node:os";
import { cpuQuota, maxThreadsOf, threadsFromEnv } from "./local-model.ts";
import { type CpuSample, neighbourCores, sampleCpu, startThreadGovernor, threadsFor } from "./thread-governor.ts";

describe("RTA_THREADS", () => {
  it("is auto unless set to a positive number of threads", () => {
    expect(threadsFromEnv({})).toBe("auto");
    expect(threadsFromEnv({ RTA_THREADS: "auto" })).toBe("auto");
    expect(threadsFromEnv({ RTA_THREADS: "2" })).toBe(2);
    expect(() => threadsFromEnv({ RTA_THREADS: "two" })).toThrow(/positive integer or "auto"/);
    expect(() => threadsFromEnv({ RTA_THREADS: "0" })).toThrow();
    expect(maxThreadsOf("auto")).toBeLessThanOrEqual(availableParallelism());
    expect(maxThreadsOf("auto")).toBeGreaterThanOrEqual(1);
    expect(maxThreadsOf(3)).toBe(3);
  });
});

describe("cpuQuota", () => {
  it("reads a container's CPU quota, and none when unlimited or unreadable", () => {
    expect(cpuQuota(() => "200000 100000\n")).toBe(2);
    expect(cpuQuota(() => "50000 100000")).toBe(1);
    expect(cpuQuota(() => "max 100000")).toBeUndefined();
    expect(
      cpuQuota(() => {
        throw new Error("ENOENT");
      }),
    ).toBeUndefined();
  });
});

describe("thread governor", () => {
  it("gives a thread to every core no other process uses, at least one", () => {
    expect(threadsFor(0, 2, 2)).toBe(2);
    expect(threadsFor(0.2, 2, 2)).toBe(2);
    expect(threadsFor(0.3, 2, 2)).toBe(1);
    expect(threadsFor(1, 2, 2)).toBe(1);
    expect(threadsFor(2, 2, 2)).toBe(1);
    expect(threadsFor(0, 4, 8)).toBe(4);
    expect(threadsFor(5, 4, 8)).toBe(3);
  });

  it("counts other processes' CPU time, not this process's own", () => {
    const before: CpuSample = { busyMs: 1000, ownMs: 100, atMs: 0 };
    expect(neighbourCores(before, { busyMs: 1400, ownMs: 500, atMs: 200 })).toBe(0);
    expect(neighbourCores(before, { busyMs: 1400, ownMs: 300, atMs: 200 })).toBe(1);
    expect(neighbourCores(before, before)).toBe(0);
  });

  it("sets the budget from samples, starting at one thread", () => {
    const samples: CpuSample[] = [
      { busyMs: 0, ownMs: 0, atMs: 0 },
      { busyMs: 20, ownMs: 10, atMs: 100 },
      { busyMs: 220, ownMs: 110, atMs: 200 },
    ];
    const target = { maxThreads: 0 };
    const sample = () => samples.shift() ?? { busyMs: 220, ownMs: 110, atMs: 200 };
    const governor = startThreadGovernor(target, { maxThreads: 2, cores: 2, intervalMs: 3_600_000, sample });
    expect(target.maxThreads).toBe(1);
    governor.update();
    expect(target.maxThreads).toBe(2);
    governor.update();
    expect(target.maxThreads).toBe(1);
    governor.stop();
  });

  it("sees a real busy neighbour process on this machine", async () => {
    const hog = spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const before = sampleCpu();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(neighbourCores(before, sampleCpu())).toBeGreaterThan(0.5);
    } finally {
      hog.kill("SIGKILL");
    }
  });
});

/**
 * CPU accounting from `/proc` (Linux only), for HTTP runs on a machine shared
 * with other work: the CPU time a `next start` server used (every process
 * whose working directory is the app folder: `next start` and the
 * `next-server` it forks, all threads), and how much CPU everything else on
 * the machine took meanwhile, so runs under heavy outside load can be retried.
 *
 * Requests per CPU-second of the server swing less with the neighbours' load
 * than requests per wall-clock second (a single-threaded server's saturated
 * throughput is exactly that on an idle core), though cache and core sharing
 * still move it: hence the retries.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import os from "node:os";

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  return ticksPerSecond;
}

/** User + system seconds of one process, or 0 if it is gone. */
function processCpuSeconds(pid: string): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    return 0;
  }
}

/** PIDs of the processes running in `dir`. */
function pidsIn(dir: string): string[] {
  const real = realpathSync(dir);
  const pids: string[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) === real) pids.push(entry);
    } catch {
      // not ours to read, or already gone
    }
  }
  return pids;
}

/**
 * Total CPU seconds used so far by the server running in `dir`.
 *
 * @example
 * const before = serverCpuSeconds(copy.dir);
 * await load();
 * const cpu = serverCpuSeconds(copy.dir) - before;
 */
export function serverCpuSeconds(dir: string): number {
  const pids = pidsIn(dir);
  if (pids.length === 0) throw new Error(`bench: no process runs in ${dir}`);
  return pids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
}

/**
 * Pins every thread of the server running in `dir` to one CPU, and this
 * process (the load generator) to another, when the machine has two or more
 * and `taskset` is there (otherwise it leaves them where they are). On a virtual machine one
 * vCPU can run measurably slower than another for minutes (a busy neighbour
 * on its host core), and a server the scheduler leaves on it reads slower as
 * a whole: two identical builds differed by 22% that way. Every measured run
 * on the same CPU takes that out of the comparison.
 */
export function pinForRun(dir: string, serverCpu = 0, loadCpu = 1): void {
  if (os.cpus().length < 2) return;
  try {
    for (const pid of pidsIn(dir)) {
      execFileSync("taskset", ["-a", "-p", "-c", String(serverCpu), pid], { stdio: "ignore" });
    }
    execFileSync("taskset", ["-a", "-p", "-c", String(loadCpu), String(process.pid)], { stdio: "ignore" });
  } catch {
    // no taskset, or a process gone meanwhile: the run goes unpinned
  }
}

/** Busy seconds of all CPUs together since boot (user, nice, system, irq, softirq, steal). */
export function machineBusySeconds(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = [user, nice, system, irq, softirq, steal].reduce<number>((sum, v) => sum + (v ?? 0), 0);
  return busy / clockTicks();
}

/** A reading to diff against later: the server's CPU, this process's CPU, the machine's busy time. */
export interface CpuReading {
  readonly server: number;
  readonly self: number;
  readonly machine: number;
  readonly wall: number;
}

/** Reads every counter at once. */
export function readCpu(serverDir: string): CpuReading {
  const { user, system } = process.cpuUsage();
  return {
    server: serverCpuSeconds(serverDir),
    self: (user + system) / 1e6,
    machine: machineBusySeconds(),
    wall: performance.now() / 1000,
  };
}

/** Server CPU seconds between two readings, and the cores everything else used on average meanwhile. */
export function cpuBetween(before: CpuReading, after: CpuReading): { server: number; otherCores: number } {
  const server = after.server - before.server;
  const other = after.machine - before.machine - server - (after.self - before.self);
  return { server, otherCores: Math.max(0, other) / (after.wall - before.wall) };
}

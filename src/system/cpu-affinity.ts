// Which cores a process (all its threads) may run on, on Linux: read from /proc, set with util-linux's
// `taskset -a -p` (every thread of the process; threads created later inherit their creator's set). Node has no
// affinity API of its own, and node-llama-cpp starts its threads where no caller can pin them — so isolation
// is per process.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { setPriority } from "node:os";
import { promisify } from "node:util";

const run = promisify(execFile);

/** "0-2,5" → [0, 1, 2, 5] (the kernel's list format, as in /proc/<pid>/status). */
export function parseCpuList(text: string): number[] {
  const cpus = new Set<number>();
  for (const part of text.trim().split(",")) {
    if (part === "") continue;
    const [from = Number.NaN, to = from] = part.split("-").map(Number);
    if (!Number.isInteger(from) || !Number.isInteger(to) || to < from)
      throw new Error(`not a CPU list: "${text}"`);
    for (let cpu = from; cpu <= to; cpu++) cpus.add(cpu);
  }
  return [...cpus].sort((a, b) => a - b);
}

/** [0, 1, 2, 5] → "0-2,5". */
export function formatCpuList(cpus: readonly number[]): string {
  const sorted = [...new Set(cpus)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let index = 0; index < sorted.length; ) {
    let end = index;
    while (end + 1 < sorted.length && sorted[end + 1] === (sorted[end] ?? 0) + 1) end++;
    parts.push(end === index ? `${sorted[index]}` : `${sorted[index]}-${sorted[end]}`);
    index = end + 1;
  }
  return parts.join(",");
}

/** Whether this host can pin processes: Linux with taskset (util-linux, in every Debian). */
export function affinityAvailable(): boolean {
  return (
    process.platform === "linux" && ["/usr/bin/taskset", "/bin/taskset"].some((path) => existsSync(path))
  );
}

/** The cores a process may run on now (its main thread's set). */
export function processCpus(pid: number): number[] {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const line = /^Cpus_allowed_list:\s*(.+)$/m.exec(status);
  if (!line?.[1]) throw new Error(`no Cpus_allowed_list in /proc/${pid}/status`);
  return parseCpuList(line[1]);
}

/** Pins every thread of the process to these cores. */
export async function setProcessCpus(pid: number, cpus: readonly number[]): Promise<void> {
  await run("taskset", ["-a", "-c", "-p", formatCpuList(cpus), String(pid)]);
}

/** The process's children, grandchildren and so on (from /proc/<pid>/task/<tid>/children). */
export function descendantProcesses(pid: number): number[] {
  const found: number[] = [];
  const visit = (parent: number) => {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${parent}/task`);
    } catch {
      return; // exited meanwhile
    }
    for (const task of tasks) {
      let children = "";
      try {
        children = readFileSync(`/proc/${parent}/task/${task}/children`, "utf8");
      } catch {
        continue;
      }
      for (const child of children.trim().split(/\s+/).filter(Boolean).map(Number)) {
        found.push(child);
        visit(child);
      }
    }
  };
  visit(pid);
  return found;
}

/** The threads of a process (Linux task ids; the main thread's is the process id). */
export function threadIds(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map(Number);
}

/**
 * Sets the nice value of every thread of this process but its main one (Linux schedules threads, and
 * setpriority on a task id changes that thread alone). Threads started later by those threads inherit it.
 * Returns the threads it could not change (raising a nice value back needs CAP_SYS_NICE).
 */
export function setWorkerThreadsNice(nice: number): number[] {
  const refused: number[] = [];
  for (const tid of threadIds(process.pid)) {
    if (tid === process.pid) continue;
    try {
      setPriority(tid, nice);
    } catch {
      refused.push(tid);
    }
  }
  return refused;
}

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds } from '../e2e/process-stats.ts';
import { groupAlive, readPid } from '../stack/processes.ts';

/**
 * Elasticsearch on a core of its own, as it would be on a node of its own: the last CPU for every
 * process of the local stack's Elasticsearch group; Kafka, this process and every process it starts
 * afterwards (the loader, the indexers) on the others. On a machine this small a bulk ceiling
 * measured with everything on shared cores mostly measures how much CPU the client takes away from
 * Elasticsearch; with the split, the ratio indexer / raw loader measures how well the indexer keeps
 * Elasticsearch busy. Affinity is set with `taskset` (util-linux) on every thread (`-a`); threads
 * started later inherit it.
 */
export interface CpuSplit {
  /** e.g. "Elasticsearch on CPU 1; Kafka, loader and indexers on CPU 0". */
  readonly description: string;
  /** Every process back on every CPU. */
  restore(): void;
}

export type CpuSplitOutcome = { readonly split: CpuSplit } | { readonly unavailable: string };

/** Pids of the processes whose process group is `pgid` (field 5 of /proc/<pid>/stat). */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid) members.push(Number(entry));
  }
  return members;
}

/** CPU time (user + system, seconds) used so far by every process of the group. */
export function groupCpuSeconds(pgid: number): number {
  return groupMembers(pgid).reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
}

/** CPU seconds used so far by the engines' process groups. */
export interface EngineCpu {
  readonly elasticsearch: number;
  readonly kafka: number;
}

type EngineGroups =
  | { readonly elasticsearch: number; readonly kafka: number }
  | { readonly unavailable: string };

/**
 * The process groups of the local stack's engines (`pnpm stack:up`, pid files in `stateDir`), when
 * the engines addressed are on this machine and that stack runs; otherwise why not.
 */
function localStackEngines(options: EngineOptions): EngineGroups {
  if (!enginesAreLocal(options)) return { unavailable: 'the engines are not local processes' };
  const group = (name: string) => {
    const pid = readPid(join(options.stateDir, name, `${name}.pid`));
    return pid !== undefined && groupAlive(pid) ? pid : undefined;
  };
  const elasticsearch = group('elasticsearch');
  const kafka = group('kafka');
  if (elasticsearch === undefined || kafka === undefined)
    return {
      unavailable: `the engines were not started by pnpm stack:up (no process groups in ${options.stateDir})`,
    };
  return { elasticsearch, kafka };
}

/** Reads the engines' CPU time, when they are the local stack's processes. */
export function engineCpuReader(options: EngineOptions): (() => EngineCpu) | undefined {
  const engines = localStackEngines(options);
  if ('unavailable' in engines) return undefined;
  return () => ({
    elasticsearch: groupCpuSeconds(engines.elasticsearch),
    kafka: groupCpuSeconds(engines.kafka),
  });
}

/** CPU lists for `cpus` CPUs: the last one for the engine, the rest for everything else. */
export function cpuLists(cpus: number): { engine: string; rest: string; all: string } {
  const last = cpus - 1;
  return {
    engine: String(last),
    rest: last === 1 ? '0' : `0-${last - 1}`,
    all: `0-${last}`,
  };
}

/** Sets the CPU affinity of every thread of each process; a process that ended meanwhile is skipped. */
export function pinProcesses(pids: readonly number[], cpus: string): void {
  for (const pid of pids) {
    try {
      execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
    } catch (error) {
      if (allowedCpus(pid) !== undefined) throw error;
    }
  }
}

/** The CPUs a process may run on, as the kernel lists them ("0", "0-1"); undefined once it ended. */
export function allowedCpus(pid: number): string | undefined {
  try {
    return /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

const LOCAL = /^(https?:\/\/)?(localhost|127\.0\.0\.1)(:\d+)?\/?$/;

export interface EngineOptions {
  /** Where `pnpm stack:up` keeps its pid files. */
  readonly stateDir: string;
  readonly elasticsearchUrl: string;
  readonly kafkaBrokers: string;
}

/** True when both engines are addressed on this machine (so the local stack's processes are them). */
function enginesAreLocal(options: {
  readonly elasticsearchUrl: string;
  readonly kafkaBrokers: string;
}): boolean {
  return (
    LOCAL.test(options.elasticsearchUrl) && options.kafkaBrokers.split(',').every((b) => LOCAL.test(b.trim()))
  );
}

/**
 * Splits the CPUs when the engines are the local stack's (`pnpm stack:up`, pid files in
 * `stateDir`) and the machine has at least two CPUs; otherwise says why not.
 */
export function splitCpus(options: EngineOptions): CpuSplitOutcome {
  const cpus = availableParallelism();
  if (process.platform !== 'linux') return { unavailable: 'CPU affinity is set on Linux only' };
  if (cpus < 2) return { unavailable: 'one CPU: nothing to split' };
  const engines = localStackEngines(options);
  if ('unavailable' in engines) return engines;
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
  } catch {
    return { unavailable: 'taskset (util-linux) is not installed' };
  }
  const elasticsearch = groupMembers(engines.elasticsearch);
  const kafka = groupMembers(engines.kafka);
  const lists = cpuLists(cpus);
  const rest = [...kafka, process.pid];
  const restore = () => {
    pinProcesses(elasticsearch, lists.all);
    pinProcesses(rest, lists.all);
  };
  try {
    pinProcesses(elasticsearch, lists.engine);
    pinProcesses(rest, lists.rest);
  } catch (error) {
    restore();
    return { unavailable: `taskset failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  // An interrupted run must not leave the engines pinned: put them back, then end as asked.
  const onSignal = (signal: NodeJS.Signals) => {
    restore();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    split: {
      description: `Elasticsearch on CPU ${lists.engine}; Kafka, loader and indexers on CPU ${lists.rest}`,
      restore() {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        restore();
      },
    },
  };
}

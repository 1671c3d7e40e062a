import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  allowedCpus,
  cpuLists,
  engineCpuReader,
  groupCpuSeconds,
  groupMembers,
  pinProcesses,
  splitCpus,
} from '../../src/bench/cpu-split.ts';

describe('CPU split for the indexer benchmark', () => {
  it('gives the engine the last CPU and everything else the others', () => {
    expect(cpuLists(2)).toEqual({ engine: '1', rest: '0', all: '0-1' });
    expect(cpuLists(8)).toEqual({ engine: '7', rest: '0-6', all: '0-7' });
  });

  it('finds every process of a process group and pins all of them', async () => {
    // A group leader (detached: its own group) with a child in the same group.
    const leader = spawn('sh', ['-c', 'sleep 30 & wait'], { detached: true, stdio: 'ignore' });
    const pgid = leader.pid as number;
    try {
      let members: number[] = [];
      for (let i = 0; i < 50 && members.length < 2; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        members = groupMembers(pgid);
      }
      expect(members).toContain(pgid);
      expect(members).toHaveLength(2);
      expect(groupMembers(process.pid)).not.toContain(pgid);
      const { engine, all } = cpuLists(availableParallelism());
      pinProcesses(members, engine);
      for (const pid of members) expect(allowedCpus(pid)).toBe(engine);
      pinProcesses(members, all);
      for (const pid of members) expect(allowedCpus(pid)).toBe(all);
    } finally {
      process.kill(-pgid, 'SIGKILL');
    }
  });

  it('adds up the CPU time of a whole process group', async () => {
    const busy = spawn('sh', ['-c', 'while :; do :; done'], { detached: true, stdio: 'ignore' });
    const pgid = busy.pid as number;
    try {
      const before = groupCpuSeconds(pgid);
      await new Promise((resolve) => setTimeout(resolve, 600));
      const after = groupCpuSeconds(pgid);
      expect(after).toBeGreaterThan(before);
      expect(after).toBeLessThan(5);
      expect(groupCpuSeconds(2 ** 22 + 1)).toBe(0);
    } finally {
      process.kill(-pgid, 'SIGKILL');
    }
  });

  it("pins the engine groups named by the stack's pid files, and restores every CPU", () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'cpu-split-'));
    const groups = ['elasticsearch', 'kafka'].map((name) => {
      const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
      mkdirSync(join(stateDir, name));
      writeFileSync(join(stateDir, name, `${name}.pid`), `${child.pid}\n`);
      return child.pid as number;
    });
    const [elasticsearch, kafka] = groups as [number, number];
    const lists = cpuLists(availableParallelism());
    const listeners = process.listenerCount('SIGINT');
    try {
      const engines = { stateDir, elasticsearchUrl: 'http://localhost:9200', kafkaBrokers: 'localhost:9092' };
      expect(engineCpuReader(engines)?.()).toEqual({
        elasticsearch: expect.any(Number),
        kafka: expect.any(Number),
      });
      const outcome = splitCpus(engines);
      if (!('split' in outcome)) throw new Error(outcome.unavailable);
      try {
        expect(allowedCpus(elasticsearch)).toBe(lists.engine);
        expect(allowedCpus(kafka)).toBe(lists.rest);
        expect(allowedCpus(process.pid)).toBe(lists.rest);
        // An interrupted run puts the engines back before it ends.
        expect(process.listenerCount('SIGINT')).toBe(listeners + 1);
      } finally {
        outcome.split.restore();
      }
      for (const pid of [elasticsearch, kafka, process.pid]) expect(allowedCpus(pid)).toBe(lists.all);
      expect(process.listenerCount('SIGINT')).toBe(listeners);
    } finally {
      for (const pid of groups) process.kill(-pid, 'SIGKILL');
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('says why it cannot split instead of pinning engines it does not own', () => {
    const outcome = splitCpus({
      stateDir: '/nonexistent',
      elasticsearchUrl: 'http://search.internal:9200',
      kafkaBrokers: 'localhost:9092',
    });
    expect(outcome).toEqual({ unavailable: 'the engines are not local processes' });
    expect(
      engineCpuReader({
        stateDir: '/nonexistent',
        elasticsearchUrl: 'http://search.internal:9200',
        kafkaBrokers: 'localhost:9092',
      }),
    ).toBeUndefined();
    const noStack = splitCpus({
      stateDir: '/nonexistent',
      elasticsearchUrl: 'http://localhost:9200',
      kafkaBrokers: 'localhost:9092',
    });
    expect(noStack).toEqual({
      unavailable: 'the engines were not started by pnpm stack:up (no process groups in /nonexistent)',
    });
    expect(allowedCpus(process.pid)).toBe(cpuLists(availableParallelism()).all);
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceName } from '../run/service-command.ts';
import { type ServiceProcess, startService } from './service-process.ts';

/** A service process that ended without being told to (and was started again). */
export interface Crash {
  readonly label: string;
  readonly code: number | string;
  readonly at: number;
  readonly tail: string;
}

/** A service that is restarted whenever it ends without being told to. */
export class Supervised {
  current: ServiceProcess;
  private expected = false;
  private stopped = false;
  readonly label: string;
  private readonly service: ServiceName;
  private readonly env: Readonly<Record<string, string>>;
  private readonly crashes: Crash[];

  constructor(service: ServiceName, label: string, env: Readonly<Record<string, string>>, crashes: Crash[]) {
    this.service = service;
    this.label = label;
    this.env = env;
    this.crashes = crashes;
    this.current = this.launch();
  }

  private launch(): ServiceProcess {
    const started = startService(this.service, this.label, this.env);
    void started.exited.then(async (code) => {
      if (this.expected || this.stopped || started !== this.current) return;
      this.crashes.push({ label: this.label, code, at: Date.now(), tail: started.tail(30) });
      await sleep(1000);
      if (!this.stopped && started === this.current) this.current = this.launch();
    });
    return started;
  }

  async kill(): Promise<void> {
    this.expected = true;
    this.current.kill('SIGKILL');
    await this.current.exited;
    this.expected = false;
    if (!this.stopped) this.current = this.launch();
  }

  async stop(graceMs: number): Promise<number | string> {
    this.stopped = true;
    return this.current.stop(graceMs);
  }
}

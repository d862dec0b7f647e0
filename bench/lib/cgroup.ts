// CPU and memory limits for the server under test, standing for a VPS plan (bench/capacity.ts): the
// server binary is started through a small wrapper script that puts itself into cgroups and then execs
// the server, so the server runs limited from its first instruction and its memory is charged there.
//
// `systemd-run --scope -p CPUQuota=… -p MemoryMax=…` is the usual way, but it needs systemd as PID 1,
// and the bench machine has none (PID 1 is a process supervisor; cgroup v1 hierarchies are mounted
// under /sys/fs/cgroup/{cpu,cpuset,memory}, the v2 one has no controllers). So this writes cgroup v1
// directly (it needs root):
// - cpuset: as many CPUs as the plan has vCPUs (at least one), so the Go runtime sees the plan's CPU
//   count (GOMAXPROCS) as it would on the VM;
// - cpu: a CFS quota of the plan's share of a core per 100 ms period (0.5 vCPU = 50 ms of CPU per
//   100 ms), and a high cpu.shares so that, on a machine shared with other work, the server still gets
//   its quota as a VM's dedicated vCPU would (the quota caps it; the shares only order the queue);
// - memory: the plan's RAM as the limit (the machine has no swap), so the kernel's OOM killer ends the
//   server where the VM's would.
// Each group is made beside the group this process is in (under it for memory, so the memory stays
// counted where this session's is) and removed by `remove()`.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Plan {
  /** What the table calls it, e.g. "1 vCPU / 2 GB". */
  name: string;
  /** vCPUs as a fraction of a core; 0 = no limit. */
  cpus: number;
  /** RAM in MiB; 0 = no limit. */
  memoryMiB: number;
}

export interface LimitedServer {
  /** The wrapper to start instead of the server binary (StartOptions.binary). */
  binary: string;
  /** How the limits were applied, for the report. */
  how: string;
  /** The memory group's peak usage in MiB and how many times the OOM killer ran in it. */
  memory(): { peakMiB: number; oomKills: number };
  /** CPU time the group was throttled for, in seconds (the quota reached). */
  throttledSeconds(): number;
  remove(): void;
}

const ROOT = '/sys/fs/cgroup';

/** This process's own path in a v1 hierarchy ("/" when at its root). */
function ownPath(controller: string): string {
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const [, controllers, path] = line.split(':');
    if (controllers?.split(',').includes(controller)) return path || '/';
  }
  return '/';
}

const write = (file: string, value: string | number) => writeFileSync(file, String(value));
const read = (file: string) => readFileSync(file, 'utf8').trim();

export function limitServer(plan: Plan, binary: string): LimitedServer {
  if (!existsSync(join(ROOT, 'cpu', 'cpu.cfs_quota_us')) || !existsSync(join(ROOT, 'memory'))) {
    throw new Error(
      'bench/lib/cgroup.ts writes cgroup v1 (/sys/fs/cgroup/cpu, cpuset, memory), which this machine does not mount. ' +
        'Under systemd, run the server yourself with `systemd-run --scope -p CPUQuota=50% -p MemoryMax=1G …` instead.',
    );
  }
  const name = `palaver-capacity-${process.pid}-${Date.now()}`;
  const dirs = {
    cpu: join(ROOT, 'cpu', ownPath('cpu'), name),
    cpuset: join(ROOT, 'cpuset', ownPath('cpuset'), name),
    memory: join(ROOT, 'memory', ownPath('memory'), name),
  };
  const made: string[] = [];
  const make = (dir: string) => {
    mkdirSync(dir);
    made.push(dir);
  };
  const remove = () => {
    for (const dir of made.splice(0).reverse()) {
      try {
        rmdirSync(dir);
      } catch {
        // still has a process (the server not yet gone); the kernel keeps it until then
      }
    }
  };
  try {
    const entered: string[] = [];
    if (plan.cpus > 0) {
      make(dirs.cpuset);
      const parent = join(dirs.cpuset, '..');
      const allCpus = read(join(parent, 'cpuset.cpus')); // e.g. "0-1"
      const last = Number(allCpus.split(/[-,]/).at(-1));
      const count = Math.max(1, Math.ceil(plan.cpus));
      // The highest-numbered CPUs: the generator and the rest of the machine still have CPU 0.
      write(join(dirs.cpuset, 'cpuset.cpus'), count === 1 ? `${last}` : `${last - count + 1}-${last}`);
      write(join(dirs.cpuset, 'cpuset.mems'), read(join(parent, 'cpuset.mems')));
      make(dirs.cpu);
      write(join(dirs.cpu, 'cpu.cfs_period_us'), 100_000);
      write(join(dirs.cpu, 'cpu.cfs_quota_us'), Math.round(plan.cpus * 100_000));
      write(join(dirs.cpu, 'cpu.shares'), 32_768);
      entered.push(dirs.cpuset, dirs.cpu);
    }
    if (plan.memoryMiB > 0) {
      make(dirs.memory);
      write(join(dirs.memory, 'memory.limit_in_bytes'), plan.memoryMiB * 2 ** 20);
      entered.push(dirs.memory);
    }
    const wrapper = join(tmpdir(), `${name}.sh`);
    writeFileSync(
      wrapper,
      `#!/bin/sh\n${entered.map((dir) => `echo $$ > ${dir}/cgroup.procs || exit 97`).join('\n')}\nexec ${binary} "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
    const cpuset = plan.cpus > 0 ? read(join(dirs.cpuset, 'cpuset.cpus')) : '';
    return {
      binary: wrapper,
      how:
        `cgroup v1 written directly (no systemd here): ` +
        (plan.cpus > 0
          ? `cpuset CPU ${cpuset}, cpu.cfs_quota_us ${Math.round(plan.cpus * 100_000)} per 100,000 µs, cpu.shares 32768; `
          : 'CPU unlimited; ') +
        (plan.memoryMiB > 0 ? `memory.limit_in_bytes ${plan.memoryMiB} MiB (no swap)` : 'memory unlimited'),
      memory: () => {
        if (plan.memoryMiB <= 0) return { peakMiB: NaN, oomKills: 0 };
        const oom = /oom_kill (\d+)/.exec(read(join(dirs.memory, 'memory.oom_control')));
        return {
          peakMiB: Number(read(join(dirs.memory, 'memory.max_usage_in_bytes'))) / 2 ** 20,
          oomKills: Number(oom?.[1] ?? 0),
        };
      },
      throttledSeconds: () => {
        if (plan.cpus <= 0) return 0;
        const match = /throttled_time (\d+)/.exec(read(join(dirs.cpu, 'cpu.stat')));
        return Number(match?.[1] ?? 0) / 1e9;
      },
      remove,
    };
  } catch (error) {
    remove();
    throw error;
  }
}

// The machine a run was made on: goes into the header, the JSON and the README section.
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

function cpuModel() {
  const m = os.cpus()[0]?.model?.trim();
  if (m && m !== 'unknown') return m;
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    return line?.split(':')[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function git(args) {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

export function machine() {
  return {
    cpu: cpuModel(),
    cores: os.cpus().length,
    availableParallelism: os.availableParallelism?.() ?? os.cpus().length,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    commit: git(['rev-parse', '--short', 'HEAD']),
    dirty: git(['status', '--porcelain', '--untracked-files=no'])?.length > 0,
    loadAverageStart: os.loadavg().map((x) => +x.toFixed(2)),
    date: new Date().toISOString(),
  };
}

export function machineLine(m) {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB · Node ${m.node} (V8 ${m.v8}) · ${m.platform} · commit ${m.commit ?? '?'}${m.dirty ? '+dirty' : ''}`;
}

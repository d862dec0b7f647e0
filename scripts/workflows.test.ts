// The hosted CI's workflows cannot run here, so they are linted here: actionlint (fetched through the
// Go module proxy, pinned) checks syntax, expressions, action inputs and every `run:` script with
// shellcheck, in every file of .github/workflows; the rest checks what every workflow must do (least
// privilege, time limits, scripts that exist) and what ci.yml and release.yml each promise.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './backend-build.ts';

const ACTIONLINT = 'github.com/rhysd/actionlint/cmd/actionlint@v1.7.12';
const workflowsDir = join(repoRoot, '.github', 'workflows');
const workflows = readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f));
const hasGo = spawnSync('go', ['version']).status === 0;

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  needs?: string | string[];
  'timeout-minutes'?: number;
  permissions?: Record<string, string>;
  strategy?: { matrix: { include: Array<Record<string, string>> } };
  steps: Step[];
}
interface Workflow {
  on: { push?: { tags?: string[]; branches?: string[] }; pull_request?: unknown };
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean | string };
  jobs: Record<string, Job>;
}

const parsed = new Map(
  workflows.map((file) => [file, load(readFileSync(join(workflowsDir, file), 'utf8')) as Workflow]),
);
const release = parsed.get('release.yml')!;
const ci = parsed.get('ci.yml')!;
const allRuns = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

describe('GitHub Actions workflows', () => {
  it.skipIf(!hasGo)(
    `pass actionlint (${ACTIONLINT}, through the Go module proxy)`,
    () => {
      const result = spawnSync(
        'go',
        ['run', ACTIONLINT, '-color=false', ...workflows.map((f) => join(workflowsDir, f))],
        {
          cwd: repoRoot,
          encoding: 'utf8',
          timeout: 240_000,
        },
      );
      expect(`${result.stdout}${result.stderr}`.replace(/^go: downloading .*\n/gm, '')).toBe('');
      expect(result.status).toBe(0);
    },
    300_000,
  );

  it('are release.yml and ci.yml', () => {
    expect([...parsed.keys()].sort()).toEqual(['ci.yml', 'release.yml']);
  });

  describe.each(workflows)('%s', (file) => {
    const workflow = () => parsed.get(file)!;

    it('reads the repository and nothing more by default; a job asks for more itself', () => {
      expect(workflow().permissions).toEqual({ contents: 'read' });
    });

    it('gives every job a time limit, so a hung app or server cannot hold a runner for hours', () => {
      for (const [name, job] of Object.entries(workflow().jobs)) {
        expect(job['timeout-minutes'], `job ${name}`).toBeGreaterThan(0);
        expect(job['timeout-minutes'], `job ${name}`).toBeLessThanOrEqual(60);
      }
    });

    it('uses actions at a pinned major version', () => {
      const uses = Object.values(workflow().jobs).flatMap((job) => job.steps.flatMap((s) => (s.uses ? [s.uses] : [])));
      expect(uses.length).toBeGreaterThan(0);
      for (const action of uses) expect(action, action).toMatch(/^[\w.-]+\/[\w.-]+@v\d+$/);
    });

    it('runs only npm scripts and files that exist', () => {
      const runs = Object.values(workflow().jobs).map(allRuns).join('\n');
      for (const [, script] of runs.matchAll(/npm run ([\w:-]+)/g))
        expect(pkg.scripts, `npm run ${script}`).toHaveProperty(script!);
      for (const [, path] of runs.matchAll(/npx tsx (\S+)/g))
        expect(existsSync(join(repoRoot, path!)), `${path} exists`).toBe(true);
    });
  });

  it('ci: runs on every push and pull request, not only on tags, and a newer push cancels the run under way', () => {
    expect(ci.on.push).toBeDefined();
    expect(ci.on.push?.tags).toBeUndefined();
    expect(ci.on.pull_request).not.toBeUndefined();
    expect(ci.concurrency?.['cancel-in-progress']).toBe(true);
    expect(ci.concurrency?.group).toContain('github.ref');
    for (const job of Object.values(ci.jobs))
      expect(job.permissions, 'no job of ci.yml needs more than reading').toBeUndefined();
  });

  it('ci: runs the whole suite and the Electron end-to-end tests under Xvfb on Linux, also against the packaged test build', () => {
    const linux = Object.values(ci.jobs).find((job) => job['runs-on'].startsWith('ubuntu-'))!;
    expect(linux).toBeDefined();
    const runs = allRuns(linux);
    expect(runs).toContain('npx electron --version');
    expect(runs).toMatch(/^xvfb-run .*npm test$/m);
    expect(runs, 'a benchmark that stops ending is caught the day it breaks').toMatch(/^npm run bench:smoke$/m);
    expect(runs).toContain('npm run dist:e2e');
    expect(runs).toContain('scripts/check-fuses.ts dist/e2e/linux-unpacked/palaver electron-builder.e2e.yml');
    const packaged = linux.steps.find((s) => s.env?.['PALAVER_E2E_PACKAGED_APP']);
    expect(packaged?.env?.['PALAVER_E2E_PACKAGED_APP']).toBe(
      release.jobs['test']!.steps.find((s) => s.env?.['PALAVER_E2E_PACKAGED_APP'])?.env?.['PALAVER_E2E_PACKAGED_APP'],
    );
    expect(packaged?.run).toMatch(/xvfb-run .*npx playwright test --project=electron/);
    // The app's notifications need libnotify to exist at all on Linux.
    expect(runs).toMatch(/apt-get install .*libnotify4/);
  });

  it('ci: starts and quits the built app on macOS and Windows', () => {
    const launch = Object.values(ci.jobs).find((job) =>
      job.strategy?.matrix.include.some((m) => m['os']?.startsWith('macos-')),
    )!;
    expect(launch.strategy!.matrix.include.map((m) => m['os']!.split('-')[0]).sort()).toEqual(['macos', 'windows']);
    expect(launch['runs-on']).toBe('${{ matrix.os }}');
    const runs = allRuns(launch);
    expect(runs).toContain('npx electron --version');
    expect(runs).toContain('npm run build');
    expect(runs).toContain('npx tsx e2e/electron/launch-check.ts');
  });

  it('release: runs on version tags with read-only default permissions', () => {
    expect(release.on.push?.tags).toEqual(['v*.*.*']);
    expect(release.permissions).toEqual({ contents: 'read' });
  });

  it('release: builds each installer on its own operating system, after the tests, and can publish', () => {
    const job = release.jobs['installers']!;
    expect(job.needs).toBe('test');
    const matrix = job.strategy!.matrix.include;
    expect(matrix.map((m) => [m['os']!.split('-')[0], m['target']])).toEqual([
      ['windows', '--win'],
      ['macos', '--mac'],
      ['ubuntu', '--linux'],
    ]);
    expect(allRuns(job)).toMatch(/npx electron-builder \$\{\{ matrix\.target \}\} --publish "\$publish"/);
    const build = job.steps.find((s) => s.run?.includes('electron-builder'))!;
    for (const secret of ['GH_TOKEN', 'CSC_LINK', 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'])
      expect(build.env).toHaveProperty(secret);
    // Secrets come from the repository's secrets, never from the file.
    for (const value of Object.values(build.env ?? {})) expect(value).toMatch(/^\$\{\{ .* \}\}$/);
  });

  it('release: tests the packaged test build under Xvfb on Linux, from the dist:e2e output', () => {
    const job = release.jobs['test']!;
    expect(job['runs-on']).toMatch(/^ubuntu-/);
    const runs = allRuns(job);
    expect(runs).toContain('npx electron --version'); // the binary is fetched where there is internet
    expect(runs).toContain('npm run dist:e2e');
    const packaged = job.steps.find((s) => s.env?.['PALAVER_E2E_PACKAGED_APP']);
    expect(packaged?.run).toMatch(/^xvfb-run .*playwright test --project=electron/);
    // The path it names is where dist:e2e writes the Linux test build.
    const distE2e = pkg.scripts['dist:e2e'];
    expect(distE2e, 'package.json has a dist:e2e script').toBeTruthy();
    const config = /--config (\S+)/.exec(distE2e!)?.[1];
    expect(config, 'dist:e2e builds with its own configuration').toBeTruthy();
    const outputDir = (load(readFileSync(join(repoRoot, config!), 'utf8')) as { directories?: { output?: string } })
      .directories?.output;
    expect(outputDir, `${config} sets its own output directory`).toBeTruthy();
    expect(packaged!.env!['PALAVER_E2E_PACKAGED_APP']).toBe(
      `\${{ github.workspace }}/${outputDir}/linux-unpacked/palaver`,
    );
  });

  it('release: checks the fuses of both builds it makes, and keeps the write token out of .git', () => {
    expect(allRuns(release.jobs['test']!)).toContain(
      'scripts/check-fuses.ts dist/e2e/linux-unpacked/palaver electron-builder.e2e.yml',
    );
    expect(allRuns(release.jobs['installers']!)).toContain(
      'scripts/check-fuses.ts dist/linux-unpacked/palaver electron-builder.yml',
    );
    const checkout = release.jobs['installers']!.steps.find((s) => s.uses?.startsWith('actions/checkout@'))!;
    expect(checkout.with?.['persist-credentials']).toBe(false);
  });

  it('release: every script it runs exists in package.json', () => {
    const named = Object.values(release.jobs).flatMap((job) =>
      [...allRuns(job).matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!),
    );
    expect(named.length).toBeGreaterThan(2);
    for (const script of named) expect(pkg.scripts, `npm run ${script}`).toHaveProperty(script);
    expect(existsSync(join(repoRoot, 'backend', 'go.mod'))).toBe(true);
  });
});

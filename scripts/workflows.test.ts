// The hosted CI's release workflow cannot run here, so it is linted here: actionlint (fetched through
// the Go module proxy, pinned) checks syntax, expressions, action inputs and every `run:` script with
// shellcheck; the rest checks that the workflow does what the release process promises.
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
}
interface Job {
  'runs-on': string;
  needs?: string | string[];
  strategy?: { matrix: { include: Array<Record<string, string>> } };
  steps: Step[];
}
interface Workflow {
  on: { push?: { tags?: string[] } };
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const release = load(readFileSync(join(workflowsDir, 'release.yml'), 'utf8')) as Workflow;
const allRuns = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');

describe('GitHub Actions workflows', () => {
  it.skipIf(!hasGo)(`pass actionlint (${ACTIONLINT}, through the Go module proxy)`, () => {
    const result = spawnSync('go', ['run', ACTIONLINT, '-color=false', ...workflows.map((f) => join(workflowsDir, f))], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(`${result.stdout}${result.stderr}`.replace(/^go: downloading .*\n/gm, '')).toBe('');
    expect(result.status).toBe(0);
  }, 300_000);

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
    for (const secret of ['GH_TOKEN', 'CSC_LINK', 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID']) expect(build.env).toHaveProperty(secret);
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
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const distE2e = pkg.scripts['dist:e2e'];
    expect(distE2e, 'package.json has a dist:e2e script').toBeTruthy();
    const config = /--config (\S+)/.exec(distE2e!)?.[1];
    expect(config, 'dist:e2e builds with its own configuration').toBeTruthy();
    const outputDir = (load(readFileSync(join(repoRoot, config!), 'utf8')) as { directories?: { output?: string } }).directories?.output;
    expect(outputDir, `${config} sets its own output directory`).toBeTruthy();
    expect(packaged!.env!['PALAVER_E2E_PACKAGED_APP']).toBe(`\${{ github.workspace }}/${outputDir}/linux-unpacked/palaver`);
  });

  it('release: checks the fuses of both builds it makes, and keeps the write token out of .git', () => {
    expect(allRuns(release.jobs['test']!)).toContain('scripts/check-fuses.ts dist/e2e/linux-unpacked/palaver electron-builder.e2e.yml');
    expect(allRuns(release.jobs['installers']!)).toContain('scripts/check-fuses.ts dist/linux-unpacked/palaver electron-builder.yml');
    const checkout = release.jobs['installers']!.steps.find((s) => s.uses?.startsWith('actions/checkout@')) as Step & { with?: Record<string, unknown> };
    expect(checkout.with?.['persist-credentials']).toBe(false);
  });

  it('release: every script it runs exists in package.json', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const named = Object.values(release.jobs).flatMap((job) => [...allRuns(job).matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!));
    expect(named.length).toBeGreaterThan(2);
    for (const script of named) expect(pkg.scripts, `npm run ${script}`).toHaveProperty(script);
    expect(existsSync(join(repoRoot, 'backend', 'go.mod'))).toBe(true);
  });
});

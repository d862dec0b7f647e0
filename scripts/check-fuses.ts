// Checks the Electron fuses of a packaged app against an electron-builder configuration:
//   npx tsx scripts/check-fuses.ts dist/linux-unpacked/palaver electron-builder.yml
// Exits non-zero, naming each fuse that differs, so a release build whose fuses were not flipped (or
// were flipped the e2e way) cannot pass the release workflow. Reads the binary with @electron/fuses.
import { getCurrentFuseWire, FuseV1Options } from '@electron/fuses';
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';

type Fuses = Record<string, boolean>;

/** @electron/fuses' FuseState, which its index does not export: the wire's bytes '1' and '0'. */
const ENABLE = 49;
const DISABLE = 48;

/** electronFuses of a config, following `extends` to the file it names (relative to the cwd). */
export function configuredFuses(configPath: string): Fuses {
  const config = load(readFileSync(configPath, 'utf8')) as { extends?: string; electronFuses?: Fuses };
  const base = typeof config.extends === 'string' ? configuredFuses(config.extends) : {};
  return { ...base, ...(config.electronFuses ?? {}) };
}

/** The differences between the fuses in an app's binary and the configured ones, in words. */
export async function fuseDifferences(app: string, expected: Fuses): Promise<string[]> {
  const wire = (await getCurrentFuseWire(app)) as unknown as Record<string, number | undefined>;
  const problems: string[] = [];
  for (const [name, on] of Object.entries(expected)) {
    const option = FuseV1Options[(name[0]!.toUpperCase() + name.slice(1)) as keyof typeof FuseV1Options];
    if (option === undefined) {
      problems.push(`${name}: not a fuse this version of @electron/fuses knows`);
      continue;
    }
    const state = wire[String(option)];
    const want = on ? ENABLE : DISABLE;
    if (state !== want)
      problems.push(
        `${name}: expected ${on ? 'enabled' : 'disabled'}, the binary has ${state === ENABLE ? 'enabled' : state === DISABLE ? 'disabled' : `state ${JSON.stringify(state)}`}`,
      );
  }
  return problems;
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  const [app, configPath = 'electron-builder.yml'] = process.argv.slice(2);
  if (!app) {
    console.error('usage: tsx scripts/check-fuses.ts <packaged app executable> [electron-builder config]');
    process.exit(2);
  }
  const problems = await fuseDifferences(app, configuredFuses(configPath));
  if (problems.length) {
    console.error(`check-fuses: ${app} does not have the fuses ${configPath} asks for:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`check-fuses: ${app} has every fuse ${configPath} asks for`);
}
